import { describe, expect, it } from 'vitest';
import { benchmarkInference } from './benchmark-inference.js';

describe('benchmarkInference', () => {
  it('reports DSP and forward latency per 1-s clip', async () => {
    const r = await benchmarkInference({
      preset: 'lenet-3x8',
      nMels: 64,
      backend: 'wasm',
      iterations: 3,
      warmup: 1,
    });
    expect(r.backend.name).toBe('wasm');
    expect(r.dspMs).toBeGreaterThan(0);
    expect(r.forwardMs).toBeGreaterThan(0);
    expect(r.totalMs).toBeCloseTo(r.dspMs + r.forwardMs, 9);
    expect(r.dspImplementation).toMatch(/wasm|js/);
  });
});
