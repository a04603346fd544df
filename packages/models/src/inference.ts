import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { checkNumber as check } from '@timbre/core';
import { findOnset } from '@timbre/dataset';
import type { LogMelExtractor } from '@timbre/dsp';
import { DataError, invalidOption, ModelError } from './errors.js';
import { toInputTensor } from './features.js';
import type { DspParameters, ModelMetadata } from './model-metadata.js';

/** A class and its probability. */
export interface LabelProbability {
  label: string;
  /** In [0, 1]. */
  probability: number;
}

/** The prediction for one window of audio. */
export interface WindowPrediction {
  /** Window start, seconds from the start of the input audio. */
  startS: number;
  /** Window end, seconds (may exceed the audio when it was zero-padded). */
  endS: number;
  /** RMS level of the window's samples, dBFS (−∞ for digital silence). */
  levelDb: number;
  /** Spectral flatness of the window in [0, 1] (see {@link NOISE_FLATNESS}); 0 for silence. */
  flatness: number;
  /**
   * Not averaged into the result: silent (below {@link SILENCE_DBFS}) or more than
   * {@link QUIET_WINDOW_DB} below the loudest window (a decaying tail, a pause).
   */
  skipped: boolean;
  /** Top-k classes of this window, most probable first. */
  top: LabelProbability[];
  /** All class probabilities, label order. */
  probabilities: number[];
}

/** The prediction for a clip or a longer recording. */
export interface Prediction {
  /** Top-k classes of the aggregate, most probable first; empty when `silent`. */
  top: LabelProbability[];
  /**
   * Aggregate probabilities, label order; all 0 when `silent`: with `aggregate: 'onset'` those of the 1-s window
   * from the strongest onset (the note as the models were trained on it), with `'mean'` the mean over the
   * windows not skipped.
   */
  probabilities: number[];
  labels: readonly string[];
  /** One entry per window (a single one for audio up to one window long). */
  windows: WindowPrediction[];
  /** How the answer was made: from the onset window (recordings under {@link ONSET_AGGREGATE_MAX_S}) or the mean. */
  aggregate: 'onset' | 'mean';
  /** Every window is below {@link SILENCE_DBFS}: there is nothing to classify. */
  silent: boolean;
  /** Most windows that count sound like noise, not a note (flatness above {@link NOISE_FLATNESS}). */
  noiseLike: boolean;
  /**
   * The top probability is below {@link LOW_CONFIDENCE}, or the input is silent or noise-like: treat the
   * answer as a guess.
   */
  lowConfidence: boolean;
  /** Where the first window starts (the detected onset when trimmed), seconds. */
  onsetS: number;
  /** With `aggregate: 'onset'`: where the window the answer comes from starts (the strongest onset), seconds. */
  answerWindowS?: number;
  /** Duration of the input audio, seconds. */
  durationS: number;
  /** Backend name. */
  backend: string;
  /** Milliseconds spent on features and on the model. */
  timings: { featuresMs: number; inferenceMs: number };
}

/** A window whose RMS is below this level (dBFS) is silence: it is not classified into the result. */
export const SILENCE_DBFS = -60;
/** A window this many dB below the file's loudest window is not averaged into the result. */
export const QUIET_WINDOW_DB = 40;
/** A result whose top probability is below this is flagged `lowConfidence`. */
export const LOW_CONFIDENCE = 0.5;
/**
 * A window whose spectral flatness (geometric ÷ arithmetic mean of its mel-band powers, 80 dB range, mean
 * over frames) is above this sounds like noise, not a note: white/pink noise, clicks and speech-like buzz
 * measured 0.15–0.85, every one of 832 clips of the built-in corpus (fonts and real) at most 0.038.
 */
export const NOISE_FLATNESS = 0.1;

/** How a recording is cut into model-sized windows. */
export interface WindowOptions {
  /** Window length in seconds, in [0.1, 10]; default 1 (the training clip length). */
  windowS?: number;
  /** Hop between windows in seconds, in [0.01, 60]; default 0.5. */
  hopS?: number;
  /**
   * Start at the detected onset (maximum of the derivative of log power, as the training clips were
   * trimmed; `@timbre/dataset`'s `findOnset`) instead of at 0. `'auto'` (default) trims audio shorter
   * than two windows (a single note, like the training clips) and starts longer recordings at 0, where
   * the strongest onset may lie anywhere.
   */
  trimOnset?: boolean | 'auto';
}

/**
 * Recordings shorter than this (seconds) are answered from their onset window by default (`aggregate: 'auto'`):
 * the models learned from 1-s clips cut at a note's onset, and a note's later, decaying windows are classified
 * worse — on the 173 held-out real recordings (whole files, fonts → real models, seeds 0/1/2) the onset window
 * gives 52.0 / 49.1 / 49.7 % where the mean over every window gives 39.9 / 40.5 / 38.7 %. Longer recordings
 * (many notes, a piece) take the mean over their windows.
 */
export const ONSET_AGGREGATE_MAX_S = 20;

/** Options of `predictSamples` / `predictFile`. */
export interface PredictOptions extends WindowOptions {
  /**
   * How the windows make the answer: `'onset'` — the window from the strongest onset alone; `'mean'` — the mean
   * over the windows not skipped; `'auto'` (default) — `'onset'` under {@link ONSET_AGGREGATE_MAX_S}, else `'mean'`.
   * The timeline (`windows`) is the same either way.
   */
  aggregate?: 'auto' | 'onset' | 'mean';
  /** Classes reported per window and for the aggregate, integer in [1, classes]; default 3. */
  topK?: number;
  /** Called with the fraction of windows whose features are done, in [0, 1]. */
  onProgress?: (fraction: number) => void;
  /** Windows featurized between yields to the event loop (keeps a page responsive); default: never yield. */
  yieldEvery?: number;
}

/** Where the windows of a recording lie, in samples. */
export interface WindowPlan {
  /** First window start (the onset when trimmed, else 0). */
  onset: number;
  /** Samples per window. */
  length: number;
  /** Samples between window starts. */
  hop: number;
  /** Window starts, ascending; at least one. */
  starts: number[];
}

function checkNumber(name: string, v: number, lo: number, hi: number, integer = false): number {
  return check(name, v, { min: lo, max: hi, integer }, invalidOption);
}

/**
 * Plans the windows of mono audio: from the start (or the onset) every `hopS`, as many whole windows as
 * fit, and always at least one (zero-padded when the audio is shorter than a window).
 *
 * @param sampleRate Hz, integer in [1, 384000].
 * @throws {ModelError} for an option out of range.
 */
export function planWindows(
  samples: Float32Array,
  sampleRate: number,
  options: WindowOptions = {},
): WindowPlan {
  checkNumber('sampleRate', sampleRate, 1, 384000, true);
  const length = Math.round(checkNumber('windowS', options.windowS ?? 1, 0.1, 10) * sampleRate);
  const hop = Math.max(1, Math.round(checkNumber('hopS', options.hopS ?? 0.5, 0.01, 60) * sampleRate));
  const trim = options.trimOnset ?? 'auto';
  const doTrim = trim === 'auto' ? samples.length < 2 * length : trim;
  const onset = doTrim && samples.length > 0 ? findOnset(samples, sampleRate) : 0;
  return windowsFrom(samples.length, onset, length, hop);
}

/** Window starts from `onset` every `hop` over `total` samples: as many whole windows as fit, at least one. */
function windowsFrom(total: number, onset: number, length: number, hop: number): WindowPlan {
  const avail = total - onset;
  const count = avail <= length ? 1 : Math.floor((avail - length) / hop) + 1;
  return { onset, length, hop, starts: Array.from({ length: count }, (_, w) => onset + w * hop) };
}

/** Mono audio at the model's rate that is read piece by piece (a long file streamed from disk). */
export interface SampleSource {
  /** Hz; must be the model's rate. */
  readonly sampleRate: number;
  /** Samples in all. */
  readonly length: number;
  /** `count` samples from `start` (fewer at the end). */
  read(start: number, count: number): Promise<Float32Array>;
}

/** Copies one window of `length` samples from `start`, zero-padded past the end (into `out` when given). */
export function sliceWindow(
  samples: Float32Array,
  start: number,
  length: number,
  out = new Float32Array(length),
): Float32Array {
  out.fill(0);
  out.set(samples.subarray(start, Math.min(samples.length, start + length)));
  return out;
}

/** RMS level of samples in dBFS (−∞ for all zeros or no samples). */
export function levelDbfs(x: Float32Array): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i]! * x[i]!;
  return x.length === 0 || s === 0 ? Number.NEGATIVE_INFINITY : 10 * Math.log10(s / x.length);
}

/**
 * Spectral flatness of frame-major log-mel features in `db-range` normalisation with a `topDb` range:
 * per frame, geometric ÷ arithmetic mean of the band powers, averaged over frames that are not floor only.
 * @returns A value in [0, 1]; 0 when every frame is at the floor.
 */
export function spectralFlatness(features: Float32Array, nMels: number, topDb: number): number {
  const frames = features.length / nMels;
  // power = 10^((v − 1)·topDb/10) = exp(k·(v − 1)); log power = k·(v − 1).
  const k = (topDb / 10) * Math.LN10;
  let sum = 0;
  let n = 0;
  for (let t = 0; t < frames; t++) {
    const o = t * nMels;
    let am = 0;
    let lg = 0;
    let any = false;
    for (let b = 0; b < nMels; b++) {
      const v = features[o + b]! - 1;
      if (v > -1) any = true;
      am += Math.exp(k * v);
      lg += v;
    }
    if (!any) continue;
    sum += Math.exp((k * lg) / nMels) / (am / nMels);
    n++;
  }
  return n === 0 ? 0 : sum / n;
}

/** The k most probable classes, most probable first. */
export function topClasses(
  probs: ArrayLike<number>,
  labels: readonly string[],
  k: number,
): LabelProbability[] {
  return Array.from(labels, (label, i) => ({ label, probability: probs[i]! }))
    .sort((a, b) => b.probability - a.probability)
    .slice(0, k);
}

/** Creates the `@timbre/dsp` extractor for a model's DSP parameters (`metadata.dsp`). */
export async function createExtractorFor(d: DspParameters): Promise<LogMelExtractor> {
  const { createLogMelExtractor } = await import('@timbre/dsp');
  return createLogMelExtractor({
    sampleRate: d.sampleRate,
    nFft: d.nFft,
    hop: d.hop,
    nMels: d.nMels,
    fMin: d.fMin,
    fMax: d.fMax,
    melScale: d.melScale,
    melNorm: d.melNorm,
    center: d.center,
    topDb: d.topDb,
    normalize: d.normalize,
    frames: d.frames,
  });
}

/** Resamples mono audio (e.g. `@timbre/dataset/node`'s `resampleMono`). */
export type Resampler = (samples: Float32Array, from: number, to: number) => Promise<Float32Array>;

/** Options of {@link createClassifier}. */
export interface ClassifierOptions {
  /** Feature extractor; by default one is made from `metadata.dsp`. */
  extractor?: LogMelExtractor;
  /** Resamples input at another rate than the model's; without it such input is refused. */
  resample?: Resampler;
  /** Backend name reported in predictions; default the active tfjs backend. */
  backend?: string;
  /** Windows per model call, integer in [1, 4096]; default 64 (bounds memory for long files). */
  batchSize?: number;
  /**
   * Zero-pad every model call to exactly `batchSize` windows. For WebGL, which compiles its shaders per
   * tensor shape: one shape keeps inference fast. Wasted work on CPUs.
   */
  fixedBatch?: boolean;
}

/** A ready-to-use classifier: model + metadata + feature extractor. Platform-neutral. */
export interface Classifier {
  readonly model: tfl.LayersModel;
  readonly metadata: ModelMetadata;
  /** The `@timbre/dsp` implementation computing the features. */
  readonly dspImplementation: string;
  /** Probabilities [n][classes] for frame-major features [n][nFrames][nMels] (n inferred). */
  predictFeatures(x: Float32Array): Promise<Float32Array>;
  /**
   * Classifies mono audio: windows (see {@link WindowOptions}), log-mel features with the model's DSP
   * parameters, model probabilities, the mean over the windows that are not silent or quiet.
   *
   * @param sampleRate Hz, integer in [1, 384000]; other than the model's rate needs a `resample`.
   * @throws {ModelError} for an option out of range; {@link DataError} for non-finite probabilities.
   */
  predictSamples(samples: Float32Array, sampleRate: number, options?: PredictOptions): Promise<Prediction>;
  /**
   * Classifies several inputs as {@link predictSamples} does each, with one batched model pass over all
   * their windows (faster for many short files). An input that cannot be classified gets its error in
   * its place; the others are unaffected.
   */
  predictMany(
    inputs: readonly { samples: Float32Array; sampleRate: number }[],
    options?: PredictOptions,
  ): Promise<(Prediction | Error)[]>;
  /**
   * Classifies audio read window by window from a {@link SampleSource} (at the model's rate), with the result
   * {@link predictSamples} gives on the same samples; only a block of audio and the features are held, so
   * memory does not grow with the recording's length. Short sources (under two windows, where the onset trim
   * applies) and `trimOnset: true` are read whole.
   * @throws {ModelError} for a source at another rate or an option out of range.
   */
  predictSource(source: SampleSource, options?: PredictOptions): Promise<Prediction>;
  /** Frees the model and the extractor. */
  dispose(): void;
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/**
 * Wraps a model (loaded, or fresh from `train`) and its metadata into a {@link Classifier}.
 *
 * @throws {ModelError} when metadata and model disagree.
 */
export async function createClassifier(
  model: tfl.LayersModel,
  metadata: ModelMetadata,
  options: ClassifierOptions = {},
): Promise<Classifier> {
  if (metadata.dsp.nMels !== metadata.nMels || metadata.dsp.frames !== metadata.nFrames) {
    throw new ModelError(
      `metadata.dsp gives ${metadata.dsp.nMels}×${metadata.dsp.frames} features; the model wants ${metadata.nMels}×${metadata.nFrames}`,
    );
  }
  const batchSize = checkNumber('batchSize', options.batchSize ?? 64, 1, 4096, true);
  const extractor = options.extractor ?? (await createExtractorFor(metadata.dsp));
  // Flatness is measured on an 80 dB range (a 40 dB floor fills the quiet bands of a note and hides the
  // difference): the model's own features when they already have it, else a second extractor.
  const flatDsp = { ...metadata.dsp, topDb: 80, normalize: 'db-range' as const };
  const sameAsModel = metadata.dsp.topDb === 80 && metadata.dsp.normalize === 'db-range';
  const flatExtractor = sameAsModel ? undefined : await createExtractorFor(flatDsp);
  const { labels, nFrames, nMels, inputLayout } = metadata;
  const per = nFrames * nMels;
  const sr = metadata.dsp.sampleRate;
  const c = labels.length;

  const predictFeatures = async (x: Float32Array): Promise<Float32Array> => {
    if (x.length % per !== 0)
      throw new DataError(`features length ${x.length} is not a multiple of ${nFrames}·${nMels}`);
    const n = x.length / per;
    const out = new Float32Array(n * c);
    for (let start = 0; start < n; start += batchSize) {
      const b = Math.min(batchSize, n - start);
      const rows = options.fixedBatch ? batchSize : b;
      const batch = new Float32Array(rows * per);
      batch.set(x.subarray(start * per, (start + b) * per));
      const idx = Array.from({ length: rows }, (_, k) => k);
      const probs = tf.tidy(
        () => model.predict(toInputTensor(batch, nFrames, nMels, idx, inputLayout)) as tf.Tensor,
      );
      try {
        out.set((await probs.data()).subarray(0, b * c), start * c);
      } finally {
        probs.dispose();
      }
    }
    for (let i = 0; i < out.length; i++)
      if (!Number.isFinite(out[i]!))
        throw new DataError(`the model gave a non-finite probability (${out[i]}): its weights are broken`);
    return out;
  };

  interface Featurized {
    plan: WindowPlan;
    x: Float32Array;
    levels: number[];
    flatness: number[];
    durationS: number;
    topK: number;
    featuresMs: number;
    /** With the onset aggregate: the onset (samples) and the row of `x` holding its window (after the timeline's). */
    onset?: { start: number; row: number; level: number; flatness: number };
  }

  /** Windows and log-mel features of one input (resampled first when needed). */
  const featurize = async (
    samples: Float32Array,
    sampleRate: number,
    opts: PredictOptions,
  ): Promise<Featurized> => {
    checkNumber('sampleRate', sampleRate, 1, 384000, true);
    const topK = checkNumber('topK', opts.topK ?? 3, 1, c, true);
    const mode = opts.aggregate ?? 'auto';
    if (!['auto', 'onset', 'mean'].includes(mode))
      throw new ModelError(`aggregate must be 'auto', 'onset' or 'mean'; got '${String(mode)}'`);
    let audio = samples;
    if (sampleRate !== sr) {
      if (!options.resample)
        throw new ModelError(`audio at ${sampleRate} Hz: this classifier takes ${sr} Hz (resample first)`);
      audio = await options.resample(samples, sampleRate, sr);
    }
    const plan = planWindows(audio, sr, opts);
    const whole = { start: 0, samples: audio };
    const f = await featurizeWindows(plan, async () => whole, samples.length / sampleRate, topK, opts);
    const byOnset = mode === 'onset' || (mode === 'auto' && f.durationS < ONSET_AGGREGATE_MAX_S);
    if (!byOnset || audio.length === 0) return f;
    // The window from the strongest onset: the timeline's first when it was trimmed there, else one more row.
    const start = plan.onset > 0 || plan.starts.length === 1 ? plan.onset : findOnset(audio, sr);
    const w = plan.starts.indexOf(start);
    if (w >= 0) return { ...f, onset: { start, row: w, level: f.levels[w]!, flatness: f.flatness[w]! } };
    const extra = await featurizeWindows(
      { ...plan, starts: [start] },
      async () => whole,
      f.durationS,
      topK,
      {},
    );
    const x = new Float32Array(f.x.length + extra.x.length);
    x.set(f.x);
    x.set(extra.x, f.x.length);
    return {
      ...f,
      x,
      featuresMs: f.featuresMs + extra.featuresMs,
      onset: { start, row: plan.starts.length, level: extra.levels[0]!, flatness: extra.flatness[0]! },
    };
  };

  /**
   * Features, levels and flatness of every window of `plan`; `block(start)` gives audio (with its start sample)
   * that covers the window starting at sample `start`.
   */
  const featurizeWindows = async (
    plan: WindowPlan,
    block: (start: number) => Promise<{ start: number; samples: Float32Array }>,
    durationS: number,
    topK: number,
    opts: PredictOptions,
  ): Promise<Featurized> => {
    const every =
      opts.yieldEvery !== undefined ? checkNumber('yieldEvery', opts.yieldEvery, 1, 1e9, true) : 0;
    const x = new Float32Array(plan.starts.length * per);
    const clip = new Float32Array(plan.length);
    const levels: number[] = [];
    const flatness: number[] = [];
    const t0 = performance.now();
    for (let w = 0; w < plan.starts.length; w++) {
      const b = await block(plan.starts[w]!);
      sliceWindow(b.samples, plan.starts[w]! - b.start, plan.length, clip);
      levels.push(levelDbfs(clip));
      const f = extractor.compute(clip);
      x.set(f, w * per);
      flatness.push(spectralFlatness(flatExtractor ? flatExtractor.compute(clip) : f, nMels, 80));
      if (every > 0 && (w + 1) % every === 0) {
        opts.onProgress?.((w + 1) / plan.starts.length);
        await yieldToEventLoop();
      }
    }
    opts.onProgress?.(1);
    return { plan, x, levels, flatness, durationS, topK, featuresMs: performance.now() - t0 };
  };

  /**
   * A source read block by block (about 30 s of audio at a time), its windows featurized and classified in groups of
   * 4 model batches (so the batches are those of one pass over all the windows, and the probabilities equal it),
   * holding only a group's features.
   */
  const classifySource = async (
    src: SampleSource,
    opts: PredictOptions,
  ): Promise<{ f: Featurized; probs: Float32Array; inferenceMs: number }> => {
    if (src.sampleRate !== sr)
      throw new ModelError(`a sample source at ${src.sampleRate} Hz: this classifier streams ${sr} Hz only`);
    const length = Math.round(checkNumber('windowS', opts.windowS ?? 1, 0.1, 10) * sr);
    const trim = opts.trimOnset ?? 'auto';
    if (trim === true || (trim === 'auto' && src.length < 2 * length)) {
      const f = await featurize(await src.read(0, src.length), sr, opts);
      const t1 = performance.now();
      const probs = await predictFeatures(f.x);
      return { f, probs, inferenceMs: performance.now() - t1 };
    }
    if (opts.aggregate === 'onset')
      throw new ModelError(
        "aggregate 'onset' needs the whole recording: use predictSamples, or 'mean' for a stream",
      );
    const topK = checkNumber('topK', opts.topK ?? 3, 1, c, true);
    const hop = Math.max(1, Math.round(checkNumber('hopS', opts.hopS ?? 0.5, 0.01, 60) * sr));
    const plan = windowsFrom(src.length, 0, length, hop);
    const span = Math.max(length, 30 * sr);
    let cached: { start: number; samples: Float32Array } = { start: 0, samples: new Float32Array(0) };
    const block = async (start: number) => {
      const end = Math.min(start + length, src.length);
      if (start < cached.start || end > cached.start + cached.samples.length)
        cached = { start, samples: await src.read(start, span) };
      return cached;
    };
    const n = plan.starts.length;
    const group = 4 * batchSize;
    const probs = new Float32Array(n * c);
    const levels: number[] = [];
    const flatness: number[] = [];
    let featuresMs = 0;
    let inferenceMs = 0;
    for (let w0 = 0; w0 < n; w0 += group) {
      const part = { ...plan, starts: plan.starts.slice(w0, w0 + group) };
      const k = part.starts.length;
      const f = await featurizeWindows(part, block, src.length / sr, topK, {
        ...opts,
        onProgress: (p) => opts.onProgress?.((w0 + p * k) / n),
      });
      featuresMs += f.featuresMs;
      const t1 = performance.now();
      probs.set(await predictFeatures(f.x), w0 * c);
      inferenceMs += performance.now() - t1;
      levels.push(...f.levels);
      flatness.push(...f.flatness);
    }
    return {
      f: { plan, x: new Float32Array(0), levels, flatness, durationS: src.length / sr, topK, featuresMs },
      probs,
      inferenceMs,
    };
  };

  /** The prediction of one featurized input from its windows' probabilities. */
  const assemble = (f: Featurized, probs: Float32Array, inferenceMs: number): Prediction => {
    const { plan, levels, flatness, topK } = f;
    const loudest = Math.max(...levels);
    const skipped = levels.map((l) => l < SILENCE_DBFS || l < loudest - QUIET_WINDOW_DB);
    const kept = skipped.filter((s) => !s).length;
    const mean = new Array<number>(c).fill(0);
    const windowS = plan.length / sr;
    const windows: WindowPrediction[] = plan.starts.map((start, w) => {
      const p = Array.from(probs.subarray(w * c, (w + 1) * c));
      if (!skipped[w]) for (let k = 0; k < c; k++) mean[k]! += p[k]! / kept;
      return {
        startS: start / sr,
        endS: start / sr + windowS,
        levelDb: levels[w]!,
        flatness: flatness[w]!,
        skipped: skipped[w]!,
        top: topClasses(p, labels, topK),
        probabilities: p,
      };
    });
    const onset = f.onset;
    const silent = kept === 0 || (onset !== undefined && onset.level < SILENCE_DBFS);
    const answer = onset
      ? silent
        ? new Array<number>(c).fill(0)
        : Array.from(probs.subarray(onset.row * c, (onset.row + 1) * c))
      : mean;
    const top = silent ? [] : topClasses(answer, labels, topK);
    const noisy = onset
      ? onset.flatness > NOISE_FLATNESS
      : flatness.filter((v, w) => !skipped[w] && v > NOISE_FLATNESS).length * 2 > kept;
    const noiseLike = !silent && noisy;
    return {
      top,
      probabilities: answer,
      labels,
      windows,
      aggregate: onset ? 'onset' : 'mean',
      silent,
      noiseLike,
      lowConfidence: silent || noiseLike || (top[0]?.probability ?? 0) < LOW_CONFIDENCE,
      onsetS: plan.onset / sr,
      ...(onset ? { answerWindowS: onset.start / sr } : {}),
      durationS: f.durationS,
      backend: options.backend ?? tf.getBackend(),
      timings: { featuresMs: f.featuresMs, inferenceMs },
    };
  };

  const predictSamples = async (
    samples: Float32Array,
    sampleRate: number,
    opts: PredictOptions = {},
  ): Promise<Prediction> => {
    const f = await featurize(samples, sampleRate, opts);
    const t1 = performance.now();
    const probs = await predictFeatures(f.x);
    return assemble(f, probs, performance.now() - t1);
  };

  const predictMany = async (
    inputs: readonly { samples: Float32Array; sampleRate: number }[],
    opts: PredictOptions = {},
  ): Promise<(Prediction | Error)[]> => {
    const done: (Featurized | Error)[] = [];
    for (const input of inputs) {
      try {
        done.push(await featurize(input.samples, input.sampleRate, opts));
      } catch (e) {
        done.push(e instanceof Error ? e : new Error(String(e)));
      }
    }
    const ok = done.filter((f): f is Featurized => !(f instanceof Error));
    const x = new Float32Array(ok.reduce((n, f) => n + f.x.length, 0));
    let off = 0;
    for (const f of ok) {
      x.set(f.x, off);
      off += f.x.length;
    }
    const t1 = performance.now();
    const probs = ok.length ? await predictFeatures(x) : new Float32Array(0);
    const ms = (performance.now() - t1) / Math.max(1, ok.length);
    let row = 0;
    return done.map((f) => {
      if (f instanceof Error) return f;
      const n = f.x.length / per;
      const p = assemble(f, probs.subarray(row * c, (row + n) * c), ms);
      row += n;
      return p;
    });
  };

  const predictSource = async (source: SampleSource, opts: PredictOptions = {}): Promise<Prediction> => {
    const { f, probs, inferenceMs } = await classifySource(source, opts);
    return assemble(f, probs, inferenceMs);
  };

  return {
    model,
    metadata,
    dspImplementation: extractor.implementation,
    predictFeatures,
    predictSource,
    predictSamples,
    predictMany,
    dispose() {
      model.dispose();
      extractor.dispose();
      flatExtractor?.dispose();
    },
  };
}

/**
 * Loads a saved model from a base URL (a folder holding `model.json`, its weights and `metadata.json`,
 * e.g. a web page's own), checks it, and wraps it as a {@link Classifier} on the active tfjs backend.
 *
 * @throws {SaveLoadError} naming the URL and what is wrong.
 */
export async function loadClassifierFromUrl(
  baseUrl: string,
  options: ClassifierOptions & { fetch?: (url: string) => Promise<Response> } = {},
): Promise<Classifier> {
  const { fetchModelFiles, modelFromFiles } = await import('./model-artifacts.js');
  const files = await fetchModelFiles(baseUrl, options.fetch);
  const { model, metadata } = await modelFromFiles(files, baseUrl);
  try {
    return await createClassifier(model, metadata, options);
  } catch (e) {
    model.dispose();
    throw e;
  }
}
