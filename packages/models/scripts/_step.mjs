import * as tf from '@tensorflow/tfjs-core';
import { benchmarkTraining, createModel, initBackend } from '../dist/index.js';

await initBackend();
const preset = process.argv[2] ?? 'cnn-robust';
const m = createModel({ preset, nMels: 64, nFrames: 80, nClasses: 14, seed: 0 });
const opt = tf.train.adam(1e-3);
const x = tf.randomUniform([32, 64, 80, 1]);
const y = tf.oneHot(
  tf.tensor1d(
    Array.from({ length: 32 }, (_, i) => i % 14),
    'int32',
  ),
  14,
);
for (let k = 0; k < 8; k++) {
  const t = performance.now();
  opt.minimize(() => {
    const p = m.apply(x, { training: true });
    return tf.losses.softmaxCrossEntropy(y, p);
  });
  await tf.ready();
  console.log(k, (performance.now() - t).toFixed(1), 'ms');
}
const prof = await tf.profile(() => {
  opt.minimize(() => {
    const p = m.apply(x, { training: true });
    return tf.losses.softmaxCrossEntropy(y, p);
  });
});
const agg = {};
for (const k of prof.kernels) {
  agg[k.name] = (agg[k.name] || 0) + k.kernelTimeMs;
}
console.log(
  Object.entries(agg)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 12),
);
