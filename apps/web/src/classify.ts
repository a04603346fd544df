import { type LabelProbability, meanRows, topK } from './aggregate.js';
import { type InputLayout, type ModelInput, toModelInput } from './layout.js';
import { planWindows, sliceWindow, type WindowOptions } from './windows.js';

/** Computes frame-major [nFrames][nMels] features of one window (a `@timbre/dsp` extractor). */
export interface FeatureExtractor {
  compute(samples: Float32Array): Float32Array;
}

/** Runs the model on a batch; resolves to row-major [b][classes] probabilities. */
export type Predictor = (input: ModelInput) => Promise<Float32Array>;

/** What the pipeline needs to know about the model. */
export interface ModelShape {
  labels: readonly string[];
  nMels: number;
  nFrames: number;
  inputLayout: InputLayout;
}

/** The prediction for one window. */
export interface WindowResult {
  /** Seconds from the start of the audio. */
  startS: number;
  /** Seconds (may pass the end of the audio when the window was zero-padded). */
  endS: number;
  top: LabelProbability[];
}

/** The prediction for a whole recording. */
export interface ClassifyResult {
  /** Top classes of the mean of the window probabilities. */
  top: LabelProbability[];
  /** Mean probabilities, label order. */
  probabilities: number[];
  windows: WindowResult[];
  /** Where the first window starts, seconds. */
  onsetS: number;
  durationS: number;
  /** Milliseconds spent computing log-mel features and running the model. */
  timings: { featuresMs: number; inferenceMs: number };
}

/** Options of {@link classify}. */
export interface ClassifyOptions extends WindowOptions {
  /** Classes reported for the whole file and per window; default 3. */
  topK?: number;
  /** Called with the fraction of windows whose features are done, in [0, 1]. */
  onProgress?: (fraction: number) => void;
  /** Windows featurized between yields to the event loop (keeps the page responsive); default 16. */
  yieldEvery?: number;
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/**
 * Classifies mono audio like the CLI's `predictSamples`: 1-s windows every 0.5 s (from the onset for a
 * single note), log-mel features per window, model probabilities, mean over windows.
 *
 * @param samples Mono audio at the extractor's sample rate.
 */
export async function classify(
  samples: Float32Array,
  sampleRate: number,
  model: ModelShape,
  extractor: FeatureExtractor,
  predict: Predictor,
  options: ClassifyOptions = {},
): Promise<ClassifyResult> {
  const k = options.topK ?? 3;
  const every = Math.max(1, options.yieldEvery ?? 16);
  const plan = planWindows(samples, sampleRate, options);
  const per = model.nFrames * model.nMels;
  const x = new Float32Array(plan.starts.length * per);
  const clip = new Float32Array(plan.length);
  const t0 = performance.now();
  for (let w = 0; w < plan.starts.length; w++) {
    const features = extractor.compute(sliceWindow(samples, plan.starts[w]!, plan.length, clip));
    if (features.length !== per) {
      throw new RangeError(`the extractor gave ${features.length} values per window; the model wants ${per}`);
    }
    x.set(features, w * per);
    if ((w + 1) % every === 0) {
      options.onProgress?.((w + 1) / plan.starts.length);
      await yieldToEventLoop();
    }
  }
  options.onProgress?.(1);
  const t1 = performance.now();
  const probs = await predict(toModelInput(x, model.nFrames, model.nMels, model.inputLayout));
  const t2 = performance.now();
  const c = model.labels.length;
  if (probs.length !== plan.starts.length * c) {
    throw new RangeError(`the model gave ${probs.length} probabilities for ${plan.starts.length}×${c}`);
  }
  const mean = meanRows(probs, c);
  const windowS = plan.length / sampleRate;
  const windows = plan.starts.map((start, w) => ({
    startS: start / sampleRate,
    endS: start / sampleRate + windowS,
    top: topK(probs.subarray(w * c, (w + 1) * c), model.labels, k),
  }));
  return {
    top: topK(mean, model.labels, k),
    probabilities: mean,
    windows,
    onsetS: plan.onset / sampleRate,
    durationS: samples.length / sampleRate,
    timings: { featuresMs: t1 - t0, inferenceMs: t2 - t1 },
  };
}
