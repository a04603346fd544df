/**
 * Training order: seeded permutations from `@timbre/dataset`'s one generator, so the same seed gives the
 * same batches.
 */
import { createRng, deriveSeed } from '@timbre/dataset';

/**
 * A seeded Fisher–Yates permutation of 0..n-1.
 *
 * @param n Length, n ≥ 0.
 * @param seed Seed; the same (n, seed) always gives the same permutation.
 */
export function permutation(n: number, seed: number): Uint32Array {
  const rng = createRng(seed);
  const out = new Uint32Array(n);
  for (let i = 0; i < n; i++) out[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const t = out[i]!;
    out[i] = out[j]!;
    out[j] = t;
  }
  return out;
}

/**
 * The shuffle order for one training epoch, derived from the run seed and the epoch number alone,
 * so a resumed run sees exactly the same batches as an uninterrupted one.
 *
 * @param n Number of training samples.
 * @param seed Run seed.
 * @param epoch Zero-based epoch index.
 */
export function epochPermutation(n: number, seed: number, epoch: number): Uint32Array {
  return permutation(n, deriveSeed(seed, 0x5eed, epoch));
}
