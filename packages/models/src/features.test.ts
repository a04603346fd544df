import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from './backend.js';
import { toInputTensor } from './features.js';

describe('toInputTensor', () => {
  beforeAll(async () => {
    await initBackend('wasm');
  });

  const nFrames = 5;
  const nMels = 3;
  const per = nFrames * nMels;
  const x = Float32Array.from({ length: 4 * per }, (_, i) => i);
  const idx = [2, 0, 3];

  it('gathers frame-major samples as [b, frames, mels] for LSTMs', () => {
    const t = toInputTensor(x, nFrames, nMels, idx, 'frames-mels');
    expect(t.shape).toEqual([3, nFrames, nMels]);
    const v = t.arraySync() as number[][][];
    for (const [k, s] of idx.entries())
      for (let f = 0; f < nFrames; f++)
        for (let m = 0; m < nMels; m++) expect(v[k]![f]![m]).toBe(s * per + f * nMels + m);
    t.dispose();
  });

  it('gathers and transposes to [b, mels, frames, 1] images for LeNet, leaving no tensors behind', () => {
    const before = tf.memory().numTensors;
    const t = toInputTensor(x, nFrames, nMels, idx, 'mels-frames-channel');
    expect(t.shape).toEqual([3, nMels, nFrames, 1]);
    const v = t.arraySync() as number[][][][];
    for (const [k, s] of idx.entries())
      for (let f = 0; f < nFrames; f++)
        for (let m = 0; m < nMels; m++) expect(v[k]![m]![f]![0]).toBe(s * per + f * nMels + m);
    t.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
