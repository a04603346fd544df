import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { createRng } from '@timbre/dataset';
import { beforeAll, describe, expect, it } from 'vitest';
import { ModelError, SaveLoadError } from './errors.js';
import {
  createClassifier,
  LOW_CONFIDENCE,
  levelDbfs,
  NOISE_FLATNESS,
  planWindows,
  QUIET_WINDOW_DB,
  SILENCE_DBFS,
  sliceWindow,
  spectralFlatness,
} from './inference.js';
import { modelFromFiles, type SavedModelFiles } from './model-artifacts.js';
import { defaultDspParameters, type ModelMetadata, parseModelMetadata } from './model-metadata.js';

const SR = 44100;

/** A note: silence until `onsetS`, then a decaying harmonic tone of amplitude `amp`. */
function note(durationS: number, f0: number, onsetS = 0, amp = 0.5, decayS = 10): Float32Array {
  const x = new Float32Array(Math.round(durationS * SR));
  for (let i = Math.round(onsetS * SR); i < x.length; i++) {
    const t = i / SR - onsetS;
    let v = 0;
    for (let h = 1; h <= 6; h++) v += Math.sin(2 * Math.PI * f0 * h * t) / h;
    x[i] = amp * Math.exp(-t / decayS) * Math.min(1, t / 0.005) * v * 0.5;
  }
  return x;
}

function metadataFor(nMels: number, labels: string[]): ModelMetadata {
  return {
    format: 'timbre-model',
    formatVersion: 1,
    preset: 'lenet-3x8',
    labels,
    nMels,
    nFrames: 80,
    inputLayout: 'mels-frames-channel',
    dsp: defaultDspParameters(nMels, 80),
    normalization: 'dB re clip peak',
    packages: {},
    backend: 'cpu',
    createdAt: '2026-12-01T00:00:00Z',
  };
}

/** A small real network: [nMels, 80, 1] → mean over the image → dense softmax (seeded weights). */
function tinyModel(nMels: number, classes: number, bias: number[] = []): tfl.LayersModel {
  const m = tfl.sequential();
  m.add(tfl.layers.flatten({ inputShape: [nMels, 80, 1] }));
  m.add(
    tfl.layers.dense({
      units: classes,
      activation: 'softmax',
      kernelInitializer: tfl.initializers.glorotUniform({ seed: 3 }),
    }),
  );
  if (bias.length) m.layers[1]!.setWeights([m.layers[1]!.getWeights()[0]!, tf.tensor1d(bias)]);
  return m;
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('planWindows and sliceWindow', () => {
  it('starts a single short note at its onset (auto trim below two windows)', () => {
    const plan = planWindows(note(1.5, 440, 0.25), SR);
    expect(plan.length).toBe(SR);
    expect(plan.hop).toBe(SR / 2);
    expect(Math.abs(plan.onset - 0.25 * SR)).toBeLessThanOrEqual(441);
    expect(plan.starts).toEqual([plan.onset]);
  });

  it('cuts long audio from 0 (auto), from the onset when asked, and honours windowS/hopS', () => {
    const x = note(3, 440, 0.5);
    expect(planWindows(x, SR).starts).toEqual([0, 0.5, 1, 1.5, 2].map((s) => s * SR));
    const trimmed = planWindows(x, SR, { trimOnset: true });
    expect(Math.abs(trimmed.onset - 0.5 * SR)).toBeLessThanOrEqual(441);
    expect(
      planWindows(new Float32Array(1000), 100, { windowS: 2, hopS: 1, trimOnset: false }).starts,
    ).toEqual([0, 100, 200, 300, 400, 500, 600, 700, 800]);
    expect(planWindows(new Float32Array(0), SR).starts).toEqual([0]);
  });

  it('refuses options out of range, naming them and the range', () => {
    expect(() => planWindows(new Float32Array(10), 0)).toThrow(ModelError);
    expect(() => planWindows(new Float32Array(10), SR, { hopS: 0 })).toThrow(
      /hopS must be a number in \[0\.01, 60\]/,
    );
    expect(() => planWindows(new Float32Array(10), SR, { windowS: Number.NaN })).toThrow(/windowS/);
    expect(() => planWindows(new Float32Array(10), SR, { windowS: 11 })).toThrow(/windowS/);
  });

  it('slices a window, zero-padded past the end, reusing `out`', () => {
    const x = Float32Array.from([1, 2, 3, 4, 5]);
    const out = new Float32Array(4).fill(9);
    expect(Array.from(sliceWindow(x, 3, 4, out))).toEqual([4, 5, 0, 0]);
    expect(Array.from(sliceWindow(x, 7, 2))).toEqual([0, 0]);
  });

  it('measures the RMS level in dBFS', () => {
    expect(levelDbfs(new Float32Array(100))).toBe(Number.NEGATIVE_INFINITY);
    expect(levelDbfs(new Float32Array(100).fill(0.5))).toBeCloseTo(20 * Math.log10(0.5), 10);
  });
});

describe('createClassifier', () => {
  const labels = ['a', 'b', 'c'];

  it('classifies a note, averaging only the windows that are not silent or quiet', async () => {
    const clf = await createClassifier(tinyModel(16, 3), metadataFor(16, labels));
    // 1 s of a loud note, then 1 s of its tail at −50 dB, then 1.5 s of digital silence.
    const x = new Float32Array(Math.round(3.5 * SR));
    x.set(note(1, 330));
    x.set(note(1, 330, 0, 0.5 * 10 ** (-50 / 20)), SR);
    const p = await clf.predictSamples(x, SR, { aggregate: 'mean' });
    expect(p.aggregate).toBe('mean');
    expect(p.windows.map((w) => w.skipped)).toEqual([false, false, true, true, true, true]);
    const kept = p.windows.filter((w) => !w.skipped);
    for (let k = 0; k < 3; k++)
      expect(p.probabilities[k]).toBeCloseTo(
        (kept[0]!.probabilities[k]! + kept[1]!.probabilities[k]!) / 2,
        6,
      );
    expect(p.silent).toBe(false);
    expect(p.windows[3]!.levelDb).toBeLessThan(SILENCE_DBFS);
    expect(p.windows[2]!.levelDb).toBeLessThan(p.windows[0]!.levelDb - QUIET_WINDOW_DB);
    expect(p.lowConfidence).toBe(p.top[0]!.probability < LOW_CONFIDENCE);
    expect(p.timings.inferenceMs).toBeGreaterThanOrEqual(0);
    clf.dispose();
  });

  it('answers a short recording from its strongest onset window, a long one with the mean (aggregate auto)', async () => {
    const clf = await createClassifier(tinyModel(16, 3), metadataFor(16, labels));
    // 0.7 s of silence, a 1-s note, its quiet tail: the onset is not on the 0.5-s window grid.
    const x = new Float32Array(Math.round(3.5 * SR));
    x.set(note(1, 330), Math.round(0.7 * SR));
    const p = await clf.predictSamples(x, SR);
    expect(p.aggregate).toBe('onset');
    const at = p.answerWindowS!;
    expect(at).toBeGreaterThan(0.65);
    expect(at).toBeLessThan(0.75);
    expect(p.onsetS).toBe(0); // the timeline still starts at 0
    const onsetWindow = await clf.predictSamples(
      x.subarray(Math.round(at * SR), Math.round(at * SR) + SR),
      SR,
      {
        trimOnset: false,
      },
    );
    for (let k = 0; k < 3; k++)
      expect(p.probabilities[k]).toBeCloseTo(onsetWindow.windows[0]!.probabilities[k]!, 6);
    expect(p.windows.map((w) => w.startS)).toEqual([0, 0.5, 1, 1.5, 2, 2.5]); // the timeline is unchanged
    // Batched with other inputs (its extra row included), the same answer.
    const [many] = await clf.predictMany([{ samples: x, sampleRate: SR }]);
    expect((many as typeof p).probabilities).toEqual(p.probabilities);
    // 25 s: the mean.
    const long = new Float32Array(SR * 25);
    long.set(note(1, 330), SR);
    expect((await clf.predictSamples(long, SR)).aggregate).toBe('mean');
    expect((await clf.predictSamples(long, SR, { aggregate: 'onset' })).aggregate).toBe('onset');
    await expect(clf.predictSamples(x, SR, { aggregate: 'max' as never })).rejects.toThrow(
      /'auto', 'onset' or 'mean'/,
    );
    await expect(
      clf.predictSource(
        { sampleRate: SR, length: long.length, read: async (s, n) => long.slice(s, s + n) },
        { aggregate: 'onset' },
      ),
    ).rejects.toThrow(/needs the whole recording/);
    clf.dispose();
  });

  it('reports silence (and low confidence) instead of an instrument for digital silence or one sample', async () => {
    const clf = await createClassifier(tinyModel(16, 3), metadataFor(16, labels));
    for (const x of [new Float32Array(SR * 2), Float32Array.of(0.5), new Float32Array(SR).fill(1e-5)]) {
      const p = await clf.predictSamples(x, SR);
      if (x.length === 1) {
        expect(p.silent).toBe(false); // one full-scale sample in a zero-padded window is −46 dBFS
        continue;
      }
      expect(p.silent).toBe(true);
      expect(p.top).toEqual([]);
      expect(p.lowConfidence).toBe(true);
      expect(p.probabilities).toEqual([0, 0, 0]);
    }
    clf.dispose();
  });

  it('flags noise (white noise, clicks) as noise-like and low confidence, a harmonic note not', async () => {
    const clf = await createClassifier(tinyModel(16, 3, [0, 30, 0]), metadataFor(16, labels));
    const rng = createRng(1);
    const rnd = () => rng.next() * 2 - 1;
    const noise = Float32Array.from({ length: 2 * SR }, () => 0.3 * rnd());
    const clicks = Float32Array.from({ length: 2 * SR }, (_, i) => (i % 4410 < 20 ? 0.8 : 0));
    for (const x of [noise, clicks]) {
      const p = await clf.predictSamples(x, SR);
      expect(p.noiseLike).toBe(true);
      expect(p.lowConfidence).toBe(true); // although the (biased) model says 'b' with ~100 %
      expect(p.top[0]!.probability).toBeGreaterThan(0.9);
      for (const w of p.windows) expect(w.flatness).toBeGreaterThan(NOISE_FLATNESS);
    }
    const tone = await clf.predictSamples(note(2, 220), SR);
    expect(tone.noiseLike).toBe(false);
    expect(tone.lowConfidence).toBe(false);
    expect(Math.max(...tone.windows.map((w) => w.flatness))).toBeLessThan(0.05);
    expect(spectralFlatness(new Float32Array(64), 16, 80)).toBe(0);
    clf.dispose();
  });

  it('flags a confident answer as such, and a flat one as low confidence', async () => {
    const sure = await createClassifier(tinyModel(16, 3, [0, 30, 0]), metadataFor(16, labels));
    const p = await sure.predictSamples(note(1, 440), SR);
    expect(p.top[0]!.label).toBe('b');
    expect(p.lowConfidence).toBe(false);
    sure.dispose();
    const flat = tfl.sequential();
    flat.add(tfl.layers.flatten({ inputShape: [16, 80, 1] }));
    flat.add(tfl.layers.dense({ units: 3, activation: 'softmax', kernelInitializer: 'zeros' }));
    const unsure = await createClassifier(flat, metadataFor(16, labels));
    const q = await unsure.predictSamples(note(1, 440), SR);
    expect(q.top[0]!.probability).toBeCloseTo(1 / 3, 6);
    expect(q.lowConfidence).toBe(true);
    unsure.dispose();
  });

  it('gives the same probabilities in fixed zero-padded batches (WebGL) and small batches', async () => {
    const x = note(4, 200);
    const a = await createClassifier(tinyModel(16, 3), metadataFor(16, labels));
    const b = await createClassifier(tinyModel(16, 3), metadataFor(16, labels), {
      batchSize: 3,
      fixedBatch: true,
    });
    const pa = await a.predictSamples(x, SR, { yieldEvery: 2 });
    const progress: number[] = [];
    const pb = await b.predictSamples(x, SR, { onProgress: (f) => progress.push(f), yieldEvery: 2 });
    expect(pb.windows).toHaveLength(7);
    for (let w = 0; w < 7; w++)
      for (let k = 0; k < 3; k++)
        expect(pb.windows[w]!.probabilities[k]).toBeCloseTo(pa.windows[w]!.probabilities[k]!, 6);
    expect(progress.at(-1)).toBe(1);
    expect(progress.length).toBeGreaterThan(1);
    a.dispose();
    b.dispose();
  });

  it('resamples other rates only with a resampler, and checks topK', async () => {
    const clf = await createClassifier(tinyModel(16, 3), metadataFor(16, labels));
    await expect(clf.predictSamples(new Float32Array(22050), 22050)).rejects.toThrow(/22050 Hz.*44100 Hz/);
    await expect(clf.predictSamples(new Float32Array(10), SR, { topK: 4 })).rejects.toThrow(
      /topK .*\[1, 3\]/,
    );
    clf.dispose();
    let asked: number[] = [];
    const withResampler = await createClassifier(tinyModel(16, 3), metadataFor(16, labels), {
      resample: async (x, from, to) => {
        asked = [from, to];
        return new Float32Array(Math.round((x.length * to) / from));
      },
    });
    const p = await withResampler.predictSamples(new Float32Array(22050), 22050);
    expect(asked).toEqual([22050, SR]);
    expect(p.durationS).toBe(1);
    withResampler.dispose();
  });
});

describe('model metadata and files', () => {
  const good = () => JSON.parse(JSON.stringify(metadataFor(16, ['a', 'b', 'c']))) as Record<string, unknown>;

  it('accepts a valid metadata.json and names the first bad field otherwise', () => {
    expect(parseModelMetadata(good()).labels).toEqual(['a', 'b', 'c']);
    const cases: [string, (m: Record<string, unknown>) => unknown, RegExp][] = [
      ['null', () => null, /the metadata must be a JSON object/],
      ['no labels', (m) => ({ ...m, labels: undefined }), /labels must be an array of at least 2 distinct/],
      ['duplicate labels', (m) => ({ ...m, labels: ['a', 'a'] }), /labels/],
      ['no dsp', (m) => ({ ...m, dsp: undefined }), /dsp must be an object/],
      [
        'dsp bands',
        (m) => ({ ...m, dsp: { ...(m.dsp as object), nMels: 64 } }),
        /dsp\.nMels must be the model's nMels \(16\)/,
      ],
      ['layout', (m) => ({ ...m, inputLayout: 'nchw' }), /inputLayout must be one of/],
      ['preset', (m) => ({ ...m, preset: 'resnet' }), /preset/],
      ['version', (m) => ({ ...m, formatVersion: 2 }), /format\/formatVersion/],
      ['topDb', (m) => ({ ...m, dsp: { ...(m.dsp as object), topDb: -3 } }), /dsp\.topDb/],
    ];
    for (const [name, edit, message] of cases) {
      expect(() => parseModelMetadata(edit(good()), 'x/metadata.json'), name).toThrow(SaveLoadError);
      expect(() => parseModelMetadata(edit(good()), 'x/metadata.json'), name).toThrow(message);
    }
  });

  async function filesOf(model: tfl.LayersModel, metadata: unknown): Promise<SavedModelFiles> {
    let saved: tf.io.ModelArtifacts | undefined;
    await model.save(
      tf.io.withSaveHandler(async (a) => {
        saved = a;
        return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
      }),
    );
    const data = saved!.weightData as ArrayBuffer;
    return {
      modelJson: {
        modelTopology: saved!.modelTopology as object,
        weightsManifest: [{ paths: ['weights.bin'], weights: saved!.weightSpecs! }],
      },
      weightData: data.slice(0),
      metadata: metadata as ModelMetadata,
    };
  }

  it('loads good files and refuses broken ones with one clear reason', async () => {
    const model = tinyModel(16, 3);
    const meta = metadataFor(16, ['a', 'b', 'c']);
    const ok = await modelFromFiles(await filesOf(model, meta), 'm');
    expect(ok.model.outputs[0]!.shape).toEqual([null, 3]);
    ok.model.dispose();

    const nan = await filesOf(model, meta);
    new Float32Array(nan.weightData)[5] = Number.NaN;
    await expect(modelFromFiles(nan, 'm')).rejects.toThrow(/non-finite value \(NaN\) at float 5/);

    const int = await filesOf(model, meta);
    int.modelJson.weightsManifest[0]!.weights[0]!.dtype = 'int32';
    await expect(modelFromFiles(int, 'm')).rejects.toThrow(/is int32; timbre models hold float32/);

    const noShape = await filesOf(model, meta);
    (noShape.modelJson.weightsManifest[0]!.weights[0] as { shape?: unknown }).shape = undefined;
    await expect(modelFromFiles(noShape, 'm')).rejects.toThrow(/has no valid shape/);

    const garbage = await filesOf(model, meta);
    garbage.modelJson.modelTopology = { class_name: 'Nonsense', config: 7 };
    await expect(modelFromFiles(garbage, 'm')).rejects.toThrow(/the model does not load/);

    const units = await filesOf(model, { ...meta, labels: ['a', 'b', 'c', 'd'] });
    await expect(modelFromFiles(units, 'm')).rejects.toThrow(/metadata has 4 labels .* the model 3 outputs/);

    const short = await filesOf(model, meta);
    short.weightData = short.weightData.slice(0, 8);
    await expect(modelFromFiles(short, 'm')).rejects.toThrow(/hold 8 bytes/);
    model.dispose();
  });
});
