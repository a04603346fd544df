import { describe, expect, it } from 'vitest';
import { metricsFromProbabilities } from './evaluate.js';

describe('metricsFromProbabilities', () => {
  it('computes accuracy, loss, per-class precision/recall/F1 and the confusion matrix', () => {
    // true:      0    0    1    1    2    2
    // predicted: 0    1    1    1    0    2
    const probs = new Float32Array([
      0.8, 0.1, 0.1, 0.3, 0.6, 0.1, 0.1, 0.7, 0.2, 0.2, 0.5, 0.3, 0.5, 0.1, 0.4, 0.1, 0.1, 0.8,
    ]);
    const y = new Int32Array([0, 0, 1, 1, 2, 2]);
    const e = metricsFromProbabilities(probs, y, ['a', 'b', 'c']);
    expect(e.confusion).toEqual([
      [1, 1, 0],
      [0, 2, 0],
      [1, 0, 1],
    ]);
    expect(e.accuracy).toBeCloseTo(4 / 6, 12);
    const [a, b, c] = e.perClass;
    expect(a).toMatchObject({ precision: 0.5, recall: 0.5, support: 2 });
    expect(b!.precision).toBeCloseTo(2 / 3, 12);
    expect(b!.recall).toBe(1);
    expect(b!.f1).toBeCloseTo(0.8, 12);
    expect(c).toMatchObject({ precision: 1, recall: 0.5 });
    expect(c!.f1).toBeCloseTo(2 / 3, 12);
    expect(e.macroF1).toBeCloseTo((0.5 + 0.8 + 2 / 3) / 3, 6);
    const loss =
      -(Math.log(0.8) + Math.log(0.3) + Math.log(0.7) + Math.log(0.5) + Math.log(0.4) + Math.log(0.8)) / 6;
    expect(e.loss).toBeCloseTo(loss, 6);
  });

  it('gives 0 (not NaN) for a class never predicted and rejects a size mismatch', () => {
    const e = metricsFromProbabilities(new Float32Array([0.9, 0.1, 0.8, 0.2]), new Int32Array([0, 1]), [
      'a',
      'b',
    ]);
    expect(e.perClass[1]).toMatchObject({ precision: 0, recall: 0, f1: 0 });
    expect(() => metricsFromProbabilities(new Float32Array(3), new Int32Array(2), ['a', 'b'])).toThrow(
      /expected n·classes = 4/,
    );
  });
});
