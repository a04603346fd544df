import { describe, expect, it } from 'vitest';
import { meanRows, topK } from './aggregate.js';

describe('topK', () => {
  it('sorts by probability and keeps k', () => {
    expect(topK([0.1, 0.6, 0.3], ['a', 'b', 'c'], 2)).toEqual([
      { label: 'b', probability: 0.6 },
      { label: 'c', probability: 0.3 },
    ]);
    expect(topK([0.5, 0.5], ['a', 'b'], 5).map((t) => t.label)).toEqual(['a', 'b']);
  });
});

describe('meanRows', () => {
  it('averages rows', () => {
    const m = meanRows(Float32Array.from([1, 0, 0, 0, 1, 0]), 3);
    expect(m).toEqual([0.5, 0.5, 0]);
  });

  it('rejects empty or ragged input', () => {
    expect(() => meanRows(new Float32Array(0), 3)).toThrow(RangeError);
    expect(() => meanRows(new Float32Array(4), 3)).toThrow(RangeError);
  });
});
