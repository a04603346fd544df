import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { ADAM_STEP, FusedAdamOptimizer } from './fused-adam.js';
import { setSimdMode } from './simd-module.js';
import { initBackends, randomValues } from './test-utils/backends.js';

/** What `applyGradients` takes (tfjs-core does not export the map type). */
type Grads = Parameters<tf.AdamOptimizer['applyGradients']>[0];

beforeAll(async () => {
  await initBackends();
});

// Odd sizes exercise the SIMD loop's scalar tail; 1 is a scalar-like bias.
const SHAPES: number[][] = [[1], [7], [5, 3], [3, 8, 1, 6], [129]];

/** Trains the same variables with `make()` for `steps` steps of seeded gradients; returns weights + state. */
async function run(
  backend: 'cpu' | 'wasm',
  make: () => tf.AdamOptimizer,
  steps: number,
  tag: string,
): Promise<Float32Array[]> {
  await tf.setBackend(backend);
  const vars = SHAPES.map((s, i) =>
    tf.variable(
      tf.tensor(
        randomValues(
          s.reduce((a, b) => a * b, 1),
          10 + i,
        ),
        s,
      ),
      true,
      `${tag}${backend}${i}`,
    ),
  );
  const opt = make();
  for (let step = 0; step < steps; step++) {
    const grads: tf.NamedTensorMap = {};
    vars.forEach((v, i) => {
      // Gradients with a wide magnitude range, including exact zeros.
      const g = randomValues(v.size, 1000 * step + i, -3, 3).map((x, k) =>
        k % 5 === 0 ? 0 : x * 10 ** ((k % 7) - 3),
      );
      grads[v.name] = tf.tensor(g, v.shape);
    });
    opt.applyGradients(grads as unknown as Grads);
    tf.dispose(Object.values(grads));
  }
  const state = (await opt.getWeights()).map((w) => Float32Array.from(w.tensor.dataSync()));
  const out = [...vars.map((v) => Float32Array.from(v.dataSync())), ...state];
  opt.dispose();
  tf.dispose(vars);
  return out;
}

describe('FusedAdamOptimizer', () => {
  for (const backend of ['cpu', 'wasm'] as const) {
    it(`equals tf.train.adam bit for bit on ${backend} (weights, moments, iterations over 5 steps)`, async () => {
      for (const [lr, b1, b2, eps] of [
        [1e-3, 0.9, 0.999, null],
        [0.05, 0.8, 0.99, 1e-4],
      ] as const) {
        const want = await run(backend, () => tf.train.adam(lr, b1, b2, eps ?? undefined), 5, 'stock');
        const got = await run(backend, () => new FusedAdamOptimizer(lr, b1, b2, eps), 5, 'fused');
        expect(got.length).toBe(want.length);
        for (const [i, g] of got.entries()) expect(Array.from(g)).toEqual(Array.from(want[i]!));
      }
    });
  }

  it('equals stock on wasm with the SIMD module switched off (the JS fallback)', async () => {
    setSimdMode('js');
    try {
      const want = await run('wasm', () => tf.train.adam(0.01), 3, 'stockjs');
      const got = await run('wasm', () => new FusedAdamOptimizer(0.01), 3, 'fusedjs');
      for (const [i, g] of got.entries()) expect(Array.from(g)).toEqual(Array.from(want[i]!));
    } finally {
      setSimdMode('auto');
    }
  });

  it("resumes from a stock optimizer's getWeights like a resumed stock optimizer, and serialises as Adam", async () => {
    await tf.setBackend('wasm');
    const v = tf.variable(tf.tensor(randomValues(10, 3), [10]), true, 'resume-v');
    const g = (seed: number): tf.NamedTensorMap => ({ 'resume-v': tf.tensor(randomValues(10, seed), [10]) });
    const first = tf.train.adam(0.01);
    first.applyGradients(g(4) as unknown as Grads);
    first.applyGradients(g(5) as unknown as Grads);
    const saved = await first.getWeights();
    const copy = () => saved.map((w) => ({ name: w.name, tensor: w.tensor.clone() }));
    const stock = tf.train.adam(0.01);
    await stock.setWeights(copy());
    const fused = new FusedAdamOptimizer(0.01);
    await fused.setWeights(copy());
    expect(fused.iterations).toBe(2);
    expect(fused.getClassName()).toBe('Adam');
    expect(fused.getConfig()).toEqual(stock.getConfig());
    const before = v.dataSync().slice();
    stock.applyGradients(g(6) as unknown as Grads);
    const stockNext = v.dataSync().slice();
    v.assign(tf.tensor(before, [10]));
    fused.applyGradients(g(6) as unknown as Grads);
    expect(Array.from(v.dataSync())).toEqual(Array.from(stockNext));
    for (const o of [first, stock, fused]) o.dispose();
    v.dispose();
  });

  it('leaves no tensors behind per step and names a bad input', async () => {
    await tf.setBackend('wasm');
    const v = tf.variable(tf.zeros([4, 4]), true, 'leak-v');
    const opt = new FusedAdamOptimizer(0.01);
    opt.applyGradients({ 'leak-v': tf.ones([4, 4]) } as unknown as Grads);
    const n = tf.memory().numTensors;
    for (let i = 0; i < 5; i++)
      tf.tidy(() => opt.applyGradients({ 'leak-v': tf.ones([4, 4]) } as unknown as Grads));
    expect(tf.memory().numTensors).toBe(n);
    expect(() =>
      tf
        .engine()
        .runKernel(ADAM_STEP, { value: v, gradient: tf.ones([3]), firstMoment: v, secondMoment: v }, {}),
    ).toThrow(/gradient must be float32 with 16 elements/);
    expect(() => opt.applyGradients({ nope: tf.ones([1]) } as unknown as Grads)).toThrow(
      /no variable named 'nope'/,
    );
    opt.dispose();
    v.dispose();
  });
});
