import type * as tfl from '@tensorflow/tfjs-layers';
import type { LogMelExtractor } from '@timbre/dsp';
import type { BackendChoice, BackendInfo } from './backend.js';
import { initBackend } from './backend.js';
import { DataError, ModelError } from './errors.js';
import { predictProbabilities } from './evaluate.js';
import type { DspParameters, ModelMetadata } from './save-load.js';
import { loadModel } from './save-load.js';

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
  /** Top-k classes of this window, most probable first. */
  top: LabelProbability[];
  /** All class probabilities, label order. */
  probabilities: number[];
}

/** The prediction for a clip or a longer recording. */
export interface Prediction {
  /** Top-k classes of the aggregate, most probable first. */
  top: LabelProbability[];
  /** Aggregate (mean over windows) probabilities, label order. */
  probabilities: number[];
  labels: readonly string[];
  /** One entry per window (a single one for audio up to one window long). */
  windows: WindowPrediction[];
  /** How windows are combined. */
  aggregate: 'mean';
  /** Where the first window starts (the detected onset when `trimOnset`), seconds. */
  onsetS: number;
  /** Duration of the input audio, seconds. */
  durationS: number;
  /** Backend name. */
  backend: string;
}

/** Options of `predictSamples` / `predictFile`. */
export interface PredictOptions {
  /** Classes reported per window and for the aggregate, integer in [1, classes]; default 3. */
  topK?: number;
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

/** A ready-to-use classifier: model + metadata + feature extractor. */
export interface Classifier {
  readonly model: tfl.LayersModel;
  readonly metadata: ModelMetadata;
  /** Backend used and why. */
  readonly backend: BackendInfo;
  /** The `@timbre/dsp` implementation computing the features. */
  readonly dspImplementation: string;
  /** Probabilities [n][classes] for frame-major features [n][nFrames][nMels] (n inferred). */
  predictFeatures(x: Float32Array): Float32Array;
  /**
   * Classifies mono audio; resampled to the model's rate (44.1 kHz) when `sampleRate` differs.
   *
   * @param sampleRate Hz, integer in [1, 192000].
   */
  predictSamples(samples: Float32Array, sampleRate: number, options?: PredictOptions): Promise<Prediction>;
  /** Decodes an audio file (WAV, MP3, FLAC, Ogg via `@timbre/dataset`) and classifies it. */
  predictFile(path: string, options?: PredictOptions): Promise<Prediction>;
  /** Frees the model and the extractor. */
  dispose(): void;
}

function topOf(probs: ArrayLike<number>, labels: readonly string[], k: number): LabelProbability[] {
  return Array.from(labels, (label, i) => ({ label, probability: probs[i]! }))
    .sort((a, b) => b.probability - a.probability)
    .slice(0, k);
}

function checkNumber(name: string, v: number, lo: number, hi: number, integer = false): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < lo || v > hi || (integer && !Number.isInteger(v))) {
    throw new ModelError(
      `${name} must be ${integer ? 'an integer' : 'a number'} in [${lo}, ${hi}]; got ${v}`,
    );
  }
  return v;
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

/**
 * Wraps a model (e.g. fresh from `train`) and its metadata into a {@link Classifier}.
 *
 * @param extractor Optional extractor; by default one is made from `metadata.dsp`.
 * @throws {ModelError} when metadata and model disagree.
 */
export async function createClassifier(
  model: tfl.LayersModel,
  metadata: ModelMetadata,
  options: { backend?: BackendChoice; extractor?: LogMelExtractor } = {},
): Promise<Classifier> {
  const backend = await initBackend(options.backend);
  if (metadata.dsp.nMels !== metadata.nMels || metadata.dsp.frames !== metadata.nFrames) {
    throw new ModelError(
      `metadata.dsp gives ${metadata.dsp.nMels}×${metadata.dsp.frames} features; the model wants ${metadata.nMels}×${metadata.nFrames}`,
    );
  }
  const extractor = options.extractor ?? (await createExtractorFor(metadata.dsp));
  const { labels, nFrames, nMels, inputLayout } = metadata;
  const per = nFrames * nMels;
  const sr = metadata.dsp.sampleRate;

  const predictFeatures = (x: Float32Array): Float32Array => {
    if (x.length % per !== 0)
      throw new DataError(`features length ${x.length} is not a multiple of ${nFrames}·${nMels}`);
    return predictProbabilities(model, { x, nFrames, nMels }, inputLayout);
  };

  const predictSamples = async (
    samples: Float32Array,
    sampleRate: number,
    opts: PredictOptions = {},
  ): Promise<Prediction> => {
    checkNumber('sampleRate', sampleRate, 1, 192000, true);
    const topK = checkNumber('topK', opts.topK ?? 3, 1, labels.length, true);
    const windowS = checkNumber('windowS', opts.windowS ?? 1, 0.1, 10);
    const hopS = checkNumber('hopS', opts.hopS ?? 0.5, 0.01, 60);
    const dataset = await import('@timbre/dataset');
    const audio = sampleRate === sr ? samples : await dataset.resampleMono(samples, sampleRate, sr);
    const win = Math.round(windowS * sr);
    const trim = opts.trimOnset ?? 'auto';
    const doTrim = trim === 'auto' ? audio.length < 2 * win : trim;
    const onset = doTrim && audio.length > 0 ? dataset.findOnset(audio, sr) : 0;
    const hop = Math.max(1, Math.round(hopS * sr));
    const avail = audio.length - onset;
    const count = avail <= win ? 1 : Math.floor((avail - win) / hop) + 1;
    const x = new Float32Array(count * per);
    const clip = new Float32Array(win);
    for (let w = 0; w < count; w++) {
      const start = onset + w * hop;
      clip.fill(0);
      clip.set(audio.subarray(start, Math.min(audio.length, start + win)));
      x.set(extractor.compute(clip), w * per);
    }
    const probs = predictFeatures(x);
    const c = labels.length;
    const mean = new Array<number>(c).fill(0);
    const windows: WindowPrediction[] = [];
    for (let w = 0; w < count; w++) {
      const p = Array.from(probs.subarray(w * c, (w + 1) * c));
      for (let k = 0; k < c; k++) mean[k]! += p[k]! / count;
      const startS = (onset + w * hop) / sr;
      windows.push({ startS, endS: startS + windowS, top: topOf(p, labels, topK), probabilities: p });
    }
    return {
      top: topOf(mean, labels, topK),
      probabilities: mean,
      labels,
      windows,
      aggregate: 'mean',
      onsetS: onset / sr,
      durationS: samples.length / sampleRate,
      backend: backend.name,
    };
  };

  return {
    model,
    metadata,
    backend,
    dspImplementation: extractor.implementation,
    predictFeatures,
    predictSamples,
    async predictFile(path, opts) {
      const { decodeAudioFile } = await import('@timbre/dataset');
      const decoded = await decodeAudioFile(path, { sampleRate: sr });
      return predictSamples(decoded.samples, decoded.sampleRate, opts);
    },
    dispose() {
      model.dispose();
      extractor.dispose();
    },
  };
}

/**
 * Loads a saved model directory (model.json, weights.bin, metadata.json) as a {@link Classifier}.
 *
 * @param options.backend Backend choice; default 'auto'.
 * @throws {SaveLoadError} when files are missing or invalid.
 */
export async function loadClassifier(
  dir: string,
  options: { backend?: BackendChoice } = {},
): Promise<Classifier> {
  await initBackend(options.backend);
  const { model, metadata } = await loadModel(dir);
  try {
    return await createClassifier(model, metadata, options);
  } catch (e) {
    model.dispose();
    throw e;
  }
}
