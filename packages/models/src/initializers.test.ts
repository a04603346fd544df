import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from './backend.js';
import { makeInitializer } from './initializers.js';

describe('orthogonal initializer', () => {
  beforeAll(async () => {
    await initBackend('cpu');
  });

  for (const shape of [
    [8, 32],
    [32, 8],
    [16, 16],
  ] as const) {
    it(`gives orthonormal rows/columns for ${shape.join('×')}, seeded`, () => {
      const w = makeInitializer('orthogonal', 3).apply([...shape]);
      const [r, c] = shape;
      const g = r <= c ? tf.matMul(w, w, false, true) : tf.matMul(w, w, true, false);
      const eye = tf.eye(Math.min(r, c));
      expect(tf.max(tf.abs(tf.sub(g, eye))).dataSync()[0]).toBeLessThan(1e-5);
      const again = makeInitializer('orthogonal', 3).apply([...shape]);
      expect(Array.from(again.dataSync())).toEqual(Array.from(w.dataSync()));
      expect(
        Array.from(
          makeInitializer('orthogonal', 4)
            .apply([...shape])
            .dataSync(),
        ),
      ).not.toEqual(Array.from(w.dataSync()));
    });
  }
});
