#!/usr/bin/env node
// Spectral flatness of non-instrument signals (noise, clicks, sines, speech-like buzz) against the built-in
// corpus' clips — how NOISE_FLATNESS (inference.ts) was chosen. TOP_DB=80 (default 40) picks the feature
// range; WRITE_DIR=<dir> also writes the signals as 2-s WAVs for `timbre predict`.
import { buildCorpus, clipPath, createRng, readClip } from '@timbre/dataset/node';
import { createLogMelExtractor } from '@timbre/dsp';

const SR = 44100;
const TOP = Number(process.env.TOP_DB ?? 40);
const ex = await createLogMelExtractor({ sampleRate: SR, nMels: 64, frames: 80, topDb: TOP });
// per-window stats from dB mel [80][64]
function stats(x) {
  const f = ex.compute(x);
  const T = 80,
    M = 64;
  let flat = 0,
    peak = 0,
    n = 0;
  for (let t = 0; t < T; t++) {
    let am = 0,
      gm = 0,
      mx = 0,
      tot = 0;
    for (let b = 0; b < M; b++) {
      const p = 10 ** (((f[t * M + b] - 1) * TOP) / 10);
      am += p / M;
      gm += Math.log(p) / M;
      mx = Math.max(mx, p);
      tot += p;
    }
    if (am < 1e-12) continue;
    flat += Math.exp(gm) / am;
    peak += mx / tot;
    n++;
  }
  return { flat: flat / Math.max(1, n), peak: peak / Math.max(1, n) };
}
const rng = createRng(7);
const rnd = () => rng.next();
const gen = {
  white: () => Float32Array.from({ length: SR }, () => 0.3 * (rnd() * 2 - 1)),
  pink: () => {
    let b0 = 0,
      b1 = 0,
      b2 = 0;
    return Float32Array.from({ length: SR }, () => {
      const w = rnd() * 2 - 1;
      b0 = 0.997 * b0 + 0.029591 * w;
      b1 = 0.985 * b1 + 0.032534 * w;
      b2 = 0.95 * b2 + 0.048056 * w;
      return 0.5 * (b0 + b1 + b2 + 0.1848 * w);
    });
  },
  sine440: () => Float32Array.from({ length: SR }, (_, i) => 0.3 * Math.sin((2 * Math.PI * 440 * i) / SR)),
  sine100: () => Float32Array.from({ length: SR }, (_, i) => 0.3 * Math.sin((2 * Math.PI * 100 * i) / SR)),
  clicks: () => Float32Array.from({ length: SR }, (_, i) => (i % 4410 < 20 ? 0.8 : 0)),
  speechlike: () => {
    const x = new Float32Array(SR);
    let y1 = 0,
      y2 = 0;
    for (let i = 0; i < SR; i++) {
      const f0 = 120 + 30 * Math.sin((i / SR) * 6);
      const e = i % Math.round(SR / f0) === 0 ? 1 : 0;
      const r = 0.97,
        th = (2 * Math.PI * (500 + 1500 * (Math.sin((i / SR) * 9) > 0 ? 1 : 0))) / SR;
      const y = e + 2 * r * Math.cos(th) * y1 - r * r * y2;
      y2 = y1;
      y1 = y;
      x[i] = 0.02 * y * (Math.sin((i / SR) * 25) > -0.3 ? 1 : 0.05);
    }
    return x;
  },
};
for (const [k, g] of Object.entries(gen)) console.log(k.padEnd(11), JSON.stringify(stats(g())));
const { manifest } = await buildCorpus({});
const byLabel = new Map();
for (const c of manifest.clips) {
  if (c.split === undefined) continue;
  if (!byLabel.has(c.label + c.sourceGroup)) byLabel.set(c.label + c.sourceGroup, []);
  byLabel.get(c.label + c.sourceGroup).push(c);
}
const all = [];
for (const [k, list] of byLabel)
  for (const c of list.filter((_, i) => i % 7 === 0)) {
    const x = await readClip(clipPath(manifest, c), SR);
    all.push({ k, ...stats(x) });
  }
const q = (arr, p) => arr.slice().sort((a, b) => a - b)[Math.floor(p * (arr.length - 1))];
console.log(
  'corpus clips',
  all.length,
  'flat max',
  Math.max(...all.map((a) => a.flat)).toFixed(3),
  'q99',
  q(
    all.map((a) => a.flat),
    0.99,
  ).toFixed(3),
  'peak max',
  Math.max(...all.map((a) => a.peak)).toFixed(3),
  'q99',
  q(
    all.map((a) => a.peak),
    0.99,
  ).toFixed(3),
);
const worst = all.sort((a, b) => b.peak - a.peak).slice(0, 5);
console.log('most peaky', worst.map((w) => w.k + ' ' + w.peak.toFixed(2)).join(', '));
const wf = all.sort((a, b) => b.flat - a.flat).slice(0, 5);
console.log('most flat', wf.map((w) => w.k + ' ' + w.flat.toFixed(2)).join(', '));
// Write the non-instrument signals as WAVs (for `timbre predict`), 2 s each.
if (process.env.WRITE_DIR) {
  const { mkdirSync } = await import('node:fs');
  const { encodeFloatWav } = await import('@timbre/dataset/node');
  const { writeFileSync } = await import('node:fs');
  mkdirSync(process.env.WRITE_DIR, { recursive: true });
  for (const [k, g] of Object.entries(gen)) {
    const x = new Float32Array(2 * SR);
    x.set(g());
    x.set(g(), SR);
    writeFileSync(`${process.env.WRITE_DIR}/${k}.wav`, encodeFloatWav(x, SR));
  }
}
