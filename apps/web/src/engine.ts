import * as tf from '@tensorflow/tfjs';
import {
  type Classifier,
  loadClassifierFromUrl,
  type ModelMetadata,
  type Prediction,
  type PredictOptions,
} from '@timbre/models';
import { type BackendChoice, type BackendInfo, initBackend } from './backend.js';

/** The loaded classifier, its backend and what the page shows about the model. */
export interface Engine {
  readonly metadata: ModelMetadata;
  readonly backend: BackendInfo;
  /** `@timbre/dsp` implementation computing the features: 'wasm-simd', 'wasm' or 'js'. */
  readonly dspImplementation: string;
  /** Milliseconds spent loading the model and starting the backend and extractor. */
  readonly loadMs: number;
  /** Classifies mono audio at `metadata.dsp.sampleRate` (the packages' `predictSamples`). */
  classify(samples: Float32Array, options?: PredictOptions): Promise<Prediction>;
}

/** Windows per model call: bounds memory for long files; WebGL gets exactly this batch shape every call. */
export const BATCH = 16;

/**
 * Starts a TensorFlow.js backend and loads the model at `baseUrl` with `@timbre/models`'
 * `loadClassifierFromUrl` (checked against its metadata; the same inference as the CLI). On WebGL every
 * model call is zero-padded to {@link BATCH} windows (shaders compile per shape) and the model is run once
 * now, so that timings measure inference only.
 *
 * @param baseUrl Folder URL ending in '/'.
 */
export async function loadEngine(baseUrl: string, backends?: readonly BackendChoice[]): Promise<Engine> {
  const t0 = performance.now();
  const backend = await initBackend(backends);
  const fixedBatch = backend.name === 'webgl';
  const classifier: Classifier = await loadClassifierFromUrl(baseUrl, {
    batchSize: BATCH,
    fixedBatch,
    backend: backend.name,
  });
  const warm = tf.tidy(
    () =>
      classifier.model.predict(
        tf.zeros([fixedBatch ? BATCH : 1, ...(classifier.model.inputs[0]!.shape.slice(1) as number[])]),
      ) as tf.Tensor,
  );
  await warm.data();
  warm.dispose();
  return {
    metadata: classifier.metadata,
    backend,
    dspImplementation: classifier.dspImplementation,
    loadMs: performance.now() - t0,
    classify: (samples, options) =>
      classifier.predictSamples(samples, classifier.metadata.dsp.sampleRate, { yieldEvery: 16, ...options }),
  };
}
