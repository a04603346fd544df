import * as tf from '@tensorflow/tfjs-core';
import { FastConv2D, FastLSTM, FusedAdamOptimizer, fastKernelsRegistered } from '@timbre/kernels';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from './backend.js';
import { createModel } from './create-model.js';
import { applyEngine, createAdam, resolveEngine } from './engine.js';

describe('training engine', () => {
  beforeAll(async () => {
    await initBackend('wasm');
  });

  it('defaults to the fast engine: fast wasm kernels registered, FastLSTM layers in LSTM presets', () => {
    expect(resolveEngine()).toBe('fast');
    applyEngine(resolveEngine());
    expect(fastKernelsRegistered().length).toBeGreaterThan(1);
    const m = createModel({ preset: 'lstm-128-64', nMels: 16, nFrames: 16, nClasses: 3 });
    expect(m.layers.slice(0, 2).every((l) => l instanceof FastLSTM)).toBe(true);
    // Serialised as a stock LSTM so plain tfjs loads it.
    expect(m.layers[0]!.getClassName()).toBe('LSTM');
    m.dispose();
    const lenet = createModel({ preset: 'lenet-3x8', nMels: 16, nFrames: 40, nClasses: 3 });
    const convs = lenet.layers.filter((l) => l.getClassName() === 'Conv2D');
    expect(convs).toHaveLength(2);
    expect(convs.every((l) => l instanceof FastConv2D)).toBe(true);
    lenet.dispose();
  });

  it('stock engine builds tf.layers.lstm with the same weight shapes, and puts the stock kernels back', () => {
    const fast = createModel({ preset: 'lstm-64', nMels: 16, nFrames: 16, nClasses: 3, seed: 4 });
    const stock = createModel(
      { preset: 'lstm-64', nMels: 16, nFrames: 16, nClasses: 3, seed: 4 },
      { engine: 'stock' },
    );
    expect(stock.layers[0]).not.toBeInstanceOf(FastLSTM);
    expect(stock.getWeights().map((w) => w.shape)).toEqual(fast.getWeights().map((w) => w.shape));
    // Same seed → same initial weights whichever layer class holds them.
    const a = fast.getWeights().map((w) => Array.from(w.dataSync()));
    const b = stock.getWeights().map((w) => Array.from(w.dataSync()));
    expect(b).toEqual(a);
    fast.dispose();
    stock.dispose();
    const lenet = createModel(
      { preset: 'lenet-5x5', nMels: 16, nFrames: 40, nClasses: 3 },
      { engine: 'stock' },
    );
    expect(lenet.layers.some((l) => l instanceof FastConv2D)).toBe(false);
    lenet.dispose();
    applyEngine('stock');
    expect(fastKernelsRegistered()).toEqual(['Conv2DBackpropFilter', 'MaxPoolGrad']);
    applyEngine('fast');
    expect(fastKernelsRegistered().length).toBeGreaterThan(1);
  });

  it('trains with the fused Adam on the fast engine and tf.train.adam on the stock one (same config)', () => {
    const fast = createAdam(0.002, 0.8, 0.99, 1e-6);
    // tfjs optimizers answer instanceof by duck typing: compare constructors.
    expect(fast.constructor).toBe(FusedAdamOptimizer);
    const stock = createAdam(0.002, 0.8, 0.99, 1e-6, 'stock');
    expect(stock.constructor).toBe(tf.AdamOptimizer);
    expect(fast.getConfig()).toEqual(stock.getConfig());
    fast.dispose();
    stock.dispose();
  });

  it('refuses an unknown engine name', () => {
    expect(() => resolveEngine('turbo' as never)).toThrow(/'fast' or 'stock'/);
    expect(() =>
      createModel({ preset: 'lstm-64', nMels: 8, nFrames: 16, nClasses: 2 }, { engine: 'x' as never }),
    ).toThrow(/'fast' or 'stock'/);
  });
});
