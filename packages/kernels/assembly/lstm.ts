// A whole LSTM layer's forward recurrence and its BPTT in one call each (per-step recurrent sgemm + gates).
import { hardSigmoidv, loadN, sigmoidv, storeN, tanhv } from './common';
import { gemm } from './gemm';

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
