import { buildCorpus, loadFeatureSet } from '@timbre/dataset/node';

const { manifest } = await buildCorpus({
  variation: false,
  split: { strategy: 'by-source', testGroups: ['real'], seed: 0 },
});
const byId = new Map(manifest.clips.map((c) => [c.id, c]));
const sets = [
  await loadFeatureSet(manifest, { nMels: 64, split: 'train', dsp: { topDb: 40 } }),
  await loadFeatureSet(manifest, { nMels: 64, split: 'test', dsp: { topDb: 40 } }),
];
const classes = process.argv.slice(2);
const prof = new Map();
for (const s of sets) {
  const { nFrames: T, nMels: M } = s;
  s.ids.forEach((id, r) => {
    const c = byId.get(id);
    if (!classes.includes(c.label)) return;
    if (c.pitch < 44 || c.pitch > 56) return; // a common register
    const k = `${c.label}|${c.sourceGroup === 'real' ? 'real' : c.source.slice(0, 8)}`;
    if (!prof.has(k)) prof.set(k, { n: 0, band: new Float64Array(8), time: new Float64Array(10) });
    const p = prof.get(k);
    p.n++;
    for (let t = 0; t < T; t++)
      for (let b = 0; b < M; b++) {
        const v = s.x[r * T * M + t * M + b];
        p.band[b >> 3] += v / (T * 8);
        p.time[Math.floor(t / 8)] += v / (M * 8);
      }
  });
}
for (const [k, p] of [...prof].sort())
  console.log(
    k.padEnd(22),
    `n=${String(p.n).padStart(3)}`,
    'bands',
    [...p.band].map((v) => (v / p.n).toFixed(2)).join(' '),
    '| time',
    [...p.time].map((v) => (v / p.n).toFixed(2)).join(' '),
  );
