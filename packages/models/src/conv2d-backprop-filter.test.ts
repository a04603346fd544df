import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from './backend.js';
import { createRandom } from './seeded-random.js';

type Pad = 'valid' | 'same';

/** Filter gradient of sum(conv2d(x, f) * w) computed on the given backend. */
async function filterGrad(
  backend: string,
  x: tf.Tensor4D,
  f: tf.Tensor4D,
  w: tf.Tensor4D,
  strides: [number, number],
  pad: Pad,
): Promise<Float32Array> {
  await tf.setBackend(backend);
  const xs = tf.tensor4d(x.dataSync().slice(), x.shape);
  const fs = tf.tensor4d(f.dataSync().slice(), f.shape);
  const ws = tf.tensor4d(w.dataSync().slice(), w.shape);
  const g = tf.grad((ff: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(xs, ff as tf.Tensor4D, strides, pad), ws)))(
    fs,
  );
  const out = (await g.data()) as Float32Array;
  tf.dispose([xs, fs, ws, g]);
  return out;
}

describe('Conv2DBackpropFilter on wasm', () => {
  beforeAll(async () => {
    const info = await initBackend('wasm');
    expect(info.name).toBe('wasm');
  });

  it('matches the cpu backend on random shapes, strides and paddings', async () => {
    const rng = createRandom(123);
    const cases: Array<[number, number, number, number, number, number, number, [number, number], Pad]> = [
      // b, h, w, ci, kh, kw, co, strides, pad
      [4, 16, 20, 1, 5, 5, 6, [1, 1], 'valid'],
      [3, 13, 17, 6, 3, 8, 16, [1, 1], 'valid'],
      [2, 11, 9, 3, 3, 3, 4, [2, 2], 'valid'],
      [2, 10, 12, 2, 3, 4, 3, [1, 1], 'same'],
      [2, 9, 11, 2, 3, 3, 5, [2, 3], 'same'],
      [1, 8, 8, 1, 2, 2, 1, [2, 2], 'same'],
    ];
    for (let r = 0; r < 4; r++) {
      const rnd = (lo: number, hi: number) => lo + rng.nextInt(hi - lo + 1);
      const kh = rnd(1, 4);
      const kw = rnd(1, 6);
      cases.push([
        rnd(1, 4),
        rnd(kh + 2, 14),
        rnd(kw + 2, 14),
        rnd(1, 4),
        kh,
        kw,
        rnd(1, 5),
        [rnd(1, 3), rnd(1, 3)],
        r % 2 ? 'same' : 'valid',
      ]);
    }
    for (const [b, h, w, ci, kh, kw, co, strides, pad] of cases) {
      const x = tf.randomNormal([b, h, w, ci], 0, 1, 'float32', rng.nextInt(1e6)) as tf.Tensor4D;
      const f = tf.randomNormal([kh, kw, ci, co], 0, 1, 'float32', rng.nextInt(1e6)) as tf.Tensor4D;
      const outShape = tf.conv2d(x, f, strides, pad).shape;
      const w4 = tf.randomNormal(outShape, 0, 1, 'float32', rng.nextInt(1e6)) as tf.Tensor4D;
      const want = await filterGrad('cpu', x, f, w4, strides, pad);
      const got = await filterGrad('wasm', x, f, w4, strides, pad);
      expect(got.length).toBe(kh * kw * ci * co);
      let maxErr = 0;
      let scale = 0;
      for (let i = 0; i < want.length; i++) {
        maxErr = Math.max(maxErr, Math.abs(got[i]! - want[i]!));
        scale = Math.max(scale, Math.abs(want[i]!));
      }
      expect(maxErr, `case ${[b, h, w, ci, kh, kw, co, strides.join('x'), pad].join(',')}`).toBeLessThan(
        1e-4 * Math.max(1, scale),
      );
    }
    expect(tf.getBackend()).toBe('wasm');
  });

  it('does not leak tensors', async () => {
    await tf.setBackend('wasm');
    const x = tf.randomNormal([2, 8, 8, 2]) as tf.Tensor4D;
    const f = tf.randomNormal([3, 3, 2, 4]) as tf.Tensor4D;
    const grad = tf.grad((ff: tf.Tensor) => tf.sum(tf.conv2d(x, ff as tf.Tensor4D, 1, 'valid')));
    tf.dispose(grad(f));
    const before = tf.memory().numTensors;
    const bytes = tf.memory().numBytes;
    tf.dispose(grad(f));
    expect(tf.memory().numTensors).toBe(before);
    expect(tf.memory().numBytes).toBe(bytes);
  });
});
