import * as tf from '@tensorflow/tfjs';
import { createLogMelExtractor, type LogMelExtractor } from '@timbre/dsp';
import { type BackendChoice, type BackendInfo, initBackend } from './backend.js';
import { type ClassifyOptions, type ClassifyResult, classify, type Predictor } from './classify.js';
import { type ModelMetadata, parseMetadata } from './metadata.js';

/** The loaded model, its backend and the feature extractor, ready to classify audio. */
export interface Engine {
  readonly metadata: ModelMetadata;
  readonly backend: BackendInfo;
  /** `@timbre/dsp` implementation computing the features: 'wasm-simd', 'wasm' or 'js'. */
  readonly dspImplementation: string;
  /** Milliseconds spent loading the model and starting the backend and extractor. */
  readonly loadMs: number;
  /** Classifies mono audio at `metadata.dsp.sampleRate`. */
  classify(samples: Float32Array, options?: ClassifyOptions): Promise<ClassifyResult>;
}

/** Windows per model call (bounds memory for long files). */
export const BATCH = 16;

/**
 * Wraps a layers model as a {@link Predictor}: batches of up to {@link BATCH} windows, tensors disposed.
 *
 * @param classes Outputs of the model.
 * @param fixedBatch Zero-pad every batch to exactly {@link BATCH} windows. For WebGL, which compiles its
 *   shaders per tensor shape: one shape, compiled while loading, keeps inference fast. Wasted work on the CPU.
 */
export function predictorFor(model: tf.LayersModel, classes: number, fixedBatch = false): Predictor {
  return async ({ data, shape }) => {
    const n = shape[0]!;
    const per = n === 0 ? 0 : data.length / n;
    const out = new Float32Array(n * classes);
    for (let start = 0; start < n; start += BATCH) {
      const b = Math.min(BATCH, n - start);
      const rows = fixedBatch ? BATCH : b;
      const batch = new Float32Array(rows * per);
      batch.set(data.subarray(start * per, (start + b) * per));
      const probs = tf.tidy(() => model.predict(tf.tensor(batch, [rows, ...shape.slice(1)])) as tf.Tensor);
      try {
        out.set((await probs.data()).subarray(0, b * classes), start * classes);
      } finally {
        probs.dispose();
      }
    }
    return out;
  };
}

async function fetchJson(url: string): Promise<unknown> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
  return res.json();
}

/**
 * Loads `model.json` (+ `weights.bin`) and `metadata.json` from `baseUrl`, starts a TensorFlow.js backend
 * and a `@timbre/dsp` extractor with the model's DSP parameters.
 *
 * @param baseUrl Folder URL ending in '/'.
 */
export async function loadEngine(baseUrl: string, backends?: readonly BackendChoice[]): Promise<Engine> {
  const t0 = performance.now();
  const backend = await initBackend(backends);
  const [metadata, model] = await Promise.all([
    fetchJson(`${baseUrl}metadata.json`).then(parseMetadata),
    tf.loadLayersModel(`${baseUrl}model.json`),
  ]);
  const classes = model.outputs[0]?.shape.at(-1);
  if (classes !== metadata.labels.length) {
    model.dispose();
    throw new Error(
      `the model has ${classes} outputs but metadata.json lists ${metadata.labels.length} labels`,
    );
  }
  let extractor: LogMelExtractor;
  try {
    extractor = await createLogMelExtractor(metadata.dsp);
  } catch (e) {
    model.dispose();
    throw e;
  }
  const fixedBatch = backend.name === 'webgl';
  const predict = predictorFor(model, classes, fixedBatch);
  // Run the model once now (compiling WebGL shaders at the one batch shape used) so that timings measure
  // inference only.
  const warm = tf.tidy(
    () =>
      model.predict(
        tf.zeros([fixedBatch ? BATCH : 1, ...(model.inputs[0]!.shape.slice(1) as number[])]),
      ) as tf.Tensor,
  );
  await warm.data();
  warm.dispose();
  return {
    metadata,
    backend,
    dspImplementation: extractor.implementation,
    loadMs: performance.now() - t0,
    classify: (samples, options) =>
      classify(samples, metadata.dsp.sampleRate, metadata, extractor, predict, options),
  };
}
