// Diagnostic: the shipped LOGO models (robust-swad-wave, real held out) on the real onset clips with their
// features brightened (+s dB/octave above f0·2) or level-shaped; per-class recall.
import { buildCorpus, loadFeatureSet } from '@timbre/dataset/node';
import { hzToMel, melToHz } from '@timbre/dsp';
import { evaluate, initBackend, loadModel } from '../dist/node.js';

await initBackend('wasm');
const { manifest } = await buildCorpus({
  variation: false,
  split: { strategy: 'by-source', testGroups: ['real'], seed: 0 },
});
const te = await loadFeatureSet(manifest, { nMels: 64, split: 'test', dsp: { topDb: 40 } });
const byId = new Map(manifest.clips.map((c) => [c.id, c]));
const { nFrames: T, nMels: M } = te;
const top = hzToMel(22050);
const centres = Array.from({ length: M }, (_, b) => melToHz(((b + 1) * top) / (M + 1)));
const variants = {
  none: () => {},
  bright6: (x, c) => tilt(x, c, 6),
  bright12: (x, c) => tilt(x, c, 12),
  dark6: (x, c) => tilt(x, c, -6),
};
function tilt(x, c, s) {
  const f0 = 440 * 2 ** ((c.pitch - 69) / 12);
  const knee = f0 * 2;
  for (let b = 0; b < M; b++) {
    if (centres[b] <= knee) continue;
    const d = (s * Math.log2(centres[b] / knee)) / 40;
    for (let t = 0; t < T; t++) x[t * M + b] = Math.min(1, Math.max(0, x[t * M + b] + d));
  }
}
for (const seed of [0, 1, 2]) {
  const { model } = await loadModel(
    `../../runs/gen3/generalization/runs/robust-swad-wave-holdout-real-s${seed}/model`,
  );
  const line = [];
  for (const [name, f] of Object.entries(variants)) {
    const x = new Float32Array(te.x);
    te.ids.forEach((id, r) => f(x.subarray(r * T * M, (r + 1) * T * M), byId.get(id)));
    const e = evaluate(model, { ...te, x });
    const rec = Object.fromEntries(
      e.perClass.filter((k) => k.support > 0).map((k) => [k.label.slice(0, 5), Math.round(k.recall * 100)]),
    );
    line.push(
      `${name} ${(e.accuracy * 100).toFixed(1)} [${Object.entries(rec)
        .map(([k, v]) => `${k}:${v}`)
        .join(' ')}]`,
    );
  }
  console.log(`seed ${seed}\n  ${line.join('\n  ')}`);
}
