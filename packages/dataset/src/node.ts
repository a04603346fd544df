/**
 * `@timbre/dataset/node`: everything of `@timbre/dataset` plus what needs Node — audio decoding of files
 * and buffers, the built-in corpus of 14 orchestral instruments (SoundFonts + real recordings),
 * Philharmonia and folder loaders, honest splits, the manifest and the log-mel feature cache.
 *
 * @packageDocumentation
 */

export { removeStaleTempFiles, TMP_SUFFIX, tempPathFor, writeFileAtomic } from './atomic.js';
export {
  type BuildCorpusOptions,
  buildCorpus,
  type CorpusSummary,
  SUGGESTED_RENDER_VARIATION,
} from './build-corpus.js';
export { resolveCacheDir } from './cache-dir.js';
export { type ClipAudio, loadClipAudio } from './clip-audio.js';
export { encodeFloatWav, readClip, writeClip } from './clip-store.js';
export { openCompressedStream } from './compressed-stream.js';
export {
  clipId,
  drawVariation,
  type PlannedClip,
  type PlanOptions,
  planCorpus,
  type RenderVariation,
} from './corpus-plan.js';
export {
  type DecodedAudio,
  type DecodeOptions,
  decodeAudio,
  decodeAudioFile,
  MAX_INPUT_SECONDS,
  SOURCE_RATE_RANGE,
} from './decode-audio.js';
export {
  computeFeatures,
  type FeatureCacheEntry,
  type FeatureFailure,
  type FeatureOptions,
  type FeatureSet,
  type LoadFeatureSetOptions,
  loadFeatureSet,
} from './feature-cache.js';
export type { DspParams } from './feature-task.js';
export { importFolder } from './folder.js';
export type { ImportOptions, ImportResult, ImportSummary } from './import-files.js';
export * from './index.js';
export { makeDirs } from './make-dirs.js';
export {
  type ClipRecord,
  clipPath,
  isOriginalClip,
  type LoadedManifest,
  type Manifest,
  readManifest,
  type SkippedFile,
  type SplitInfo,
  type SplitName,
  writeManifest,
} from './manifest.js';
export {
  type MeasureOnsetsOptions,
  measureOnsets,
  type OnsetReport,
  type OnsetScore,
} from './measure-onsets.js';
export { decodeNpy, encodeNpy, readNpy, writeNpy } from './npy.js';
export {
  importPhilharmonia,
  type PhilharmoniaName,
  type PhilharmoniaOptions,
  parsePhilharmoniaName,
  philharmoniaNoteToMidi,
} from './philharmonia.js';
export { createLineReporter, type ProgressCallback, type ProgressEvent } from './progress.js';
export { MAX_INPUT_BYTES, openInputFile, readInputFile, walkFiles } from './read-input.js';
export {
  pitchShiftByResampling,
  planRecordingClips,
  RECORDING_CLIP_DEFAULTS,
  type RecordingClipOptions,
  type RecordingPlan,
  type RecordingTarget,
} from './recording-task.js';
export {
  builtinRecordings,
  listRecordingFolder,
  parseNoteName,
  REAL_RECORDING_CLASSES,
  type RecordingPackage,
  type RecordingSource,
  TONEJS_PACKAGES,
} from './recordings.js';
export { type NoteRequest, type NoteTiming, SoundFontRenderer } from './render-soundfont.js';
export { type ResampleQuality, resampleMono } from './resample.js';
export { builtinSoundFonts, type SoundFontSource } from './soundfonts.js';
export { assignSplits, type SplitOptions, type SplitResult, type SplitStrategy } from './split.js';
export { type AudioStream, openWavStream } from './wav-stream.js';
export {
  answerPoolRequests,
  defaultWorkerCount,
  type PoolRequest,
  type PoolResponse,
  WorkerPool,
} from './worker-pool.js';
