/**
 * `@timbre/models`: the LeNet and LSTM instrument classifiers of Yun & Bi ("Deep learning for musical
 * instrument recognition") on TensorFlow.js — presets, seeded training with exact resume, evaluation,
 * save/load in the standard tfjs layers format, inference on audio, benchmarks — on a
 * tfjs-node → wasm → cpu backend ladder. Start with {@link initBackend} and {@link train}.
 *
 * @packageDocumentation
 */

export type { AugmentedBatch, AugmentOptions, ResolvedAugmentOptions } from './augment.js';
export {
  AUGMENT_DEFAULTS,
  augmentBatch,
  augmentSeed,
  RECOMMENDED_AUGMENT,
  resolveAugmentOptions,
} from './augment.js';
export type {
  ResolvedWaveAugmentOptions,
  WaveAugmentOptions,
} from './augment-audio.js';
export {
  augmentWaveform,
  resolveWaveAugmentOptions,
  WAVE_AUGMENT_DEFAULTS,
  waveAugmentSeed,
} from './augment-audio.js';
export type { BackendAttempt, BackendChoice, BackendInfo, BackendName, KernelInstaller } from './backend.js';
export { BACKEND_NAMES, currentBackend, initBackend, registerKernelInstaller } from './backend.js';
export { ChannelBatchNorm } from './batch-norm.js';
export type { BenchmarkInferenceOptions, InferenceBenchmark } from './benchmark-inference.js';
export { benchmarkInference } from './benchmark-inference.js';
export type { BenchmarkTrainingOptions, TrainingBenchmark } from './benchmark-training.js';
export { benchmarkTraining } from './benchmark-training.js';
export type { Checkpoint, StoredTensor } from './checkpoint.js';
export { readCheckpoint, writeCheckpoint } from './checkpoint.js';
export { createModel } from './create-model.js';
export type { ConvLayerArgs, TrainingEngine } from './engine.js';
export { createAdam, engineConv2d, engineLstmFactory, setTrainingEngine, trainingEngine } from './engine.js';
export { BackendError, CheckpointError, DataError, ModelError, SaveLoadError } from './errors.js';
export type { ClassMetrics, Evaluation } from './evaluate.js';
export {
  crossEntropy,
  evaluate,
  layoutOfModel,
  metricsFromProbabilities,
  predictProbabilities,
} from './evaluate.js';
export type { FeatureData } from './features.js';
export { alignLabels, toInputTensor, validateFeatures } from './features.js';
export type { LstmLayerArgs, LstmLayerFactory } from './lstm.js';
export { defaultLstmFactory, setLstmLayerFactory } from './lstm.js';
export type {
  HiddenActivation,
  KernelInitializerName,
  ModelOptions,
  RecurrentInitializerName,
  ResolvedModelOptions,
} from './model-options.js';
export { MODEL_DEFAULTS, resolveModelOptions } from './model-options.js';
export type { ReplicaInfo } from './parallel.js';
export { MAX_WORKERS } from './parallel.js';
export type {
  Classifier,
  LabelProbability,
  Prediction,
  PredictOptions,
  WindowPrediction,
} from './predict.js';
export { createClassifier, createExtractorFor, loadClassifier } from './predict.js';
export type { CnnSpec, InputLayout, LeNetSpec, LstmSpec, PresetName, PresetSpec } from './presets.js';
export {
  getPreset,
  inputLayoutOf,
  isPresetName,
  PAPER_PRESET_NAMES,
  PRESET_NAMES,
  PRESETS,
} from './presets.js';
export {
  PAPER_RECIPE,
  RECIPES,
  ROBUST_RECIPE,
  ROBUST_WAVE_AUGMENT,
  ROBUST_WAVE_RECIPE,
  type TrainingRecipe,
} from './recipes.js';
export type {
  DataSourceInfo,
  DspParameters,
  ModelMetadata,
  ModelMetadataInput,
  SavedModelFiles,
} from './save-load.js';
export {
  defaultDspParameters,
  loadModel,
  MODEL_FILES,
  readSavedModelFiles,
  saveModel,
  saveTrainResult,
} from './save-load.js';
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
