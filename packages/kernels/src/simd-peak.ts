import { findBackend } from '@tensorflow/tfjs-core';
import { asWasm } from './backend-access.js';
import { simdKernelsFor } from './simd-module.js';

/** Flops per iteration of the module's `mulAddPeak` loop. */
const FLOPS_PER_ITERATION = 48;

/**
 * The f32x4 arithmetic peak of one thread on this machine, in GFLOP/s: independent multiply and add chains
 * in the kernels' own WebAssembly module (wasm SIMD 128 has no fused multiply-add), the best of `rounds`
 * runs of ≈ 0.1 s. The roofline for the kernels' GFLOP/s, measured in the same run as them.
 *
 * @param rounds Runs, integer ≥ 1 (default 5).
 * @returns GFLOP/s, or null when the SIMD module cannot run (the wasm backend not registered and
 * initialised, or no WebAssembly SIMD).
 */
export function measureSimdPeak(rounds = 5): number | null {
  const backend = findBackend('wasm');
  if (!backend) return null;
  const k = simdKernelsFor(asWasm(backend));
  if (!k) return null;
  let iters = 1 << 16;
  let best = 0;
  // Grow the loop until one run takes ≥ 0.1 s, then keep the best rate.
  for (let r = 0; r < rounds || best === 0; ) {
    const t0 = performance.now();
    k.mulAddPeak(iters);
    const s = (performance.now() - t0) / 1000;
    if (s < 0.1) {
      iters *= 2;
      continue;
    }
    best = Math.max(best, (iters * FLOPS_PER_ITERATION) / s / 1e9);
    r++;
  }
  return best;
}
