import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { createRng, encodeFloatWav } from '@timbre/dataset/node';
import { createLogMelExtractor } from '@timbre/dsp';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from './backend.js';
import type { FeatureData } from './features.js';
import { createClassifier } from './inference.js';
import { defaultDspParameters } from './model-metadata.js';
import { loadClassifier } from './predict.js';
import { loadModel, saveModel } from './save-load.js';
import { train } from './train.js';

const SR = 44100;
const FREQS = [300, 1500, 6000];
const LABELS = ['low', 'mid', 'high'];

/** A tone of class c: silence, then a note with a 5-ms attack. */
function tone(c: number, seconds: number, seed: number, sr = SR): Float32Array {
  const rng = createRng(seed);
  const out = new Float32Array(Math.round(seconds * sr));
  const start = Math.floor(rng.next() * 0.1 * sr);
  const amp = 0.3 + 0.6 * rng.next();
  const phase = rng.next() * 2 * Math.PI;
  for (let i = start; i < out.length; i++) {
    const t = (i - start) / sr;
    out[i] =
      amp * Math.min(1, t / 0.005) * Math.sin(2 * Math.PI * FREQS[c]! * t + phase) +
      0.01 * (rng.next() - 0.5);
  }
  return out;
}

let dir = '';

describe('predict', () => {
  beforeAll(async () => {
    await initBackend('wasm');
    const ex = await createLogMelExtractor({ nMels: 16, frames: 80 });
    const n = 30;
    const x = new Float32Array(n * 80 * 16);
    const y = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      y[i] = i % 3;
      x.set(ex.compute(tone(i % 3, 1, 100 + i)), i * 80 * 16);
    }
    ex.dispose();
    const data: FeatureData = { labels: LABELS, nMels: 16, nFrames: 80, x, y };
    const r = await train({
      preset: 'lenet-5x5',
      train: data,
      epochs: 6,
      batchSize: 10,
      learningRate: 3e-3,
      seed: 1,
      backend: 'wasm',
    });
    dir = join(mkdtempSync(join(tmpdir(), 'timbre-predict-')), 'model');
    await saveModel(dir, r.model, {
      preset: 'lenet-5x5',
      labels: LABELS,
      nMels: 16,
      nFrames: 80,
      dsp: defaultDspParameters(16, 80),
    });
    r.model.dispose();
  });

  it('classifies 1-s clips with top-k probabilities', async () => {
    const clf = await loadClassifier(dir, { backend: 'wasm' });
    expect(clf.backend.name).toBe('wasm');
    for (let c = 0; c < 3; c++) {
      const p = await clf.predictSamples(tone(c, 1, 900 + c), SR, { topK: 2 });
      expect(p.windows.length).toBe(1);
      expect(p.top.length).toBe(2);
      expect(p.top[0]!.label).toBe(LABELS[c]);
      expect(p.top[0]!.probability).toBeGreaterThanOrEqual(p.top[1]!.probability);
      expect(p.probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    }
    clf.dispose();
  });

  it('windows longer audio with a hop and averages the windows', async () => {
    const clf = await loadClassifier(dir, { backend: 'wasm' });
    const before = tf.memory().numTensors;
    const p = await clf.predictSamples(tone(2, 3, 5), SR, { trimOnset: false, hopS: 0.5, aggregate: 'mean' });
    expect(p.windows.map((w) => w.startS)).toEqual([0, 0.5, 1, 1.5, 2]);
    for (let k = 0; k < 3; k++) {
      const mean = p.windows.reduce((a, w) => a + w.probabilities[k]!, 0) / 5;
      expect(p.probabilities[k]).toBeCloseTo(mean, 6);
    }
    expect(p.top[0]!.label).toBe('high');
    expect(p.durationS).toBeCloseTo(3, 6);
    const auto = await clf.predictSamples(tone(2, 3, 5), SR, { hopS: 1 });
    expect(auto.onsetS).toBe(0); // 'auto' does not trim audio of two windows or more
    expect(auto.windows.length).toBe(3);
    expect(tf.memory().numTensors).toBe(before);
    await expect(clf.predictSamples(tone(0, 1, 1), SR, { topK: 4 })).rejects.toThrow(
      /topK must be an integer in \[1, 3\]/,
    );
    clf.dispose();
  });

  it('predicts a file at another sample rate, starting at the onset', async () => {
    const clf = await loadClassifier(dir, { backend: 'wasm' });
    const audio = new Float32Array(22050 * 1.5);
    audio.set(tone(1, 1, 77, 22050), 11025); // 0.5 s of silence first
    const file = join(dir, '..', 'mid.wav');
    writeFileSync(file, encodeFloatWav(audio, 22050));
    const p = await clf.predictFile(file);
    expect(p.onsetS).toBeGreaterThan(0.45);
    expect(p.onsetS).toBeLessThan(0.62);
    expect(p.top[0]!.label).toBe('mid');
    clf.dispose();
  });

  it('streams a long WAV at the model rate: the same prediction as the decoded samples, in bounded pieces', async () => {
    const clf = await loadClassifier(dir, { backend: 'wasm' });
    // 70 s: silence, a mid tone, a high tone, a low one, quiet noise.
    const audio = new Float32Array(SR * 70);
    audio.set(tone(1, 20, 3), SR * 5);
    audio.set(tone(2, 20, 4), SR * 25);
    audio.set(tone(0, 20, 5), SR * 45);
    for (let i = SR * 65; i < audio.length; i++) audio[i] = 1e-4 * Math.sin(i);
    const file = join(dir, '..', 'long.wav');
    writeFileSync(file, encodeFloatWav(audio, SR));
    const reads: number[] = [];
    const source = {
      sampleRate: SR,
      length: audio.length,
      read: async (start: number, count: number) => {
        reads.push(Math.min(count, audio.length - start));
        return audio.slice(start, start + count);
      },
    };
    const whole = await clf.predictSamples(audio, SR, { hopS: 0.5 });
    const streamed = await clf.predictSource(source, { hopS: 0.5 });
    const fromFile = await clf.predictFile(file, { hopS: 0.5 });
    for (const p of [streamed, fromFile]) {
      expect(p.windows.length).toBe(whole.windows.length);
      expect(p.probabilities).toEqual(whole.probabilities);
      expect(p.windows.map((w) => w.skipped)).toEqual(whole.windows.map((w) => w.skipped));
      expect(p.durationS).toBeCloseTo(70, 6);
    }
    expect(Math.max(...reads)).toBeLessThanOrEqual(30 * SR);
    expect(reads.reduce((a, b) => a + b, 0)).toBeLessThan(1.2 * audio.length);
    await expect(clf.predictSource({ ...source, sampleRate: 22050 })).rejects.toThrow(
      /streams 44100 Hz only/,
    );
    clf.dispose();
    // Small model batches: the windows go through in groups of 4 batches (32 windows here), with the same result.
    const { model, metadata } = await loadModel(dir);
    const small = await createClassifier(model, metadata, { batchSize: 8 });
    const grouped = await small.predictSource(source, { hopS: 0.5 });
    expect(grouped.probabilities).toEqual(
      (await small.predictSamples(audio, SR, { hopS: 0.5 })).probabilities,
    );
    expect(grouped.windows.map((w) => w.probabilities)).toEqual(whole.windows.map((w) => w.probabilities));
    small.dispose();
  });

  it('predictFiles keeps the input order when a long file in the middle is streamed and another one fails', async () => {
    const clf = await loadClassifier(dir, { backend: 'wasm' });
    const base = join(dir, '..');
    const long = new Float32Array(SR * 25);
    long.set(tone(2, 20, 9), SR * 2);
    const files = [
      ['a.wav', encodeFloatWav(tone(0, 1, 21), SR)],
      ['long-25s.wav', encodeFloatWav(long, SR)],
      ['bad.wav', new TextEncoder().encode('RIFF broken')],
      ['b.wav', encodeFloatWav(tone(1, 1, 22), SR)],
    ] as const;
    for (const [name, bytes] of files) writeFileSync(join(base, name), bytes);
    const paths = files.map(([name]) => join(base, name));
    const got: { path: string; label?: string; error?: boolean; p?: number[] }[] = [];
    for await (const r of clf.predictFiles(paths, { chunk: 2 }))
      got.push({
        path: r.path,
        ...(r.prediction ? { label: r.prediction.top[0]!.label, p: r.prediction.probabilities } : {}),
        ...(r.error ? { error: true } : {}),
      });
    expect(got.map((g) => g.path)).toEqual(paths);
    expect(got.map((g) => g.label ?? 'error')).toEqual(['low', 'high', 'error', 'mid']);
    expect(got[1]!.p).toEqual((await clf.predictSamples(long, SR)).probabilities);
    clf.dispose();
  });
});
