#!/usr/bin/env node
// Does the fast engine learn like stock tfjs? Trains presets on the built-in corpus (random split, 64-band
// log-mel) once per seed with the engine chosen by $TIMBRE_ENGINE (fast | stock; run once per engine, each
// in its own process), appending one JSON line per run to --out; --summarize FILE prints the comparison
// table (mean ± sd of the final test accuracy and of the last-3-epoch mean per engine, their difference and
// Welch's t). Needs the built package (pnpm --filter @timbre/models build).
//
//   TIMBRE_ENGINE=stock node scripts/engine-equivalence.mjs --presets lenet-3x8,lstm-64 --seeds 0,1,2 --out runs.jsonl
//   TIMBRE_ENGINE=fast  node scripts/engine-equivalence.mjs --presets lenet-3x8,lstm-64 --seeds 0,1,2 --out runs.jsonl
//   node scripts/engine-equivalence.mjs --summarize runs.jsonl
//
// Cache: $TIMBRE_CACHE_DIR (default ~/.cache/timbre); the corpus is rendered there on first use.
import { appendFileSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  args: process.argv.slice(2).filter((a, i) => !(i === 0 && a === '--')),
  options: {
    presets: { type: 'string', default: 'lenet-3x8,lstm-64' },
    seeds: { type: 'string', default: '0,1,2' },
    epochs: { type: 'string', default: '10' },
    out: { type: 'string' },
    summarize: { type: 'string' },
  },
});

const mean = (a) => a.reduce((s, v) => s + v, 0) / a.length;
const sd = (a) => Math.sqrt(a.reduce((s, v) => s + (v - mean(a)) ** 2, 0) / Math.max(1, a.length - 1));
const pct = (v) => (100 * v).toFixed(1);

if (values.summarize) {
  const rows = readFileSync(values.summarize, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  console.log(
    '| preset | engine | runs | s/epoch | final test acc. (mean ± sd) | last-3-epoch mean | fast − stock (final) | Welch t |',
  );
  console.log('|---|---|---:|---:|---:|---:|---:|---:|');
  for (const preset of [...new Set(rows.map((r) => r.preset))]) {
    const by = (e) => rows.filter((r) => r.preset === preset && r.engine === e);
    const [s, f] = [by('stock'), by('fast')];
    for (const [e, rs] of [
      ['stock', s],
      ['fast', f],
    ]) {
      if (rs.length === 0) continue;
      const fin = rs.map((r) => r.testAccuracy);
      const l3 = rs.map((r) => mean(r.curve.slice(-3)));
      let diff = '';
      let t = '';
      if (e === 'fast' && s.length > 1 && f.length > 1) {
        const a = f.map((r) => r.testAccuracy);
        const b = s.map((r) => r.testAccuracy);
        diff = `${(100 * (mean(a) - mean(b))).toFixed(1)} points`;
        t = ((mean(a) - mean(b)) / Math.sqrt(sd(a) ** 2 / a.length + sd(b) ** 2 / b.length)).toFixed(2);
      }
      console.log(
        `| ${preset} | ${e} | ${rs.length} | ${mean(rs.map((r) => r.secondsPerEpoch)).toFixed(2)} | ${pct(mean(fin))} ± ${pct(sd(fin))} % | ${pct(mean(l3))} ± ${pct(sd(l3))} % | ${diff} | ${t} |`,
      );
    }
  }
  process.exit(0);
}

const { buildCorpus, loadFeatureSet } = await import('@timbre/dataset/node');
const { initBackend, resolveEngine, train } = await import('../dist/node.js');
const engine = resolveEngine(process.env.TIMBRE_ENGINE || undefined);
const presets = values.presets.split(',');
const seeds = values.seeds.split(',').map(Number);
const epochs = Number(values.epochs);
const cacheDir = process.env.TIMBRE_CACHE_DIR;
const { manifest } = await buildCorpus({
  ...(cacheDir ? { cacheDir } : {}),
  split: { strategy: 'random', seed: 0 },
});
const load = (split) => loadFeatureSet(manifest, { nMels: 64, split, ...(cacheDir ? { cacheDir } : {}) });
const [trainSet, testSet] = [await load('train'), await load('test')];
const backend = await initBackend('wasm');
for (const preset of presets) {
  for (const seed of seeds) {
    const r = await train({ preset, train: trainSet, test: testSet, epochs, seed, engine });
    const row = {
      preset,
      engine,
      backend: backend.name,
      seed,
      epochs,
      testAccuracy: r.test.accuracy,
      trainLoss: r.history.at(-1).trainLoss,
      secondsPerEpoch: mean(r.history.map((h) => h.seconds)),
      curve: r.history.map((h) => +h.testAccuracy.toFixed(4)),
    };
    r.model.dispose();
    console.log(JSON.stringify(row));
    if (values.out) appendFileSync(values.out, `${JSON.stringify(row)}\n`);
  }
}
