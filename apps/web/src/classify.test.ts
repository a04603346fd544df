import { createLogMelExtractor } from '@timbre/dsp';
import { describe, expect, it } from 'vitest';
import { harmonicTone } from '../test/signals.js';
import { classify, type Predictor } from './classify.js';
import type { ModelInput } from './layout.js';

const SR = 44100;
const model = {
  labels: ['a', 'b', 'c'],
  nMels: 64,
  nFrames: 80,
  inputLayout: 'mels-frames-channel' as const,
};

/** A fake model: window w gets probabilities favouring class w mod 3. */
function fakePredictor(seen: ModelInput[]): Predictor {
  return async (input) => {
    seen.push(input);
    const n = input.shape[0]!;
    const out = new Float32Array(n * 3);
    for (let w = 0; w < n; w++) {
      out.fill(0.1, w * 3, w * 3 + 3);
      out[w * 3 + (w % 3)] = 0.8;
    }
    return out;
  };
}

describe('classify', async () => {
  const extractor = await createLogMelExtractor({ nMels: 64, frames: 80 });

  it('classifies a single note from its onset in one window', async () => {
    const seen: ModelInput[] = [];
    const x = harmonicTone({ sampleRate: SR, durationS: 1.2, f0: 440, onsetS: 0.2 });
    const r = await classify(x, SR, model, extractor, fakePredictor(seen));
    expect(seen[0]!.shape).toEqual([1, 64, 80, 1]);
    expect(r.windows).toHaveLength(1);
    expect(r.onsetS).toBeCloseTo(0.2, 1);
    expect(r.top.map((t) => t.label)).toEqual(['a', 'b', 'c']);
    expect(r.top[0]!.probability).toBeCloseTo(0.8, 6);
    expect(r.durationS).toBeCloseTo(1.2, 6);
    expect(r.timings.featuresMs).toBeGreaterThanOrEqual(0);
  });

  it('feeds the model the transposed log-mel of each window', async () => {
    const seen: ModelInput[] = [];
    const x = harmonicTone({ sampleRate: SR, durationS: 0.9, f0: 220 });
    await classify(x, SR, model, extractor, fakePredictor(seen));
    const padded = new Float32Array(SR);
    padded.set(x);
    const frameMajor = extractor.compute(padded);
    const { data } = seen[0]!;
    expect(data[0 * 80 + 0]).toBe(frameMajor[0]);
    expect(data[10 * 80 + 30]).toBe(frameMajor[30 * 64 + 10]);
    expect(data[63 * 80 + 79]).toBe(frameMajor[79 * 64 + 63]);
  });

  it('averages the windows of a long recording and reports each one', async () => {
    const seen: ModelInput[] = [];
    const progress: number[] = [];
    const x = harmonicTone({ sampleRate: SR, durationS: 3, f0: 330 });
    const r = await classify(x, SR, model, extractor, fakePredictor(seen), {
      topK: 2,
      yieldEvery: 2,
      onProgress: (f) => progress.push(f),
    });
    expect(r.windows.map((w) => [w.startS, w.endS])).toEqual([
      [0, 1],
      [0.5, 1.5],
      [1, 2],
      [1.5, 2.5],
      [2, 3],
    ]);
    expect(r.windows.map((w) => w.top[0]!.label)).toEqual(['a', 'b', 'c', 'a', 'b']);
    expect(r.windows[0]!.top).toHaveLength(2);
    // Mean of 0.8/0.1 rows: a and b win twice, c once.
    expect(r.probabilities[0]).toBeCloseTo((2 * 0.8 + 3 * 0.1) / 5, 6);
    expect(r.probabilities[2]).toBeCloseTo((0.8 + 4 * 0.1) / 5, 6);
    expect(r.top).toHaveLength(2);
    expect(progress.at(-1)).toBe(1);
    expect(progress.length).toBeGreaterThan(1);
  });

  it('rejects a predictor that returns the wrong number of probabilities', async () => {
    const bad: Predictor = async () => new Float32Array(2);
    await expect(classify(new Float32Array(SR), SR, model, extractor, bad)).rejects.toThrow(/probabilities/);
  });
});
