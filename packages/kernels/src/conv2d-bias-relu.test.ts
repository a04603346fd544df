import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { CONV2D_BIAS_RELU, conv2dBiasRelu } from './conv2d-bias-relu.js';
import { UnsupportedConfigError } from './errors.js';
import { FastConv2D } from './fast-conv2d-layer.js';
import { registerFastKernels } from './register.js';
import { setSimdMode } from './simd-module.js';
import { expectClose, initBackends, randomValues, runOn, tolRatio } from './test-utils/backends.js';

beforeAll(async () => {
  await initBackends();
  registerFastKernels();
});

interface Case {
  x: [number, number, number, number];
  k: [number, number];
  co: number;
  strides: [number, number];
  relu: boolean;
}

// Odd sizes, 1/3/6/16/9 channels (channel-pattern tails), strides 1–2, pixel-row tails, batch 1.
const cases: Case[] = [
  { x: [2, 12, 17, 1], k: [5, 5], co: 6, strides: [1, 1], relu: true },
  { x: [3, 9, 14, 6], k: [3, 8], co: 16, strides: [1, 1], relu: true },
  { x: [1, 7, 9, 3], k: [2, 3], co: 9, strides: [2, 1], relu: true },
  { x: [2, 6, 11, 4], k: [3, 3], co: 5, strides: [1, 2], relu: false },
  { x: [1, 5, 5, 2], k: [1, 1], co: 1, strides: [1, 1], relu: true },
];

/** Output, and the gradients of Σ y·w (w fixed) with respect to x, filter and bias. */
function valuesAndGrads(c: Case, fused: boolean): tf.Tensor[] {
  const [fh, fw] = c.k;
  const ci = c.x[3];
  // Inputs rounded to 1/4 so some pre-activations are exactly 0 (ReLU ties).
  const x = tf.tensor4d(
    randomValues(
      c.x.reduce((a, b) => a * b, 1),
      1,
      -1,
      1,
    ).map((v) => Math.round(v * 4) / 4),
    c.x,
  );
  const f = tf.tensor4d(
    randomValues(fh * fw * ci * c.co, 2, -0.5, 0.5).map((v) => Math.round(v * 4) / 4),
    [fh, fw, ci, c.co],
  );
  const b = tf.tensor1d(randomValues(c.co, 3, -0.5, 0.5).map((v) => Math.round(v * 4) / 4));
  const op = (xi: tf.Tensor, fi: tf.Tensor, bi: tf.Tensor) => {
    if (fused) return conv2dBiasRelu(xi as tf.Tensor4D, fi as tf.Tensor4D, bi as tf.Tensor1D, c);
    const z = tf.add(tf.conv2d(xi as tf.Tensor4D, fi as tf.Tensor4D, c.strides, 'valid'), bi);
    return c.relu ? tf.relu(z) : z;
  };
  const y = op(x, f, b);
  const w = tf.tensor(randomValues(y.size, 4, -1, 1), y.shape);
  const grads = tf.grads((xi: tf.Tensor, fi: tf.Tensor, bi: tf.Tensor) => tf.sum(tf.mul(op(xi, fi, bi), w)))([
    x,
    f,
    b,
  ]);
  return [y, ...grads];
}

describe('conv2dBiasRelu', () => {
  for (const c of cases) {
    it(`x[${c.x}] ${c.k.join('×')}→${c.co} strides ${c.strides} relu ${c.relu}: y and dx, dW, db equal stock ops on cpu`, async () => {
      const want = await runOn('cpu', () => valuesAndGrads(c, false));
      for (const mode of ['auto', 'js'] as const) {
        setSimdMode(mode);
        try {
          const got = await runOn('wasm', () => valuesAndGrads(c, true));
          expectClose(got, want, 1e-5, 1e-4, `${mode} ${c.x}`);
        } finally {
          setSimdMode('auto');
        }
      }
    });
  }

  it('runs as the fused kernel on wasm with SIMD and leaves no tensors behind', async () => {
    await tf.setBackend('wasm');
    const c = cases[0]!;
    tf.tidy(() => {
      valuesAndGrads(c, true);
    });
    const before = tf.memory().numTensors;
    const names = (
      await tf.profile(() =>
        tf.tidy(() => {
          valuesAndGrads(c, true);
        }),
      )
    ).kernels.map((k) => k.name);
    expect(names).toContain(CONV2D_BIAS_RELU);
    expect(names).not.toContain('Relu');
    expect(tf.memory().numTensors).toBe(before);
  });

  it('rejects inconsistent shapes and strides', () => {
    const x = tf.zeros([1, 4, 4, 2]) as tf.Tensor4D;
    expect(() => conv2dBiasRelu(x, tf.zeros([2, 2, 3, 4]), tf.zeros([4]))).toThrow(UnsupportedConfigError);
    expect(() => conv2dBiasRelu(x, tf.zeros([2, 2, 2, 4]), tf.zeros([3]))).toThrow(/inconsistent/);
    expect(() => conv2dBiasRelu(x, tf.zeros([2, 2, 2, 4]), tf.zeros([4]), { strides: 0 })).toThrow(/strides/);
  });
});

describe('FastConv2D layer', () => {
  const build = (fast: boolean) => {
    const m = tfl.sequential();
    const args = {
      name: 'conv1',
      filters: 6,
      kernelSize: [3, 4] as [number, number],
      activation: 'relu' as const,
      inputShape: [9, 12, 1],
    };
    m.add(fast ? new FastConv2D(args) : tfl.layers.conv2d({ ...args, padding: 'valid' }));
    m.add(tfl.layers.flatten({ name: 'flatten' }));
    m.add(tfl.layers.dense({ name: 'output', units: 3, activation: 'softmax' }));
    return m;
  };

  it("has tf.layers.conv2d's weights and predictions, saves as Conv2D and loads in plain tfjs", async () => {
    await tf.setBackend('wasm');
    const fast = build(true);
    const ref = build(false);
    const names = (m: tfl.Sequential) => m.weights.map((w) => [w.name.replace(/_\d+$/, ''), w.shape]);
    expect(names(fast)).toEqual(names(ref));
    ref.setWeights(fast.getWeights());
    const x = tf.tensor4d(randomValues(2 * 9 * 12, 5, -1, 1), [2, 9, 12, 1]);
    const a = (fast.predict(x) as tf.Tensor).dataSync() as Float32Array;
    expect(
      tolRatio(a, (ref.predict(x) as tf.Tensor).dataSync() as Float32Array, 1e-6, 1e-5),
    ).toBeLessThanOrEqual(1);
    let artifacts: tf.io.ModelArtifacts | undefined;
    await fast.save(
      tf.io.withSaveHandler(async (s) => {
        artifacts = s;
        return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
      }),
    );
    expect(JSON.stringify(artifacts?.modelTopology)).toContain('"class_name":"Conv2D"');
    const loaded = await tfl.loadLayersModel(tf.io.fromMemory(artifacts as tf.io.ModelArtifacts));
    expect(loaded.layers[0]).not.toBeInstanceOf(FastConv2D);
    expect(loaded.layers[0]?.getConfig()).toEqual(ref.layers[0]?.getConfig());
    const b = (loaded.predict(x) as tf.Tensor).dataSync() as Float32Array;
    expect(tolRatio(a, b, 1e-6, 1e-5)).toBeLessThanOrEqual(1);
  });

  it('refuses other activations and bad sizes', () => {
    expect(() => new FastConv2D({ filters: 2, kernelSize: 3, activation: 'tanh' as never })).toThrow(
      UnsupportedConfigError,
    );
    expect(() => new FastConv2D({ filters: 0, kernelSize: 3 })).toThrow(/positive integers/);
  });
});
