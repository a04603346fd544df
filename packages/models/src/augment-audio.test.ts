import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogMelExtractor } from '@timbre/dsp';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  augmentWaveform,
  resolveWaveAugmentOptions,
  WAVE_AUGMENT_DEFAULTS,
  waveAugmentSeed,
} from './augment-audio.js';
import { initBackend } from './backend.js';
import type { FeatureData } from './features.js';
import { defaultDspParameters } from './model-metadata.js';
import { train } from './train.js';

const SR = 16000;

/** Decaying harmonic notes of 3 classes (different fundamentals and brightness), 0.5 s. */
function notes(n: number, seed = 1): { audio: Float32Array; y: Int32Array; clip: number } {
  const clip = SR / 2;
  const audio = new Float32Array(n * clip);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const c = i % 3;
    y[i] = c;
    const f0 = [220, 440, 880][c]! * (1 + 0.01 * ((i * 7 + seed) % 5));
    for (let t = 0; t < clip; t++) {
      const s = t / SR;
      let v = 0;
      for (let h = 1; h <= 4; h++) v += Math.sin(2 * Math.PI * f0 * h * s) / h ** (c + 1);
      audio[i * clip + t] = 0.3 * Math.exp(-s * 4) * Math.min(1, s / 0.005) * v;
    }
  }
  return { audio, y, clip };
}

const ALL = {
  probability: 1,
  jitterS: 0.05,
  pitchSemitones: 2,
  eqDb: 12,
  eqBands: 3,
  tiltDb: 6,
  lowpassMinHz: 3000,
  reverbS: 1.5,
  noiseSnrDb: 10,
  clipDrive: 6,
};

describe('augmentWaveform', () => {
  const x = notes(1).audio;

  it('is deterministic per seed, differs across seeds, leaves its input alone, stays finite and in range', () => {
    const o = resolveWaveAugmentOptions(ALL)!;
    const copy = x.slice();
    const a = augmentWaveform(x, SR, o, 7);
    expect(augmentWaveform(x, SR, o, 7)).toEqual(a);
    expect(augmentWaveform(x, SR, o, 8)).not.toEqual(a);
    expect(x).toEqual(copy);
    expect(a.length).toBe(x.length);
    const peak = (v: Float32Array) => v.reduce((m, s) => Math.max(m, Math.abs(s)), 0);
    for (let seed = 0; seed < 40; seed++) {
      const y = augmentWaveform(x, SR, o, seed);
      expect(y.every(Number.isFinite)).toBe(true);
      expect(peak(y)).toBeLessThanOrEqual(peak(x) * (1 + 1e-6));
    }
    // Silence stays silence-safe (no NaN from the noise level or the normalisation).
    expect(augmentWaveform(new Float32Array(800), SR, o, 1).every(Number.isFinite)).toBe(true);
  });

  it('applies each transform measurably: jitter delays the onset, pitch shift moves f0, noise fills the floor', () => {
    const one = (k: keyof typeof ALL) => resolveWaveAugmentOptions({ probability: 1, [k]: ALL[k] })!;
    const first = (v: Float32Array) => v.findIndex((s) => Math.abs(s) > 1e-3);
    const delayed = augmentWaveform(x, SR, one('jitterS'), 3);
    expect(first(delayed)).toBeGreaterThan(first(x));
    expect(first(delayed)).toBeLessThanOrEqual(first(x) + 0.05 * SR + 1);
    // Pitch: zero crossings per second scale with the read rate (≤ 2 semitones: ratio in [0.89, 1.12]).
    const zc = (v: Float32Array) =>
      v.slice(200, 4000).reduce((n, s, i, a) => n + (i > 0 && a[i - 1]! < 0 && s >= 0 ? 1 : 0), 0);
    const ratios = [1, 2, 3, 4, 5].map((s) => zc(augmentWaveform(x, SR, one('pitchSemitones'), s)) / zc(x));
    for (const r of ratios) {
      expect(r).toBeGreaterThan(0.85);
      expect(r).toBeLessThan(1.16);
    }
    expect(new Set(ratios.map((r) => r.toFixed(3))).size).toBeGreaterThan(1);
    const quiet = new Float32Array(x.length);
    quiet.set(x.subarray(0, 2000));
    const noisy = augmentWaveform(quiet, SR, one('noiseSnrDb'), 2);
    expect(noisy.subarray(4000).some((s) => s !== 0)).toBe(true);
  });

  it('writes into a given buffer the same values it returns, and refuses the input as the buffer', () => {
    const o = resolveWaveAugmentOptions(ALL)!;
    const out = new Float32Array(x.length).fill(9);
    expect(augmentWaveform(x, SR, o, 11, out)).toBe(out);
    expect(out).toEqual(augmentWaveform(x, SR, o, 11));
    expect(() => augmentWaveform(x, SR, o, 11, x)).toThrow(/out must be a separate array of 8000 samples/);
    expect(() => augmentWaveform(x, SR, o, 11, new Float32Array(10))).toThrow(/out must be a separate array/);
  });

  it('names bad options with their range and turns off when nothing is on', () => {
    expect(resolveWaveAugmentOptions(undefined)).toBeUndefined();
    expect(resolveWaveAugmentOptions({})).toBeUndefined();
    expect(resolveWaveAugmentOptions({ probability: 0, eqDb: 6 })).toBeUndefined();
    expect(resolveWaveAugmentOptions({ eqDb: 6 })).toEqual({ ...WAVE_AUGMENT_DEFAULTS, eqDb: 6 });
    expect(() => resolveWaveAugmentOptions({ eqDb: 40 })).toThrow(
      /waveAugment.eqDb must be a number in \[0, 24\]/,
    );
    expect(() => resolveWaveAugmentOptions({ reverbS: 0.05 })).toThrow(/0 \(off\) or a number in \[0.1, 3\]/);
    expect(() => resolveWaveAugmentOptions({ eqBands: 2.5, eqDb: 3 })).toThrow(/an integer/);
    expect(() => resolveWaveAugmentOptions({ gain: 3 } as never)).toThrow(
      /not a waveform augmentation option/,
    );
    expect(waveAugmentSeed(0, 1, 2)).not.toBe(waveAugmentSeed(0, 2, 1));
  });
});

describe('train with waveform augmentation', () => {
  const dsp = { ...defaultDspParameters(24, 16), sampleRate: SR, nFft: 512, hop: 256, fMax: 8000 };
  let set: FeatureData;
  let audio: Float32Array;
  let clip: number;

  beforeAll(async () => {
    expect((await initBackend('wasm')).name).toBe('wasm');
    const n = notes(24);
    audio = n.audio;
    clip = n.clip;
    const ex = await createLogMelExtractor(dsp);
    const x = new Float32Array(24 * 16 * 24);
    for (let i = 0; i < 24; i++) x.set(ex.compute(audio.subarray(i * clip, (i + 1) * clip)), i * 16 * 24);
    ex.dispose();
    set = { labels: ['a', 'b', 'c'], nMels: 24, nFrames: 16, x, y: n.y };
  });

  const run = (extra: Record<string, unknown> = {}) =>
    train({
      preset: 'lstm-64',
      train: set,
      epochs: 2,
      batchSize: 8,
      seed: 3,
      waveAugment: { probability: 0.7, eqDb: 9, reverbS: 0.8, noiseSnrDb: 20, pitchSemitones: 1 },
      audio: { samples: audio, clipSamples: clip, dsp },
      ...extra,
    });
  const weights = async (r: Awaited<ReturnType<typeof run>>) => {
    const w = r.model.getWeights().map((t) => Array.from(t.dataSync()));
    r.model.dispose();
    return w;
  };

  it('trains on augmented audio: same seed → same weights, differs from the plain run, resume exact', async () => {
    const a = await weights(await run());
    expect(await weights(await run())).toEqual(a);
    const plain = await train({ preset: 'lstm-64', train: set, epochs: 2, batchSize: 8, seed: 3 });
    expect(await weights(plain)).not.toEqual(a);
    const dir = mkdtempSync(join(tmpdir(), 'timbre-wave-'));
    (await run({ epochs: 1, outDir: dir })).model.dispose();
    const resumed = await run({ outDir: dir, resume: true });
    expect(resumed.config.waveAugment?.eqDb).toBe(9);
    expect(await weights(resumed)).toEqual(a);
  });

  it('gives the same weights with the batches made on 0, 1 or 3 augmentation threads', async () => {
    const a = await weights(await run({ augmentThreads: 0 }));
    expect(await weights(await run({ augmentThreads: 1 }))).toEqual(a);
    expect(await weights(await run({ augmentThreads: 3 }))).toEqual(a);
    await expect(run({ augmentThreads: 9 })).rejects.toThrow(/augmentThreads must be an integer in \[0, 8\]/);
    await expect(run({ augmentThreads: 1.5 })).rejects.toThrow(/augmentThreads/);
  });

  it('refuses audio that does not match the training set', async () => {
    await expect(
      train({ preset: 'lstm-64', train: set, epochs: 1, waveAugment: { eqDb: 3 } }),
    ).rejects.toThrow(/waveAugment needs audio/);
    await expect(run({ audio: { samples: audio.subarray(clip), clipSamples: clip, dsp } })).rejects.toThrow(
      /is not 24 training clips/,
    );
    const shuffled = new Float32Array(audio.length);
    shuffled.set(audio.subarray(clip, 2 * clip));
    await expect(run({ audio: { samples: shuffled, clipSamples: clip, dsp } })).rejects.toThrow(
      /audio row 0 does not give training row 0/,
    );
  });
});
