import { describe, expect, it } from 'vitest';
import { toModelInput } from './layout.js';

describe('toModelInput', () => {
  it("transposes each frame-major sample to [nMels][nFrames][1] for 'mels-frames-channel'", () => {
    const nFrames = 3;
    const nMels = 2;
    // Two samples; value = 100·sample + 10·frame + mel.
    const x = new Float32Array(2 * nFrames * nMels);
    for (let b = 0; b < 2; b++)
      for (let t = 0; t < nFrames; t++)
        for (let m = 0; m < nMels; m++) x[(b * nFrames + t) * nMels + m] = 100 * b + 10 * t + m;
    const { data, shape } = toModelInput(x, nFrames, nMels, 'mels-frames-channel');
    expect(shape).toEqual([2, nMels, nFrames, 1]);
    expect(Array.from(data)).toEqual([0, 10, 20, 1, 11, 21, 100, 110, 120, 101, 111, 121]);
  });

  it('matches the indexing of @timbre/models toInputTensor at the paper size', () => {
    const nFrames = 80;
    const nMels = 64;
    const x = Float32Array.from({ length: 2 * nFrames * nMels }, (_, i) => Math.sin(i));
    const { data } = toModelInput(x, nFrames, nMels, 'mels-frames-channel');
    for (const [b, m, t] of [
      [0, 0, 0],
      [0, 63, 79],
      [1, 5, 17],
      [1, 40, 2],
    ] as const) {
      expect(data[((b * nMels + m) * nFrames + t) * 1]).toBe(x[(b * nFrames + t) * nMels + m]);
    }
  });

  it("copies unchanged for 'frames-mels' (LSTM input)", () => {
    const x = Float32Array.from([1, 2, 3, 4, 5, 6]);
    const { data, shape } = toModelInput(x, 3, 2, 'frames-mels');
    expect(shape).toEqual([1, 3, 2]);
    expect(Array.from(data)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(data).not.toBe(x);
  });

  it('rejects a partial sample', () => {
    expect(() => toModelInput(new Float32Array(7), 3, 2, 'mels-frames-channel')).toThrow(/multiple/);
  });
});
