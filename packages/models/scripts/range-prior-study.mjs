#!/usr/bin/env node
// How much would an instrument-range prior help on the held-out real recordings? For each saved fonts → real
// model (seeds 0–2), the held-out clips' probabilities are re-scored with the classes whose playable range
// (the instrument table, `@timbre/dataset` INSTRUMENTS: lo–hi MIDI) misses the clip's pitch masked out, with
// the true pitch (an upper bound) and a margin of m semitones.
//   node packages/models/scripts/range-prior-study.mjs <runs dir> <manifest> [recipe]
import { INSTRUMENTS, loadFeatureSet, readManifest } from '@timbre/dataset/node';
import { initBackend, loadModel, predictProbabilities } from '../dist/node.js';

const [runs, manifestPath, recipe = 'robust-swad-wave'] = process.argv.slice(2);
await initBackend();
const manifest = await readManifest(manifestPath);
const byId = new Map(manifest.clips.map((c) => [c.id, c]));
for (const seed of [0, 1, 2]) {
  const dir = `${runs}/${recipe}-holdout-real-s${seed}/model`;
  const { model, metadata } = await loadModel(dir);
  const dsp = metadata.dsp;
  const te = await loadFeatureSet(manifest, {
    nMels: metadata.nMels,
    split: 'test',
    dsp: { topDb: dsp.topDb },
  });
  const p = predictProbabilities(model, te);
  const labels = metadata.labels;
  const range = labels.map((l) => INSTRUMENTS.find((i) => i.name === l));
  const row = [];
  for (const margin of [Number.POSITIVE_INFINITY, 4, 2, 0]) {
    let ok = 0;
    for (let i = 0; i < te.y.length; i++) {
      const pitch = byId.get(te.ids[i]).pitch;
      let best = -1;
      let arg = 0;
      for (let k = 0; k < labels.length; k++) {
        const r = range[k];
        const inside = pitch >= r.lo - margin && pitch <= r.hi + margin;
        const v = inside ? p[i * labels.length + k] : -1 + p[i * labels.length + k];
        if (v > best) {
          best = v;
          arg = k;
        }
      }
      if (arg === te.y[i]) ok++;
    }
    row.push(
      `${margin === Number.POSITIVE_INFINITY ? 'none' : `±${margin}`}: ${((100 * ok) / te.y.length).toFixed(1)} %`,
    );
  }
  console.log(`seed ${seed} (${te.y.length} clips): ${row.join('  ')}`);
  model.dispose();
}
