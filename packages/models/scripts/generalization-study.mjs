#!/usr/bin/env node
// Leave-one-group-out study (issue: recognise real recordings). For each held-out source group (real,
// timgm, fluid) trains on the other groups of the built-in corpus and scores the held-out group's original
// clips of the classes it has; one JSON line per (config, held-out group, seed), then a mean ± sd table.
//
//   node packages/models/scripts/generalization-study.mjs --configs baseline --groups real,timgm,fluid
//        --seeds 0,1,2 --epochs 20 [--out results.jsonl]
import { appendFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { buildCorpus, clipPath, loadClipAudio, loadFeatureSet, readClip } from '@timbre/dataset/node';
import { createLogMelExtractor } from '@timbre/dsp';
import { augmentWaveform, resolveWaveAugmentOptions } from '../dist/augment-audio.js';
import { defaultDspParameters, initBackend, train } from '../dist/node.js';
import { CONFIGS } from './study-configs.mjs';

const { values } = parseArgs({
  args: process.argv.slice(2).filter((a, i) => !(i === 0 && a === '--')),
  options: {
    configs: { type: 'string', default: 'baseline' },
    groups: { type: 'string', default: 'real,timgm,fluid' },
    seeds: { type: 'string', default: '0' },
    epochs: { type: 'string', default: '20' },
    out: { type: 'string' },
  },
});
const names = values.configs.split(',');
for (const n of names)
  if (!(n in CONFIGS)) throw new Error(`unknown config '${n}' (${Object.keys(CONFIGS).join(', ')})`);
const seeds = values.seeds.split(',').map(Number);
const epochs = Number(values.epochs);
await initBackend();
const rows = [];

/** The training clips' audio in row order (for on-the-fly waveform augmentation), on shared memory. */
async function trainingAudio(set, manifest, dsp) {
  const { samples, clipSamples } = await loadClipAudio(manifest, set.ids);
  return { samples, clipSamples, dsp };
}

/** The training set plus `copies` waveform-augmented copies of it (offline screening of on-the-fly augmentation). */
async function waveCopies(set, manifest, wave, copies, nMels) {
  const o = resolveWaveAugmentOptions(wave);
  const ex = await createLogMelExtractor({ sampleRate: manifest.sampleRate, nMels, frames: 80 });
  const byId = new Map(manifest.clips.map((c) => [c.id, c]));
  const stride = set.nFrames * set.nMels;
  const n = set.y.length;
  const x = new Float32Array(n * stride * (copies + 1));
  x.set(set.x);
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    const audio = await readClip(clipPath(manifest, byId.get(set.ids[i])), manifest.sampleRate);
    for (let k = 0; k < copies; k++) {
      const f = ex.compute(augmentWaveform(audio, manifest.sampleRate, o, 1000003 * k + i));
      x.set(f, ((k + 1) * n + i) * stride);
    }
  }
  console.error(`wave copies: ${copies} × ${n} clips in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  ex.dispose();
  const y = new Int32Array(n * (copies + 1));
  for (let k = 0; k <= copies; k++) y.set(set.y, k * n);
  return { ...set, x, y, ids: Array.from({ length: copies + 1 }, () => set.ids).flat() };
}
for (const group of values.groups.split(',')) {
  for (const name of names) {
    const c = CONFIGS[name];
    const { manifest } = await buildCorpus({
      ...(c.corpus ?? {}),
      split: { strategy: 'by-source', testGroups: [group], seed: 0 },
    });
    const nMels = c.nMels ?? 64;
    const dsp = c.dsp ?? {};
    const load = (split) => loadFeatureSet(manifest, { nMels, split, dsp });
    let [tr, te] = [await load('train'), await load('test')];
    let audio;
    if (c.waveCopies) tr = await waveCopies(tr, manifest, c.waveCopies, c.copies ?? 2, nMels);
    if (c.waveAugment) audio = await trainingAudio(tr, manifest, { ...defaultDspParameters(nMels), ...dsp });
    if (c.transform) [tr, te] = [c.transform(tr, manifest), c.transform(te, manifest)];
    if (c.trainTransform) tr = c.trainTransform(tr, manifest);
    if (c.pairTransform) [tr, te] = c.pairTransform(tr, te, manifest);
    for (const seed of seeds) {
      const t0 = performance.now();
      const r = await train({
        preset: c.preset ?? 'lenet-3x8',
        train: tr,
        test: te,
        epochs: c.epochs ?? epochs,
        seed,
        ...(c.train ?? {}),
        ...(c.waveAugment ? { waveAugment: c.waveAugment, audio } : {}),
      });
      const row = {
        config: name,
        heldOut: group,
        seed,
        epochs: c.epochs ?? epochs,
        testAccuracy: r.test.accuracy,
        last3: r.history.slice(-3).reduce((s, h) => s + h.testAccuracy, 0) / Math.min(3, r.history.length),
        trainAccuracy: r.history.at(-1).trainAccuracy,
        trainClips: tr.y.length,
        testClips: te.y.length,
        secondsPerEpoch: r.history.reduce((s, h) => s + h.seconds, 0) / r.history.length,
        wallS: (performance.now() - t0) / 1000,
        curve: r.history.map((h) => +h.testAccuracy.toFixed(3)),
        recall: Object.fromEntries(
          r.test.perClass.filter((k) => k.support > 0).map((k) => [k.label, +k.recall.toFixed(3)]),
        ),
        confusion: r.test.confusion,
      };
      r.model.dispose();
      rows.push(row);
      const { confusion: _c, ...print } = row;
      console.log(JSON.stringify(print));
      if (values.out) appendFileSync(values.out, `${JSON.stringify(row)}\n`);
    }
  }
}
