#!/usr/bin/env node
// Weight hashes (sha256 of every weight's float32 bytes, first 16 hex digits) of short seeded runs on wasm:
// lenet-3x8, lstm-64 and cnn-robust, 2 epochs of synthetic data with Freq-MixStyle and weight averaging, for
// each engine. A refactor that claims "same seed → bit-identical weights" is checked by running this before
// and after: `node scripts/weight-hashes.mjs [fast,stock]` (needs the built package).
import { createHash } from 'node:crypto';

const m = await import('../dist/node.js');
await m.initBackend('wasm');
const mk = (n, T, M, C, seed) => {
  let s = seed;
  const r = () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
  const x = new Float32Array(n * T * M).map(() => r());
  const y = Int32Array.from({ length: n }, (_, i) => i % C);
  return {
    x,
    y,
    nFrames: T,
    nMels: M,
    labels: Array.from({ length: C }, (_, i) => `c${i}`),
    ids: Array.from({ length: n }, (_, i) => `i${i}`),
  };
};
const data = mk(96, 80, 64, 4, 1);
const out = {};
for (const engine of (process.argv[2] ?? 'fast,stock').split(',')) {
  for (const preset of ['lenet-3x8', 'lstm-64', 'cnn-robust']) {
    const opts = {
      preset,
      train: data,
      epochs: 2,
      seed: 3,
      batchSize: 32,
      augment: { freqMixStyle: 0.6 },
      averageWeightsFrom: 2,
    };
    opts.engine = engine;
    const r = await m.train(opts);
    const h = createHash('sha256');
    for (const w of r.model.getWeights()) h.update(Buffer.from(w.dataSync().buffer));
    out[`${engine} ${preset}`] = h.digest('hex').slice(0, 16);
    r.model.dispose();
  }
}
console.log(JSON.stringify(out, null, 1));
