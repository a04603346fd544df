// timbre training kernels, f32x4 SIMD: a register-blocked 4×8 sgemm over a packed right-hand side (the
// fast BatchMatMul); a whole LSTM layer's forward recurrence and its backward recurrence (BPTT) in one call
// each, including the per-step recurrent matMul; conv2d forward and filter gradient for unpadded NHWC convs
// (im2col rows read in place); the max-pool gradient.
//
// The module imports its memory (`env.memory`): the host passes the tfjs wasm backend's own heap, so the
// kernels read and write tensors in place at the byte offsets the host gives. It has no static data, no
// globals that need memory, and never allocates or grows memory (the host mallocs scratch buffers).
//
// Layouts (row-major float32, rows ordered time-major: row = t·B + b):
//   xp     [T·B, 4H]   input projection x·W + b, gate order i, f, c, o (Keras)
//   gates  [T·B, 4H]   activated gates i, f, g = tanh(z_c), o
//   cSeq   [T·B, H]    cell state; hSeq [T·B, H] hidden state
//   packed right-hand side: panels of 8 columns, each [K][8], the last zero-padded.

// ---- exp approximation (Cephes expf: range reduction by ln 2, degree-6 polynomial; ≈ 1 ulp on [-87, 87]) ----

function expv(x0: v128): v128 {
  const x = f32x4.min(f32x4.max(x0, f32x4.splat(-87.0)), f32x4.splat(87.0));
  const n = f32x4.nearest(f32x4.mul(x, f32x4.splat(Mathf.LOG2E)));
  let r = f32x4.sub(x, f32x4.mul(n, f32x4.splat(0.693359375)));
  r = f32x4.sub(r, f32x4.mul(n, f32x4.splat(-2.1219444e-4)));
  let p = f32x4.splat(1.98756915e-4);
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.3981999507e-3));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(8.3334519073e-3));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(4.1665795894e-2));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.6666665459e-1));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(5.0000001201e-1));
  p = f32x4.add(f32x4.add(f32x4.mul(p, f32x4.mul(r, r)), r), f32x4.splat(1.0));
  const e = i32x4.shl(i32x4.add(i32x4.trunc_sat_f32x4_s(n), i32x4.splat(127)), 23);
  return f32x4.mul(p, e);
}

function sigmoidv(x: v128): v128 {
  const one = f32x4.splat(1.0);
  return f32x4.div(one, f32x4.add(one, expv(f32x4.neg(x))));
}

function tanhv(x: v128): v128 {
  // 1 - 2 / (e^{2x} + 1): exact limits ±1, absolute error ≈ 1e-7 everywhere.
  const one = f32x4.splat(1.0);
  const e = expv(f32x4.add(x, x));
  return f32x4.sub(one, f32x4.div(f32x4.splat(2.0), f32x4.add(e, one)));
}

function hardSigmoidv(x: v128): v128 {
  const y = f32x4.add(f32x4.mul(x, f32x4.splat(0.2)), f32x4.splat(0.5));
  return f32x4.min(f32x4.max(y, f32x4.splat(0.0)), f32x4.splat(1.0));
}

// ---- vectors of 1..4 lanes (row tails when H is not a multiple of 4) ----

@inline
function loadN(p: usize, n: i32): v128 {
  if (n >= 4) return v128.load(p);
  let v = f32x4.splat(0.0);
  v = f32x4.replace_lane(v, 0, load<f32>(p));
  if (n > 1) v = f32x4.replace_lane(v, 1, load<f32>(p, 4));
  if (n > 2) v = f32x4.replace_lane(v, 2, load<f32>(p, 8));
  return v;
}

@inline
function storeN(p: usize, v: v128, n: i32): void {
  if (n >= 4) {
    v128.store(p, v);
    return;
  }
  store<f32>(p, f32x4.extract_lane(v, 0));
  if (n > 1) store<f32>(p, f32x4.extract_lane(v, 1), 4);
  if (n > 2) store<f32>(p, f32x4.extract_lane(v, 2), 8);
}

// ---- sgemm: C[M×N] = A[M×K]·Bp (+ C0), Bp packed in 8-column panels ----

/**
 * Packs B [K×N], element (k, j) at src + 4·(k·sK + j·sN), into panels of 8 columns ([K][8] each, the last
 * zero-padded): dst needs ceil(N/8)·8·K floats. Row-major B: sK = N, sN = 1; B = Sᵀ of a row-major S [N×K]:
 * sK = 1, sN = K.
 */
export function packPanels(src: usize, sK: i32, sN: i32, K: i32, N: i32, dst: usize): void {
  const panels = (N + 7) >> 3;
  const sKB = (<usize>sK) << 2;
  const sNB = (<usize>sN) << 2;
  for (let p = 0; p < panels; p++) {
    const col = p << 3;
    const n = min(8, N - col);
    let d = dst + <usize>p * <usize>K * 32;
    let s = src + <usize>col * sNB;
    if (n === 8 && sN === 1) {
      for (let k = 0; k < K; k++) {
        v128.store(d, v128.load(s));
        v128.store(d, v128.load(s, 16), 16);
        d += 32;
        s += sKB;
      }
    } else {
      for (let k = 0; k < K; k++) {
        for (let j = 0; j < 8; j++) {
          store<f32>(d + ((<usize>j) << 2), j < n ? load<f32>(s + <usize>j * sNB) : 0);
        }
        d += 32;
        s += sKB;
      }
    }
  }
}

@inline
function storeTile(c: usize, c0: usize, v0: v128, v1: v128, n: i32): void {
  let a = v0;
  let b = v1;
  if (n === 8) {
    if (c0) {
      a = f32x4.add(a, v128.load(c0));
      b = f32x4.add(b, v128.load(c0, 16));
    }
    v128.store(c, a);
    v128.store(c, b, 16);
    return;
  }
  const n0 = min(n, 4);
  const n1 = n - n0;
  if (c0) {
    a = f32x4.add(a, loadN(c0, n0));
    if (n1 > 0) b = f32x4.add(b, loadN(c0 + 16, n1));
  }
  storeN(c, a, n0);
  if (n1 > 0) storeN(c + 16, b, n1);
}

function micro4(
  a: usize,
  lda: usize,
  ks: usize,
  bp: usize,
  K: i32,
  c: usize,
  ldc: usize,
  c0: usize,
  ldc0: usize,
  n: i32,
): void {
  let c00 = f32x4.splat(0.0);
  let c01 = f32x4.splat(0.0);
  let c10 = f32x4.splat(0.0);
  let c11 = f32x4.splat(0.0);
  let c20 = f32x4.splat(0.0);
  let c21 = f32x4.splat(0.0);
  let c30 = f32x4.splat(0.0);
  let c31 = f32x4.splat(0.0);
  let a0 = a;
  const end = a + <usize>K * ks;
  let b = bp;
  while (a0 < end) {
    const b0 = v128.load(b);
    const b1 = v128.load(b, 16);
    const x0 = v128.load32_splat(a0);
    const x1 = v128.load32_splat(a0 + lda);
    const x2 = v128.load32_splat(a0 + 2 * lda);
    const x3 = v128.load32_splat(a0 + 3 * lda);
    c00 = f32x4.add(c00, f32x4.mul(x0, b0));
    c01 = f32x4.add(c01, f32x4.mul(x0, b1));
    c10 = f32x4.add(c10, f32x4.mul(x1, b0));
    c11 = f32x4.add(c11, f32x4.mul(x1, b1));
    c20 = f32x4.add(c20, f32x4.mul(x2, b0));
    c21 = f32x4.add(c21, f32x4.mul(x2, b1));
    c30 = f32x4.add(c30, f32x4.mul(x3, b0));
    c31 = f32x4.add(c31, f32x4.mul(x3, b1));
    a0 += ks;
    b += 32;
  }
  storeTile(c, c0, c00, c01, n);
  storeTile(c + ldc, c0 ? c0 + ldc0 : 0, c10, c11, n);
  storeTile(c + 2 * ldc, c0 ? c0 + 2 * ldc0 : 0, c20, c21, n);
  storeTile(c + 3 * ldc, c0 ? c0 + 3 * ldc0 : 0, c30, c31, n);
}

function micro1(a: usize, ks: usize, bp: usize, K: i32, c: usize, c0: usize, n: i32): void {
  let c00 = f32x4.splat(0.0);
  let c01 = f32x4.splat(0.0);
  let a0 = a;
  const end = a + <usize>K * ks;
  let b = bp;
  while (a0 < end) {
    const x0 = v128.load32_splat(a0);
    c00 = f32x4.add(c00, f32x4.mul(x0, v128.load(b)));
    c01 = f32x4.add(c01, f32x4.mul(x0, v128.load(b, 16)));
    a0 += ks;
    b += 32;
  }
  storeTile(c, c0, c00, c01, n);
}

/**
 * C = A·B (+ C0 when c0 ≠ 0). A [M×K] with row stride lda, C and C0 [M×N] with row strides ldc, ldc0
 * (strides in elements); B packed by {@link packPanels}.
 */
export function gemm(
  a: usize,
  lda: i32,
  M: i32,
  K: i32,
  bp: usize,
  N: i32,
  c: usize,
  ldc: i32,
  c0: usize,
  ldc0: i32,
): void {
  gemmStrided(a, (<usize>lda) << 2, 4, M, K, bp, N, c, ldc, c0, ldc0);
}

/**
 * C = Aᵀ·B (+ C0) for A stored [K×M] with row stride lda (elements): the same micro-kernel, reading the
 * 4 rows of a tile as 4 adjacent floats and stepping K by a row of the stored A, so no transposed copy.
 */
export function gemmTransA(
  a: usize,
  lda: i32,
  M: i32,
  K: i32,
  bp: usize,
  N: i32,
  c: usize,
  ldc: i32,
  c0: usize,
  ldc0: i32,
): void {
  gemmStrided(a, 4, (<usize>lda) << 2, M, K, bp, N, c, ldc, c0, ldc0);
}

/** The sgemm with A's element (i, k) at a + i·rs + k·ks (bytes). */
function gemmStrided(
  a: usize,
  rs: usize,
  ks: usize,
  M: i32,
  K: i32,
  bp: usize,
  N: i32,
  c: usize,
  ldc: i32,
  c0: usize,
  ldc0: i32,
): void {
  // Blocked for the caches: chunks of KC along K (B's slice for a panel: KC·32 bytes) and MC rows of A
  // (MC·KC·4 bytes, reused across every panel); the first K chunk adds C0, later ones accumulate into C.
  const KC = 256;
  const MC = 32;
  const panels = (N + 7) >> 3;
  const ldcB = (<usize>ldc) << 2;
  for (let k0 = 0; k0 < K; k0 += KC) {
    const kc = min(KC, K - k0);
    const cin = k0 === 0 ? c0 : c;
    const cinB = k0 === 0 ? (<usize>ldc0) << 2 : ldcB;
    for (let m0 = 0; m0 < M; m0 += MC) {
      const m1 = min(M, m0 + MC);
      for (let p = 0; p < panels; p++) {
        const col = p << 3;
        const n = min(8, N - col);
        const panel = bp + (<usize>p * <usize>K + <usize>k0) * 32;
        const colB = (<usize>col) << 2;
        let i = m0;
        for (; i + 4 <= m1; i += 4) {
          micro4(
            a + <usize>i * rs + <usize>k0 * ks,
            rs,
            ks,
            panel,
            kc,
            c + <usize>i * ldcB + colB,
            ldcB,
            cin ? cin + <usize>i * cinB + colB : 0,
            cinB,
            n,
          );
        }
        for (; i < m1; i++) {
          micro1(
            a + <usize>i * rs + <usize>k0 * ks,
            ks,
            panel,
            kc,
            c + <usize>i * ldcB + colB,
            cin ? cin + <usize>i * cinB + colB : 0,
            n,
          );
        }
      }
    }
  }
}

// ---- LSTM ----

/** Gates and state update of one step, in place: g holds z on entry and the activated gates on return. */
function cellForward(g: usize, cPrev: usize, c: usize, h: usize, B: i32, H: i32, hard: i32): void {
  const HB = (<usize>H) << 2;
  for (let b = 0; b < B; b++) {
    const gr = g + <usize>b * 4 * HB;
    const cr = c + <usize>b * HB;
    const hr = h + <usize>b * HB;
    const pr = cPrev ? cPrev + <usize>b * HB : 0;
    for (let j = 0; j < H; j += 4) {
      const n = min(4, H - j);
      const o = (<usize>j) << 2;
      const zi = loadN(gr + o, n);
      const zf = loadN(gr + HB + o, n);
      const zo = loadN(gr + 3 * HB + o, n);
      // (not through gate(): Binaryen does not inline it, and the calls cost more than the math)
      const i = hard ? hardSigmoidv(zi) : sigmoidv(zi);
      const f = hard ? hardSigmoidv(zf) : sigmoidv(zf);
      const gg = tanhv(loadN(gr + 2 * HB + o, n));
      const og = hard ? hardSigmoidv(zo) : sigmoidv(zo);
      let cv = f32x4.mul(i, gg);
      if (pr) cv = f32x4.add(f32x4.mul(f, loadN(pr + o, n)), cv);
      const hv = f32x4.mul(og, tanhv(cv));
      storeN(gr + o, i, n);
      storeN(gr + HB + o, f, n);
      storeN(gr + 2 * HB + o, gg, n);
      storeN(gr + 3 * HB + o, og, n);
      storeN(cr + o, cv, n);
      storeN(hr + o, hv, n);
    }
  }
}

/**
 * Forward recurrence of a whole layer: for t = 0…T-1, z = xp[t] + h[t-1]·U (h[-1] = 0, c[-1] = 0),
 * gates, c, h. up: U [H×4H] packed by {@link packPanels}. hard: 1 = hardSigmoid gates, 0 = sigmoid.
 */
export function lstmForward(
  xp: usize,
  up: usize,
  T: i32,
  B: i32,
  H: i32,
  hard: i32,
  hSeq: usize,
  cSeq: usize,
  gates: usize,
): void {
  const H4 = 4 * H;
  const stepG = <usize>B * <usize>H4 * 4;
  const stepH = <usize>B * <usize>H * 4;
  for (let t = 0; t < T; t++) {
    const gt = gates + <usize>t * stepG;
    const xt = xp + <usize>t * stepG;
    if (t === 0) memory.copy(gt, xt, stepG);
    else gemm(hSeq + <usize>(t - 1) * stepH, H, B, H, up, H4, gt, H4, xt, H4);
    cellForward(
      gt,
      t === 0 ? 0 : cSeq + <usize>(t - 1) * stepH,
      cSeq + <usize>t * stepH,
      hSeq + <usize>t * stepH,
      B,
      H,
      hard,
    );
  }
}

/** Gate derivatives of one step; updates the carried dc, accumulates the bias gradient db. */
function cellBackward(
  dh: usize,
  g: usize,
  c: usize,
  cPrev: usize,
  dc: usize,
  dz: usize,
  db: usize,
  B: i32,
  H: i32,
  hard: i32,
): void {
  const HB = (<usize>H) << 2;
  const one = f32x4.splat(1.0);
  const zero = f32x4.splat(0.0);
  const k02 = f32x4.splat(0.2);
  for (let b = 0; b < B; b++) {
    const gr = g + <usize>b * 4 * HB;
    const zr = dz + <usize>b * 4 * HB;
    const cr = c + <usize>b * HB;
    const pr = cPrev ? cPrev + <usize>b * HB : 0;
    const dhr = dh + <usize>b * HB;
    const dcr = dc + <usize>b * HB;
    for (let j = 0; j < H; j += 4) {
      const n = min(4, H - j);
      const o = (<usize>j) << 2;
      const dhT = loadN(dhr + o, n);
      const i = loadN(gr + o, n);
      const f = loadN(gr + HB + o, n);
      const gg = loadN(gr + 2 * HB + o, n);
      const og = loadN(gr + 3 * HB + o, n);
      const tc = tanhv(loadN(cr + o, n));
      const cp = pr ? loadN(pr + o, n) : zero;
      const dcv = f32x4.add(
        loadN(dcr + o, n),
        f32x4.mul(f32x4.mul(dhT, og), f32x4.sub(one, f32x4.mul(tc, tc))),
      );
      const dO = f32x4.mul(dhT, tc);
      storeN(dcr + o, f32x4.mul(dcv, f), n);
      let dzi: v128;
      let dzf: v128;
      let dzo: v128;
      if (hard) {
        dzi = v128.and(f32x4.mul(k02, f32x4.mul(dcv, gg)), v128.and(f32x4.gt(i, zero), f32x4.lt(i, one)));
        dzf = v128.and(f32x4.mul(k02, f32x4.mul(dcv, cp)), v128.and(f32x4.gt(f, zero), f32x4.lt(f, one)));
        dzo = v128.and(f32x4.mul(k02, dO), v128.and(f32x4.gt(og, zero), f32x4.lt(og, one)));
      } else {
        dzi = f32x4.mul(f32x4.mul(dcv, gg), f32x4.mul(i, f32x4.sub(one, i)));
        dzf = f32x4.mul(f32x4.mul(dcv, cp), f32x4.mul(f, f32x4.sub(one, f)));
        dzo = f32x4.mul(dO, f32x4.mul(og, f32x4.sub(one, og)));
      }
      const dzg = f32x4.mul(f32x4.mul(dcv, i), f32x4.sub(one, f32x4.mul(gg, gg)));
      storeN(zr + o, dzi, n);
      storeN(zr + HB + o, dzf, n);
      storeN(zr + 2 * HB + o, dzg, n);
      storeN(zr + 3 * HB + o, dzo, n);
      storeN(db + o, f32x4.add(loadN(db + o, n), dzi), n);
      storeN(db + HB + o, f32x4.add(loadN(db + HB + o, n), dzf), n);
      storeN(db + 2 * HB + o, f32x4.add(loadN(db + 2 * HB + o, n), dzg), n);
      storeN(db + 3 * HB + o, f32x4.add(loadN(db + 3 * HB + o, n), dzo), n);
    }
  }
}

/**
 * Backward recurrence of a whole layer. dhUp: upstream gradient of h, [T·B, H] when seq = 1, else [B, H]
 * (last step only). utp: Uᵀ [4H×H] packed by {@link packPanels}. Writes dZ [T·B, 4H] (gradient of the
 * pre-activations) and db [4H] (its column sums); dh and dc are [B, H] scratch buffers.
 */
export function lstmBackward(
  dhUp: usize,
  seq: i32,
  gates: usize,
  cSeq: usize,
  utp: usize,
  T: i32,
  B: i32,
  H: i32,
  hard: i32,
  dZ: usize,
  db: usize,
  dh: usize,
  dc: usize,
): void {
  const H4 = 4 * H;
  const stepG = <usize>B * <usize>H4 * 4;
  const stepH = <usize>B * <usize>H * 4;
  memory.fill(dc, 0, stepH);
  memory.fill(db, 0, <usize>H4 * 4);
  memory.copy(dh, dhUp + (seq ? <usize>(T - 1) * stepH : 0), stepH);
  for (let t = T - 1; t >= 0; t--) {
    const dzt = dZ + <usize>t * stepG;
    cellBackward(
      dh,
      gates + <usize>t * stepG,
      cSeq + <usize>t * stepH,
      t === 0 ? 0 : cSeq + <usize>(t - 1) * stepH,
      dc,
      dzt,
      db,
      B,
      H,
      hard,
    );
    if (t > 0) gemm(dzt, H4, B, H4, utp, H, dh, H, seq ? dhUp + <usize>(t - 1) * stepH : 0, H);
  }
}

// ---- max-pool gradient (NHWC), the cpu backend's tie-breaking ----

const LANES = i32x4(0, 1, 2, 3);

function scatterLane(dx: usize, p: i32, g: usize): void {
  if (p >= 0) {
    const q = dx + ((<usize>p) << 2);
    store<f32>(q, load<f32>(q) + load<f32>(g));
  }
}

/**
 * dx of a max pool: for each window and channel the first maximum in row-major window order (strict >)
 * receives dy; windows whose values are all NaN or -Infinity pass nothing; overlapping windows accumulate.
 */
export function maxPoolGrad(
  x: usize,
  dy: usize,
  dx: usize,
  B: i32,
  H: i32,
  W: i32,
  C: i32,
  OH: i32,
  OW: i32,
  sh: i32,
  sw: i32,
  fh: i32,
  fw: i32,
  dh: i32,
  dw: i32,
  top: i32,
  left: i32,
): void {
  memory.fill(dx, 0, <usize>B * <usize>H * <usize>W * <usize>C * 4);
  let yo: usize = 0;
  for (let b = 0; b < B; b++) {
    const xb = b * H * W * C;
    for (let yr = 0; yr < OH; yr++) {
      const r0 = yr * sh - top;
      for (let yc = 0; yc < OW; yc++) {
        const c0 = yc * sw - left;
        for (let d = 0; d < C; d += 4) {
          const n = min(4, C - d);
          let mv = f32x4.splat(-Infinity);
          let mp = i32x4.splat(-1);
          for (let wr = 0; wr < fh; wr += dh) {
            const r = r0 + wr;
            if (r < 0 || r >= H) continue;
            for (let wc = 0; wc < fw; wc += dw) {
              const c = c0 + wc;
              if (c < 0 || c >= W) continue;
              const o = xb + (r * W + c) * C + d;
              const v = loadN(x + ((<usize>o) << 2), n);
              const m = f32x4.gt(v, mv);
              mv = v128.bitselect(v, mv, m);
              mp = v128.bitselect(i32x4.add(i32x4.splat(o), LANES), mp, m);
            }
          }
          const g = dy + ((yo + <usize>d) << 2);
          scatterLane(dx, i32x4.extract_lane(mp, 0), g);
          if (n > 1) scatterLane(dx, i32x4.extract_lane(mp, 1), g + 4);
          if (n > 2) scatterLane(dx, i32x4.extract_lane(mp, 2), g + 8);
          if (n > 3) scatterLane(dx, i32x4.extract_lane(mp, 3), g + 12);
        }
        yo += <usize>C;
      }
    }
  }
}

// ---- conv2d filter gradient (NHWC, no padding, no dilation, any stride) ----
//
// dW[kh, kw, ci, co] = Σ_{b, oy, ox} x[b, oy·sh + kh, ox·sw + kw, ci] · dy[b, oy, ox, co]
// For a fixed kh, the (kw, ci) positions of a window are fw·Ci contiguous floats of x, so a tile of
// 8 consecutive (kw, ci) positions × 4 output channels accumulates, per output pixel, two f32x4 loads of x
// times four broadcast dy values; the reduction over one image's pixels stays in registers. The last
// tile of a row may read up to 7 floats past the window (the host guarantees they are inside memory) and
// stores only the valid lanes; output channels beyond Co are never read (1-channel tail kernel).

function bfTile4(
  xw: usize,
  dy: usize,
  OH: i32,
  OW: i32,
  rowStep: usize,
  pixStep: usize,
  Co: i32,
  dw: usize,
  n: i32,
): void {
  let a0 = f32x4.splat(0.0);
  let b0 = f32x4.splat(0.0);
  let a1 = f32x4.splat(0.0);
  let b1 = f32x4.splat(0.0);
  let a2 = f32x4.splat(0.0);
  let b2 = f32x4.splat(0.0);
  let a3 = f32x4.splat(0.0);
  let b3 = f32x4.splat(0.0);
  const dyStep = (<usize>Co) << 2;
  let q = dy;
  for (let oy = 0; oy < OH; oy++) {
    let p = xw + <usize>oy * rowStep;
    for (let ox = 0; ox < OW; ox++) {
      const x0 = v128.load(p);
      const x1 = v128.load(p, 16);
      const d0 = v128.load32_splat(q);
      const d1 = v128.load32_splat(q, 4);
      const d2 = v128.load32_splat(q, 8);
      const d3 = v128.load32_splat(q, 12);
      a0 = f32x4.add(a0, f32x4.mul(x0, d0));
      b0 = f32x4.add(b0, f32x4.mul(x1, d0));
      a1 = f32x4.add(a1, f32x4.mul(x0, d1));
      b1 = f32x4.add(b1, f32x4.mul(x1, d1));
      a2 = f32x4.add(a2, f32x4.mul(x0, d2));
      b2 = f32x4.add(b2, f32x4.mul(x1, d2));
      a3 = f32x4.add(a3, f32x4.mul(x0, d3));
      b3 = f32x4.add(b3, f32x4.mul(x1, d3));
      p += pixStep;
      q += dyStep;
    }
  }
  addColumn(dw, dyStep, a0, b0, n);
  addColumn(dw + 4, dyStep, a1, b1, n);
  addColumn(dw + 8, dyStep, a2, b2, n);
  addColumn(dw + 12, dyStep, a3, b3, n);
}

function bfTile1(
  xw: usize,
  dy: usize,
  OH: i32,
  OW: i32,
  rowStep: usize,
  pixStep: usize,
  Co: i32,
  dw: usize,
  n: i32,
): void {
  let a0 = f32x4.splat(0.0);
  let b0 = f32x4.splat(0.0);
  const dyStep = (<usize>Co) << 2;
  let q = dy;
  for (let oy = 0; oy < OH; oy++) {
    let p = xw + <usize>oy * rowStep;
    for (let ox = 0; ox < OW; ox++) {
      const d0 = v128.load32_splat(q);
      a0 = f32x4.add(a0, f32x4.mul(v128.load(p), d0));
      b0 = f32x4.add(b0, f32x4.mul(v128.load(p, 16), d0));
      p += pixStep;
      q += dyStep;
    }
  }
  addColumn(dw, dyStep, a0, b0, n);
}

/** dW[k][co] += lanes of (a, b) for k = 0…n-1 (rows ldw bytes apart), one output channel. */
function addColumn(dw: usize, ldw: usize, a: v128, b: v128, n: i32): void {
  addAt(dw, f32x4.extract_lane(a, 0));
  if (n > 1) addAt(dw + ldw, f32x4.extract_lane(a, 1));
  if (n > 2) addAt(dw + 2 * ldw, f32x4.extract_lane(a, 2));
  if (n > 3) addAt(dw + 3 * ldw, f32x4.extract_lane(a, 3));
  if (n > 4) addAt(dw + 4 * ldw, f32x4.extract_lane(b, 0));
  if (n > 5) addAt(dw + 5 * ldw, f32x4.extract_lane(b, 1));
  if (n > 6) addAt(dw + 6 * ldw, f32x4.extract_lane(b, 2));
  if (n > 7) addAt(dw + 7 * ldw, f32x4.extract_lane(b, 3));
}

function addAt(p: usize, v: f32): void {
  store<f32>(p, load<f32>(p) + v);
}

/**
 * Filter gradient of a valid (unpadded), undilated NHWC conv2d with strides sh, sw: dw [fh·fw·Ci × Co]
 * row-major from x [B, H, W, Ci] and dy [B, OH, OW, Co].
 */
export function conv2dBackpropFilter(
  x: usize,
  dy: usize,
  dw: usize,
  B: i32,
  H: i32,
  W: i32,
  Ci: i32,
  OH: i32,
  OW: i32,
  Co: i32,
  fh: i32,
  fw: i32,
  sh: i32,
  sw: i32,
): void {
  const R = fw * Ci; // contiguous (kw, ci) positions per kh
  const ldw = (<usize>Co) << 2;
  const img = (<usize>H * <usize>W * <usize>Ci) << 2;
  const rowStep = (<usize>sh * <usize>W * <usize>Ci) << 2;
  const pixStep = (<usize>sw * <usize>Ci) << 2;
  const dyImg = (<usize>OH * <usize>OW * <usize>Co) << 2;
  memory.fill(dw, 0, <usize>(fh * R) * ldw);
  for (let b = 0; b < B; b++) {
    const xb = x + <usize>b * img;
    const dyb = dy + <usize>b * dyImg;
    for (let kh = 0; kh < fh; kh++) {
      const xk = xb + ((<usize>kh * <usize>W * <usize>Ci) << 2);
      for (let r = 0; r < R; r += 8) {
        const n = min(8, R - r);
        const dwr = dw + <usize>(kh * R + r) * ldw;
        let co = 0;
        for (; co + 4 <= Co; co += 4) {
          bfTile4(
            xk + ((<usize>r) << 2),
            dyb + ((<usize>co) << 2),
            OH,
            OW,
            rowStep,
            pixStep,
            Co,
            dwr + ((<usize>co) << 2),
            n,
          );
        }
        for (; co < Co; co++) {
          bfTile1(
            xk + ((<usize>r) << 2),
            dyb + ((<usize>co) << 2),
            OH,
            OW,
            rowStep,
            pixStep,
            Co,
            dwr + ((<usize>co) << 2),
            n,
          );
        }
      }
    }
  }
}

// ---- conv2d forward (NHWC, no padding, no dilation, any stride) ----
//
// out[b, oy, ox, co] = Σ_{kh, kw, ci} x[b, oy·sh + kh, ox·sw + kw, ci] · W[kh, kw, ci, co]: the sgemm
// micro-kernel with 4 consecutive output pixels as rows (read in place from x: for each kh the (kw, ci)
// run is contiguous) and the filter [fh·fw·Ci × Co] packed in 8-column panels.

function cfMicro4(
  x: usize,
  pix: usize,
  rowB: usize,
  fh: i32,
  R: i32,
  wp: usize,
  c: usize,
  ldc: usize,
  n: i32,
  epilogue: i32,
  bias0: v128,
  bias1: v128,
  relu: i32,
): void {
  let c00 = f32x4.splat(0.0);
  let c01 = f32x4.splat(0.0);
  let c10 = f32x4.splat(0.0);
  let c11 = f32x4.splat(0.0);
  let c20 = f32x4.splat(0.0);
  let c21 = f32x4.splat(0.0);
  let c30 = f32x4.splat(0.0);
  let c31 = f32x4.splat(0.0);
  let b = wp;
  for (let kh = 0; kh < fh; kh++) {
    let a = x + <usize>kh * rowB;
    const end = a + ((<usize>R) << 2);
    while (a < end) {
      const b0 = v128.load(b);
      const b1 = v128.load(b, 16);
      const x0 = v128.load32_splat(a);
      const x1 = v128.load32_splat(a + pix);
      const x2 = v128.load32_splat(a + 2 * pix);
      const x3 = v128.load32_splat(a + 3 * pix);
      c00 = f32x4.add(c00, f32x4.mul(x0, b0));
      c01 = f32x4.add(c01, f32x4.mul(x0, b1));
      c10 = f32x4.add(c10, f32x4.mul(x1, b0));
      c11 = f32x4.add(c11, f32x4.mul(x1, b1));
      c20 = f32x4.add(c20, f32x4.mul(x2, b0));
      c21 = f32x4.add(c21, f32x4.mul(x2, b1));
      c30 = f32x4.add(c30, f32x4.mul(x3, b0));
      c31 = f32x4.add(c31, f32x4.mul(x3, b1));
      a += 4;
      b += 32;
    }
  }
  if (epilogue) {
    storeTileBiasRelu(c, c00, c01, n, bias0, bias1, relu);
    storeTileBiasRelu(c + ldc, c10, c11, n, bias0, bias1, relu);
    storeTileBiasRelu(c + 2 * ldc, c20, c21, n, bias0, bias1, relu);
    storeTileBiasRelu(c + 3 * ldc, c30, c31, n, bias0, bias1, relu);
    return;
  }
  storeTile(c, 0, c00, c01, n);
  storeTile(c + ldc, 0, c10, c11, n);
  storeTile(c + 2 * ldc, 0, c20, c21, n);
  storeTile(c + 3 * ldc, 0, c30, c31, n);
}

/** Stores a tile row after adding the bias vectors (zero when there is none) and, if relu ≠ 0, max(·, 0). */
@inline
function storeTileBiasRelu(c: usize, v0: v128, v1: v128, n: i32, bias0: v128, bias1: v128, relu: i32): void {
  let a = f32x4.add(v0, bias0);
  let b = f32x4.add(v1, bias1);
  if (relu) {
    a = f32x4.max(a, f32x4.splat(0.0));
    b = f32x4.max(b, f32x4.splat(0.0));
  }
  storeTile(c, 0, a, b, n);
}

function cfMicro1(
  x: usize,
  rowB: usize,
  fh: i32,
  R: i32,
  wp: usize,
  c: usize,
  n: i32,
  epilogue: i32,
  bias0: v128,
  bias1: v128,
  relu: i32,
): void {
  let c00 = f32x4.splat(0.0);
  let c01 = f32x4.splat(0.0);
  let b = wp;
  for (let kh = 0; kh < fh; kh++) {
    let a = x + <usize>kh * rowB;
    const end = a + ((<usize>R) << 2);
    while (a < end) {
      const x0 = v128.load32_splat(a);
      c00 = f32x4.add(c00, f32x4.mul(x0, v128.load(b)));
      c01 = f32x4.add(c01, f32x4.mul(x0, v128.load(b, 16)));
      a += 4;
      b += 32;
    }
  }
  if (epilogue) storeTileBiasRelu(c, c00, c01, n, bias0, bias1, relu);
  else storeTile(c, 0, c00, c01, n);
}

/**
 * Valid (unpadded), undilated NHWC conv2d with strides sh, sw: out [B, OH, OW, Co] from x [B, H, W, Ci] and
 * the filter [fh·fw·Ci × Co] packed by {@link packPanels} (wp). Optionally fused: + bias [Co] (bias ≠ 0)
 * and max(·, 0) (relu ≠ 0), applied to each tile before it is stored.
 */
export function conv2dForward(
  x: usize,
  wp: usize,
  out: usize,
  B: i32,
  H: i32,
  W: i32,
  Ci: i32,
  OH: i32,
  OW: i32,
  Co: i32,
  fh: i32,
  fw: i32,
  sh: i32,
  sw: i32,
  bias: usize,
  relu: i32,
): void {
  const R = fw * Ci;
  const K = fh * R;
  const rowB = (<usize>W * <usize>Ci) << 2;
  const pix = (<usize>sw * <usize>Ci) << 2;
  const ldc = (<usize>Co) << 2;
  const panels = (Co + 7) >> 3;
  for (let b = 0; b < B; b++) {
    for (let oy = 0; oy < OH; oy++) {
      const xr = x + (<usize>b * <usize>H + <usize>oy * <usize>sh) * rowB;
      const cr = out + (<usize>b * <usize>OH + <usize>oy) * <usize>OW * ldc;
      for (let p = 0; p < panels; p++) {
        const col = p << 3;
        const n = min(8, Co - col);
        const panel = wp + <usize>p * <usize>K * 32;
        const epilogue = bias !== 0 || relu !== 0 ? 1 : 0;
        const bp = bias + ((<usize>col) << 2);
        const bias0 = bias ? loadN(bp, min(n, 4)) : f32x4.splat(0.0);
        const bias1 = bias && n > 4 ? loadN(bp + 16, n - 4) : f32x4.splat(0.0);
        let ox = 0;
        for (; ox + 4 <= OW; ox += 4) {
          cfMicro4(
            xr + <usize>ox * pix,
            pix,
            rowB,
            fh,
            R,
            panel,
            cr + <usize>ox * ldc + ((<usize>col) << 2),
            ldc,
            n,
            epilogue,
            bias0,
            bias1,
            relu,
          );
        }
        for (; ox < OW; ox++) {
          cfMicro1(
            xr + <usize>ox * pix,
            rowB,
            fh,
            R,
            panel,
            cr + <usize>ox * ldc + ((<usize>col) << 2),
            n,
            epilogue,
            bias0,
            bias1,
            relu,
          );
        }
      }
    }
  }
}

// ---- Adam update (tfjs AdamOptimizer's float32 op sequence, one pass) ----
//
//   m1 = m·β1 + g·(1−β1)          v1 = v·β2 + (g·g)·(1−β2)
//   w1 = ((m1 / (1−β1ᵗ)) / (sqrt(v1 / (1−β2ᵗ)) + ε))·(−lr) + w
//
// Every operation is one IEEE float32 add/mul/div/sqrt in the same order as tfjs's separate ops, so the
// results equal the stock optimizer's bit for bit. Outputs may not alias inputs.

export function adamStep(
  w: usize,
  g: usize,
  m: usize,
  v: usize,
  wOut: usize,
  mOut: usize,
  vOut: usize,
  n: i32,
  beta1: f32,
  oneMinusBeta1: f32,
  beta2: f32,
  oneMinusBeta2: f32,
  oneMinusAccBeta1: f32,
  oneMinusAccBeta2: f32,
  epsilon: f32,
  negLearningRate: f32,
): void {
  const b1 = f32x4.splat(beta1);
  const c1 = f32x4.splat(oneMinusBeta1);
  const b2 = f32x4.splat(beta2);
  const c2 = f32x4.splat(oneMinusBeta2);
  const a1 = f32x4.splat(oneMinusAccBeta1);
  const a2 = f32x4.splat(oneMinusAccBeta2);
  const ep = f32x4.splat(epsilon);
  const lr = f32x4.splat(negLearningRate);
  let i: i32 = 0;
  for (; i + 4 <= n; i += 4) {
    const o = (<usize>i) << 2;
    const gv = v128.load(g + o);
    const m1 = f32x4.add(f32x4.mul(v128.load(m + o), b1), f32x4.mul(gv, c1));
    const v1 = f32x4.add(f32x4.mul(v128.load(v + o), b2), f32x4.mul(f32x4.mul(gv, gv), c2));
    const r = f32x4.div(f32x4.div(m1, a1), f32x4.add(f32x4.sqrt(f32x4.div(v1, a2)), ep));
    v128.store(wOut + o, f32x4.add(f32x4.mul(r, lr), v128.load(w + o)));
    v128.store(mOut + o, m1);
    v128.store(vOut + o, v1);
  }
  for (; i < n; i++) {
    const o = (<usize>i) << 2;
    const gs = load<f32>(g + o);
    const m1: f32 = load<f32>(m + o) * beta1 + gs * oneMinusBeta1;
    const v1: f32 = load<f32>(v + o) * beta2 + gs * gs * oneMinusBeta2;
    const r: f32 = m1 / oneMinusAccBeta1 / (Mathf.sqrt(v1 / oneMinusAccBeta2) + epsilon);
    store<f32>(wOut + o, r * negLearningRate + load<f32>(w + o));
    store<f32>(mOut + o, m1);
    store<f32>(vOut + o, v1);
  }
}

// ---- Bias add and bias gradient over channels-last tensors ----
//
// A tensor [rows, c] (any leading dims flattened) repeats its channel pattern every c floats, so it
// repeats in whole f32x4 vectors every p = lcm(c, 4) floats: both kernels walk the flat array in blocks
// of p floats with a p-float pattern or accumulator (`scratch`, from the host).

/** out = x + b broadcast over rows (x [rows, c], b [c]). `scratch` holds p floats. Exact (one add each). */
export function addRowVector(
  x: usize,
  b: usize,
  out: usize,
  rows: i32,
  c: i32,
  p: i32,
  scratch: usize,
): void {
  for (let i: i32 = 0; i < p; i++)
    store<f32>(scratch + ((<usize>i) << 2), load<f32>(b + ((<usize>(i % c)) << 2)));
  const n: i32 = rows * c;
  let base: i32 = 0;
  for (; base + p <= n; base += p) {
    const o = (<usize>base) << 2;
    for (let j: i32 = 0; j < p; j += 4) {
      const q = (<usize>j) << 2;
      v128.store(out + o + q, f32x4.add(v128.load(x + o + q), v128.load(scratch + q)));
    }
  }
  for (let i = base; i < n; i++) {
    const o = (<usize>i) << 2;
    store<f32>(out + o, load<f32>(x + o) + load<f32>(scratch + ((<usize>(i - base)) << 2)));
  }
}

/**
 * out[ch] = Σ_rows x[row, ch] (x [rows, c]). Two-level accumulation: blocks of up to 256 patterns are
 * summed into a block accumulator, then added to the total, so rounding grows with ≈ 256 + rows/256
 * terms rather than rows. `scratch` holds 2p floats.
 */
export function sumRows(x: usize, out: usize, rows: i32, c: i32, p: i32, scratch: usize): void {
  const total = scratch;
  const block = scratch + ((<usize>p) << 2);
  for (let j: i32 = 0; j < p; j += 4) v128.store(total + ((<usize>j) << 2), f32x4.splat(0.0));
  const n: i32 = rows * c;
  const blockFloats: i32 = p * 256;
  let base: i32 = 0;
  while (base + p <= n) {
    for (let j: i32 = 0; j < p; j += 4) v128.store(block + ((<usize>j) << 2), f32x4.splat(0.0));
    let end = base + blockFloats;
    if (end > n) end = n;
    for (; base + p <= end; base += p) {
      const o = (<usize>base) << 2;
      for (let j: i32 = 0; j < p; j += 4) {
        const q = (<usize>j) << 2;
        v128.store(block + q, f32x4.add(v128.load(block + q), v128.load(x + o + q)));
      }
    }
    for (let j: i32 = 0; j < p; j += 4) {
      const q = (<usize>j) << 2;
      v128.store(total + q, f32x4.add(v128.load(total + q), v128.load(block + q)));
    }
  }
  for (let i = base; i < n; i++) {
    const q = (<usize>(i - base)) << 2;
    store<f32>(total + q, load<f32>(total + q) + load<f32>(x + ((<usize>i) << 2)));
  }
  for (let ch: i32 = 0; ch < c; ch++) {
    let s: f32 = 0;
    for (let k: i32 = ch; k < p; k += c) s += load<f32>(total + ((<usize>k) << 2));
    store<f32>(out + ((<usize>ch) << 2), s);
  }
}

// ---- MaxPoolGrad, non-overlapping windows (pool size = stride, no padding, no dilation, C ≥ 4) ----

/**
 * Same result as {@link maxPoolGrad} when the windows tile the input without overlap: every input element
 * lies in at most one window, so dx is written directly (dy at the window's first maximum, 0 elsewhere)
 * instead of zero-filled and scattered. Channels go 4 at a time; when C is not a multiple of 4 the last
 * group starts at C − 4 and overlaps the previous one, rewriting the same values. Rows and columns no
 * window covers (H or W not a multiple of the stride) are zeroed.
 */
export function maxPoolGradTiled(
  x: usize,
  dy: usize,
  dx: usize,
  B: i32,
  H: i32,
  W: i32,
  C: i32,
  OH: i32,
  OW: i32,
  fh: i32,
  fw: i32,
): void {
  if (OH * fh !== H || OW * fw !== W) memory.fill(dx, 0, <usize>B * <usize>H * <usize>W * <usize>C * 4);
  const zero = f32x4.splat(0.0);
  const rowB = (<usize>W * <usize>C) << 2;
  const pixB = (<usize>C) << 2;
  const last = C - 4;
  for (let b = 0; b < B; b++) {
    for (let yr = 0; yr < OH; yr++) {
      const xr = x + (<usize>b * <usize>H + <usize>yr * <usize>fh) * rowB;
      const dr = dx + (<usize>b * <usize>H + <usize>yr * <usize>fh) * rowB;
      const gr = dy + (<usize>b * <usize>OH + <usize>yr) * <usize>OW * pixB;
      for (let yc = 0; yc < OW; yc++) {
        const col = <usize>yc * <usize>fw * pixB;
        for (let d = 0; d < C; d += 4) {
          const dd = d > last ? last : d;
          const off = col + ((<usize>dd) << 2);
          let mv = f32x4.splat(-Infinity);
          let mp = i32x4.splat(-1);
          let pos = 0;
          for (let wr = 0; wr < fh; wr++) {
            for (let wc = 0; wc < fw; wc++) {
              const v = v128.load(xr + <usize>wr * rowB + <usize>wc * pixB + off);
              const m = f32x4.gt(v, mv);
              mv = v128.bitselect(v, mv, m);
              mp = v128.bitselect(i32x4.splat(pos), mp, m);
              pos++;
            }
          }
          const g = v128.load(gr + <usize>yc * pixB + ((<usize>dd) << 2));
          pos = 0;
          for (let wr = 0; wr < fh; wr++) {
            for (let wc = 0; wc < fw; wc++) {
              v128.store(
                dr + <usize>wr * rowB + <usize>wc * pixB + off,
                v128.bitselect(g, zero, i32x4.eq(mp, i32x4.splat(pos))),
              );
              pos++;
            }
          }
        }
      }
    }
  }
}

// ---- ReLU gradient and bias gradient in one pass ----

/**
 * dz = y > 0 ? dy : 0 (relu ≠ 0; else dz = dy) and db[ch] = Σ_rows dz[row, ch] over y, dy, dz [rows, c], with
 * the blocked accumulation of {@link sumRows} (`scratch`: 2p floats, p = lcm(c, 4)).
 */
export function reluGradBiasSum(
  dy: usize,
  y: usize,
  dz: usize,
  db: usize,
  rows: i32,
  c: i32,
  p: i32,
  relu: i32,
  scratch: usize,
): void {
  const total = scratch;
  const block = scratch + ((<usize>p) << 2);
  const zero = f32x4.splat(0.0);
  for (let j: i32 = 0; j < p; j += 4) v128.store(total + ((<usize>j) << 2), zero);
  const n: i32 = rows * c;
  const blockFloats: i32 = p * 256;
  let base: i32 = 0;
  while (base + p <= n) {
    for (let j: i32 = 0; j < p; j += 4) v128.store(block + ((<usize>j) << 2), zero);
    let end = base + blockFloats;
    if (end > n) end = n;
    for (; base + p <= end; base += p) {
      const o = (<usize>base) << 2;
      for (let j: i32 = 0; j < p; j += 4) {
        const q = (<usize>j) << 2;
        let g = v128.load(dy + o + q);
        if (relu) g = v128.and(g, f32x4.gt(v128.load(y + o + q), zero));
        v128.store(dz + o + q, g);
        v128.store(block + q, f32x4.add(v128.load(block + q), g));
      }
    }
    for (let j: i32 = 0; j < p; j += 4) {
      const q = (<usize>j) << 2;
      v128.store(total + q, f32x4.add(v128.load(total + q), v128.load(block + q)));
    }
  }
  for (let i = base; i < n; i++) {
    const o = (<usize>i) << 2;
    let g = load<f32>(dy + o);
    if (relu && !(load<f32>(y + o) > 0)) g = 0;
    store<f32>(dz + o, g);
    const q = (<usize>(i - base)) << 2;
    store<f32>(total + q, load<f32>(total + q) + g);
  }
  for (let ch: i32 = 0; ch < c; ch++) {
    let s: f32 = 0;
    for (let k: i32 = ch; k < p; k += c) s += load<f32>(total + ((<usize>k) << 2));
    store<f32>(db + ((<usize>ch) << 2), s);
  }
}

// ---- Conv2DBackpropInput, stride 1, unpadded ----

/**
 * dx of an unpadded, undilated stride-1 NHWC conv2d as a scatter: for every output row (b, oy) and filter
 * row kh, dx[b, oy + kh, ox + kw, ci] += Σ_co dy[b, oy, ox, co] · W[kh, kw, ci, co] — the sgemm of the dy
 * row [OW × Co] with Wᵀ of that filter row [Co × fw·Ci], accumulated in place into dx, where product
 * column (kw, ci) of pixel ox lands at float (ox + kw)·Ci + ci of the dx row. Only the products the
 * gradient needs are computed: the padded-conv formulation also multiplies dy's zero border and pads
 * Ci to the 8-column panel. wp: for each kh, Wᵀ [Co × fw·Ci] packed by {@link packPanels}.
 */
export function conv2dBackpropInputValid(
  dy: usize,
  wp: usize,
  dx: usize,
  B: i32,
  H: i32,
  W: i32,
  Ci: i32,
  OH: i32,
  OW: i32,
  Co: i32,
  fh: i32,
  fw: i32,
): void {
  memory.fill(dx, 0, <usize>B * <usize>H * <usize>W * <usize>Ci * 4);
  const R = fw * Ci;
  const perKh = <usize>((R + 7) >> 3) * <usize>Co * 32;
  const dxRowB = (<usize>W * <usize>Ci) << 2;
  const dyRowB = (<usize>OW * <usize>Co) << 2;
  const rs = (<usize>Co) << 3;
  for (let b = 0; b < B; b++) {
    for (let oy = 0; oy < OH; oy++) {
      const dyRow = dy + (<usize>b * <usize>OH + <usize>oy) * dyRowB;
      for (let kh = 0; kh < fh; kh++) {
        const dxRow = dx + (<usize>b * <usize>H + <usize>(oy + kh)) * dxRowB;
        const wk = wp + <usize>kh * perKh;
        // Even pixels, then odd ones: the rows of a tile are 2·Ci floats apart, so a row's
        // read-add-write does not overlap the previous row's store (a store-forwarding stall).
        gemmStrided(dyRow, rs, 4, (OW + 1) >> 1, Co, wk, R, dxRow, 2 * Ci, dxRow, 2 * Ci);
        const dyOdd = dyRow + ((<usize>Co) << 2);
        const dxOdd = dxRow + ((<usize>Ci) << 2);
        gemmStrided(dyOdd, rs, 4, OW >> 1, Co, wk, R, dxOdd, 2 * Ci, dxOdd, 2 * Ci);
      }
    }
  }
}
