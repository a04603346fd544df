import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerFastKernels } from './register.js';
import { expectClose, initBackends, randomValues, runOn } from './test-utils/backends.js';

// Tolerance: float32 summation order differs (XNNPACK vs cpu loop): |Δ| ≤ 1e-5 + 1e-5·|ref|.
const ATOL = 1e-5;
const RTOL = 1e-5;

beforeAll(async () => {
  await initBackends();
  registerFastKernels();
});

const cases: [number[], number[], boolean, boolean][] = [
  [[1, 1], [1, 1], false, true],
  [[7, 5], [3, 5], false, true],
  [[5, 7], [5, 3], true, false],
  [[5, 7], [3, 5], true, true],
  [[33, 17], [17, 65], false, false],
  [[80, 32], [80, 256], true, false],
  [[3, 4, 6], [3, 5, 6], false, true],
  [[2, 6, 4], [2, 6, 5], true, false],
  [[3, 6, 4], [3, 5, 6], true, true],
];

describe('BatchMatMul with transposes', () => {
  for (const [sa, sb, ta, tb] of cases) {
    it(`a[${sa}]${ta ? 'ᵀ' : ''} · b[${sb}]${tb ? 'ᵀ' : ''} equals cpu, with gradients`, async () => {
      const av = randomValues(
        sa.reduce((x, y) => x * y, 1),
        1,
      );
      const bv = randomValues(
        sb.reduce((x, y) => x * y, 1),
        2,
      );
      const f = () => {
        const a = tf.tensor(av, sa);
        const b = tf.tensor(bv, sb);
        const y = tf.matMul(a, b, ta, tb);
        const w = tf.tensor(randomValues(y.size, 3), y.shape);
        const g = tf.grads((p: tf.Tensor, q: tf.Tensor) => tf.sum(tf.mul(tf.matMul(p, q, ta, tb), w)))([
          a,
          b,
        ]);
        return [y, ...g];
      };
      const want = await runOn('cpu', f);
      const got = await runOn('wasm', f);
      expect(got[0]?.length).toBe(want[0]?.length);
      expectClose(got, want, ATOL, RTOL, 'matMul');
    });
  }
});
