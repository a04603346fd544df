import { describe, expect, it } from 'vitest';
import { createRng, deriveSeed, keyedSeed, shuffled } from './prng.js';

describe('prng', () => {
  it('is deterministic and resumable from its state', () => {
    const a = createRng(42);
    const first = [a.next(), a.next()];
    const b = createRng(42);
    expect([b.next(), b.next()]).toEqual(first);
    const c = createRng(a.state);
    expect(c.next()).toBe(a.next());
    for (let i = 0; i < 1000; i++) {
      const v = a.next();
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThan(1);
    }
    expect(createRng(0).next()).toBeCloseTo(0.26642920868471265, 15); // mulberry32's reference stream
  });

  it('derives distinct 31-bit seeds from integers, and 32-bit seeds from keys', () => {
    const seeds = new Set<number>();
    for (let i = 0; i < 1000; i++) seeds.add(deriveSeed(1, i));
    expect(seeds.size).toBe(1000);
    for (const s of seeds) expect(s).toBeLessThan(2 ** 31);
    expect(deriveSeed(1, 2)).not.toBe(deriveSeed(2, 1));
    // FNV-1a of 'a' with the standard offset basis (seed 0): 0xe40c292c.
    expect(keyedSeed(0, 'a')).toBe(0xe40c292c);
    expect(keyedSeed(1, 'violin|TimGM6mb')).not.toBe(keyedSeed(2, 'violin|TimGM6mb'));
  });

  it('shuffles a copy, every item once', () => {
    const items = [...Array(50).keys()];
    const s = shuffled(items, createRng(3));
    expect(items).toEqual([...Array(50).keys()]);
    expect([...s].sort((x, y) => x - y)).toEqual(items);
    expect(s).not.toEqual(items);
    expect(shuffled(items, createRng(3))).toEqual(s);
  });
});
