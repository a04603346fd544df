import { createRng } from '@timbre/dataset';
import type { FeatureData } from '../features.js';

/**
 * A tiny learnable feature set: class k lights up a band range and a time range; plus noise.
 * Frame-major [n][nFrames][nMels], values in [0, 1].
 */
export function syntheticFeatures(
  n: number,
  opts: { nMels?: number; nFrames?: number; nClasses?: number; seed?: number } = {},
): FeatureData {
  const nMels = opts.nMels ?? 16;
  const nFrames = opts.nFrames ?? 32;
  const nClasses = opts.nClasses ?? 3;
  const rng = createRng(opts.seed ?? 1);
  const x = new Float32Array(n * nFrames * nMels);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const c = i % nClasses;
    y[i] = c;
    const m0 = Math.floor((c * nMels) / nClasses);
    const m1 = Math.floor(((c + 1) * nMels) / nClasses);
    for (let t = 0; t < nFrames; t++) {
      for (let m = 0; m < nMels; m++) {
        const on = m >= m0 && m < m1 ? 0.6 : 0;
        x[(i * nFrames + t) * nMels + m] = Math.min(1, on + 0.4 * rng.next());
      }
    }
  }
  return {
    labels: Array.from({ length: nClasses }, (_, k) => `class${k}`),
    nMels,
    nFrames,
    x,
    y,
    ids: Array.from({ length: n }, (_, i) => `clip${i}`),
  };
}
