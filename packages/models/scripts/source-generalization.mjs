#!/usr/bin/env node
// Leave-one-source-out study of training-time augmentation (see README, "Generalising to new recordings").
// Trains LeNet 3×8 on 64-band log-mel of the built-in corpus with the by-source split (train FluidR3Mono +
// MuseScore_General_Lite, test TimGM6mb) once per (config, seed), one run at a time, and prints one JSON
// line per run plus a mean ± spread table. Needs the built package (pnpm --filter @timbre/models build).
//
//   pnpm --filter @timbre/models run source-generalization -- [--configs baseline,eq12] [--seeds 0,1]
//        [--epochs 10] [--split by-source|random] [--out results.jsonl]
//
// Cache: $TIMBRE_CACHE_DIR (default ~/.cache/timbre); the corpus is rendered there on first use.
import { appendFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { buildCorpus, loadFeatureSet } from '@timbre/dataset/node';
import { initBackend, train } from '../dist/node.js';

/** Named recipes: `augment` goes to train(); `cmn` subtracts each clip's per-band mean over time (train + test). */
export const CONFIGS = {
  baseline: {},
  eq6: { augment: { eqDb: 6 } },
  eq12: { augment: { eqDb: 12 } },
  eq20: { augment: { eqDb: 20 } },
  eq12o8: { augment: { eqDb: 12, eqOrder: 8 } },
  tilt12: { augment: { eqDb: 12, eqOrder: 1 } },
  shift2: { augment: { shiftBands: 2 } },
  shift1: { augment: { shiftBands: 1 } },
  shift3: { augment: { shiftBands: 3 } },
  shift4: { augment: { shiftBands: 4 } },
  shift6: { augment: { shiftBands: 6 } },
  shift8: { augment: { shiftBands: 8 } },
  'shift4+env12': { augment: { shiftBands: 4, envDb: 12 } },
  'shift4+eq6': { augment: { shiftBands: 4, eqDb: 6 } },
  env12: { augment: { envDb: 12 } },
  'shift2+specaug': {
    augment: { shiftBands: 2, freqMasks: 2, freqMaskWidth: 8, timeMasks: 2, timeMaskWidth: 10 },
  },
  'shift2+eq12': { augment: { shiftBands: 2, eqDb: 12 } },
  'shift2+env12': { augment: { shiftBands: 2, envDb: 12 } },
  specaug: { augment: { freqMasks: 2, freqMaskWidth: 8, timeMasks: 2, timeMaskWidth: 10 } },
  fmask: { augment: { freqMasks: 2, freqMaskWidth: 8 } },
  mixup: { augment: { mixup: 0.4 } },
  cmn: { cmn: true },
  'eq12+shift1': { augment: { eqDb: 12, shiftBands: 1 } },
  'eq12+shift2': { augment: { eqDb: 12, shiftBands: 2 } },
  'eq12+specaug': { augment: { eqDb: 12, freqMasks: 2, freqMaskWidth: 8, timeMasks: 2, timeMaskWidth: 10 } },
  'eq12+mixup': { augment: { eqDb: 12, mixup: 0.4 } },
};

function cmn(set) {
  const { nFrames: T, nMels: M } = set;
  const x = new Float32Array(set.x);
  const mean = new Float64Array(M);
  for (let o = 0; o < x.length; o += T * M) {
    mean.fill(0);
    for (let t = 0; t < T; t++) for (let m = 0; m < M; m++) mean[m] += x[o + t * M + m];
    for (let t = 0; t < T; t++) for (let m = 0; m < M; m++) x[o + t * M + m] -= mean[m] / T;
  }
  return { ...set, x };
}

const { values } = parseArgs({
  // `pnpm run … -- --flag` forwards the `--` itself: drop it
  args: process.argv.slice(2).filter((a, i) => !(i === 0 && a === '--')),
  options: {
    configs: { type: 'string', default: 'baseline,eq12' },
    seeds: { type: 'string', default: '0,1' },
    epochs: { type: 'string', default: '10' },
    split: { type: 'string', default: 'by-source' },
    out: { type: 'string' },
  },
});
const names = values.configs.split(',');
for (const n of names)
  if (!(n in CONFIGS)) throw new Error(`unknown config '${n}' (${Object.keys(CONFIGS).join(', ')})`);
const seeds = values.seeds.split(',').map(Number);
const epochs = Number(values.epochs);
const cacheDir = process.env.TIMBRE_CACHE_DIR;
const { manifest } = await buildCorpus({
  ...(cacheDir ? { cacheDir } : {}),
  split: { strategy: values.split, seed: 0 },
});
const load = (split) => loadFeatureSet(manifest, { nMels: 64, split, ...(cacheDir ? { cacheDir } : {}) });
const [trainRaw, testRaw] = [await load('train'), await load('test')];
await initBackend();
const rows = [];
for (const name of names) {
  const c = CONFIGS[name];
  const [tr, te] = c.cmn ? [cmn(trainRaw), cmn(testRaw)] : [trainRaw, testRaw];
  for (const seed of seeds) {
    const r = await train({
      preset: 'lenet-3x8',
      train: tr,
      test: te,
      epochs,
      seed,
      ...(c.augment ? { augment: c.augment } : {}),
    });
    const row = {
      config: name,
      split: values.split,
      seed,
      epochs,
      testAccuracy: r.test.accuracy,
      bestTestAccuracy: Math.max(...r.history.map((h) => h.testAccuracy)),
      trainAccuracy: r.history.at(-1).trainAccuracy,
      secondsPerEpoch: r.history.reduce((s, h) => s + h.seconds, 0) / r.history.length,
      curve: r.history.map((h) => +h.testAccuracy.toFixed(4)),
    };
    r.model.dispose();
    rows.push(row);
    console.log(JSON.stringify(row));
    if (values.out) appendFileSync(values.out, `${JSON.stringify(row)}\n`);
  }
}
const pct = (v) => (100 * v).toFixed(1);
console.log(
  `\n| config (${values.split}, ${epochs} epochs, seeds ${seeds.join(',')}) | final test acc, mean ± half-range | mean of the last 3 epochs | s/epoch |`,
);
console.log('|---|---:|---:|---:|');
for (const name of names) {
  const rs = rows.filter((r) => r.config === name);
  const a = rs.map((r) => r.testAccuracy);
  const mean = a.reduce((s, v) => s + v, 0) / a.length;
  const half = (Math.max(...a) - Math.min(...a)) / 2;
  const last3 = rs.map((r) => r.curve.slice(-3).reduce((s, v) => s + v, 0) / Math.min(3, r.curve.length));
  const l3 = last3.reduce((s, v) => s + v, 0) / last3.length;
  const l3half = (Math.max(...last3) - Math.min(...last3)) / 2;
  const sec = rs.reduce((s, r) => s + r.secondsPerEpoch, 0) / rs.length;
  console.log(
    `| ${name} | ${pct(mean)} ± ${pct(half)} % | ${pct(l3)} ± ${pct(l3half)} % | ${sec.toFixed(2)} |`,
  );
}
