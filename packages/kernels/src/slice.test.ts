import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerFastKernels } from './register.js';
import { initBackends, randomValues, runOn } from './test-utils/backends.js';

beforeAll(async () => {
  await initBackends();
  registerFastKernels();
});

function randInt(seed: number, n: number): number {
  return Math.floor((randomValues(1, seed, 0, 1)[0] as number) * n);
}

describe('Slice', () => {
  it('equals the cpu backend exactly on random shapes, begins and sizes (ranks 1–5, float32/int32/bool)', async () => {
    for (let trial = 0; trial < 60; trial++) {
      const rank = 1 + (trial % 5);
      const shape = Array.from({ length: rank }, (_, i) => 1 + randInt(trial * 31 + i, 6));
      const begin = shape.map((d, i) => randInt(trial * 17 + i + 100, d));
      const size = shape.map((d, i) => {
        const left = d - (begin[i] as number);
        return trial % 7 === 0 && i === 0 ? -1 : 1 + randInt(trial * 13 + i + 200, left);
      });
      const dtype = (['float32', 'int32', 'bool'] as const)[trial % 3] as 'float32' | 'int32' | 'bool';
      const vals = randomValues(
        shape.reduce((a, b) => a * b, 1),
        trial,
        -50,
        50,
      ).map(Math.round);
      const f = () => tf.cast(tf.slice(tf.tensor(vals, shape, dtype), begin, size), 'float32');
      const want = await runOn('cpu', f);
      const got = await runOn('wasm', f);
      expect(Array.from(got[0] as Float32Array)).toEqual(Array.from(want[0] as Float32Array));
    }
  });

  it('unstacks a [32, 80, 64] sequence into 80 steps equal to cpu', async () => {
    const vals = randomValues(32 * 80 * 64, 5);
    const f = () => tf.unstack(tf.tensor3d(vals, [32, 80, 64]), 1);
    const want = await runOn('cpu', f);
    const got = await runOn('wasm', f);
    expect(got).toHaveLength(80);
    for (let t = 0; t < 80; t++) expect(got[t]).toEqual(want[t]);
  });

  it('handles empty slices and whole-tensor slices', async () => {
    const f = () => {
      const x = tf.tensor2d([1, 2, 3, 4, 5, 6], [2, 3]);
      return [tf.slice(x, [0, 1], [2, 0]), tf.slice(x, [0, 0], [2, 3]), tf.slice(x, [1, 0], [1, 3])];
    };
    const got = await runOn('wasm', f);
    expect(got[0]).toHaveLength(0);
    expect(Array.from(got[1] as Float32Array)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(Array.from(got[2] as Float32Array)).toEqual([4, 5, 6]);
  });
});
