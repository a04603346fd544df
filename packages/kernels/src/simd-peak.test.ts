import '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { measureSimdPeak } from './simd-peak.js';

describe('measureSimdPeak', () => {
  it('measures a positive finite rate on the wasm backend', async () => {
    await tf.setBackend('wasm');
    await tf.ready();
    const g = measureSimdPeak(1);
    expect(g).not.toBeNull();
    expect(Number.isFinite(g)).toBe(true);
    expect(g!).toBeGreaterThan(0.1);
  });
});
