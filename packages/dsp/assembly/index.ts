// timbre DSP kernel: windowed real FFT (power spectrum) and sparse mel projection, float32.
//
// Compiled twice by scripts/build-wasm.mjs: once with `--enable simd` (ASC_FEATURE_SIMD is true and the
// f32x4 paths below are kept) and once without (the scalar paths). Every buffer lives in linear memory at an
// offset chosen by the JS host (see src/wasm-engine.ts); this module allocates nothing.
//
// Layout of the complex work buffers is split (structure of arrays): re[M], im[M] with M = nFft / 2.
// The real FFT of size N is computed as a complex FFT of size M = N/2 over z[n] = x[2n] + i·x[2n+1]
// followed by a split step that recovers X[k] for k = 0..M.

// ---- configuration (set once per extractor by configure) ----
let half: i32 = 0; // M = nFft / 2
let hop: i32 = 0;
let nMels: i32 = 0;
let winPtr: usize = 0; // f32[nFft]     periodic Hann window
let revPtr: usize = 0; // i32[M]        bit-reversal permutation of 0..M-1
let twRePtr: usize = 0; // f32[M]       stage twiddles, stage h (h = 4, 8, .., M/2) at offset h - 4
let twImPtr: usize = 0; // f32[M]
let spRePtr: usize = 0; // f32[M/2+1]   split twiddles cos(2πk/N)
let spImPtr: usize = 0; // f32[M/2+1]   -sin(2πk/N)
let rePtr: usize = 0; // f32[M]         work, real parts
let imPtr: usize = 0; // f32[M]         work, imaginary parts
let powPtr: usize = 0; // f32[M+1+pad]  power spectrum of one frame (padding stays zero)
let melStartPtr: usize = 0; // i32[nMels] first FFT bin of each band
let melCountPtr: usize = 0; // i32[nMels] number of weights (a multiple of 4, zero-padded)
let melOffPtr: usize = 0; // i32[nMels]   offset of the band's first weight in melW (in elements, multiple of 4)
let melWPtr: usize = 0; // f32[..]        weights

/** First byte after the static data: the host lays out its buffers from here (16-byte aligned). */
export function heapBase(): usize {
  return (__heap_base + 15) & ~15;
}

/** Whether this build uses f32x4 SIMD (1) or scalar code (0). */
export function simd(): i32 {
  return ASC_FEATURE_SIMD ? 1 : 0;
}

/** Stores the plan: sizes and the addresses of the tables the host has written. */
export function configure(
  nFft_: i32,
  hop_: i32,
  nMels_: i32,
  win: usize,
  rev: usize,
  twRe: usize,
  twIm: usize,
  spRe: usize,
  spIm: usize,
  re: usize,
  im: usize,
  pow: usize,
  melStart: usize,
  melCount: usize,
  melOff: usize,
  melW: usize,
): void {
  half = nFft_ >> 1;
  hop = hop_;
  nMels = nMels_;
  winPtr = win;
  revPtr = rev;
  twRePtr = twRe;
  twImPtr = twIm;
  spRePtr = spRe;
  spImPtr = spIm;
  rePtr = re;
  imPtr = im;
  powPtr = pow;
  melStartPtr = melStart;
  melCountPtr = melCount;
  melOffPtr = melOff;
  melWPtr = melW;
}

// Window multiply fused with packing z[n] = x[2n] + i x[2n+1] into bit-reversed order.
function pack(frame: usize): void {
  const m = half;
  for (let n = 0; n < m; n++) {
    const j = (<usize>load<i32>(revPtr + ((<usize>n) << 2))) << 2;
    const s = frame + ((<usize>n) << 3);
    const w = winPtr + ((<usize>n) << 3);
    store<f32>(rePtr + j, load<f32>(s) * load<f32>(w));
    store<f32>(imPtr + j, load<f32>(s, 4) * load<f32>(w, 4));
  }
}

// First two radix-2 stages fused into one radix-4 pass (twiddles 1 and -i only).
function radix4First(): void {
  const m = half;
  for (let b = 0; b < m; b += 4) {
    const o = (<usize>b) << 2;
    const pr = rePtr + o;
    const pi = imPtr + o;
    const a0r = load<f32>(pr);
    const a1r = load<f32>(pr, 4);
    const a2r = load<f32>(pr, 8);
    const a3r = load<f32>(pr, 12);
    const a0i = load<f32>(pi);
    const a1i = load<f32>(pi, 4);
    const a2i = load<f32>(pi, 8);
    const a3i = load<f32>(pi, 12);
    const s0r = a0r + a1r;
    const s0i = a0i + a1i;
    const s1r = a0r - a1r;
    const s1i = a0i - a1i;
    const s2r = a2r + a3r;
    const s2i = a2i + a3i;
    const s3r = a2r - a3r;
    const s3i = a2i - a3i;
    // t = s3 · (-i) = (s3i, -s3r)
    store<f32>(pr, s0r + s2r);
    store<f32>(pi, s0i + s2i);
    store<f32>(pr, s0r - s2r, 8);
    store<f32>(pi, s0i - s2i, 8);
    store<f32>(pr, s1r + s3i, 4);
    store<f32>(pi, s1i - s3r, 4);
    store<f32>(pr, s1r - s3i, 12);
    store<f32>(pi, s1i + s3r, 12);
  }
}

// Radix-2 decimation-in-time stages with half-size h = 4, 8, .., M/2.
function radix2Stages(): void {
  const m = half;
  for (let h = 4; h < m; h <<= 1) {
    const tr = twRePtr + ((<usize>(h - 4)) << 2);
    const ti = twImPtr + ((<usize>(h - 4)) << 2);
    const hb = (<usize>h) << 2;
    for (let base = 0; base < m; base += h << 1) {
      const ar = rePtr + ((<usize>base) << 2);
      const ai = imPtr + ((<usize>base) << 2);
      if (ASC_FEATURE_SIMD) {
        for (let j: usize = 0; j < hb; j += 16) {
          const wr = v128.load(tr + j);
          const wi = v128.load(ti + j);
          const xr = v128.load(ar + j);
          const xi = v128.load(ai + j);
          const yr = v128.load(ar + hb + j);
          const yi = v128.load(ai + hb + j);
          const tR = f32x4.sub(f32x4.mul(yr, wr), f32x4.mul(yi, wi));
          const tI = f32x4.add(f32x4.mul(yr, wi), f32x4.mul(yi, wr));
          v128.store(ar + j, f32x4.add(xr, tR));
          v128.store(ai + j, f32x4.add(xi, tI));
          v128.store(ar + hb + j, f32x4.sub(xr, tR));
          v128.store(ai + hb + j, f32x4.sub(xi, tI));
        }
      } else {
        for (let j: usize = 0; j < hb; j += 4) {
          const wr = load<f32>(tr + j);
          const wi = load<f32>(ti + j);
          const xr = load<f32>(ar + j);
          const xi = load<f32>(ai + j);
          const yr = load<f32>(ar + hb + j);
          const yi = load<f32>(ai + hb + j);
          const tR = yr * wr - yi * wi;
          const tI = yr * wi + yi * wr;
          store<f32>(ar + j, xr + tR);
          store<f32>(ai + j, xi + tI);
          store<f32>(ar + hb + j, xr - tR);
          store<f32>(ai + hb + j, xi - tI);
        }
      }
    }
  }
}

// Split step: power |X[k]|² for k = 0..M from the half-size complex FFT Z.
// E = (Z[k] + conj Z[M-k]) / 2, O = (Z[k] - conj Z[M-k]) / 2i, P = W^k O,
// X[k] = E + P and |X[M-k]| = |E - P|.
function split(): void {
  const m = half;
  const q = m >> 1;
  let k = 0;
  if (ASC_FEATURE_SIMD) {
    // k = 1 .. q-1 in blocks of 4, mirrored block (M-k-3 .. M-k) reversed with a shuffle.
    const halfV = f32x4.splat(0.5);
    for (k = 1; k + 4 <= q; k += 4) {
      const kb = (<usize>k) << 2;
      const mb = (<usize>(m - k - 3)) << 2;
      const zr = v128.load(rePtr + kb);
      const zi = v128.load(imPtr + kb);
      const cr = v128.shuffle<f32>(v128.load(rePtr + mb), v128.load(rePtr + mb), 3, 2, 1, 0);
      const ci = v128.shuffle<f32>(v128.load(imPtr + mb), v128.load(imPtr + mb), 3, 2, 1, 0);
      // conj Z[M-k] = (cr, -ci)
      const er = f32x4.mul(f32x4.add(zr, cr), halfV);
      const ei = f32x4.mul(f32x4.sub(zi, ci), halfV);
      const dr = f32x4.sub(zr, cr);
      const di = f32x4.add(zi, ci);
      const or = f32x4.mul(di, halfV);
      const oi = f32x4.mul(f32x4.neg(dr), halfV);
      const wr = v128.load(spRePtr + kb);
      const wi = v128.load(spImPtr + kb);
      const pr = f32x4.sub(f32x4.mul(or, wr), f32x4.mul(oi, wi));
      const pi = f32x4.add(f32x4.mul(or, wi), f32x4.mul(oi, wr));
      const ar = f32x4.add(er, pr);
      const ai = f32x4.add(ei, pi);
      const br = f32x4.sub(er, pr);
      const bi = f32x4.sub(ei, pi);
      v128.store(powPtr + kb, f32x4.add(f32x4.mul(ar, ar), f32x4.mul(ai, ai)));
      const pb = f32x4.add(f32x4.mul(br, br), f32x4.mul(bi, bi));
      v128.store(powPtr + ((<usize>(m - k - 3)) << 2), v128.shuffle<f32>(pb, pb, 3, 2, 1, 0));
    }
    splitScalar(0, 1);
    splitScalar(k, q + 1);
  } else {
    splitScalar(0, q + 1);
  }
}

function splitScalar(from: i32, to: i32): void {
  const m = half;
  for (let k = from; k < to; k++) {
    const kb = (<usize>k) << 2;
    const mk = k === 0 ? 0 : m - k;
    const mb = (<usize>mk) << 2;
    const zr = load<f32>(rePtr + kb);
    const zi = load<f32>(imPtr + kb);
    const cr = load<f32>(rePtr + mb);
    const ci = load<f32>(imPtr + mb);
    const er = (zr + cr) * 0.5;
    const ei = (zi - ci) * 0.5;
    const or = (zi + ci) * 0.5;
    const oi = (cr - zr) * 0.5;
    const wr = load<f32>(spRePtr + kb);
    const wi = load<f32>(spImPtr + kb);
    const pr = or * wr - oi * wi;
    const pi = or * wi + oi * wr;
    const ar = er + pr;
    const ai = ei + pi;
    const br = er - pr;
    const bi = ei - pi;
    store<f32>(powPtr + kb, ar * ar + ai * ai);
    store<f32>(powPtr + ((<usize>(m - k)) << 2), br * br + bi * bi);
  }
}

function powerOfFrame(frame: usize): void {
  pack(frame);
  radix4First();
  radix2Stages();
  split();
}

function melOfFrame(out: usize): void {
  for (let b = 0; b < nMels; b++) {
    const bo = (<usize>b) << 2;
    const start = load<i32>(melStartPtr + bo);
    const count = load<i32>(melCountPtr + bo);
    const p = powPtr + ((<usize>start) << 2);
    const w = melWPtr + ((<usize>load<i32>(melOffPtr + bo)) << 2);
    const cb = (<usize>count) << 2;
    let acc: f32 = 0;
    if (ASC_FEATURE_SIMD) {
      let va = f32x4.splat(0);
      for (let i: usize = 0; i < cb; i += 16) {
        va = f32x4.add(va, f32x4.mul(v128.load(p + i), v128.load(w + i)));
      }
      acc =
        f32x4.extract_lane(va, 0) +
        f32x4.extract_lane(va, 1) +
        (f32x4.extract_lane(va, 2) + f32x4.extract_lane(va, 3));
    } else {
      let a0: f32 = 0;
      let a1: f32 = 0;
      let a2: f32 = 0;
      let a3: f32 = 0;
      for (let i: usize = 0; i < cb; i += 16) {
        a0 += load<f32>(p + i) * load<f32>(w + i);
        a1 += load<f32>(p + i, 4) * load<f32>(w + i, 4);
        a2 += load<f32>(p + i, 8) * load<f32>(w + i, 8);
        a3 += load<f32>(p + i, 12) * load<f32>(w + i, 12);
      }
      acc = a0 + a1 + (a2 + a3);
    }
    store<f32>(out + bo, acc);
  }
}

/**
 * Mel power of `frames` frames of the (already padded) signal at `signal`, frame t starting at sample
 * t·hop, written frame-major to `out` ([frames][nMels] f32).
 */
export function melFrames(signal: usize, frames: i32, out: usize): void {
  const stride = (<usize>hop) << 2;
  const ob = (<usize>nMels) << 2;
  for (let t = 0; t < frames; t++) {
    powerOfFrame(signal + <usize>t * stride);
    melOfFrame(out + <usize>t * ob);
  }
}

/** Power spectrum (nFft/2 + 1 bins) of `frames` frames, written frame-major to `out`. */
export function stftFrames(signal: usize, frames: i32, out: usize): void {
  const stride = (<usize>hop) << 2;
  const bins = half + 1;
  const ob = (<usize>bins) << 2;
  for (let t = 0; t < frames; t++) {
    powerOfFrame(signal + <usize>t * stride);
    memory.copy(out + <usize>t * ob, powPtr, ob);
  }
}
