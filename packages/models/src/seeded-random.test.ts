import { describe, expect, it } from 'vitest';
import { createRandom, deriveSeed, epochPermutation, permutation } from './seeded-random.js';

describe('seeded-random', () => {
  it('is deterministic and resumable from its state', () => {
    const a = createRandom(42);
    const first = [a.next(), a.next()];
    const b = createRandom(42);
    expect([b.next(), b.next()]).toEqual(first);
    const c = createRandom(a.state);
    expect(c.next()).toBe(a.next());
    for (let i = 0; i < 1000; i++) {
      const v = a.next();
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThan(1);
    }
  });

  it('makes valid permutations that depend on the seed and epoch', () => {
    const p = permutation(100, 7);
    expect([...p].sort((x, y) => x - y)).toEqual([...Array(100).keys()]);
    expect([...permutation(100, 7)]).toEqual([...p]);
    expect([...permutation(100, 8)]).not.toEqual([...p]);
    expect([...epochPermutation(50, 1, 0)]).not.toEqual([...epochPermutation(50, 1, 1)]);
    expect([...epochPermutation(50, 1, 3)]).toEqual([...epochPermutation(50, 1, 3)]);
  });

  it('derives distinct 31-bit seeds', () => {
    const seeds = new Set<number>();
    for (let i = 0; i < 1000; i++) seeds.add(deriveSeed(1, i));
    expect(seeds.size).toBe(1000);
    for (const s of seeds) expect(s).toBeLessThan(2 ** 31);
    expect(deriveSeed(1, 2)).not.toBe(deriveSeed(2, 1));
  });
});
