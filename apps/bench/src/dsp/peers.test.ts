import { createLogMelExtractor } from '@timbre/dsp';
import { describe, expect, it } from 'vitest';
import { fftJsPipeline, meydaPipeline } from './peers.js';

function clip(): Float32Array {
  const x = new Float32Array(22050);
  for (let n = 0; n < x.length; n++)
    x[n] = 0.3 * Math.sin((2 * Math.PI * 440 * n) / 44100) + 0.01 * Math.sin(n * 1.3);
  return x;
}

describe('bench peers', () => {
  it('the fft.js pipeline computes the same librosa log-mel as @timbre/dsp (within 0.01 dB)', async () => {
    const x = clip();
    const ours = await createLogMelExtractor({ implementation: 'js', frames: null, normalize: 'none' });
    const expected = ours.compute(x);
    const captured: Float32Array[] = [];
    const fn = fftJsPipeline(64, 1024, 512, (out) => captured.push(out.slice()));
    expect(fn(x)).toBe(ours.frameCount(x.length));
    const got = captured[0]!;
    let worst = 0;
    for (let i = 0; i < expected.length; i++) worst = Math.max(worst, Math.abs(got[i]! - expected[i]!));
    expect(worst).toBeLessThan(0.01);
  });

  it('meyda yields one frame per hop', () => {
    expect(meydaPipeline(64)(clip())).toBe(1 + Math.floor(22050 / 512));
  });
});
