// The machine's f32x4 arithmetic peak for one thread, for the benchmarks' roofline: 6 independent multiply
// chains and 6 independent add chains per iteration (48 flops; wasm SIMD 128 has no fused multiply-add, so
// a multiply and an add are the most a kernel issues per pair of floats). 12 accumulators + 2 constants fit
// the 16 x86-64 vector registers V8 uses (16 accumulators spill and halve the rate).

/** Runs `iters` iterations (48 flops each) and returns a value that depends on all of them. */
export function mulAddPeak(iters: i32): f32 {
  const m = f32x4.splat(0.9999999);
  const d = f32x4.splat(1e-7);
  let a0 = f32x4.splat(1.0);
  let a1 = f32x4.splat(1.1);
  let a2 = f32x4.splat(1.2);
  let a3 = f32x4.splat(1.3);
  let a4 = f32x4.splat(1.4);
  let a5 = f32x4.splat(1.5);
  let s0 = f32x4.splat(0.0);
  let s1 = f32x4.splat(0.1);
  let s2 = f32x4.splat(0.2);
  let s3 = f32x4.splat(0.3);
  let s4 = f32x4.splat(0.4);
  let s5 = f32x4.splat(0.5);
  for (let i = 0; i < iters; i++) {
    a0 = f32x4.mul(a0, m);
    s0 = f32x4.add(s0, d);
    a1 = f32x4.mul(a1, m);
    s1 = f32x4.add(s1, d);
    a2 = f32x4.mul(a2, m);
    s2 = f32x4.add(s2, d);
    a3 = f32x4.mul(a3, m);
    s3 = f32x4.add(s3, d);
    a4 = f32x4.mul(a4, m);
    s4 = f32x4.add(s4, d);
    a5 = f32x4.mul(a5, m);
    s5 = f32x4.add(s5, d);
  }
  const a = f32x4.add(f32x4.add(f32x4.add(a0, a1), f32x4.add(a2, a3)), f32x4.add(a4, a5));
  const s = f32x4.add(f32x4.add(f32x4.add(s0, s1), f32x4.add(s2, s3)), f32x4.add(s4, s5));
  const v = f32x4.add(a, s);
  return f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 3);
}
