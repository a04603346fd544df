/**
 * Deterministic pseudo-random numbers. Every random choice in this package (weight init seeds,
 * shuffling) goes through here so that the same seed gives the same result.
 */

/** A seeded generator of uniform floats in [0, 1). */
export interface SeededRandom {
  /** Next uniform float in [0, 1). */
  next(): number;
  /** Next uniform integer in [0, n), n ≥ 1. */
  nextInt(n: number): number;
  /** The internal 32-bit state (unsigned); `createRandom(state)` continues the same stream. */
  readonly state: number;
}

/**
 * mulberry32: a small, fast 32-bit generator, good enough for shuffling and seed derivation.
 *
 * @param seed Any integer; only its low 32 bits are used.
 */
export function createRandom(seed: number): SeededRandom {
  let s = seed >>> 0;
  const next = (): number => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    nextInt: (n: number) => Math.floor(next() * n),
    get state() {
      return s;
    },
  };
}

/**
 * Mixes integers into one 32-bit seed (order matters), e.g. `deriveSeed(seed, epoch)`.
 *
 * @param parts Integers; each is reduced to its low 32 bits.
 * @returns An unsigned 31-bit integer (safe as a tfjs initializer seed).
 */
export function deriveSeed(...parts: number[]): number {
  let h = 0x811c9dc5;
  for (const p of parts) {
    let v = p >>> 0;
    for (let i = 0; i < 4; i++) {
      h ^= v & 0xff;
      h = Math.imul(h, 0x01000193);
      v >>>= 8;
    }
  }
  // final avalanche (murmur3 fmix32)
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return (h >>> 0) & 0x7fffffff;
}

/**
 * A seeded Fisher–Yates permutation of 0..n-1.
 *
 * @param n Length, n ≥ 0.
 * @param seed Seed; the same (n, seed) always gives the same permutation.
 */
export function permutation(n: number, seed: number): Uint32Array {
  const rng = createRandom(seed);
  const out = new Uint32Array(n);
  for (let i = 0; i < n; i++) out[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = rng.nextInt(i + 1);
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
