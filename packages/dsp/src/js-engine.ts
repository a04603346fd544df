import type { SpectralEngine } from './engine.js';
import type { SpectralPlan } from './fft-plan.js';
import { paddedLength, writePadded } from './frames.js';
import type { ResolvedStftOptions } from './options.js';

/**
 * The pure-TypeScript implementation: the same algorithm as the WASM kernel (real FFT through a half-size
 * complex radix-2 FFT and a split step, sparse mel), float64 arithmetic, float32 results. @internal
 */
export class JsEngine implements SpectralEngine {
  readonly implementation = 'js' as const;
  private readonly plan: SpectralPlan;
  private readonly stft: ResolvedStftOptions;
  private readonly re: Float64Array;
  private readonly im: Float64Array;
  private readonly pow: Float64Array;
  private signal = new Float32Array(0);
  private out = new Float32Array(0);

  constructor(plan: SpectralPlan, stft: ResolvedStftOptions) {
    this.plan = plan;
    this.stft = stft;
    this.re = new Float64Array(plan.half);
    this.im = new Float64Array(plan.half);
    this.pow = new Float64Array(plan.bins + 4);
  }

  memoryBytes(): number {
    return this.signal.byteLength + this.out.byteLength + (this.re.byteLength + this.pow.byteLength) * 2;
  }

  peak(count: number): number {
    const out = this.out;
    let m = 0;
    let sum = 0;
    for (let i = 0; i < count; i++) {
      const v = out[i]!;
      sum += v;
      if (v > m) m = v;
    }
    return Number.isFinite(sum) ? m : sum;
  }

  mapLog(count: number, amin: number, scale: number, offset: number, floor: number): void {
    const out = this.out;
    for (let i = 0; i < count; i++) {
      const v = out[i]!;
      const y = scale * Math.log(v > amin ? v : amin) + offset;
      out[i] = y > floor ? y : floor;
    }
  }

  dispose(): void {
    this.signal = new Float32Array(0);
    this.out = new Float32Array(0);
  }

  private load(samples: Float32Array, frames: number, width: number): Float32Array {
    const length = paddedLength(frames, this.stft);
    if (this.signal.length < length) this.signal = new Float32Array(length);
    writePadded(samples, this.signal, 0, length, this.stft);
    if (this.out.length < frames * width) this.out = new Float32Array(frames * width);
    return this.out.subarray(0, frames * width);
  }

  melPower(samples: Float32Array, frames: number): Float32Array {
    const mel = this.plan.mel;
    if (!mel) throw new Error('internal: plan has no filterbank');
    const out = this.load(samples, frames, mel.nMels);
    const { start, length, offset, weights, nMels } = mel;
    const pow = this.pow;
    const hop = this.plan.hop;
    for (let t = 0; t < frames; t++) {
      this.power(t * hop);
      const o = t * nMels;
      for (let b = 0; b < nMels; b++) {
        const s = start[b]!;
        const w0 = offset[b]!;
        const n = length[b]!;
        let acc = 0;
        for (let i = 0; i < n; i++) acc += pow[s + i]! * weights[w0 + i]!;
        out[o + b] = acc;
      }
    }
    return out;
  }

  stftPower(samples: Float32Array, frames: number): Float32Array {
    const bins = this.plan.bins;
    const out = this.load(samples, frames, bins);
    for (let t = 0; t < frames; t++) {
      this.power(t * this.plan.hop);
      const o = t * bins;
      for (let k = 0; k < bins; k++) out[o + k] = this.pow[k]!;
    }
    return out;
  }

  /** Power spectrum of the frame starting at `from` in the padded signal, into `this.pow[0..bins)`. */
  private power(from: number): void {
    const { half, window, bitrev, stages, tw: t, spRe, spIm } = this.plan;
    const x = this.signal;
    const re = this.re;
    const im = this.im;
    // Window multiply, packing z[n] = x[2n] + i·x[2n+1] in bit-reversed order and the first two stages (one
    // radix-4 pass, twiddles 1 and −i), fused: group b holds z[n0], z[n0 + M/2], z[n0 + M/4], z[n0 + 3M/4].
    const q1 = half >> 1; // M/4 complex inputs = M/2 real samples
    for (let b = 0; b < half; b += 4) {
      const n0 = 2 * bitrev[b]!;
      const n2 = n0 + q1;
      const n1 = n2 + q1;
      const n3 = n1 + q1;
      const a0r = x[from + n0]! * window[n0]!;
      const a0i = x[from + n0 + 1]! * window[n0 + 1]!;
      const a1r = x[from + n1]! * window[n1]!;
      const a1i = x[from + n1 + 1]! * window[n1 + 1]!;
      const a2r = x[from + n2]! * window[n2]!;
      const a2i = x[from + n2 + 1]! * window[n2 + 1]!;
      const a3r = x[from + n3]! * window[n3]!;
      const a3i = x[from + n3 + 1]! * window[n3 + 1]!;
      const s0r = a0r + a1r;
      const s0i = a0i + a1i;
      const s1r = a0r - a1r;
      const s1i = a0i - a1i;
      const s2r = a2r + a3r;
      const s2i = a2i + a3i;
      const s3r = a2r - a3r;
      const s3i = a2i - a3i;
      re[b] = s0r + s2r;
      im[b] = s0i + s2i;
      re[b + 2] = s0r - s2r;
      im[b + 2] = s0i - s2i;
      re[b + 1] = s1r + s3i;
      im[b + 1] = s1i - s3r;
      re[b + 3] = s1r - s3i;
      im[b + 3] = s1i + s3r;
    }
    // Remaining stages (see SpectralPlan.stages): radix-2 at h = 4 if their count is odd, then radix-4.
    let tw = 0;
    for (let s = 0; s < stages.length; s++) {
      const [radix, h] = stages[s]!;
      if (radix === 2) {
        radix2(re, im, t, tw, h, half);
        tw += 2 * h;
      } else {
        radix4(re, im, t, tw, h, half);
        tw += 6 * h;
      }
    }
    // Split step: E = (Z[k] + conj Z[M−k])/2, O = (Z[k] − conj Z[M−k])/2i, P = W^k·O; X[k] = E + P, |X[M−k]| = |E − P|.
    const pow = this.pow;
    const q = half >> 1;
    for (let k = 0; k <= q; k++) {
      const mk = k === 0 ? 0 : half - k;
      const zr = re[k]!;
      const zi = im[k]!;
      const cr = re[mk]!;
      const ci = im[mk]!;
      const er = (zr + cr) * 0.5;
      const ei = (zi - ci) * 0.5;
      const or = (zi + ci) * 0.5;
      const oi = (cr - zr) * 0.5;
      const wr = spRe[k]!;
      const wi = spIm[k]!;
      const pr = or * wr - oi * wi;
      const pi = or * wi + oi * wr;
      const ar = er + pr;
      const ai = ei + pi;
      const br = er - pr;
      const bi = ei - pi;
      pow[k] = ar * ar + ai * ai;
      pow[half - k] = br * br + bi * bi;
    }
  }
}

/** One radix-2 DIT stage of half-size h over re/im (twiddles at t[tw..]). */
function radix2(
  re: Float64Array,
  im: Float64Array,
  t: Float64Array,
  tw: number,
  h: number,
  half: number,
): void {
  for (let base = 0; base < half; base += h << 1) {
    for (let j = 0; j < h; j++) {
      const wr = t[tw + j]!;
      const wi = t[tw + h + j]!;
      const a = base + j;
      const b = a + h;
      const yr = re[b]!;
      const yi = im[b]!;
      const tr = yr * wr - yi * wi;
      const ti = yr * wi + yi * wr;
      const xr = re[a]!;
      const xi = im[a]!;
      re[a] = xr + tr;
      im[a] = xi + ti;
      re[b] = xr - tr;
      im[b] = xi - ti;
    }
  }
}

/** One radix-4 DIT stage fusing half-sizes h and 2h (twiddles W^2j, W^j, W^3j at t[tw..]). */
function radix4(
  re: Float64Array,
  im: Float64Array,
  t: Float64Array,
  tw: number,
  h: number,
  half: number,
): void {
  for (let base = 0; base < half; base += h << 2) {
    for (let j = 0; j < h; j++) {
      const i0 = base + j;
      const i1 = i0 + h;
      const i2 = i1 + h;
      const i3 = i2 + h;
      const x1r = re[i1]!;
      const x1i = im[i1]!;
      const x2r = re[i2]!;
      const x2i = im[i2]!;
      const x3r = re[i3]!;
      const x3i = im[i3]!;
      const w1r = t[tw + j]!;
      const w1i = t[tw + h + j]!;
      const w2r = t[tw + 2 * h + j]!;
      const w2i = t[tw + 3 * h + j]!;
      const w3r = t[tw + 4 * h + j]!;
      const w3i = t[tw + 5 * h + j]!;
      const t1r = x1r * w1r - x1i * w1i;
      const t1i = x1r * w1i + x1i * w1r;
      const t2r = x2r * w2r - x2i * w2i;
      const t2i = x2r * w2i + x2i * w2r;
      const t3r = x3r * w3r - x3i * w3i;
      const t3i = x3r * w3i + x3i * w3r;
      const x0r = re[i0]!;
      const x0i = im[i0]!;
      const s0r = x0r + t1r;
      const s0i = x0i + t1i;
      const s1r = x0r - t1r;
      const s1i = x0i - t1i;
      const ur = t2r + t3r;
      const ui = t2i + t3i;
      const dr = t2r - t3r;
      const di = t2i - t3i;
      re[i0] = s0r + ur;
      im[i0] = s0i + ui;
      re[i2] = s0r - ur;
      im[i2] = s0i - ui;
      re[i1] = s1r + di;
      im[i1] = s1i - dr;
      re[i3] = s1r - di;
      im[i3] = s1i + dr;
    }
  }
}
