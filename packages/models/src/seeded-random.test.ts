import { describe, expect, it } from 'vitest';
import { epochPermutation, permutation } from './seeded-random.js';

describe('seeded-random', () => {
  it('makes valid permutations that depend on the seed and epoch', () => {
    const p = permutation(100, 7);
    expect([...p].sort((x, y) => x - y)).toEqual([...Array(100).keys()]);
    expect([...permutation(100, 7)]).toEqual([...p]);
    expect([...permutation(100, 8)]).not.toEqual([...p]);
    expect([...epochPermutation(50, 1, 0)]).not.toEqual([...epochPermutation(50, 1, 1)]);
    expect([...epochPermutation(50, 1, 3)]).toEqual([...epochPermutation(50, 1, 3)]);
  });
});
