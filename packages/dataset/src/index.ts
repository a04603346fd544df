/**
 * `@timbre/dataset`: the platform-neutral part (Node and browsers): onset detection and trimming,
 * downmixing, the project's seeded generator, the instrument table, the built-in sources' provenance,
 * audio format detection, and the error classes. The corpus, decoders, caches and file loaders are in
 * `@timbre/dataset/node`.
 *
 * @packageDocumentation
 */

export { type AudioFormat, detectAudioFormat } from './detect-format.js';
export { downmix } from './downmix.js';
export {
  CorpusError,
  DatasetError,
  DecodeError,
  FolderError,
  ManifestError,
  NpyError,
  OptionError,
  SplitError,
} from './errors.js';
export { getInstrument, INSTRUMENT_NAMES, INSTRUMENTS, type InstrumentInfo } from './instruments.js';
export { createRng, deriveSeed, keyedSeed, type Rng, shuffled } from './prng.js';
export { BUILTIN_SOURCES, type SourceInfo } from './sources.js';
export {
  findOnset,
  type OnsetOptions,
  type PowerScale,
  type TrimmedClip,
  type TrimOptions,
  trimClip,
} from './trim.js';
