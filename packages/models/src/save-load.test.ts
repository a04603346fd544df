import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tfjs from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from './backend.js';
import { createModel } from './create-model.js';
import { SaveLoadError } from './errors.js';
import { predictProbabilities } from './evaluate.js';
import { inputLayoutOf } from './presets.js';
import { loadModel, readSavedModelFiles, saveModel, saveTrainResult } from './save-load.js';
import { syntheticFeatures } from './test-utils/synthetic.js';
import { train } from './train.js';

const data = syntheticFeatures(6, { nMels: 16, nFrames: 32, nClasses: 3 });

describe('save / load', () => {
  beforeAll(async () => {
    await initBackend('wasm');
  });

  it('cnn-robust (trained a step, so batch-norm statistics are not trivial) loads in plain tfjs with the same predictions', async () => {
    const d24 = syntheticFeatures(8, { nMels: 24, nFrames: 32, nClasses: 3, seed: 4 });
    const r = await train({
      preset: 'cnn-robust',
      train: d24,
      epochs: 2,
      batchSize: 4,
      seed: 2,
      backend: 'wasm',
    });
    const dir = join(mkdtempSync(join(tmpdir(), 'timbre-save-')), 'model');
    const want = predictProbabilities(r.model, d24, 'mels-frames-channel');
    await saveTrainResult(dir, r);
    const files = await readSavedModelFiles(dir);
    const plain = await tfjs.loadLayersModel(
      tfjs.io.fromMemory({
        modelTopology: files.modelJson.modelTopology,
        weightSpecs: files.modelJson.weightsManifest[0]!.weights,
        weightData: files.weightData,
      }),
    );
    const got = predictProbabilities(plain, d24, 'mels-frames-channel');
    expect(Math.max(...Array.from(got, (p, i) => Math.abs(p - want[i]!)))).toBeLessThan(1e-5);
    // The moving statistics moved away from their initial 0 / 1.
    const mean = plain.getLayer('bn1').getWeights()[2]!.dataSync();
    expect(Math.max(...Array.from(mean, Math.abs))).toBeGreaterThan(1e-4);
    r.model.dispose();
    plain.dispose();
  });

  for (const preset of ['lenet-5x5', 'lstm-128-64'] as const) {
    it(`${preset}: round-trips through our loader and plain @tensorflow/tfjs with identical predictions (within float32 rounding of the fast LSTM)`, async () => {
      const dir = join(mkdtempSync(join(tmpdir(), 'timbre-save-')), 'model');
      const model = createModel({ preset, nMels: 16, nFrames: 32, nClasses: 3, seed: 9 });
      const layout = inputLayoutOf(preset);
      const want = predictProbabilities(model, data, layout);
      const meta = await saveModel(dir, model, {
        preset,
        labels: [...data.labels],
        nMels: 16,
        nFrames: 32,
        seed: 9,
        datasetManifestHash: 'abc123',
      });
      expect(readdirSync(dir).sort()).toEqual(['metadata.json', 'model.json', 'weights.bin']);
      expect(readdirSync(join(dir, '..'))).toEqual(['model']); // no temp leftovers
      expect(meta.packages['@timbre/models']).toMatch(/^\d+\.\d+\.\d+/);
      expect(meta.dsp.nMels).toBe(16);
      expect(meta.backend).toBe('wasm');

      const loaded = await loadModel(dir);
      expect(loaded.metadata.labels).toEqual(data.labels);
      const got = Array.from(predictProbabilities(loaded.model, data, layout));
      // A loaded model is a stock tfjs model; the one trained here may use the fast engine's FastLSTM,
      // which equals tf.layers.lstm within float32 rounding. LeNet uses the same kernels: exact.
      if (preset.startsWith('lenet')) expect(got).toEqual(Array.from(want));
      else expect(Math.max(...got.map((p, i) => Math.abs(p - want[i]!)))).toBeLessThan(1e-6);

      // Plain tfjs, from in-memory files only, as a browser would do after fetch().
      const files = await readSavedModelFiles(dir);
      const plain = await tfjs.loadLayersModel(
        tfjs.io.fromMemory({
          modelTopology: files.modelJson.modelTopology,
          weightSpecs: files.modelJson.weightsManifest[0]!.weights,
          weightData: files.weightData,
        }),
      );
      expect(Array.from(predictProbabilities(plain, data, layout))).toEqual(got);
      model.dispose();
      loaded.model.dispose();
      plain.dispose();
    });
  }

  it('replaces an existing directory and reports missing or corrupt files', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'timbre-save-')), 'm');
    const meta = { preset: 'lstm-64' as const, labels: ['a', 'b', 'c'], nMels: 16, nFrames: 32 };
    const m1 = createModel({ preset: 'lstm-64', nMels: 16, nFrames: 32, nClasses: 3, seed: 1 });
    await saveModel(dir, m1, meta);
    const m2 = createModel({ preset: 'lstm-64', nMels: 16, nFrames: 32, nClasses: 3, seed: 2 });
    await saveModel(dir, m2, meta);
    const { model } = await loadModel(dir);
    expect(Array.from(model.getWeights()[0]!.dataSync())).toEqual(Array.from(m2.getWeights()[0]!.dataSync()));
    await expect(saveModel(dir, m1, { ...meta, labels: ['a', 'b'] })).rejects.toThrow(
      /2 names; the model has 3/,
    );
    writeFileSync(join(dir, 'weights.bin'), new Uint8Array(8));
    await expect(loadModel(dir)).rejects.toThrow(/weights in .* hold 8 bytes/);
    await expect(loadModel(join(dir, 'nope'))).rejects.toThrow(SaveLoadError);
    expect(JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')).format).toBe('layers-model');
    m1.dispose();
    m2.dispose();
    model.dispose();
  });

  it('saves a training run with its config, history and test metrics', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'timbre-save-')), 'run');
    const r = await train({
      preset: 'lstm-64',
      train: data,
      test: data,
      epochs: 2,
      batchSize: 3,
      seed: 4,
      backend: 'wasm',
    });
    const meta = await saveTrainResult(dir, r, { datasetManifestHash: 'h1', metrics: { extra: 1 } });
    r.model.dispose();
    const { model, metadata } = await loadModel(dir);
    expect(metadata).toEqual(meta);
    expect(metadata.training?.batchSize).toBe(3);
    expect(metadata.seed).toBe(4);
    expect(metadata.history?.length).toBe(2);
    expect(metadata.metrics?.['testAccuracy']).toBe(r.test!.accuracy);
    expect(metadata.metrics?.['extra']).toBe(1);
    expect(metadata.inputLayout).toBe('frames-mels');
    model.dispose();
  });
});
