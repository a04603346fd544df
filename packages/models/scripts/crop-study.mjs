#!/usr/bin/env node
// Does the model lean on the fonts' note envelope (1 s from the onset)? Renders the corpus with 1.5-s clips,
// trains `robust-swad` (LeNet 3×8, 40 dB, Freq-MixStyle, averaging) on the SoundFonts with 1-s crops taken
// at the given offsets after the onset (offline copies), and scores the real recordings' original onset clips
// (their first second). `--offsets 0,0,0` is the control (same number of steps).
//   node packages/models/scripts/crop-study.mjs --offsets 0,0.25,0.5 --seeds 0,1,2 --epochs 6 [--out rows.jsonl]
import { appendFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { buildCorpus, clipPath, readClip } from '@timbre/dataset/node';
import { createLogMelExtractor } from '@timbre/dsp';
import { defaultDspParameters, initBackend, train } from '../dist/node.js';

const { values } = parseArgs({
  args: process.argv.slice(2).filter((a, i) => !(i === 0 && a === '--')),
  options: {
    offsets: { type: 'string', default: '0,0.25,0.5' },
    seeds: { type: 'string', default: '0,1,2' },
    epochs: { type: 'string', default: '6' },
    group: { type: 'string', default: 'real' },
    out: { type: 'string' },
  },
});
const offsets = values.offsets.split(',').map(Number);
await initBackend();
const { manifest } = await buildCorpus({
  variation: false,
  trim: { durationS: 1.5 },
  split: { strategy: 'by-source', testGroups: [values.group], seed: 0 },
});
const sr = manifest.sampleRate;
const dsp = { ...defaultDspParameters(64), topDb: 40 };
const ex = await createLogMelExtractor({ ...dsp, sampleRate: sr });
const labels = manifest.labels;
const feats = async (clips, offs) => {
  const per = 80 * 64;
  const x = new Float32Array(clips.length * offs.length * per);
  const y = new Int32Array(clips.length * offs.length);
  let k = 0;
  for (const o of offs)
    for (const c of clips) {
      const a = await readClip(clipPath(manifest, c), sr);
      const s0 = Math.round(o * sr);
      x.set(ex.compute(a.subarray(s0, s0 + sr)), k * per);
      y[k++] = labels.indexOf(c.label);
    }
  return { labels, nMels: 64, nFrames: 80, x, y };
};
const live = manifest.clips.filter((c) => !c.silent);
const tr = await feats(
  live.filter((c) => c.split === 'train'),
  offsets,
);
const te = await feats(
  live.filter((c) => c.split === 'test'),
  [0],
);
for (const seed of values.seeds.split(',').map(Number)) {
  const r = await train({
    preset: 'lenet-3x8',
    train: tr,
    test: te,
    epochs: Number(values.epochs),
    seed,
    augment: { freqMixStyle: 0.6 },
    averageWeightsFrom: 2,
  });
  const row = {
    config: `crops-${values.offsets}`,
    heldOut: values.group,
    seed,
    epochs: Number(values.epochs),
    testAccuracy: r.test.accuracy,
    trainClips: tr.y.length,
    testClips: te.y.length,
    recall: Object.fromEntries(
      r.test.perClass.filter((k) => k.support > 0).map((k) => [k.label, +k.recall.toFixed(3)]),
    ),
    curve: r.history.map((h) => +h.testAccuracy.toFixed(3)),
  };
  r.model.dispose();
  console.log(JSON.stringify(row));
  if (values.out) appendFileSync(values.out, `${JSON.stringify(row)}\n`);
}
