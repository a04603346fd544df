// Max-pool gradients (NHWC) with the cpu backend's tie-breaking: general windows and non-overlapping tiles.
import { loadN } from './common';

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
