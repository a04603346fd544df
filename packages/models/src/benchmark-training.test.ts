import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { initBackend } from './backend.js';
import { benchmarkTraining } from './benchmark-training.js';

describe('benchmarkTraining', () => {
  it('extrapolates from a few batches and says so', async () => {
    await initBackend('wasm');
    const before = tf.memory().numTensors;
    const r = await benchmarkTraining({
      preset: 'lstm-64',
      nMels: 16,
      nFrames: 32,
      samples: 100,
      batchSize: 8,
      batches: 2,
      backend: 'wasm',
      warmupBatches: 1,
    });
    expect(r.backend.name).toBe('wasm');
    expect(r.extrapolated).toBe(true);
    expect(r.method).toMatch(/extrapolated from 2 batches of 8 to 13 batches/);
    expect(r.secondsPerEpoch).toBeCloseTo(r.secondsPerBatch * 13, 6);
    expect(r.samplesPerSecond).toBeCloseTo(100 / r.secondsPerEpoch, 6);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('times a full epoch when no batch count is given', async () => {
    const r = await benchmarkTraining({
      preset: 'lenet-3x8',
      nMels: 16,
      nFrames: 32,
      samples: 20,
      batchSize: 8,
      backend: 'wasm',
    });
    expect(r.extrapolated).toBe(false);
    expect(r.batchesTimed).toBe(3);
    expect(r.secondsPerEpoch).toBeGreaterThan(0);
    await expect(benchmarkTraining({ preset: 'lstm-64', batches: 0 })).rejects.toThrow(/batches must be/);
  });
});
