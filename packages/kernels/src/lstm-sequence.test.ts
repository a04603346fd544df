import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { BackendError, UnsupportedConfigError } from './errors.js';
import { lstmSequence, type RecurrentActivation } from './lstm-sequence.js';
import { registerFastKernels } from './register.js';
import { setSimdMode, simdKernelsFor } from './simd-module.js';
import { expectClose, initBackends, randomValues, runOn } from './test-utils/backends.js';

// Outputs: 1e-5 + 1e-4·|ref|; gradients (sums over T·B steps): 2e-5 + 1e-3·|ref|.
const OUT = [1e-5, 1e-4] as const;
const GRAD = [2e-5, 1e-3] as const;

beforeAll(async () => {
  await initBackends();
  registerFastKernels();
});

interface Case {
  b: number;
  t: number;
  d: number;
  h: number;
  seq: boolean;
  act: RecurrentActivation;
}

const cases: Case[] = [
  { b: 1, t: 2, d: 1, h: 1, seq: false, act: 'sigmoid' }, // T = 1 hits a tf.layers.lstm bug (Unpack grad)
  { b: 3, t: 7, d: 5, h: 4, seq: true, act: 'sigmoid' },
  { b: 3, t: 7, d: 5, h: 4, seq: false, act: 'sigmoid' },
  { b: 2, t: 9, d: 6, h: 5, seq: true, act: 'hardSigmoid' },
  { b: 1, t: 12, d: 8, h: 3, seq: false, act: 'hardSigmoid' },
  { b: 5, t: 20, d: 16, h: 12, seq: false, act: 'sigmoid' },
  // SIMD edge cases: row tails (H mod 4), partial 8-column panels (4H and H not multiples of 8), 4-row
  // blocks plus leftover rows (B = 6, 7), K = 4H = 4 in the backward sgemm.
  { b: 6, t: 5, d: 3, h: 1, seq: true, act: 'sigmoid' },
  { b: 7, t: 6, d: 9, h: 13, seq: true, act: 'sigmoid' },
  { b: 1, t: 4, d: 2, h: 9, seq: true, act: 'hardSigmoid' },
  { b: 4, t: 3, d: 7, h: 8, seq: false, act: 'hardSigmoid' },
];

/** The implementations compared with the reference: cpu (JS path), wasm SIMD, wasm with the JS path forced. */
const IMPLEMENTATIONS = [
  { label: 'cpu', backend: 'cpu', mode: 'auto' },
  { label: 'wasm-simd', backend: 'wasm', mode: 'auto' },
  { label: 'wasm-js', backend: 'wasm', mode: 'js' },
] as const;

function inputs(c: Case) {
  return {
    x: randomValues(c.b * c.t * c.d, 31, -2, 2),
    w: randomValues(c.d * 4 * c.h, 32, -0.8, 0.8),
    u: randomValues(c.h * 4 * c.h, 33, -0.8, 0.8),
    bias: randomValues(4 * c.h, 34, -0.5, 0.5),
    r: randomValues(c.b * c.t * c.h, 35),
  };
}

/** tf.layers.lstm with the given weights: [y, dx, dW, dU, db]. */
function reference(c: Case): tf.Tensor[] {
  const v = inputs(c);
  const layer = tfl.layers.lstm({
    units: c.h,
    returnSequences: c.seq,
    recurrentActivation: c.act,
    recurrentInitializer: 'glorotUniform',
  });
  const x = tf.tensor3d(v.x, [c.b, c.t, c.d]);
  layer.apply(x);
  layer.setWeights([tf.tensor2d(v.w, [c.d, 4 * c.h]), tf.tensor2d(v.u, [c.h, 4 * c.h]), tf.tensor1d(v.bias)]);
  const y = layer.apply(x) as tf.Tensor;
  const r = tf.tensor(v.r.subarray(0, y.size), y.shape);
  const dx = tf.grad((a: tf.Tensor) => tf.sum(tf.mul(layer.apply(a) as tf.Tensor, r)))(x);
  const vars = layer.trainableWeights.map((w) => w.read() as tf.Variable);
  const { grads } = tf.variableGrads(() => tf.sum(tf.mul(layer.apply(x) as tf.Tensor, r)) as tf.Scalar, vars);
  return [y, dx, ...vars.map((w) => grads[w.name] as tf.Tensor)];
}

function fast(c: Case): tf.Tensor[] {
  const v = inputs(c);
  const x = tf.tensor3d(v.x, [c.b, c.t, c.d]);
  const w = tf.tensor2d(v.w, [c.d, 4 * c.h]);
  const u = tf.tensor2d(v.u, [c.h, 4 * c.h]);
  const bias = tf.tensor1d(v.bias);
  const opts = { returnSequences: c.seq, recurrentActivation: c.act };
  const y = lstmSequence(x, w, u, bias, opts);
  const r = tf.tensor(v.r.subarray(0, y.size), y.shape);
  const g = tf.grads((a: tf.Tensor, b: tf.Tensor, cc: tf.Tensor, d: tf.Tensor) =>
    tf.sum(
      tf.mul(lstmSequence(a as tf.Tensor3D, b as tf.Tensor2D, cc as tf.Tensor2D, d as tf.Tensor1D, opts), r),
    ),
  )([x, w, u, bias]);
  return [y, ...g];
}

describe('lstmSequence', () => {
  for (const c of cases) {
    it(`B${c.b} T${c.t} D${c.d} H${c.h} ${c.seq ? 'sequences' : 'last'} ${c.act}: equals tf.layers.lstm (cpu) on cpu, wasm SIMD and wasm JS`, async () => {
      const want = await runOn('cpu', () => reference(c));
      for (const impl of IMPLEMENTATIONS) {
        setSimdMode(impl.mode);
        try {
          const got = await runOn(impl.backend, () => fast(c));
          expect(got[0]?.length).toBe(want[0]?.length);
          expectClose(got.slice(0, 1), want.slice(0, 1), OUT[0], OUT[1], `${impl.label} y`);
          expectClose(got.slice(1), want.slice(1), GRAD[0], GRAD[1], `${impl.label} grads`);
        } finally {
          setSimdMode('auto');
        }
      }
    });
  }

  it('runs the SIMD kernel on the wasm backend of Node 20 (not the JS fallback), and JS when told', async () => {
    await tf.setBackend('wasm');
    const backend = tf.backend() as Parameters<typeof simdKernelsFor>[0];
    expect(simdKernelsFor(backend)).not.toBeNull();
    setSimdMode('js');
    try {
      expect(simdKernelsFor(backend)).toBeNull();
    } finally {
      setSimdMode('auto');
    }
  });

  it('at training size (B32 T80 D64 H128, glorot-scale weights) SIMD is as close to cpu as the JS path', async () => {
    const [B, T, D, H] = [32, 80, 64, 128];
    const run = () => {
      const x = tf.tensor3d(randomValues(B * T * D, 51, 0, 1), [B, T, D]);
      const w = tf.tensor2d(randomValues(D * 4 * H, 52, -0.12, 0.12), [D, 4 * H]);
      const u = tf.tensor2d(randomValues(H * 4 * H, 53, -0.12, 0.12), [H, 4 * H]);
      const bias = tf.tensor1d(randomValues(4 * H, 54, -0.5, 0.5));
      const r = tf.tensor3d(randomValues(B * T * H, 55), [B, T, H]);
      const f = (a: tf.Tensor, b: tf.Tensor, c: tf.Tensor, d: tf.Tensor) =>
        lstmSequence(a as tf.Tensor3D, b as tf.Tensor2D, c as tf.Tensor2D, d as tf.Tensor1D, {
          returnSequences: true,
        });
      const g = tf.grads((a: tf.Tensor, b: tf.Tensor, c: tf.Tensor, d: tf.Tensor) =>
        tf.sum(tf.mul(f(a, b, c, d), r)),
      )([x, w, u, bias]);
      return [f(x, w, u, bias), ...g];
    };
    const want = await runOn('cpu', run);
    const simd = await runOn('wasm', run);
    setSimdMode('js');
    let js: Float32Array[];
    try {
      js = await runOn('wasm', run);
    } finally {
      setSimdMode('auto');
    }
    expectClose(simd.slice(0, 1), want.slice(0, 1), OUT[0], OUT[1], 'simd y');
    expectClose(simd.slice(1), want.slice(1), GRAD[0], GRAD[1], 'simd grads');
    expectClose(js.slice(0, 1), want.slice(0, 1), OUT[0], OUT[1], 'js y');
    expectClose(js.slice(1), want.slice(1), GRAD[0], GRAD[1], 'js grads');
  });

  for (const mode of ['auto', 'js'] as const) {
    it(`leaks no tensors and no heap across forward+backward (${mode})`, async () => {
      await tf.setBackend('wasm');
      setSimdMode(mode);
      try {
        const c = cases[1] as Case;
        tf.dispose(tf.tidy(() => fast(c)));
        const before = tf.memory().numTensors;
        const heapBefore = (tf.backend() as Parameters<typeof simdKernelsFor>[0]).wasm.HEAPU8.byteLength;
        for (let i = 0; i < 5; i++) tf.dispose(tf.tidy(() => fast(c)));
        expect(tf.memory().numTensors).toBe(before);
        expect((tf.backend() as Parameters<typeof simdKernelsFor>[0]).wasm.HEAPU8.byteLength).toBe(
          heapBefore,
        );
      } finally {
        setSimdMode('auto');
      }
    });
  }

  it('leaks no tensors across forward+backward', async () => {
    await tf.setBackend('wasm');
    const c = cases[1] as Case;
    tf.dispose(tf.tidy(() => fast(c)));
    const before = tf.memory().numTensors;
    tf.dispose(tf.tidy(() => fast(c)));
    expect(tf.memory().numTensors).toBe(before);
  });

  it('computes dx only when the input needs a gradient (one matMul fewer for a first layer)', async () => {
    await tf.setBackend('wasm');
    const c = cases[1] as Case;
    const v = inputs(c);
    const x = tf.tensor3d(v.x, [c.b, c.t, c.d]);
    const w = tf.variable(tf.tensor2d(v.w, [c.d, 4 * c.h]));
    const u = tf.variable(tf.tensor2d(v.u, [c.h, 4 * c.h]));
    const bias = tf.variable(tf.tensor1d(v.bias));
    const loss = (xi: tf.Tensor) =>
      tf.sum(lstmSequence(xi as tf.Tensor3D, w, u, bias, { returnSequences: true })) as tf.Scalar;
    const matMuls = async (f: () => void) =>
      (await tf.profile(f)).kernels.filter((k) => k.name === 'BatchMatMul').length;
    const weightsOnly = await matMuls(() => {
      const { grads } = tf.variableGrads(() => loss(x));
      tf.dispose(Object.values(grads));
    });
    const withInput = await matMuls(() => {
      const { grads } = tf.variableGrads(() => loss(tf.mul(x, w.sum())));
      tf.dispose(Object.values(grads));
    });
    // forward x·W + backward [dW; dU] as one matMul (+ dx when x depends on a variable; w.sum()'s own
    // gradient adds none).
    expect(weightsOnly).toBe(2);
    expect(withInput).toBe(3);
    tf.dispose([x, w, u, bias]);
  });

  it('rejects inconsistent shapes and unsupported backends with typed errors', async () => {
    await tf.setBackend('wasm');
    const x = tf.zeros([2, 3, 4]) as tf.Tensor3D;
    expect(() => lstmSequence(x, tf.zeros([5, 8]), tf.zeros([2, 8]), tf.zeros([8]))).toThrow(
      UnsupportedConfigError,
    );
    expect(() =>
      lstmSequence(x, tf.zeros([4, 8]), tf.zeros([2, 8]), tf.zeros([8]), {
        recurrentActivation: 'relu' as never,
      }),
    ).toThrow(UnsupportedConfigError);
    expect(new BackendError('x')).toBeInstanceOf(Error);
  });
});
