/**
 * `@timbre/models`: the LeNet and LSTM instrument classifiers of Yun & Bi ("Deep learning for musical
 * instrument recognition") on TensorFlow.js — the platform-neutral part (Node and browsers): presets,
 * model building, recipes and augmentation, evaluation, model metadata and files, and inference on audio
 * (windows, features, silence gating, aggregation) from a model in memory, in files or at a URL.
 * Training, the backend ladder, saving/loading directories and benchmarks are in `@timbre/models/node`.
 *
 * @packageDocumentation
 */

export type { AugmentOptions, ResolvedAugmentOptions } from './augment.js';
export { AUGMENT_DEFAULTS, RECOMMENDED_AUGMENT, resolveAugmentOptions } from './augment.js';
export type { ResolvedWaveAugmentOptions, WaveAugmentOptions } from './augment-audio.js';
export { augmentWaveform, resolveWaveAugmentOptions, WAVE_AUGMENT_DEFAULTS } from './augment-audio.js';
export type { BuildOptions } from './create-model.js';
export { createModel } from './create-model.js';
export type { ConvLayerArgs, TrainingEngine } from './engine.js';
export { applyEngine, resolveEngine, TRAINING_ENGINES } from './engine.js';
export { BackendError, CheckpointError, DataError, ModelError, SaveLoadError } from './errors.js';
export type { ClassMetrics, Evaluation } from './evaluate.js';
export { evaluate, metricsFromProbabilities, predictProbabilities } from './evaluate.js';
export type { FeatureData } from './features.js';
export { alignLabels, validateFeatures } from './features.js';
export type {
  Classifier,
  ClassifierOptions,
  LabelProbability,
  Prediction,
  PredictOptions,
  Resampler,
  SampleSource,
  WindowOptions,
  WindowPlan,
  WindowPrediction,
} from './inference.js';
export {
  createClassifier,
  createExtractorFor,
  LOW_CONFIDENCE,
  loadClassifierFromUrl,
  NOISE_FLATNESS,
  ONSET_AGGREGATE_MAX_S,
  planWindows,
  QUIET_WINDOW_DB,
  SILENCE_DBFS,
  spectralFlatness,
} from './inference.js';
export type { LstmLayerArgs, LstmLayerFactory } from './lstm.js';
export { defaultLstmFactory } from './lstm.js';
export type { SavedModelFiles } from './model-artifacts.js';
export { fetchModelFiles, modelFromFiles } from './model-artifacts.js';
export type { DataSourceInfo, DspParameters, ModelMetadata, ModelMetadataInput } from './model-metadata.js';
export { defaultDspParameters, MODEL_FILES, parseModelMetadata } from './model-metadata.js';
export type {
  HiddenActivation,
  KernelInitializerName,
  ModelOptions,
  RecurrentInitializerName,
  ResolvedModelOptions,
} from './model-options.js';
export { MODEL_DEFAULTS, resolveModelOptions } from './model-options.js';
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
  RECOMMENDED_RECIPE,
  ROBUST_RECIPE,
  ROBUST_SWAD_RECIPE,
  ROBUST_SWAD_WAVE_RECIPE,
  ROBUST_WAVE_AUGMENT,
  ROBUST_WAVE_RECIPE,
  type TrainingRecipe,
} from './recipes.js';
