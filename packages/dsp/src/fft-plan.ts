import { melFilterbankResolved, type SparseMel, sparsifyMel } from './mel-filterbank.js';
import type { ResolvedMelFilterbankOptions, ResolvedStftOptions } from './options.js';

/**
 * Everything precomputed for one (nFft, hop, filterbank) configuration, in float64; each engine copies what
 * it needs into its own storage. @internal
 */
export interface SpectralPlan {
  readonly nFft: number;
  readonly hop: number;
  /** nFft / 2: size of the complex FFT. */
  readonly half: number;
  /** nFft / 2 + 1 power bins. */
  readonly bins: number;
  /** Periodic Hann window (scipy `hann(nFft, sym=False)`), w[0] = 0. */
  readonly window: Float64Array;
  /** Bit reversal of 0..half-1. */
  readonly bitrev: Int32Array;
  /** Stage twiddles exp(−iπj/h) for h = 4, 8, .., half/2, stage h at offset h − 4 (length half − 4). */
  readonly twRe: Float64Array;
  readonly twIm: Float64Array;
  /** Split twiddles exp(−2πik/nFft), k = 0..half/2 (+3 zero padding). */
  readonly spRe: Float64Array;
  readonly spIm: Float64Array;
  /** Sparse mel filterbank, or null for an STFT-only plan. */
  readonly mel: SparseMel | null;
}

/** Periodic Hann window of length n (w[k] = 0.5 − 0.5·cos(2πk/n)). */
export function hannPeriodic(n: number): Float64Array {
  const w = new Float64Array(n);
  for (let k = 0; k < n; k++) w[k] = 0.5 - 0.5 * Math.cos((2 * Math.PI * k) / n);
  return w;
}

/** Builds the plan; `mel` options null for an STFT-only plan. @internal */
export function createSpectralPlan(
  stft: ResolvedStftOptions,
  mel: ResolvedMelFilterbankOptions | null,
): SpectralPlan {
  const { nFft, hop } = stft;
  const half = nFft / 2;
  const bins = half + 1;
  const bitsM = Math.log2(half);
  const bitrev = new Int32Array(half);
  for (let i = 0; i < half; i++) {
    let r = 0;
    for (let b = 0; b < bitsM; b++) r |= ((i >> b) & 1) << (bitsM - 1 - b);
    bitrev[i] = r;
  }
  const twRe = new Float64Array(Math.max(half - 4, 0) + 4);
  const twIm = new Float64Array(twRe.length);
  for (let h = 4; h < half; h <<= 1) {
    for (let j = 0; j < h; j++) {
      twRe[h - 4 + j] = Math.cos((Math.PI * j) / h);
      twIm[h - 4 + j] = -Math.sin((Math.PI * j) / h);
    }
  }
  const q = half / 2;
  const spRe = new Float64Array(q + 1 + 3);
  const spIm = new Float64Array(q + 1 + 3);
  for (let k = 0; k <= q; k++) {
    spRe[k] = Math.cos((2 * Math.PI * k) / nFft);
    spIm[k] = -Math.sin((2 * Math.PI * k) / nFft);
  }
  const sparse = mel ? sparsifyMel(melFilterbankResolved(mel), mel.nMels, bins) : null;
  return { nFft, hop, half, bins, window: hannPeriodic(nFft), bitrev, twRe, twIm, spRe, spIm, mel: sparse };
}
