// Bias add over channels-last rows, bias gradient (column sums) and the ReLU gradient fused with it.

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
