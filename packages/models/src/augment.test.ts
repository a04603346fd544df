import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { AugmentOptions } from './augment.js';
import {
  AUGMENT_DEFAULTS,
  augmentBatch,
  augmentSeed,
  RECOMMENDED_AUGMENT,
  resolveAugmentOptions,
} from './augment.js';
import { initBackend } from './backend.js';
import { CheckpointError, ModelError } from './errors.js';
import { syntheticFeatures } from './test-utils/synthetic.js';
import { train } from './train.js';

const T = 20;
const M = 16;
const data = syntheticFeatures(12, { nMels: M, nFrames: T, seed: 5 });
const idx = [3, 0, 7, 7, 11];
const resolve = (o: AugmentOptions) => resolveAugmentOptions(o)!;
const clip = (x: Float32Array, k: number) => x.subarray(k * T * M, (k + 1) * T * M);
const weightsOf = (m: { getWeights(): tf.Tensor[] }) => m.getWeights().map((t) => Array.from(t.dataSync()));

describe('resolveAugmentOptions', () => {
  it('is off for undefined, false and all-zero options; fills defaults otherwise', () => {
    expect(resolveAugmentOptions(undefined)).toBeUndefined();
    expect(resolveAugmentOptions(false)).toBeUndefined();
    expect(resolveAugmentOptions({})).toBeUndefined();
    expect(resolveAugmentOptions({ eqDb: 0, mixup: 0, freqMaskWidth: 4 })).toBeUndefined();
    expect(resolveAugmentOptions({ eqDb: 12 })).toEqual({ ...AUGMENT_DEFAULTS, eqDb: 12 });
    expect(resolveAugmentOptions(RECOMMENDED_AUGMENT)).toBeDefined();
  });

  it('refuses out-of-range, non-integer and unknown fields with a ModelError', () => {
    const bad: unknown[] = [
      { eqDb: -1 },
      { eqDb: 61 },
      { eqDb: Number.NaN },
      { eqOrder: 0 },
      { eqOrder: 1.5 },
      { shiftBands: 17 },
      { freqMasks: 9 },
      { timeMaskWidth: 0 },
      { mixup: 11 },
      { eqdb: 3 },
      'eq',
      null,
    ];
    for (const o of bad) {
      expect(() => resolveAugmentOptions(o as AugmentOptions), JSON.stringify(o)).toThrow(ModelError);
    }
    expect(() => resolveAugmentOptions({ shiftBands: 2.5 })).toThrow(
      /augment.shiftBands must be an integer in \[0, 16\]/,
    );
  });
});

describe('augmentBatch', () => {
  const all = resolve({ eqDb: 12, envDb: 12, shiftBands: 2, freqMasks: 2, timeMasks: 2, mixup: 0.4 });

  it('keeps shapes and labels, stays in [0, 1] and leaves the input alone', () => {
    const before = data.x.slice();
    const r = augmentBatch(data.x, data.y, idx, T, M, all, 9);
    expect(r.x.length).toBe(idx.length * T * M);
    expect([...r.y]).toEqual(idx.map((i) => data.y[i]!));
    expect(r.mix!.y2.length).toBe(idx.length);
    for (const v of r.x) {
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThanOrEqual(1);
    }
    expect(data.x).toEqual(before);
  });

  it('is a function of its seed: same seed same batch, another seed another batch', () => {
    const a = augmentBatch(data.x, data.y, idx, T, M, all, augmentSeed(1, 2, 3));
    const b = augmentBatch(data.x, data.y, idx, T, M, all, augmentSeed(1, 2, 3));
    const c = augmentBatch(data.x, data.y, idx, T, M, all, augmentSeed(1, 2, 4));
    expect(b).toEqual(a);
    expect(c.x).not.toEqual(a.x);
    expect(augmentSeed(1, 2, 3)).not.toBe(augmentSeed(1, 3, 2));
  });

  it('shift moves every frame by one integer band count, edges repeated', () => {
    const r = augmentBatch(data.x, data.y, idx, T, M, resolve({ shiftBands: 3 }), 4);
    const shifts = new Set<number>();
    idx.forEach((i, k) => {
      const src = clip(data.x, i);
      const dst = clip(r.x, k);
      const s = [-3, -2, -1, 0, 1, 2, 3].find((s) => {
        for (let t = 0; t < T; t++)
          for (let m = 0; m < M; m++)
            if (dst[t * M + m] !== src[t * M + Math.min(M - 1, Math.max(0, m - s))]) return false;
        return true;
      });
      expect(s, `clip ${k}`).toBeDefined();
      shifts.add(s!);
    });
    expect(shifts.size).toBeGreaterThan(1);
  });

  it('EQ adds one smooth bounded curve per clip, keeps the peak and the floor', () => {
    const x = data.x.slice();
    for (let i = 0; i < x.length; i += 7) x[i] = 0; // some floor pixels
    const eqDb = 12;
    const r = augmentBatch(x, data.y, idx, T, M, resolve({ eqDb }), 11);
    idx.forEach((i, k) => {
      const src = clip(x, i);
      const dst = clip(r.x, k);
      expect(Math.max(...dst)).toBeCloseTo(Math.max(...src), 6);
      // the difference of two frames' (unclipped, non-floor) changes is 0: one curve for the clip
      const d = Array.from({ length: M }, () => [] as number[]);
      for (let p = 0; p < T * M; p++) {
        if (src[p] === 0) expect(dst[p]).toBe(0);
        else if (dst[p]! > 0 && dst[p]! < 1) d[p % M]!.push(dst[p]! - src[p]!);
      }
      const curve = d.map((v) => (v.length ? v[0]! : Number.NaN));
      d.forEach((v) => {
        for (const e of v) expect(e).toBeCloseTo(v[0]!, 5);
      });
      const finite = curve.filter(Number.isFinite);
      expect(Math.max(...finite) - Math.min(...finite)).toBeLessThanOrEqual((2 * eqDb) / 80 + 1e-6);
      expect(Math.max(...finite) - Math.min(...finite)).toBeGreaterThan(0);
    });
  });

  it('envelope adds one curve over the frames, the same in every band, and keeps the peak', () => {
    const r = augmentBatch(data.x, data.y, idx, T, M, resolve({ envDb: 12, envOrder: 2 }), 6);
    idx.forEach((i, k) => {
      const src = clip(data.x, i);
      const dst = clip(r.x, k);
      expect(Math.max(...dst)).toBeCloseTo(Math.max(...src), 6);
      const deltas = new Set<number>();
      for (let t = 0; t < T; t++) {
        const d = [] as number[];
        for (let m = 0; m < M; m++) {
          const p = t * M + m;
          if (src[p]! > 0 && dst[p]! > 0 && dst[p]! < 1) d.push(dst[p]! - src[p]!);
        }
        for (const e of d) expect(e).toBeCloseTo(d[0]!, 5);
        if (d.length) deltas.add(Math.round(d[0]! * 1e4));
      }
      expect(deltas.size).toBeGreaterThan(1);
    });
  });

  it('masks zero whole band ranges / frame ranges of bounded width', () => {
    const f = augmentBatch(data.x, data.y, idx, T, M, resolve({ freqMasks: 1, freqMaskWidth: 4 }), 3);
    const t = augmentBatch(data.x, data.y, idx, T, M, resolve({ timeMasks: 1, timeMaskWidth: 5 }), 3);
    idx.forEach((i, k) => {
      const src = clip(data.x, i);
      const fc = clip(f.x, k);
      const tc = clip(t.x, k);
      let changedBands = 0;
      for (let m = 0; m < M; m++) {
        const changed = Array.from({ length: T }, (_, tt) => fc[tt * M + m] !== src[tt * M + m]);
        if (changed.some(Boolean)) {
          changedBands++;
          for (let tt = 0; tt < T; tt++) expect(fc[tt * M + m]).toBe(0);
        }
      }
      expect(changedBands).toBeLessThanOrEqual(4);
      let changedFrames = 0;
      for (let tt = 0; tt < T; tt++) {
        const row = tc.subarray(tt * M, (tt + 1) * M);
        if (row.some((v, m) => v !== src[tt * M + m])) {
          changedFrames++;
          expect([...row].every((v) => v === 0)).toBe(true);
        }
      }
      expect(changedFrames).toBeLessThanOrEqual(5);
    });
  });

  it('mixup mixes each clip with a batch partner, λ in [0.5, 1]', () => {
    const r = augmentBatch(data.x, data.y, idx, T, M, resolve({ mixup: 0.4 }), 8);
    const { y2, lambda } = r.mix!;
    idx.forEach((i, k) => {
      const lam = lambda[k]!;
      expect(lam).toBeGreaterThanOrEqual(0.5);
      expect(lam).toBeLessThanOrEqual(1);
      const partner = idx.findIndex((j, p) => {
        if (data.y[j] !== y2[k]) return false;
        const a = clip(data.x, i);
        const b = clip(data.x, idx[p]!);
        return clip(r.x, k).every((v, q) => Math.abs(v - (lam * a[q]! + (1 - lam) * b[q]!)) < 1e-6);
      });
      expect(partner, `clip ${k}`).toBeGreaterThanOrEqual(0);
    });
  });
});

describe('train with augment', () => {
  const trainSet = syntheticFeatures(40, { seed: 1 });
  const testSet = syntheticFeatures(12, { seed: 2 });
  const common = {
    preset: 'lenet-3x8' as const,
    train: trainSet,
    test: testSet,
    batchSize: 16,
    seed: 3,
    backend: 'wasm' as const,
  };
  const tmp = () => mkdtempSync(join(tmpdir(), 'timbre-augment-'));
  const aug: AugmentOptions = { eqDb: 12, shiftBands: 1, freqMasks: 1, timeMasks: 1, mixup: 0.4 };

  beforeAll(async () => {
    expect((await initBackend('wasm')).name).toBe('wasm');
  });

  it('off (undefined, false, all zero) is the plain path: same weights, no augment in the config', async () => {
    const plain = await train({ ...common, epochs: 1 });
    for (const augment of [false, {}, { eqDb: 0 }] as const) {
      const r = await train({ ...common, epochs: 1, augment });
      expect(weightsOf(r.model)).toEqual(weightsOf(plain.model));
      expect(r.config.augment).toBeUndefined();
      r.model.dispose();
    }
    const on = await train({ ...common, epochs: 1, augment: aug });
    expect(weightsOf(on.model)).not.toEqual(weightsOf(plain.model));
    expect(on.config.augment).toEqual({ ...AUGMENT_DEFAULTS, ...aug });
    plain.model.dispose();
    on.model.dispose();
  });

  it('same seed gives the same weights; resume is exact; another augment cannot resume', async () => {
    const full = await train({ ...common, epochs: 3, augment: aug });
    const again = await train({ ...common, epochs: 3, augment: aug });
    expect(weightsOf(again.model)).toEqual(weightsOf(full.model));
    const dir = tmp();
    const first = await train({ ...common, epochs: 1, augment: aug, outDir: dir });
    first.model.dispose();
    const resumed = await train({ ...common, epochs: 3, augment: aug, outDir: dir, resume: true });
    expect(resumed.resumedFromEpoch).toBe(1);
    expect(weightsOf(resumed.model)).toEqual(weightsOf(full.model));
    expect(resumed.history.map((h) => h.trainLoss)).toEqual(full.history.map((h) => h.trainLoss));
    await expect(
      train({ ...common, epochs: 4, augment: { eqDb: 6 }, outDir: dir, resume: true }),
    ).rejects.toThrow(CheckpointError);
    await expect(train({ ...common, epochs: 4, outDir: dir, resume: true })).rejects.toThrow(/augment/);
    for (const r of [full, again, resumed]) r.model.dispose();
  });

  it('refuses bad augment options with a ModelError', async () => {
    await expect(train({ ...common, epochs: 1, augment: { eqDb: 100 } })).rejects.toThrow(ModelError);
  });
});

describe('Freq-MixStyle', () => {
  it('mixes per-band statistics between clips of the batch, deterministically, within [0, 1]', () => {
    const set = syntheticFeatures(8, { nMels: 16, nFrames: 20, seed: 3 });
    const idx = Uint32Array.from({ length: 8 }, (_, i) => i);
    const o = resolveAugmentOptions({ freqMixStyle: 1 })!;
    const a = augmentBatch(set.x, set.y, idx, 20, 16, o, 11);
    expect(augmentBatch(set.x, set.y, idx, 20, 16, o, 11).x).toEqual(a.x);
    expect(a.x).not.toEqual(set.x);
    expect(a.x.every((v) => v >= 0 && v <= 1)).toBe(true);
    expect(Array.from(a.y)).toEqual(Array.from(set.y));
    // The band structure within each clip survives: per band, the mixed values are an increasing affine
    // map of the originals (before clipping), so the order of frames within a band is kept.
    const per = 20 * 16;
    for (let k = 0; k < 8; k++)
      for (let m = 0; m < 16; m++) {
        const before = Array.from({ length: 20 }, (_, t) => set.x[k * per + t * 16 + m]!);
        const after = Array.from({ length: 20 }, (_, t) => a.x[k * per + t * 16 + m]!);
        for (let t = 1; t < 20; t++)
          if (before[t]! > before[t - 1]! + 1e-6)
            expect(after[t]!).toBeGreaterThanOrEqual(after[t - 1]! - 1e-6);
      }
    // Probability 0 is off; batches of one clip have no partner.
    expect(resolveAugmentOptions({ freqMixStyle: 0 })).toBeUndefined();
    expect(augmentBatch(set.x, set.y, idx.subarray(0, 1), 20, 16, o, 11).x).toEqual(set.x.subarray(0, per));
    expect(() => resolveAugmentOptions({ freqMixStyle: 2 })).toThrow(
      /freqMixStyle must be a number in \[0, 1\]/,
    );
  });
});
