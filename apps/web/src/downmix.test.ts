import { describe, expect, it } from 'vitest';
import { downmix } from './downmix.js';

describe('downmix', () => {
  it('averages channels', () => {
    expect(Array.from(downmix([Float32Array.from([1, 0.5]), Float32Array.from([0, -0.5])]))).toEqual([
      0.5, 0,
    ]);
  });

  it('copies a mono channel', () => {
    const ch = Float32Array.from([0.25, -0.25]);
    const out = downmix([ch]);
    expect(Array.from(out)).toEqual([0.25, -0.25]);
    expect(out).not.toBe(ch);
  });

  it('rejects no channels and unequal lengths', () => {
    expect(() => downmix([])).toThrow(/no channels/);
    expect(() => downmix([new Float32Array(2), new Float32Array(3)])).toThrow(/lengths/);
  });
});
