/**
 * `@timbre/dsp`: librosa-exact log-mel spectrograms in WebAssembly (f32x4 SIMD and scalar) with a pure
 * TypeScript twin. Start with {@link createLogMelExtractor}.
 *
 * @packageDocumentation
 */

export { DspDisposedError, DspError, DspInputError, DspOptionError } from './errors.js';
export type { LogMelExtractor } from './extractor.js';
export { createLogMelExtractor, wasmMemoryBytes } from './extractor.js';
export { AMIN, SILENCE_PEAK_POWER } from './log-mel.js';
export { melFilterbank } from './mel-filterbank.js';
export { melPower } from './mel-power.js';
export type { MelScale } from './mel-scale.js';
export { hzToMel, melToHz } from './mel-scale.js';
export type {
  DspImplementation,
  LogMelOptions,
  MelFilterbankOptions,
  MelPowerOptions,
  ResolvedLogMelOptions,
  ResolvedMelFilterbankOptions,
  ResolvedStftOptions,
  StftOptions,
} from './options.js';
export { IMPLEMENTATIONS } from './options.js';
export type { PowerToDbOptions } from './power-to-db.js';
export { powerToDb } from './power-to-db.js';
export type { Spectrogram } from './spectrogram.js';
export { stftPower } from './stft-power.js';
export { availableImplementations, detectSimd } from './wasm-modules.js';
