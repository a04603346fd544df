import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerFastKernels } from './register.js';
import { type SimdMode, setSimdMode } from './simd-module.js';
import { expectClose, initBackends, randomValues, runOn } from './test-utils/backends.js';

beforeAll(async () => {
  await initBackends();
  registerFastKernels();
});

/** Runs on wasm with the SIMD module ('auto') and without it ('js'), returning both results. */
async function onBothWasmPaths(f: () => tf.Tensor | tf.Tensor[]): Promise<[SimdMode, Float32Array[]][]> {
  const out: [SimdMode, Float32Array[]][] = [];
  for (const mode of ['auto', 'js'] as const) {
    setSimdMode(mode);
    try {
      out.push([mode, await runOn('wasm', f)]);
    } finally {
      setSimdMode('auto');
    }
  }
  return out;
}

interface Case {
  x: [number, number, number, number];
  pool: [number, number];
  stride: number;
  pad: 'valid' | 'same';
}

const cases: Case[] = [
  { x: [1, 2, 2, 1], pool: [2, 2], stride: 2, pad: 'valid' },
  { x: [4, 62, 73, 6], pool: [2, 2], stride: 2, pad: 'valid' },
  { x: [3, 13, 17, 16], pool: [2, 2], stride: 2, pad: 'valid' },
  // cnn-robust's first pool on 24 bands: tfjs-wasm 4.22's own MaxPoolGrad is wrong here (see STOCK_COMPLETIONS).
  { x: [2, 22, 38, 8], pool: [2, 2], stride: 2, pad: 'valid' },
  { x: [2, 7, 9, 3], pool: [2, 2], stride: 2, pad: 'same' },
  { x: [2, 8, 7, 5], pool: [3, 3], stride: 1, pad: 'same' },
  { x: [1, 9, 10, 2], pool: [3, 2], stride: 2, pad: 'valid' },
  { x: [2, 9, 11, 7], pool: [3, 3], stride: 2, pad: 'same' },
  // Non-overlapping windows (the direct-write SIMD kernel): C = 4, 5 (overlapping channel groups), 9.
  { x: [2, 8, 8, 4], pool: [2, 2], stride: 2, pad: 'valid' },
  { x: [2, 9, 13, 5], pool: [3, 3], stride: 3, pad: 'valid' },
  { x: [1, 6, 6, 9], pool: [3, 3], stride: 3, pad: 'valid' },
];

describe('MaxPoolGrad', () => {
  for (const c of cases) {
    it(`x[${c.x}] pool ${c.pool.join('×')} stride ${c.stride} ${c.pad}, ties after ReLU: equals cpu`, async () => {
      // Rounded values through ReLU: about half the inputs are 0 and many windows tie.
      const xv = randomValues(
        c.x.reduce((a, b) => a * b, 1),
        21,
        -3,
        3,
      ).map(Math.round);
      const f = () => {
        const x = tf.tensor4d(xv, c.x);
        const gradFn = tf.grad((a: tf.Tensor) => {
          const y = tf.maxPool(tf.relu(a as tf.Tensor4D), c.pool, c.stride, c.pad);
          return tf.sum(tf.mul(y, tf.tensor(randomValues(y.size, 22), y.shape)));
        });
        return [gradFn(x), tf.maxPool(tf.relu(x), c.pool, c.stride, c.pad)];
      };
      const want = await runOn('cpu', f);
      // Non-overlapping windows: each dx is a single dy value, so exact; overlapping: sums of ≤ 9.
      for (const [mode, got] of await onBothWasmPaths(f))
        expectClose(got, want, 1e-6, 1e-6, `maxPoolGrad ${mode}`);
    });
  }

  it('gives a tied window its gradient at the first maximum in row-major order (as cpu)', async () => {
    const f = () =>
      tf.grad((a: tf.Tensor) => tf.sum(tf.maxPool(a as tf.Tensor4D, 2, 2, 'valid')))(
        tf.tensor4d([0, 5, 5, 5, 1, 1, 1, 1], [1, 2, 4, 1]),
      );
    const want = await runOn('cpu', f);
    for (const [, got] of await onBothWasmPaths(f)) {
      expect(Array.from(got[0] as Float32Array)).toEqual([0, 1, 1, 0, 0, 0, 0, 0]);
      expect(Array.from(got[0] as Float32Array)).toEqual(Array.from(want[0] as Float32Array));
    }
  });

  it('passes no gradient from an all -Infinity window', async () => {
    const f = () =>
      tf.grad((a: tf.Tensor) => tf.sum(tf.mul(tf.maxPool(a as tf.Tensor4D, 2, 2, 'valid'), 0)))(
        tf.tensor4d(
          [
            Number.NEGATIVE_INFINITY,
            Number.NEGATIVE_INFINITY,
            Number.NEGATIVE_INFINITY,
            Number.NEGATIVE_INFINITY,
          ],
          [1, 2, 2, 1],
        ),
      );
    for (const [, got] of await onBothWasmPaths(f))
      expect(Array.from(got[0] as Float32Array)).toEqual([0, 0, 0, 0]);
  });
});
