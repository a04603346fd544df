import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { UnsupportedConfigError } from './errors.js';
import { registerFastKernels } from './register.js';
import { setSimdMode } from './simd-module.js';
import { expectClose, initBackends, randomValues, runOn } from './test-utils/backends.js';

// Tolerance for conv gradients (sums of up to B·Ho·Wo products in another order): 1e-5 + 1e-4·|ref|.
const ATOL = 1e-5;
const RTOL = 1e-4;

beforeAll(async () => {
  await initBackends();
  registerFastKernels();
});

interface Case {
  x: [number, number, number, number];
  k: [number, number];
  co: number;
  stride: number;
  pad: 'valid' | 'same';
}

const cases: Case[] = [
  { x: [1, 5, 5, 1], k: [1, 1], co: 1, stride: 1, pad: 'valid' },
  { x: [2, 13, 17, 1], k: [5, 5], co: 6, stride: 1, pad: 'valid' },
  { x: [3, 11, 20, 1], k: [3, 8], co: 6, stride: 1, pad: 'valid' },
  { x: [2, 9, 14, 6], k: [3, 8], co: 16, stride: 1, pad: 'valid' },
  { x: [1, 9, 12, 6], k: [5, 5], co: 16, stride: 1, pad: 'same' },
  { x: [2, 7, 15, 3], k: [3, 8], co: 4, stride: 1, pad: 'same' },
  { x: [2, 9, 11, 3], k: [3, 3], co: 5, stride: 2, pad: 'valid' },
  { x: [1, 8, 9, 2], k: [5, 5], co: 3, stride: 2, pad: 'same' },
  // SIMD filter gradient: 8-position tiles with tails (fw·Ci = 5, 18, 11), output-channel tails, strides.
  { x: [3, 10, 13, 6], k: [3, 3], co: 9, stride: 1, pad: 'valid' },
  { x: [2, 12, 11, 1], k: [5, 11], co: 7, stride: 1, pad: 'valid' },
  { x: [1, 13, 17, 2], k: [4, 3], co: 3, stride: 3, pad: 'valid' },
];

describe('conv2d gradients (Conv2DBackpropInput, Conv2DBackpropFilter)', () => {
  for (const c of cases) {
    it(`x[${c.x}] k${c.k.join('×')}→${c.co} stride ${c.stride} ${c.pad}: dx and dW equal cpu`, async () => {
      const wShape: [number, number, number, number] = [c.k[0], c.k[1], c.x[3], c.co];
      const xv = randomValues(
        c.x.reduce((a, b) => a * b, 1),
        11,
      );
      const wv = randomValues(
        wShape.reduce((a, b) => a * b, 1),
        12,
      );
      const f = () => {
        const x = tf.tensor4d(xv, c.x);
        const w = tf.tensor4d(wv, wShape);
        const y = tf.conv2d(x, w, c.stride, c.pad);
        const r = tf.tensor(randomValues(y.size, 13), y.shape);
        const g = tf.grads((a: tf.Tensor, b: tf.Tensor) =>
          tf.sum(tf.mul(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, c.stride, c.pad), r)),
        )([x, w]);
        return [y, ...g];
      };
      const want = await runOn('cpu', f);
      for (const mode of ['auto', 'js'] as const) {
        setSimdMode(mode); // with and without the SIMD module
        try {
          const got = await runOn('wasm', f);
          expect(got[1]?.length).toBe(want[1]?.length);
          expectClose(got, want, ATOL, RTOL, `conv2d (${mode})`);
        } finally {
          setSimdMode('auto');
        }
      }
    });
  }

  it('refuses NCHW filter gradients with a typed error', async () => {
    await tf.setBackend('wasm');
    const x = tf.zeros([1, 1, 4, 4]);
    const dy = tf.zeros([1, 1, 3, 3]);
    expect(() =>
      tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, {
        strides: 1,
        pad: 'valid',
        dataFormat: 'NCHW',
        filterShape: [2, 2, 1, 1],
      } as never),
    ).toThrow(UnsupportedConfigError);
    tf.dispose([x, dy]);
  });
});
