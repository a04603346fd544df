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
  /**
   * Stages after the first radix-4 pass, in execution order: `[radix, h]` with half-size h (4 .. half/2).
   * One radix-2 stage at h = 4 when log2(half) − 2 is odd, then radix-4 stages (fusing h and 2h).
   */
  readonly stages: readonly (readonly [2 | 4, number])[];
  /**
   * Twiddles of those stages, concatenated in order: radix-2 `[re h][im h]` of exp(−iπj/h); radix-4 with
   * W = exp(−2πi/4h): `[W^2j re][W^2j im][W^j re][W^j im][W^3j re][W^3j im]`, each h long.
   */
  readonly tw: Float64Array;
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
  const stages: [2 | 4, number][] = [];
  let h = 4;
  if ((bitsM - 2) % 2 === 1) {
    stages.push([2, h]);
    h <<= 1;
  }
  for (; h < half; h <<= 2) stages.push([4, h]);
  const tw = new Float64Array(stages.reduce((n, [radix, sh]) => n + (radix === 2 ? 2 : 6) * sh, 0) + 4);
  let at = 0;
  for (const [radix, sh] of stages) {
    const powers = radix === 2 ? [1] : [2, 1, 3];
    const step = radix === 2 ? Math.PI / sh : (2 * Math.PI) / (4 * sh);
    for (const p of powers) {
      for (let j = 0; j < sh; j++) {
        tw[at + j] = Math.cos(step * p * j);
        tw[at + sh + j] = -Math.sin(step * p * j);
      }
      at += 2 * sh;
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
  return { nFft, hop, half, bins, window: hannPeriodic(nFft), bitrev, stages, tw, spRe, spIm, mel: sparse };
}
