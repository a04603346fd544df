import { DspOptionError } from './errors.js';
import { hzToMel, linspace, melToHz } from './mel-scale.js';
import {
  type MelFilterbankOptions,
  type ResolvedMelFilterbankOptions,
  resolveMelFilterbankOptions,
} from './options.js';

/**
 * The mel filterbank exactly as librosa 0.11 `filters.mel(sr, n_fft, n_mels, fmin, fmax, htk, norm,
 * dtype=float32)`: computed in float64, rounded once to float32.
 *
 * @param options - Sample rate, FFT size, band count, band edges, scale and normalization (all optional).
 * @returns Row-major `[nMels][nFft/2 + 1]` weights (band-major, librosa's orientation).
 * @throws {DspOptionError} On any invalid option, or `nMels` when a band would cover no FFT bin
 *   (too many bands for this `nFft`).
 */
export function melFilterbank(options: MelFilterbankOptions = {}): Float32Array {
  return melFilterbankResolved(resolveMelFilterbankOptions(options));
}

/** {@link melFilterbank} for options already resolved. @internal */
export function melFilterbankResolved(o: ResolvedMelFilterbankOptions): Float32Array {
  const bins = o.nFft / 2 + 1;
  const fftFreqs = new Float64Array(bins);
  const binHz = 1 / (o.nFft * (1 / o.sampleRate)); // numpy.fft.rfftfreq(n, d=1/sr)
  for (let k = 0; k < bins; k++) fftFreqs[k] = k * binHz;
  const mels = linspace(hzToMel(o.fMin, o.melScale), hzToMel(o.fMax, o.melScale), o.nMels + 2);
  const melF = new Float64Array(o.nMels + 2);
  for (let i = 0; i < melF.length; i++) melF[i] = melToHz(mels[i]!, o.melScale);
  const weights = new Float32Array(o.nMels * bins);
  for (let i = 0; i < o.nMels; i++) {
    const f0 = melF[i]!;
    const f1 = melF[i + 1]!;
    const f2 = melF[i + 2]!;
    const lowerDiff = f1 - f0;
    const upperDiff = f2 - f1;
    const enorm = o.melNorm === 'slaney' ? 2 / (f2 - f0) : 1;
    let any = false;
    for (let k = 0; k < bins; k++) {
      const f = fftFreqs[k]!;
      const lower = -(f0 - f) / lowerDiff;
      const upper = (f2 - f) / upperDiff;
      const w = Math.max(0, Math.min(lower, upper));
      // Rounding residue at a band edge (e.g. 22050.000000000004 Hz vs librosa's 22049.999999999993 at the
      // Nyquist bin gives 3e-15) is flushed to 0, as librosa's own rounding does there.
      if (w > 1e-12) {
        // librosa stores the triangle in float32, then scales it in place (float32 again).
        weights[i * bins + k] = Math.fround(Math.fround(w) * enorm);
        any = true;
      }
    }
    if (!any) {
      throw new DspOptionError(
        'nMels',
        o.nMels,
        `fewer bands: band ${i} (${f0.toFixed(1)}–${f2.toFixed(1)} Hz) covers no FFT bin at nFft ${o.nFft}, ` +
          `sampleRate ${o.sampleRate}; lower nMels, raise nFft or widen fMin–fMax`,
      );
    }
  }
  return weights;
}

/** A filterbank stored sparsely: per band, a run of weights starting at one FFT bin. @internal */
export interface SparseMel {
  readonly nMels: number;
  readonly bins: number;
  /** First FFT bin of each band. */
  readonly start: Int32Array;
  /** Number of weights of each band, rounded up to a multiple of 4 (extra weights are 0). */
  readonly count: Int32Array;
  /** Number of weights of each band up to its last nonzero one (≤ count). */
  readonly length: Int32Array;
  /** Offset of each band's first weight in `weights` (a multiple of 4). */
  readonly offset: Int32Array;
  readonly weights: Float32Array;
  /** Nonzero weights in the dense filterbank. */
  readonly nonzero: number;
}

/** Converts a dense `[nMels][bins]` filterbank to {@link SparseMel}. @internal */
export function sparsifyMel(dense: Float32Array, nMels: number, bins: number): SparseMel {
  const start = new Int32Array(nMels);
  const count = new Int32Array(nMels);
  const length = new Int32Array(nMels);
  const offset = new Int32Array(nMels);
  let total = 0;
  let nonzero = 0;
  for (let b = 0; b < nMels; b++) {
    let first = -1;
    let last = -1;
    for (let k = 0; k < bins; k++) {
      if (dense[b * bins + k] !== 0) {
        if (first < 0) first = k;
        last = k;
        nonzero++;
      }
    }
    start[b] = first;
    length[b] = last - first + 1;
    count[b] = (last - first + 1 + 3) & ~3;
    offset[b] = total;
    total += count[b]!;
  }
  const weights = new Float32Array(total);
  for (let b = 0; b < nMels; b++) {
    const run = Math.min(count[b]!, bins - start[b]!);
    for (let i = 0; i < run; i++) weights[offset[b]! + i] = dense[b * bins + start[b]! + i]!;
  }
  return { nMels, bins, start, count, length, offset, weights, nonzero };
}
