import { loadClassifier } from '../dist/node.js';

const clf = await loadClassifier('../../apps/cli/pretrained', { backend: 'wasm' });
const SR = 44100;
const n = SR * 60 * Number(process.argv[2] ?? 30);
const src = {
  sampleRate: SR,
  length: n,
  read: async (s, c) => {
    const a = new Float32Array(Math.min(c, n - s));
    for (let i = 0; i < a.length; i++) a[i] = 0.3 * Math.sin((s + i) * 0.0313);
    return a;
  },
};
const mb = () =>
  Object.fromEntries(Object.entries(process.memoryUsage()).map(([k, v]) => [k, Math.round(v / 2 ** 20)]));
console.log('start', JSON.stringify(mb()));
const p = await clf.predictSource(src);
console.log('after', JSON.stringify(mb()), p.windows.length);
globalThis.gc?.();
console.log('gc', JSON.stringify(mb()));
