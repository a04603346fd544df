#!/usr/bin/env node
// Per class and source group of the built-in corpus (64-band log-mel, 80 dB range): clips, the fraction of
// bins at the floor (−80 dB re the clip's peak), the mean value, the mean time envelope (every 10th frame)
// and the mean spectrum (every 8th band). How the fonts and the real recordings differ.
//   TIMBRE_CACHE_DIR=… node packages/models/scripts/source-statistics.mjs
import { buildCorpus, loadFeatureSet } from '@timbre/dataset/node';

const { manifest } = await buildCorpus({ split: { strategy: 'by-source', testGroups: ['real'], seed: 0 } });
const all = await loadFeatureSet(manifest, { nMels: 64, split: 'all' });
const byId = new Map(manifest.clips.map((c) => [c.id, c]));
const T = all.nFrames,
  M = all.nMels;
const stats = {};
for (let i = 0; i < all.ids.length; i++) {
  const c = byId.get(all.ids[i]);
  const g =
    c.sourceGroup === 'real' ? (c.shift === 0 && c.offsetS === 0 ? 'real' : 'realaug') : c.sourceGroup;
  const k = `${c.label}|${g}`;
  stats[k] ??= { n: 0, env: new Float64Array(T), spec: new Float64Array(M), floor: 0, mean: 0 };
  const s = stats[k];
  s.n++;
  const o = i * T * M;
  let zeros = 0,
    sum = 0;
  for (let t = 0; t < T; t++)
    for (let m = 0; m < M; m++) {
      const v = all.x[o + t * M + m];
      s.env[t] += v / M;
      s.spec[m] += v / T;
      if (v <= 0.001) zeros++;
      sum += v;
    }
  s.floor += zeros / (T * M);
  s.mean += sum / (T * M);
}
const fmt = (a, step) =>
  Array.from(a)
    .filter((_, i) => i % step === 0)
    .map((v) => v.toFixed(2))
    .join(' ');
for (const label of all.labels) {
  for (const g of ['timgm', 'fluid', 'real']) {
    const s = stats[`${label}|${g}`];
    if (!s) continue;
    console.log(
      label.padEnd(12),
      g.padEnd(6),
      'n',
      String(s.n).padStart(4),
      'floor',
      (s.floor / s.n).toFixed(2),
      'mean',
      (s.mean / s.n).toFixed(2),
      '| env',
      fmt(
        s.env.map((v) => v / s.n),
        10,
      ),
      '| spec',
      fmt(
        s.spec.map((v) => v / s.n),
        8,
      ),
    );
  }
}
