/**
 * The project's one seeded pseudo-random generator (mulberry32) and seed derivation. Every random choice
 * in timbre (corpus selection, splits, weight init, shuffling, augmentation) goes through here, so a given
 * seed always yields the same data and the same weights.
 */

/** A seeded generator. */
export interface Rng {
  /** Uniform float in [0, 1). */
  next(): number;
  /** Uniform integer in [0, n), n ≥ 1. */
  int(n: number): number;
  /** The internal 32-bit state (unsigned); `createRng(state)` continues the same stream. */
  readonly state: number;
}

/**
 * Create a mulberry32 generator: small, fast, good enough for shuffling, selection and augmentation.
 * @param seed Any integer (taken modulo 2^32).
 */
export function createRng(seed: number): Rng {
  let a = seed >>> 0;
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (n: number) => Math.floor(next() * n),
    get state() {
      return a;
    },
  };
}

/**
 * Mixes integers into one seed (order matters), e.g. `deriveSeed(seed, epoch, batch)`: FNV-1a over the
 * parts' bytes, then the murmur3 finaliser.
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
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return (h >>> 0) & 0x7fffffff;
}

/**
 * A seed for a named purpose, e.g. `keyedSeed(seed, 'violin|TimGM6mb')`: FNV-1a of the key's UTF-16 code
 * units with the base seed mixed into the offset basis.
 * @param seed Any integer (taken modulo 2^32).
 * @param key Names what the seed is for.
 * @returns An unsigned 32-bit integer.
 */
export function keyedSeed(seed: number, key: string): number {
  let h = (0x811c9dc5 ^ (seed >>> 0)) >>> 0;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** Fisher–Yates shuffle of a copy of `items`, driven by `rng`. */
export function shuffled<T>(items: readonly T[], rng: Rng): T[] {
  const out = items.slice();
  for (let i = out.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const tmp = out[i]!;
    out[i] = out[j]!;
    out[j] = tmp;
  }
  return out;
}
