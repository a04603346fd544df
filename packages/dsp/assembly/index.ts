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
let twPtr: usize = 0; // f32[..]       stage twiddles in execution order (see stages())
let stageCount: i32 = 0; // number of DIT stages after the first radix-4 pass: log2(M) - 2
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
  tw: usize,
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
  twPtr = tw;
  stageCount = 29 - clz<i32>(half);
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

// Window multiply and packing z[n] = x[2n] + i·x[2n+1] into bit-reversed order, fused with the first two
// radix-2 stages (one radix-4 pass, twiddles 1 and -i). Output group b (4 consecutive slots) holds, in
// bit-reversed order, z[n0], z[n0 + M/2], z[n0 + M/4], z[n0 + 3M/4] with n0 = rev(b).
function packRadix4(frame: usize): void {
  const m = half;
  const q1 = (<usize>(m >> 2)) << 3; // byte distance of M/4 complex inputs (2 floats each)
  for (let b = 0; b < m; b += 4) {
    const n0 = (<usize>load<i32>(revPtr + ((<usize>b) << 2))) << 3;
    const s0 = frame + n0;
    const w0 = winPtr + n0;
    const s2 = s0 + q1;
    const w2 = w0 + q1;
    const s1 = s2 + q1;
    const w1 = w2 + q1;
    const s3 = s1 + q1;
    const w3 = w1 + q1;
    const a0r = load<f32>(s0) * load<f32>(w0);
    const a0i = load<f32>(s0, 4) * load<f32>(w0, 4);
    const a1r = load<f32>(s1) * load<f32>(w1);
    const a1i = load<f32>(s1, 4) * load<f32>(w1, 4);
    const a2r = load<f32>(s2) * load<f32>(w2);
    const a2i = load<f32>(s2, 4) * load<f32>(w2, 4);
    const a3r = load<f32>(s3) * load<f32>(w3);
    const a3i = load<f32>(s3, 4) * load<f32>(w3, 4);
    const s0r = a0r + a1r;
    const s0i = a0i + a1i;
    const s1r = a0r - a1r;
    const s1i = a0i - a1i;
    const s2r = a2r + a3r;
    const s2i = a2i + a3i;
    const s3r = a2r - a3r;
    const s3i = a2i - a3i;
    const pr = rePtr + ((<usize>b) << 2);
    const pi = imPtr + ((<usize>b) << 2);
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

// Remaining decimation-in-time stages, half-sizes h = 4 .. M/2: one radix-2 stage at h = 4 when their count is
// odd, then radix-4 stages (each fuses the stages h and 2h: 3 complex multiplies per 4 points, one pass).
// Twiddles are read sequentially from tw: radix-2 stage [re h][im h]; radix-4 stage with W = exp(-2πi/4h):
// [W^2j re][W^2j im][W^j re][W^j im][W^3j re][W^3j im], each h long.
function stages(): void {
  const m = half;
  let tw = twPtr;
  let h = 4;
  if (stageCount & 1) {
    radix2Stage(h, tw);
    tw += (<usize>h) << 3;
    h <<= 1;
  }
  for (; h < m; h <<= 2) {
    radix4Stage(h, tw);
    tw += (<usize>(h * 6)) << 2;
  }
}

function radix2Stage(h: i32, tw: usize): void {
  const m = half;
  const hb = (<usize>h) << 2;
  const tr = tw;
  const ti = tw + hb;
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

// y0 = s0 + u, y2 = s0 - u, y1 = s1 + (-i)d, y3 = s1 - (-i)d with t1 = W^2j x1, t2 = W^j x2, t3 = W^3j x3,
// s0 = x0 + t1, s1 = x0 - t1, u = t2 + t3, d = t2 - t3.
function radix4Stage(h: i32, tw: usize): void {
  const m = half;
  const hb = (<usize>h) << 2;
  for (let base = 0; base < m; base += h << 2) {
    const r0 = rePtr + ((<usize>base) << 2);
    const i0 = imPtr + ((<usize>base) << 2);
    if (ASC_FEATURE_SIMD) {
      for (let j: usize = 0; j < hb; j += 16) {
        const x0r = v128.load(r0 + j);
        const x0i = v128.load(i0 + j);
        const x1r = v128.load(r0 + hb + j);
        const x1i = v128.load(i0 + hb + j);
        const x2r = v128.load(r0 + 2 * hb + j);
        const x2i = v128.load(i0 + 2 * hb + j);
        const x3r = v128.load(r0 + 3 * hb + j);
        const x3i = v128.load(i0 + 3 * hb + j);
        const w1r = v128.load(tw + j);
        const w1i = v128.load(tw + hb + j);
        const w2r = v128.load(tw + 2 * hb + j);
        const w2i = v128.load(tw + 3 * hb + j);
        const w3r = v128.load(tw + 4 * hb + j);
        const w3i = v128.load(tw + 5 * hb + j);
        const t1r = f32x4.sub(f32x4.mul(x1r, w1r), f32x4.mul(x1i, w1i));
        const t1i = f32x4.add(f32x4.mul(x1r, w1i), f32x4.mul(x1i, w1r));
        const t2r = f32x4.sub(f32x4.mul(x2r, w2r), f32x4.mul(x2i, w2i));
        const t2i = f32x4.add(f32x4.mul(x2r, w2i), f32x4.mul(x2i, w2r));
        const t3r = f32x4.sub(f32x4.mul(x3r, w3r), f32x4.mul(x3i, w3i));
        const t3i = f32x4.add(f32x4.mul(x3r, w3i), f32x4.mul(x3i, w3r));
        const s0r = f32x4.add(x0r, t1r);
        const s0i = f32x4.add(x0i, t1i);
        const s1r = f32x4.sub(x0r, t1r);
        const s1i = f32x4.sub(x0i, t1i);
        const ur = f32x4.add(t2r, t3r);
        const ui = f32x4.add(t2i, t3i);
        const dr = f32x4.sub(t2r, t3r);
        const di = f32x4.sub(t2i, t3i);
        v128.store(r0 + j, f32x4.add(s0r, ur));
        v128.store(i0 + j, f32x4.add(s0i, ui));
        v128.store(r0 + 2 * hb + j, f32x4.sub(s0r, ur));
        v128.store(i0 + 2 * hb + j, f32x4.sub(s0i, ui));
        v128.store(r0 + hb + j, f32x4.add(s1r, di));
        v128.store(i0 + hb + j, f32x4.sub(s1i, dr));
        v128.store(r0 + 3 * hb + j, f32x4.sub(s1r, di));
        v128.store(i0 + 3 * hb + j, f32x4.add(s1i, dr));
      }
    } else {
      for (let j: usize = 0; j < hb; j += 4) {
        const x0r = load<f32>(r0 + j);
        const x0i = load<f32>(i0 + j);
        const x1r = load<f32>(r0 + hb + j);
        const x1i = load<f32>(i0 + hb + j);
        const x2r = load<f32>(r0 + 2 * hb + j);
        const x2i = load<f32>(i0 + 2 * hb + j);
        const x3r = load<f32>(r0 + 3 * hb + j);
        const x3i = load<f32>(i0 + 3 * hb + j);
        const w1r = load<f32>(tw + j);
        const w1i = load<f32>(tw + hb + j);
        const w2r = load<f32>(tw + 2 * hb + j);
        const w2i = load<f32>(tw + 3 * hb + j);
        const w3r = load<f32>(tw + 4 * hb + j);
        const w3i = load<f32>(tw + 5 * hb + j);
        const t1r = x1r * w1r - x1i * w1i;
        const t1i = x1r * w1i + x1i * w1r;
        const t2r = x2r * w2r - x2i * w2i;
        const t2i = x2r * w2i + x2i * w2r;
        const t3r = x3r * w3r - x3i * w3i;
        const t3i = x3r * w3i + x3i * w3r;
        const s0r = x0r + t1r;
        const s0i = x0i + t1i;
        const s1r = x0r - t1r;
        const s1i = x0i - t1i;
        const ur = t2r + t3r;
        const ui = t2i + t3i;
        const dr = t2r - t3r;
        const di = t2i - t3i;
        store<f32>(r0 + j, s0r + ur);
        store<f32>(i0 + j, s0i + ui);
        store<f32>(r0 + 2 * hb + j, s0r - ur);
        store<f32>(i0 + 2 * hb + j, s0i - ui);
        store<f32>(r0 + hb + j, s1r + di);
        store<f32>(i0 + hb + j, s1i - dr);
        store<f32>(r0 + 3 * hb + j, s1r - di);
        store<f32>(i0 + 3 * hb + j, s1i + dr);
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
  packRadix4(frame);
  stages();
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

/** Largest of `count` f32 values at `ptr` (NaN if any is NaN, +Infinity if any is infinite); 0 if all ≤ 0. */
export function peak(ptr: usize, count: i32): f32 {
  const n = (<usize>count) << 2;
  let i: usize = 0;
  let m: f32 = 0;
  if (ASC_FEATURE_SIMD) {
    let v = f32x4.splat(0);
    let bad = f32x4.splat(0);
    for (; i + 16 <= n; i += 16) {
      const x = v128.load(ptr + i);
      v = f32x4.max(v, x);
      bad = v128.or(bad, f32x4.ne(x, x));
    }
    m = max(
      max(f32x4.extract_lane(v, 0), f32x4.extract_lane(v, 1)),
      max(f32x4.extract_lane(v, 2), f32x4.extract_lane(v, 3)),
    );
    if (v128.any_true(bad)) m = NaN;
  }
  for (; i < n; i += 4) {
    const x = load<f32>(ptr + i);
    // biome-ignore lint/suspicious/noGlobalIsNan: AssemblyScript builtin isNaN<f32>, not the JS global
    if (isNaN(x)) m = NaN;
    m = max(m, x);
  }
  return m;
}

// Natural log for x > 0, normal: x = m·2^e with m in [√½, √2), t = (m−1)/(m+1),
// ln m = 2(t + t³/3 + t⁵/5 + t⁷/7 + t⁹/9) (|t| ≤ 0.172: truncation < 1e-9).
const LN2: f32 = <f32>Math.LN2;
const SQRT2: f32 = <f32>Math.SQRT2;

function lnScalar(x: f32): f32 {
  let bits = reinterpret<i32>(x);
  let e = (bits >> 23) - 127;
  bits = (bits & 0x007fffff) | 0x3f800000;
  let m = reinterpret<f32>(bits);
  if (m > SQRT2) {
    m *= 0.5;
    e += 1;
  }
  const t = (m - 1) / (m + 1);
  const t2 = t * t;
  const p: f32 = 2 * t * (1 + t2 * (0.33333334 + t2 * (0.2 + t2 * (0.14285715 + t2 * 0.11111111))));
  return p + <f32>e * LN2;
}

/**
 * In place over `count` values at `ptr`: v ← max(floor, scale·ln(max(amin, v)) + offset). With the host's
 * scale/offset this is 10·log10(max(amin, v)) − ref dB, optionally mapped to [0, 1].
 */
export function mapLog(ptr: usize, count: i32, amin: f32, scale: f32, offset: f32, floor: f32): void {
  const n = (<usize>count) << 2;
  let i: usize = 0;
  if (ASC_FEATURE_SIMD) {
    const vAmin = f32x4.splat(amin);
    const vScale = f32x4.splat(scale);
    const vOffset = f32x4.splat(offset);
    const vFloor = f32x4.splat(floor);
    const one = f32x4.splat(1);
    const half = f32x4.splat(0.5);
    const sqrt2 = f32x4.splat(SQRT2);
    const ln2 = f32x4.splat(LN2);
    const c3 = f32x4.splat(0.33333334);
    const c5 = f32x4.splat(0.2);
    const c7 = f32x4.splat(0.14285715);
    const c9 = f32x4.splat(0.11111111);
    const mantMask = i32x4.splat(0x007fffff);
    const oneBits = i32x4.splat(0x3f800000);
    const bias = i32x4.splat(127);
    for (; i + 16 <= n; i += 16) {
      const x = f32x4.max(v128.load(ptr + i), vAmin);
      let e = i32x4.sub(i32x4.shr_u(x, 23), bias);
      let m = v128.or(v128.and(x, mantMask), oneBits);
      const big = f32x4.gt(m, sqrt2);
      m = v128.bitselect(f32x4.mul(m, half), m, big);
      e = i32x4.sub(e, big); // big lanes are all ones (−1): e + 1
      const t = f32x4.div(f32x4.sub(m, one), f32x4.add(m, one));
      const t2 = f32x4.mul(t, t);
      let p = f32x4.add(c7, f32x4.mul(t2, c9));
      p = f32x4.add(c5, f32x4.mul(t2, p));
      p = f32x4.add(c3, f32x4.mul(t2, p));
      p = f32x4.add(one, f32x4.mul(t2, p));
      const ln = f32x4.add(f32x4.mul(f32x4.add(t, t), p), f32x4.mul(f32x4.convert_i32x4_s(e), ln2));
      v128.store(ptr + i, f32x4.max(vFloor, f32x4.add(f32x4.mul(vScale, ln), vOffset)));
    }
  }
  for (; i < n; i += 4) {
    const v = scale * lnScalar(max(amin, load<f32>(ptr + i))) + offset;
    store<f32>(ptr + i, max(floor, v));
  }
}
