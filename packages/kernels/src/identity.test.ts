import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerFastKernels } from './register.js';
import { initBackends } from './test-utils/backends.js';

beforeAll(async () => {
  await initBackends();
  registerFastKernels();
});

describe('Identity', () => {
  it('clones without copying: same values, shared heap bytes, each tensor disposable on its own', async () => {
    await tf.setBackend('wasm');
    const before = tf.memory();
    const x = tf.tensor([1, 2, 3, 4, 5, 6], [2, 3]);
    const buffers = tf.memory().numDataBuffers;
    const y = tf.clone(x);
    expect(y.shape).toEqual([2, 3]);
    expect(Array.from(y.dataSync())).toEqual([1, 2, 3, 4, 5, 6]);
    expect(y.dataId).toBe(x.dataId); // no second buffer
    expect(tf.memory().numDataBuffers).toBe(buffers);
    x.dispose();
    expect(Array.from(y.dataSync())).toEqual([1, 2, 3, 4, 5, 6]); // still alive through y
    y.dispose();
    expect(tf.memory().numTensors).toBe(before.numTensors);
    expect(tf.memory().numDataBuffers).toBe(before.numDataBuffers);
  });

  it('keeps int32 and bool values and leaves strings to the stock kernel', async () => {
    await tf.setBackend('wasm');
    const got = tf.tidy(() => [
      Array.from(tf.clone(tf.tensor([1, -2], [2], 'int32')).dataSync()),
      Array.from(tf.clone(tf.tensor([true, false], [2], 'bool')).dataSync()),
      tf.clone(tf.tensor(['a', 'bc'])).dataSync(),
    ]);
    expect(got).toEqual([
      [1, -2],
      [1, 0],
      ['a', 'bc'],
    ]);
  });
});
