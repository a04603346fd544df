import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerFastKernels } from './register.js';
import { setSimdMode } from './simd-module.js';
import { expectClose, initBackends, randomValues, runOn } from './test-utils/backends.js';

beforeAll(async () => {
  await initBackends();
  registerFastKernels();
});
afterAll(() => setSimdMode('auto'));

const size = (s: number[]) => s.reduce((a, b) => a * b, 1);

/** Index of the first element that differs (bitwise for numbers), or -1. */
function firstDifference(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) return -2;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return i;
  return -1;
}

// Channel counts with every residue mod 4 (patterns of 4, 8, 12, 28, 16, 20 floats; 129 → 516) and
// row counts that leave partial patterns; one long enough for several 256-row sum blocks.
const CASES: { shape: number[]; bias: number[] }[] = [
  { shape: [2, 3, 5, 1], bias: [1] },
  { shape: [3, 7, 2], bias: [2] },
  { shape: [5, 3], bias: [3] },
  { shape: [2, 9, 7], bias: [1, 1, 7] },
  { shape: [4, 4, 4, 16], bias: [16] },
  { shape: [3, 5], bias: [5] },
  { shape: [7, 129], bias: [129] },
  { shape: [8, 30, 38, 6], bias: [6] },
];

describe.each(['auto', 'js'] as const)('bias Add and Sum (SIMD module %s)', (mode) => {
  beforeAll(() => setSimdMode(mode));

  it('Add of a tensor and a bias vector equals the cpu backend exactly, in both operand orders', async () => {
    for (const [i, { shape, bias }] of CASES.entries()) {
      const xv = randomValues(size(shape), 100 + i, -5, 5);
      const bv = randomValues(size(bias), 200 + i, -5, 5);
      for (const swap of [false, true]) {
        const f = () => {
          const x = tf.tensor(xv, shape);
          const b = tf.tensor(bv, bias);
          return swap ? tf.add(b, x) : tf.add(x, b);
        };
        const want = await runOn('cpu', f);
        const got = await runOn('wasm', f);
        expect(firstDifference(got[0]!, want[0]!), `${shape} + ${bias}`).toBe(-1);
      }
    }
  });

  it('leaves other Adds to the stock kernel (same shapes, scalars, int32, row broadcasts)', async () => {
    const f = () => [
      tf.add(tf.tensor(randomValues(12, 1), [3, 4]), tf.tensor(randomValues(12, 2), [3, 4])),
      tf.add(tf.tensor(randomValues(12, 3), [3, 4]), tf.scalar(2)),
      tf.cast(tf.add(tf.tensor([1, 2, 3, 4], [2, 2], 'int32'), tf.tensor([5, 6], [2], 'int32')), 'float32'),
      tf.add(tf.tensor(randomValues(12, 4), [3, 4]), tf.tensor(randomValues(3, 5), [3, 1])),
      tf.add(tf.tensor(randomValues(4, 6), [4]), tf.tensor(randomValues(4, 7), [4])),
    ];
    const want = await runOn('cpu', f);
    const got = await runOn('wasm', f);
    for (const [i, g] of got.entries()) expect(Array.from(g)).toEqual(Array.from(want[i]!));
  });

  it('Sum over every axis but the last (the bias gradient) equals the cpu backend within 1e-6·Σ|x|', async () => {
    for (const [i, { shape }] of CASES.entries()) {
      const xv = randomValues(size(shape), 300 + i, -1, 1);
      const axes = shape.slice(0, -1).map((_, k) => k);
      for (const keepDims of [false, true]) {
        const f = () => tf.sum(tf.tensor(xv, shape), axes.slice().reverse(), keepDims);
        const want = await runOn('cpu', f);
        const got = await runOn('wasm', f);
        const rows = size(shape) / (shape.at(-1) as number);
        expectClose(got, want, 1e-6 * rows, 0, `sum ${shape}`);
        const shapeOf = await runOn('wasm', () => tf.tensor(f().shape));
        expect(Array.from(shapeOf[0]!)).toEqual(
          keepDims ? [...axes.map(() => 1), shape.at(-1)] : [shape.at(-1)],
        );
      }
    }
  });

  it('leaves other Sums to the stock kernel (last axis, all axes, int32) and gives bias gradients like cpu', async () => {
    const xv = randomValues(60, 9);
    const f = () => {
      const x = tf.tensor(xv, [3, 4, 5]);
      const b = tf.tensor(randomValues(5, 10), [5]);
      const g = tf.grad((bb: tf.Tensor) => tf.sum(tf.mul(tf.add(x, bb), tf.add(x, bb))))(b);
      return [
        tf.sum(x, -1),
        tf.sum(x),
        tf.sum(x, [0, 2]),
        tf.cast(tf.sum(tf.tensor([1, 2, 3, 4], [2, 2], 'int32'), 0), 'float32'),
        g,
      ];
    };
    const want = await runOn('cpu', f);
    const got = await runOn('wasm', f);
    expectClose(got, want, 1e-5, 1e-5, 'other sums');
  });
});
