import { buildCorpus, loadFeatureSet } from '@timbre/dataset/node';
import { initBackend, loadModel, predictProbabilities } from '../dist/node.js';

await initBackend('wasm');
const { manifest } = await buildCorpus({
  variation: false,
  split: { strategy: 'by-source', testGroups: ['real'], seed: 0 },
});
const te = await loadFeatureSet(manifest, { nMels: 64, split: 'test', dsp: { topDb: 40 } });
const byId = new Map(manifest.clips.map((c) => [c.id, c]));
const { model } = await loadModel(
  '../../runs/gen3/generalization/runs/robust-swad-wave-holdout-real-s0/model',
);
const p = predictProbabilities(model, te);
const want = process.argv[2] ?? 'trombone';
const K = te.labels.length;
te.ids.forEach((id, r) => {
  const c = byId.get(id);
  if (c.label !== want) return;
  const row = Array.from(p.subarray(r * K, (r + 1) * K));
  const top = row
    .map((v, k) => [v, te.labels[k]])
    .sort((a, b) => b[0] - a[0])
    .slice(0, 3);
  console.log(id.padEnd(34), 'pitch', c.pitch, top.map(([v, l]) => `${l}:${v.toFixed(2)}`).join(' '));
});
