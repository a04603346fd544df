#!/usr/bin/env node
// Does averaging help on the held-out real recordings? Trains one config with several seeds (fonts → real),
// then scores: each model alone, each with test-time averaging over ±1 mel-band shifts, and the average of
// the models' probabilities (a seed ensemble).
//   node packages/models/scripts/ensemble-study.mjs --config novar-top40-fms --seeds 0,1,2 --epochs 15
import { parseArgs } from 'node:util';
import { buildCorpus, loadFeatureSet } from '@timbre/dataset/node';
import { initBackend, metricsFromProbabilities, predictProbabilities, train } from '../dist/node.js';
import { CONFIGS } from './study-configs.mjs';

const { values } = parseArgs({
  args: process.argv.slice(2).filter((a, i) => !(i === 0 && a === '--')),
  options: {
    config: { type: 'string' },
    seeds: { type: 'string', default: '0,1,2' },
    epochs: { type: 'string', default: '15' },
  },
});
const c = CONFIGS[values.config];
await initBackend();
const { manifest } = await buildCorpus({
  ...(c.corpus ?? {}),
  split: { strategy: 'by-source', testGroups: ['real'], seed: 0 },
});
const dsp = c.dsp ?? {};
const tr = await loadFeatureSet(manifest, { nMels: 64, split: 'train', dsp });
const te = await loadFeatureSet(manifest, { nMels: 64, split: 'test', dsp });
const shift = (set, s) => {
  const x = new Float32Array(set.x.length);
  const M = set.nMels;
  for (let r = 0; r < x.length; r += M)
    for (let m = 0; m < M; m++) x[r + m] = set.x[r + Math.min(M - 1, Math.max(0, m - s))];
  return { ...set, x };
};
const acc = (p) => metricsFromProbabilities(p, te.y, te.labels).accuracy;
const all = [];
for (const seed of values.seeds.split(',').map(Number)) {
  const r = await train({
    preset: c.preset ?? 'lenet-3x8',
    train: tr,
    epochs: Number(values.epochs),
    seed,
    ...(c.train ?? {}),
  });
  const p = predictProbabilities(r.model, te);
  const tta = new Float32Array(p.length);
  for (const s of [-1, 0, 1]) {
    const q = predictProbabilities(r.model, shift(te, s));
    for (let i = 0; i < q.length; i++) tta[i] += q[i] / 3;
  }
  r.model.dispose();
  all.push(p);
  console.log(JSON.stringify({ config: values.config, seed, single: acc(p), tta: acc(tta) }));
}
const ens = new Float32Array(all[0].length);
for (const p of all) for (let i = 0; i < p.length; i++) ens[i] += p[i] / all.length;
console.log(JSON.stringify({ config: values.config, ensembleOf: all.length, accuracy: acc(ens) }));
