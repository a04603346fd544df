#!/usr/bin/env node
// What do the networks rely on, on the held-out real recordings? Trains one model on the SoundFonts
// (by-source, real held out) per config and seed, then measures on the real group:
//  - accuracy on the original onset clips by register (low / middle / high third of the class's range),
//  - accuracy when groups of 8 mel bands, or the attack (frames 0–9) / the rest, are occluded (set to 0),
//  - accuracy on the pitch-shifted copies of recordings, by shift (−3…+3 semitones), beside the same
//    recordings' originals,
//  - accuracy on later windows of sustained notes (0.5, 1.0 s after the onset) beside their onset clips.
//   node packages/models/scripts/reliance-study.mjs --configs baseline,novar-top40 --seeds 0,1 --epochs 15
import { appendFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { buildCorpus, INSTRUMENTS, loadFeatureSet } from '@timbre/dataset/node';
import { evaluate, initBackend, train } from '../dist/node.js';
import { CONFIGS } from './study-configs.mjs';

const { values } = parseArgs({
  args: process.argv.slice(2).filter((a, i) => !(i === 0 && a === '--')),
  options: {
    configs: { type: 'string', default: 'baseline' },
    seeds: { type: 'string', default: '0' },
    epochs: { type: 'string', default: '15' },
    out: { type: 'string' },
  },
});
await initBackend();
const acc = (model, set, rows, mutate) => {
  if (rows.length === 0) return null;
  const per = set.nFrames * set.nMels;
  const x = new Float32Array(rows.length * per);
  for (const [k, r] of rows.entries()) x.set(set.x.subarray(r * per, (r + 1) * per), k * per);
  if (mutate) for (let k = 0; k < rows.length; k++) mutate(x.subarray(k * per, (k + 1) * per));
  const y = Int32Array.from(rows, (r) => set.y[r]);
  return +evaluate(model, { ...set, x, y }).accuracy.toFixed(3);
};
for (const name of values.configs.split(',')) {
  const c = CONFIGS[name];
  const { manifest } = await buildCorpus({
    ...(c.corpus ?? {}),
    split: { strategy: 'by-source', testGroups: ['real'], seed: 0 },
  });
  const nMels = c.nMels ?? 64;
  const dsp = c.dsp ?? {};
  const tr = await loadFeatureSet(manifest, { nMels, split: 'train', dsp });
  const all = await loadFeatureSet(manifest, { nMels, split: 'all', dsp });
  const byId = new Map(manifest.clips.map((k) => [k.id, k]));
  const clips = all.ids.map((id) => byId.get(id));
  const real = clips.flatMap((k, i) => (k.sourceGroup === 'real' ? [i] : []));
  const orig = real.filter((i) => clips[i].shift === 0 && clips[i].offsetS === 0);
  for (const seed of values.seeds.split(',').map(Number)) {
    const r = await train({
      preset: c.preset ?? 'lenet-3x8',
      train: tr,
      epochs: c.epochs ?? Number(values.epochs),
      seed,
      ...(c.train ?? {}),
    });
    const m = r.model;
    const register = {};
    for (const [name3, lo, hi] of [
      ['low', 0, 1 / 3],
      ['middle', 1 / 3, 2 / 3],
      ['high', 2 / 3, 1.01],
    ]) {
      register[name3] = acc(
        m,
        all,
        orig.filter((i) => {
          const inst = INSTRUMENTS.find((q) => q.name === clips[i].label);
          const f = (clips[i].pitch - inst.lo) / (inst.hi - inst.lo);
          return f >= lo && f < hi;
        }),
      );
    }
    const bands = {};
    for (let b0 = 0; b0 < nMels; b0 += nMels / 8) {
      bands[`${b0}-${b0 + nMels / 8 - 1}`] = acc(m, all, orig, (x) => {
        for (let t = 0; t < all.nFrames; t++) x.fill(0, t * nMels + b0, t * nMels + b0 + nMels / 8);
      });
    }
    const frames = {
      'attack 0-9': acc(m, all, orig, (x) => x.fill(0, 0, 10 * nMels)),
      'after 10-79': acc(m, all, orig, (x) => x.fill(0, 10 * nMels)),
    };
    // Pitch shift: the same recordings as recorded and shifted by s (only recordings with a copy at s).
    const shift = {};
    for (let s = -3; s <= 3; s++) {
      if (s === 0) continue;
      const copies = real.filter((i) => clips[i].shift === s && clips[i].offsetS === 0);
      const recs = new Set(copies.map((i) => clips[i].recording));
      const originals = orig.filter((i) => recs.has(clips[i].recording));
      shift[s] = { n: copies.length, shifted: acc(m, all, copies), original: acc(m, all, originals) };
    }
    // Later windows of sustained notes, beside the onset clips of the same recordings.
    const offset = {};
    for (const o of [0.5, 1]) {
      const later = real.filter((i) => clips[i].shift === 0 && Math.abs(clips[i].offsetS - o) < 1e-9);
      const recs = new Set(later.map((i) => clips[i].recording));
      const onset = orig.filter((i) => recs.has(clips[i].recording));
      offset[o] = { n: later.length, later: acc(m, all, later), onset: acc(m, all, onset) };
    }
    const row = {
      config: name,
      seed,
      original: acc(m, all, orig),
      register,
      bands,
      frames,
      shift,
      offset,
      n: { original: orig.length, real: real.length },
    };
    m.dispose();
    console.log(JSON.stringify(row));
    if (values.out) appendFileSync(values.out, `${JSON.stringify(row)}\n`);
  }
}
