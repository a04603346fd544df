// conv2d forward (bias + ReLU fused), filter gradient and stride-1 input gradient for unpadded NHWC convs.
import { loadN } from './common';
import { gemmStrided, storeTile } from './gemm';

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
