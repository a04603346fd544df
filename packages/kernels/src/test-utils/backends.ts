// The union package's CJS bundle registers gradients and chained ops on the same tfjs-core instance
// (the ESM deep imports of tfjs-core/dist would create a second engine/Tensor class).
import '@tensorflow/tfjs';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';

/** Initializes cpu and wasm (checking wasm really started) and leaves wasm active. */
export async function initBackends(): Promise<void> {
  if (!(await tf.setBackend('cpu'))) throw new Error('cpu backend failed');
  if (!(await tf.setBackend('wasm')) || tf.getBackend() !== 'wasm') throw new Error('wasm backend failed');
}

/** Runs fn on a backend inside tidy and returns copies of the outputs' values. */
export async function runOn(
  backend: 'cpu' | 'wasm',
  fn: () => tf.Tensor | tf.Tensor[],
): Promise<Float32Array[]> {
  await tf.setBackend(backend);
  if (tf.getBackend() !== backend) throw new Error(`not on ${backend}`);
  return tf.tidy(() => {
    const out = fn();
    const list = Array.isArray(out) ? out : [out];
    return list.map((t) => Float32Array.from(t.dataSync()));
  });
}

/** Deterministic uniform values in [lo, hi). */
export function randomValues(n: number, seed: number, lo = -1, hi = 1): Float32Array {
  let s = seed >>> 0;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = lo + (hi - lo) * (((t ^ (t >>> 14)) >>> 0) / 4294967296);
  }
  return out;
}

/** Largest |a - b| / (atol + rtol·|b|) over the arrays; ≤ 1 means within tolerance. */
export function tolRatio(a: Float32Array, b: Float32Array, atol: number, rtol: number): number {
  if (a.length !== b.length) return Number.POSITIVE_INFINITY;
  let worst = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as number;
    const y = b[i] as number;
    if (Number.isNaN(x) !== Number.isNaN(y)) return Number.POSITIVE_INFINITY;
    if (Number.isNaN(x)) continue;
    const r = Math.abs(x - y) / (atol + rtol * Math.abs(y));
    if (r > worst) worst = r;
  }
  return worst;
}

/** Asserts every output pair is within tolerance (throws with the worst index otherwise). */
export function expectClose(
  got: Float32Array[],
  want: Float32Array[],
  atol: number,
  rtol: number,
  label = '',
): void {
  if (got.length !== want.length) throw new Error(`${label}: ${got.length} outputs vs ${want.length}`);
  got.forEach((g, i) => {
    const r = tolRatio(g, want[i] as Float32Array, atol, rtol);
    if (!(r <= 1)) throw new Error(`${label} output ${i}: tolerance ratio ${r} (atol ${atol}, rtol ${rtol})`);
  });
}
