/**
 * `@timbre/models/node`: everything of `@timbre/models` plus what needs Node — the tfjs-node → wasm → cpu
 * backend ladder, seeded training with exact resume (checkpoints, history files, data-parallel workers),
 * saving and loading model directories, classifiers that read audio files, and the benchmarks. Start with
 * {@link initBackend} and {@link train}.
 *
 * @packageDocumentation
 */

export type { BackendAttempt, BackendChoice, BackendInfo, BackendName } from './backend.js';
export {
  BACKEND_NAMES,
  currentBackend,
  initBackend,
  startRuntime,
} from './backend.js';
export type { BenchmarkInferenceOptions, InferenceBenchmark } from './benchmark-inference.js';
export { benchmarkInference } from './benchmark-inference.js';
export type { BenchmarkTrainingOptions, TrainingBenchmark } from './benchmark-training.js';
export { benchmarkTraining } from './benchmark-training.js';
export * from './index.js';
export type { ReplicaInfo } from './parallel.js';
export type { FileClassifier, InputLimits } from './predict.js';
export { createFileClassifier, loadClassifier, STREAM_MIN_S } from './predict.js';
export { loadModel, readSavedModelFiles, saveModel, saveTrainResult } from './save-load.js';
export type {
  BatchProgress,
  EpochContext,
  EpochRecord,
  TrainingConfig,
  TrainOptions,
  TrainResult,
} from './train.js';
export { TRAINING_DEFAULTS, TRAINING_FILES, train } from './train.js';
export type { TrainingAudio } from './wave-batch.js';
export { defaultAugmentThreads, MAX_AUGMENT_THREADS } from './wave-batch-pool.js';
