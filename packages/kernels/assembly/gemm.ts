// The register-blocked 4×8 sgemm over a packed right-hand side (the fast BatchMatMul), and its strided core.
import { loadN, storeN } from './common';

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
export function storeTile(c: usize, c0: usize, v0: v128, v1: v128, n: i32): void {
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
export function gemmStrided(
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
