// The Adam update as tfjs AdamOptimizer's float32 op sequence, in one pass.

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
