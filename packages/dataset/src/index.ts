export {
  type DecodedAudio,
  type DecodeOptions,
  decodeAudio,
  decodeAudioFile,
  downmix,
} from './decode-audio.js';
export { type AudioFormat, detectAudioFormat } from './detect-format.js';
export {
  CorpusError,
  DatasetError,
  DecodeError,
  ManifestError,
  NpyError,
  OptionError,
  SplitError,
} from './errors.js';
export { getInstrument, INSTRUMENT_NAMES, INSTRUMENTS, type InstrumentInfo } from './instruments.js';
export { createRng, deriveSeed, type Rng, shuffled } from './prng.js';
export { type ResampleQuality, resampleMono } from './resample.js';
export {
  findOnset,
  type OnsetOptions,
  type PowerScale,
  type TrimmedClip,
  type TrimOptions,
  trimClip,
} from './trim.js';
