import { DspOptionError } from './errors.js';
import type { MelScale } from './mel-scale.js';

/** Which code computes the spectra: f32x4 SIMD WebAssembly, scalar WebAssembly, or plain TypeScript. */
export type DspImplementation = 'wasm-simd' | 'wasm' | 'js';

/** Every implementation, fastest first. */
export const IMPLEMENTATIONS: readonly DspImplementation[] = ['wasm-simd', 'wasm', 'js'];

/** Framing options shared by the STFT, the mel power and the extractor. */
export interface StftOptions {
  /** FFT size and window length in samples: a power of two in [16, 32768]. Default 1024. */
  nFft?: number;
  /** Hop between frames in samples: an integer ≥ 1. Default 512. */
  hop?: number;
  /**
   * Centre frames like librosa's `center=True`: pad nFft/2 zeros at both ends, frame t centred on sample
   * t·hop, 1 + ⌊n/hop⌋ frames. `false`: frame t covers [t·hop, t·hop + nFft), 1 + ⌊(n − nFft)/hop⌋ frames
   * (a clip shorter than nFft is zero-padded to one frame). Default true.
   */
  center?: boolean;
}

/** Options of the mel filterbank (librosa `filters.mel` semantics). */
export interface MelFilterbankOptions {
  /** Sample rate in Hz: finite, > 0. Default 44100. */
  sampleRate?: number;
  /** FFT size: a power of two in [16, 32768]. Default 1024. */
  nFft?: number;
  /** Number of mel bands: an integer ≥ 1 such that every band covers at least one FFT bin. Default 64. */
  nMels?: number;
  /** Lowest band edge in Hz: ≥ 0 and < fMax. Default 0. */
  fMin?: number;
  /** Highest band edge in Hz: > fMin and ≤ sampleRate/2. Default sampleRate/2. */
  fMax?: number;
  /** Mel scale: `'slaney'` (librosa's default) or `'htk'`. Default 'slaney'. */
  melScale?: MelScale;
  /** Band normalization: `'slaney'` (each triangle has unit area in Hz·2/width; librosa's default) or null. Default 'slaney'. */
  melNorm?: 'slaney' | null;
}

/** Options of {@link melPower}: framing plus filterbank. */
export interface MelPowerOptions extends StftOptions, MelFilterbankOptions {}

/** Options of the log-mel extractor. Every field is optional; defaults follow the paper (Yun & Bi). */
export interface LogMelOptions extends MelPowerOptions {
  /**
   * dB floor below the clip's peak, librosa's `top_db`: finite and > 0, or null for no clipping.
   * Default 80. With `normalize: 'db-range'` and null, the mapping still uses an 80 dB range.
   */
  topDb?: number | null;
  /**
   * `'db-range'` (default): dB re the clip's peak mel power, clipped to [−topDb, 0] and mapped linearly to
   * [0, 1] (0 = floor, 1 = peak). `'none'`: the dB values themselves (librosa `power_to_db(ref=np.max)`).
   */
  normalize?: 'db-range' | 'none';
  /**
   * Frames kept: the first N (an integer ≥ 1); shorter clips are padded with the clip's floor value (what a
   * silent frame maps to: 0 with 'db-range' for any clip whose floor is −topDb). null keeps all. Default 80.
   */
  frames?: number | null;
  /** Force an implementation; it must be in {@link availableImplementations}. Default: the fastest available. */
  implementation?: DspImplementation;
}

/** {@link StftOptions} with defaults applied. */
export interface ResolvedStftOptions {
  readonly nFft: number;
  readonly hop: number;
  readonly center: boolean;
}

/** {@link MelFilterbankOptions} with defaults applied. */
export interface ResolvedMelFilterbankOptions {
  readonly sampleRate: number;
  readonly nFft: number;
  readonly nMels: number;
  readonly fMin: number;
  readonly fMax: number;
  readonly melScale: MelScale;
  readonly melNorm: 'slaney' | null;
}

/** {@link LogMelOptions} with defaults applied (what an extractor actually uses). */
export interface ResolvedLogMelOptions extends ResolvedStftOptions, ResolvedMelFilterbankOptions {
  readonly topDb: number | null;
  readonly normalize: 'db-range' | 'none';
  readonly frames: number | null;
  readonly implementation: DspImplementation;
}

const MIN_NFFT = 16;
const MAX_NFFT = 32768;

function isPowerOfTwo(n: number): boolean {
  return Number.isInteger(n) && n > 0 && (n & (n - 1)) === 0;
}

/** Validates and completes framing options. @throws {DspOptionError} */
export function resolveStftOptions(options: StftOptions = {}): ResolvedStftOptions {
  const nFft = options.nFft ?? 1024;
  if (typeof nFft !== 'number' || !isPowerOfTwo(nFft) || nFft < MIN_NFFT || nFft > MAX_NFFT) {
    throw new DspOptionError('nFft', nFft, `a power of two in [${MIN_NFFT}, ${MAX_NFFT}]`);
  }
  const hop = options.hop ?? 512;
  if (typeof hop !== 'number' || !Number.isInteger(hop) || hop < 1) {
    throw new DspOptionError('hop', hop, 'an integer ≥ 1 (samples)');
  }
  const center = options.center ?? true;
  if (typeof center !== 'boolean') throw new DspOptionError('center', center, 'true or false');
  return { nFft, hop, center };
}

/** Validates and completes filterbank options (empty bands are checked by the filterbank). @throws {DspOptionError} */
export function resolveMelFilterbankOptions(
  options: MelFilterbankOptions = {},
): ResolvedMelFilterbankOptions {
  const sampleRate = options.sampleRate ?? 44100;
  if (typeof sampleRate !== 'number' || !Number.isFinite(sampleRate) || sampleRate <= 0) {
    throw new DspOptionError('sampleRate', sampleRate, 'a finite number > 0 (Hz)');
  }
  const { nFft } = resolveStftOptions({ nFft: options.nFft });
  const nMels = options.nMels ?? 64;
  if (typeof nMels !== 'number' || !Number.isInteger(nMels) || nMels < 1 || nMels > nFft / 2 + 1) {
    throw new DspOptionError('nMels', nMels, `an integer in [1, ${nFft / 2 + 1}] for nFft ${nFft}`);
  }
  const nyquist = sampleRate / 2;
  const fMax = options.fMax ?? nyquist;
  if (typeof fMax !== 'number' || !Number.isFinite(fMax) || fMax <= 0 || fMax > nyquist) {
    throw new DspOptionError('fMax', fMax, `a frequency in (0, ${nyquist}] Hz (sampleRate/2)`);
  }
  const fMin = options.fMin ?? 0;
  if (typeof fMin !== 'number' || !Number.isFinite(fMin) || fMin < 0 || fMin >= fMax) {
    throw new DspOptionError('fMin', fMin, `a frequency in [0, fMax = ${fMax}) Hz`);
  }
  const melScale = options.melScale ?? 'slaney';
  if (melScale !== 'slaney' && melScale !== 'htk') {
    throw new DspOptionError('melScale', melScale, "'slaney' or 'htk'");
  }
  const melNorm = options.melNorm === undefined ? 'slaney' : options.melNorm;
  if (melNorm !== 'slaney' && melNorm !== null) {
    throw new DspOptionError('melNorm', melNorm, "'slaney' or null");
  }
  return { sampleRate, nFft, nMels, fMin, fMax, melScale, melNorm };
}

/**
 * Validates and completes extractor options, except `implementation`, which is resolved against what the
 * runtime supports. @throws {DspOptionError}
 */
export function resolveLogMelOptions(
  options: LogMelOptions,
  implementation: DspImplementation,
): ResolvedLogMelOptions {
  const stft = resolveStftOptions(options);
  const mel = resolveMelFilterbankOptions(options);
  const topDb = options.topDb === undefined ? 80 : options.topDb;
  if (topDb !== null && (typeof topDb !== 'number' || !Number.isFinite(topDb) || topDb <= 0)) {
    throw new DspOptionError('topDb', topDb, 'a finite number > 0 (dB) or null');
  }
  const normalize = options.normalize ?? 'db-range';
  if (normalize !== 'db-range' && normalize !== 'none') {
    throw new DspOptionError('normalize', normalize, "'db-range' or 'none'");
  }
  const frames = options.frames === undefined ? 80 : options.frames;
  if (frames !== null && (typeof frames !== 'number' || !Number.isInteger(frames) || frames < 1)) {
    throw new DspOptionError('frames', frames, 'an integer ≥ 1 or null (all frames)');
  }
  return { ...stft, ...mel, topDb, normalize, frames, implementation };
}
