import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ModelError } from './errors.js';
import { checkWorkers, MAX_WORKERS, splitBatch } from './parallel.js';
import { syntheticFeatures } from './test-utils/synthetic.js';
import { train } from './train.js';

describe('workers option', () => {
  it('accepts integers in [1, MAX_WORKERS] and names the option and range otherwise', () => {
    expect(checkWorkers(undefined)).toBe(1);
    expect(checkWorkers(2)).toBe(2);
    for (const bad of [0, -1, 1.5, Number.NaN, MAX_WORKERS + 1]) {
      expect(() => checkWorkers(bad)).toThrow(ModelError);
      expect(() => checkWorkers(bad)).toThrow(`workers must be an integer in [1, ${MAX_WORKERS}]`);
    }
  });

  it('train rejects a bad workers value before doing anything', async () => {
    const data = syntheticFeatures(8);
    await expect(train({ preset: 'lstm-64', train: data, epochs: 1, workers: 0 })).rejects.toThrow(
      /workers must be an integer in \[1, 8\]; got 0/,
    );
  });

  it('splits a batch into fixed contiguous shares, the first ⌈b/r⌉', () => {
    expect(splitBatch(32, 2)).toEqual([0, 16, 32]);
    expect(splitBatch(7, 2)).toEqual([0, 4, 7]);
    expect(splitBatch(1, 2)).toEqual([0, 1, 1]);
    expect(splitBatch(10, 3)).toEqual([0, 4, 7, 10]);
  });
});

const dist = fileURLToPath(new URL('../dist/node.js', import.meta.url));
const distParallel = fileURLToPath(new URL('../dist/parallel.js', import.meta.url));
const packageDir = fileURLToPath(new URL('..', import.meta.url));

// The worker script is built code, so data-parallel training is tested on the built package in plain
// Node (as the CLI runs it). One child process runs every check and prints one JSON line; it must also
// exit by itself, which it only does when every worker was terminated (also after an error).
const script = (outDir: string) => `
  const m = await import(${JSON.stringify(dist)});
  const { createRng } = await import('@timbre/dataset/node');
  await m.initBackend('wasm');
  const data = (n, seed) => {
    const nMels = 16, nFrames = 32, rng = createRng(seed);
    const x = new Float32Array(n * nFrames * nMels), y = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      y[i] = i % 3;
      for (let k = 0; k < nFrames * nMels; k++)
        x[i * nFrames * nMels + k] = (Math.floor(((k % nMels) * 3) / nMels) === y[i] ? 0.6 : 0) + 0.4 * rng.next();
    }
    return { labels: ['a', 'b', 'c'], nMels, nFrames, x, y };
  };
  const trainSet = data(40, 1);
  const testSet = data(12, 2);
  const weights = (r) => r.model.getWeights().map((t) => Array.from(t.dataSync()));
  const out = {};
  for (const preset of ['lenet-3x8', 'lstm-64']) {
    const base = { preset, train: trainSet, seed: 3, backend: 'wasm' };
    // One step on one batch of 40 (20 samples per replica) with 1 and 2 workers.
    const one = await m.train({ ...base, epochs: 1, batchSize: 40, workers: 1 });
    const two = await m.train({ ...base, epochs: 1, batchSize: 40, workers: 2 });
    const w1 = weights(one), w2 = weights(two);
    let maxDiff = 0, maxAbs = 0;
    w1.forEach((a, i) => a.forEach((v, j) => {
      maxDiff = Math.max(maxDiff, Math.abs(v - w2[i][j]));
      maxAbs = Math.max(maxAbs, Math.abs(v));
    }));
    // Two epochs, uneven last batch (40 = 16 + 16 + 8), tensor counts of every replica per epoch.
    const counts = [];
    const full = await m.train({ ...base, test: testSet, epochs: 2, batchSize: 16, workers: 2,
      onEpoch: async (_r, ctx) => { counts.push(await ctx.tensorsPerReplica()); } });
    const again = await m.train({ ...base, test: testSet, epochs: 2, batchSize: 16, workers: 2 });
    // Resume: 1 epoch, then continue to 2 in a new call.
    const dir = ${JSON.stringify(outDir)} + '/' + preset;
    (await m.train({ ...base, test: testSet, epochs: 1, batchSize: 16, workers: 2, outDir: dir })).model.dispose();
    const resumed = await m.train({ ...base, test: testSet, epochs: 2, batchSize: 16, workers: 2, outDir: dir, resume: true });
    out[preset] = {
      lossDiff: Math.abs(one.history[0].trainLoss - two.history[0].trainLoss),
      maxDiff, maxAbs,
      sameRuns: JSON.stringify(weights(full)) === JSON.stringify(weights(again)),
      sameResume: JSON.stringify(weights(full)) === JSON.stringify(weights(resumed)),
      resumedFrom: resumed.resumedFromEpoch,
      historyWorkers: resumed.history.map((h) => h.workers),
      configWorkers: full.config.workers,
      counts,
      replicas: full.replicas,
      differsFromOne: JSON.stringify(w1) !== JSON.stringify(w2),
    };
    for (const r of [one, two, full, again, resumed]) r.model.dispose();
  }
  // Augmentation (with mixup) on 2 replicas: the main thread augments, both compute on the shared batch.
  const augBase = { preset: 'lenet-3x8', train: trainSet, seed: 3, backend: 'wasm', epochs: 1, batchSize: 40,
    augment: { eqDb: 12, shiftBands: 1, mixup: 0.4 } };
  const a1 = await m.train({ ...augBase, workers: 1 });
  const a2 = await m.train({ ...augBase, workers: 2 });
  const a3 = await m.train({ ...augBase, workers: 2 });
  const plain2 = await m.train({ ...augBase, augment: undefined, workers: 2 });
  const wa1 = weights(a1), wa2 = weights(a2);
  let augDiff = 0, augAbs = 0;
  wa1.forEach((a, i) => a.forEach((v, j) => {
    augDiff = Math.max(augDiff, Math.abs(v - wa2[i][j]));
    augAbs = Math.max(augAbs, Math.abs(v));
  }));
  out.augment = {
    lossDiff: Math.abs(a1.history[0].trainLoss - a2.history[0].trainLoss),
    maxDiff: augDiff, maxAbs: augAbs,
    sameRuns: JSON.stringify(wa2) === JSON.stringify(weights(a3)),
    differsFromPlain: JSON.stringify(wa2) !== JSON.stringify(weights(plain2)),
  };
  for (const r of [a1, a2, a3, plain2]) r.model.dispose();
  // A callback that throws mid-epoch: train rejects, the worker is terminated (else this never exits).
  out.thrown = await m.train({ preset: 'lstm-64', train: trainSet, epochs: 2, batchSize: 16, workers: 2,
    onBatch: () => { throw new Error('boom'); } }).then(() => 'resolved', (e) => e.message);
  // The signal stops after the current epoch.
  const ac = new AbortController();
  const stopped = await m.train({ preset: 'lstm-64', train: trainSet, epochs: 5, batchSize: 16, workers: 2,
    signal: ac.signal, onEpoch: () => ac.abort() });
  out.stopped = { stopped: stopped.stopped, epochs: stopped.history.length };
  stopped.model.dispose();
  const bench = await m.benchmarkTraining({ preset: 'lenet-3x8', nMels: 16, nFrames: 32, samples: 16,
    batchSize: 8, batches: 2, warmupBatches: 1, workers: 2 });
  out.bench = { workers: bench.workers, batchSeconds: bench.batchSeconds.length, replicas: bench.replicas.length };
  // Failures while starting workers reject with a ModelError and leave no thread behind.
  const p = await import(${JSON.stringify(distParallel)});
  const tf = await import('@tensorflow/tfjs-core');
  const model = m.resolveModelOptions({ preset: 'lstm-64', nMels: 16, nFrames: 32, nClasses: 3 });
  const net = m.createModel(model);
  const optimizer = tf.train.adam(1e-3);
  const start = { workers: 2, net, optimizer, backend: 'wasm', engine: 'fast', layout: 'frames-mels', batchSize: 8, x: trainSet.x, y: trainSet.y };
  const failure = (promise) => promise.then(() => 'started', (e) => e.name + ': ' + e.message);
  out.badShapes = await failure(p.startParallelStep({ ...start, model: { ...model, nMels: 24 } }));
  out.badPreset = await failure(p.startParallelStep({ ...start, model: { ...model, preset: 'nope' } }));
  out.customFactory = await failure(m.train({ preset: 'lstm-64', train: trainSet, epochs: 1, workers: 2, lstmLayerFactory: m.defaultLstmFactory }));
  net.dispose();
  optimizer.dispose();
  console.log(JSON.stringify(out));`;

interface PresetOutcome {
  lossDiff: number;
  maxDiff: number;
  maxAbs: number;
  sameRuns: boolean;
  sameResume: boolean;
  resumedFrom: number;
  historyWorkers: number[];
  configWorkers: number;
  counts: number[][];
  replicas: Array<{ replica: number; thread: string; backend: string; engine: string }>;
  differsFromOne: boolean;
}

describe('data-parallel training (built package, plain Node)', () => {
  it('matches one thread within rounding, is deterministic, resumes exactly, frees tensors and workers', () => {
    expect(existsSync(dist), `${dist} missing: run pnpm build first`).toBe(true);
    const outDir = mkdtempSync(join(tmpdir(), 'timbre-parallel-'));
    const stdout = execFileSync(process.execPath, ['--input-type=module', '-e', script(outDir)], {
      encoding: 'utf8',
      cwd: packageDir,
      timeout: 240_000,
    });
    const out = JSON.parse(stdout.trim().split('\n').at(-1)!) as Record<string, PresetOutcome> & {
      augment: {
        lossDiff: number;
        maxDiff: number;
        maxAbs: number;
        sameRuns: boolean;
        differsFromPlain: boolean;
      };
      thrown: string;
      stopped: { stopped: boolean; epochs: number };
      bench: { workers: number; batchSeconds: number; replicas: number };
      badShapes: string;
      badPreset: string;
      customFactory: string;
    };
    for (const preset of ['lenet-3x8', 'lstm-64']) {
      const r = out[preset]!;
      // Same batch, one step: the 2-replica gradient is the 1-replica gradient up to summation order.
      expect(r.lossDiff, preset).toBeLessThan(1e-5);
      expect(r.maxDiff, preset).toBeLessThan(1e-6 + 1e-6 * r.maxAbs);
      expect(r.sameRuns, preset).toBe(true);
      expect(r.sameResume, preset).toBe(true);
      expect(r.resumedFrom).toBe(1);
      expect(r.historyWorkers).toEqual([2, 2]);
      expect(r.configWorkers).toBe(2);
      expect(r.counts.length).toBe(2);
      expect(r.counts[0]!.length).toBe(2);
      expect(new Set(r.counts.map((c) => c.join(','))).size, `${preset} ${JSON.stringify(r.counts)}`).toBe(1);
      expect(r.replicas.map((x) => [x.thread, x.backend, x.engine])).toEqual([
        ['main', 'wasm', 'fast'],
        ['worker', 'wasm', 'fast'],
      ]);
    }
    // Augmented batches: 2 replicas = 1 replica up to summation order, deterministic, really augmented.
    expect(out.augment.lossDiff).toBeLessThan(1e-5);
    expect(out.augment.maxDiff).toBeLessThan(1e-6 + 1e-6 * out.augment.maxAbs);
    expect(out.augment.sameRuns).toBe(true);
    expect(out.augment.differsFromPlain).toBe(true);
    expect(out.thrown).toBe('boom');
    expect(out.stopped).toEqual({ stopped: true, epochs: 1 });
    expect(out.bench).toEqual({ workers: 2, batchSeconds: 2, replicas: 2 });
    expect(out.badShapes).toMatch(/^ModelError: training worker 1 built other weight shapes/);
    expect(out.badPreset).toMatch(/^ModelError: training worker 1 failed: .*nope/);
    expect(out.customFactory).toMatch(/^ModelError: workers > 1 cannot be used with a custom LSTM factory/);
  }, 250_000);
});
