import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { preferTransposedProduct } from './matmul-transposed.js';
import { registerFastKernels } from './register.js';
import { setSimdMode } from './simd-module.js';
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
  // SIMD sgemm edges: leftover rows (M mod 4), partial panels (N mod 8), K = 1.
  [[37, 1], [1, 9], false, false],
  [[6, 13], [11, 13], false, true],
  [[2, 3, 7, 5], [2, 3, 7, 10], true, false],
  [[320, 64], [320, 512], true, false],
  // Computed as Cᵀ = op(B)ᵀ·op(A)ᵀ + a transpose (a dense layer's dx = dy·Wᵀ; a small transposed A).
  [[5, 7], [300, 7], false, true],
  [[9, 3], [9, 200], true, false],
  [[1, 5, 7], [1, 300, 7], false, true], // rank 3, batch 1 (how fused matMul's gradient calls it)
];

describe('preferTransposedProduct', () => {
  it('swaps when the right operand would be gathered and is much larger than the left', () => {
    expect(preferTransposedProduct(32, 120, 6720, false, true)).toBe(true); // dense dx = dy·Wᵀ
    expect(preferTransposedProduct(32, 6720, 120, false, false)).toBe(false); // dense forward x·W
    expect(preferTransposedProduct(6720, 32, 120, true, false)).toBe(false); // dense dW = xᵀ·dy
    expect(preferTransposedProduct(5, 7, 300, false, true)).toBe(true);
    expect(preferTransposedProduct(3, 9, 200, true, false)).toBe(true);
  });
});

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
      for (const mode of ['auto', 'js'] as const) {
        setSimdMode(mode); // 'auto': SIMD sgemm; 'js': explicit transpose + XNNPACK
        try {
          const got = await runOn('wasm', f);
          expect(got[0]?.length).toBe(want[0]?.length);
          expectClose(got, want, ATOL, RTOL, `matMul (${mode})`);
        } finally {
          setSimdMode('auto');
        }
      }
    });
  }

  // Broadcast batches: forward only (tfjs 4.22's own BatchMatMul gradient does not reduce broadcast axes).
  for (const [sa, sb, ta, tb] of [
    [[4, 5, 3], [1, 3, 6], false, false],
    [[1, 9, 13], [3, 11, 13], false, true],
  ] as [number[], number[], boolean, boolean][]) {
    it(`a[${sa}]${ta ? 'ᵀ' : ''} · b[${sb}]${tb ? 'ᵀ' : ''} (broadcast batch) equals cpu`, async () => {
      const av = randomValues(
        sa.reduce((x, y) => x * y, 1),
        4,
      );
      const bv = randomValues(
        sb.reduce((x, y) => x * y, 1),
        5,
      );
      const f = () => tf.matMul(tf.tensor(av, sa), tf.tensor(bv, sb), ta, tb);
      const want = await runOn('cpu', f);
      for (const mode of ['auto', 'js'] as const) {
        setSimdMode(mode);
        try {
          expectClose(await runOn('wasm', f), want, ATOL, RTOL, `matMul (${mode})`);
        } finally {
          setSimdMode('auto');
        }
      }
    });
  }
});
