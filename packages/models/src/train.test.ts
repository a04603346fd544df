import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from './backend.js';
import { CheckpointError } from './errors.js';
import { syntheticFeatures } from './test-utils/synthetic.js';
import type { EpochRecord } from './train.js';
import { train } from './train.js';

const trainSet = syntheticFeatures(48, { seed: 1 });
const testSet = syntheticFeatures(24, { seed: 2 });
const tmp = () => mkdtempSync(join(tmpdir(), 'timbre-train-'));
const weightsOf = (m: { getWeights(): tf.Tensor[] }) => m.getWeights().map((t) => Array.from(t.dataSync()));

describe('train', () => {
  beforeAll(async () => {
    expect((await initBackend('wasm')).name).toBe('wasm');
  });

  it('learns a tiny LeNet problem, writes history.jsonl and calls the progress callbacks', async () => {
    const dir = tmp();
    const epochs: EpochRecord[] = [];
    let batchCalls = 0;
    const r = await train({
      preset: 'lenet-5x5',
      train: trainSet,
      test: testSet,
      epochs: 3,
      batchSize: 16,
      learningRate: 3e-3,
      seed: 7,
      backend: 'wasm',
      outDir: dir,
      onEpoch: (e) => {
        epochs.push(e);
      },
      onBatch: (b) => {
        batchCalls++;
        expect(b.batches).toBe(3);
      },
    });
    expect(r.backend.name).toBe('wasm');
    expect(r.backend.reason).toMatch(/wasm/);
    expect(batchCalls).toBe(9);
    expect(epochs.map((e) => e.epoch)).toEqual([1, 2, 3]);
    expect(r.history).toEqual(epochs);
    const lines = readFileSync(join(dir, 'history.jsonl'), 'utf8').trim().split('\n');
    expect(lines.map((l) => JSON.parse(l))).toEqual(epochs);
    expect(epochs[2]!.trainLoss).toBeLessThan(epochs[0]!.trainLoss);
    expect(r.test!.accuracy).toBeGreaterThan(0.6);
    expect(r.test!.backend).toBe('wasm');
    for (const e of epochs) {
      expect(e.seconds).toBeGreaterThan(0);
      expect(e.testAccuracy).toBeGreaterThanOrEqual(0);
    }
    expect(existsSync(join(dir, 'checkpoint.bin'))).toBe(true);
    expect(readdirSync(dir).sort()).toEqual(['checkpoint.bin', 'history.jsonl']); // no temp files left
    r.model.dispose();
  });

  for (const preset of ['lenet-3x8', 'lstm-64'] as const) {
    it(`${preset}: resuming from a checkpoint ends with the same weights as an uninterrupted run`, async () => {
      const common = {
        preset,
        train: trainSet,
        test: testSet,
        batchSize: 16,
        seed: 3,
        backend: 'wasm' as const,
      };
      const full = await train({ ...common, epochs: 3, outDir: tmp() });
      const dir = tmp();
      const first = await train({ ...common, epochs: 1, outDir: dir });
      first.model.dispose();
      const resumed = await train({ ...common, epochs: 3, outDir: dir, resume: true });
      expect(resumed.resumedFromEpoch).toBe(1);
      expect(weightsOf(resumed.model)).toEqual(weightsOf(full.model));
      expect(resumed.history.map((h) => h.trainLoss)).toEqual(full.history.map((h) => h.trainLoss));
      const lines = readFileSync(join(dir, 'history.jsonl'), 'utf8').trim().split('\n');
      expect(lines.map((l) => (JSON.parse(l) as EpochRecord).epoch)).toEqual([1, 2, 3]);
      full.model.dispose();
      resumed.model.dispose();
    });
  }

  it('averages the weights densely (SWAD) from the given epoch, and resumes the average exactly', async () => {
    const common = {
      preset: 'lenet-3x8' as const,
      train: trainSet,
      test: testSet,
      batchSize: 16,
      seed: 5,
      backend: 'wasm' as const,
    };
    const raw = await train({ ...common, epochs: 3 });
    const full = await train({ ...common, epochs: 3, averageWeightsFrom: 2, outDir: tmp() });
    expect(full.config.averageWeightsFrom).toBe(2);
    // Same training path (same per-epoch history), but the returned weights are the mean of 6 steps' weights.
    expect(full.history.map((h) => h.trainLoss)).toEqual(raw.history.map((h) => h.trainLoss));
    expect(weightsOf(full.model)).not.toEqual(weightsOf(raw.model));
    const dir = tmp();
    const first = await train({ ...common, epochs: 2, averageWeightsFrom: 2, outDir: dir });
    first.model.dispose();
    const resumed = await train({ ...common, epochs: 3, averageWeightsFrom: 2, outDir: dir, resume: true });
    expect(resumed.resumedFromEpoch).toBe(2);
    expect(weightsOf(resumed.model)).toEqual(weightsOf(full.model));
    expect(resumed.test!.accuracy).toBe(full.test!.accuracy);
    await expect(train({ ...common, epochs: 3, outDir: dir, resume: true })).rejects.toThrow(
      /averageWeightsFrom/,
    );
    await expect(train({ ...common, epochs: 3, averageWeightsFrom: 4 })).rejects.toThrow(
      /averageWeightsFrom must be an integer in \[1, 3\]/,
    );
    for (const m of [raw, full, resumed]) m.model.dispose();
  });

  it('gives the same weights for the same seed, others for another seed', async () => {
    const run = async (seed: number) => {
      const r = await train({
        preset: 'lstm-64',
        train: trainSet,
        epochs: 1,
        batchSize: 16,
        seed,
        backend: 'wasm',
      });
      const w = weightsOf(r.model);
      r.model.dispose();
      return w;
    };
    const a = await run(1);
    expect(await run(1)).toEqual(a);
    expect((await run(2))[0]).not.toEqual(a[0]);
  });

  it('does not leak tensors across epochs', async () => {
    const counts: number[] = [];
    const r = await train({
      preset: 'lenet-5x5',
      train: trainSet,
      test: testSet,
      epochs: 4,
      batchSize: 16,
      backend: 'wasm',
      outDir: tmp(),
      onEpoch: () => {
        counts.push(tf.memory().numTensors);
      },
    });
    expect(counts.length).toBe(4);
    expect(new Set(counts).size).toBe(1);
    r.model.dispose();
  });

  it('refuses to clobber or mismatch a checkpoint', async () => {
    const dir = tmp();
    const base = {
      preset: 'lstm-64' as const,
      train: trainSet,
      epochs: 1,
      batchSize: 16,
      backend: 'wasm' as const,
      outDir: dir,
    };
    (await train(base)).model.dispose();
    await expect(train(base)).rejects.toThrow(CheckpointError);
    await expect(train({ ...base, epochs: 2, batchSize: 8, resume: true })).rejects.toThrow(
      /another batchSize/,
    );
    const again = await train({ ...base, overwrite: true });
    expect(again.resumedFromEpoch).toBe(0);
    again.model.dispose();
  });

  it('stops after the current epoch when the signal aborts', async () => {
    const ac = new AbortController();
    const dir = tmp();
    const r = await train({
      preset: 'lstm-64',
      train: trainSet,
      epochs: 5,
      batchSize: 16,
      backend: 'wasm',
      outDir: dir,
      signal: ac.signal,
      onEpoch: () => ac.abort(),
    });
    expect(r.stopped).toBe(true);
    expect(r.history.length).toBe(1);
    r.model.dispose();
    const resumed = await train({
      preset: 'lstm-64',
      train: trainSet,
      epochs: 2,
      batchSize: 16,
      backend: 'wasm',
      outDir: dir,
      resume: true,
    });
    expect(resumed.history.map((h) => h.epoch)).toEqual([1, 2]);
    resumed.model.dispose();
  });

  it('rejects invalid options naming them', async () => {
    await expect(train({ preset: 'lstm-64', train: trainSet, epochs: 0 })).rejects.toThrow(
      /epochs must be an integer/,
    );
    await expect(train({ preset: 'lstm-64', train: trainSet, epochs: 1, learningRate: 0 })).rejects.toThrow(
      /learningRate/,
    );
    const bad = { ...trainSet, y: new Int32Array(trainSet.y.length).fill(9) };
    await expect(train({ preset: 'lstm-64', train: bad, epochs: 1 })).rejects.toThrow(/train.y\[0\] = 9/);
  });
});
