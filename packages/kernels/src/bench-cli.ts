/**
 * `pnpm --filter @timbre/kernels run bench [--presets a,b] [--batches 5] [--rounds 3] [--profile]`:
 * interleaved stock / kernels / fast training-step timing on the wasm backend, s/epoch extrapolated.
 */
// The union package's node bundle registers tfjs gradients on the shared tfjs-core instance.
import '@tensorflow/tfjs';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import { compareTrainingSpeed, profileTrainingStep } from './benchmark.js';
import { BENCHMARK_PRESETS, type BenchmarkPresetName } from './presets.js';

const { values } = parseArgs({
  options: {
    presets: { type: 'string' },
    batches: { type: 'string', default: '5' },
    rounds: { type: 'string', default: '3' },
    profile: { type: 'boolean', default: false },
  },
});

if (!(await tf.setBackend('wasm')) || tf.getBackend() !== 'wasm') {
  throw new Error(`wasm backend did not start (active: ${tf.getBackend()})`);
}
const presets = (values.presets?.split(',') ?? BENCHMARK_PRESETS) as BenchmarkPresetName[];
console.log(
  `backend ${tf.getBackend()}, batch 32, s/epoch extrapolated to 2800 samples (88 steps) from the median step`,
);
console.log('preset          stock s/ep  kernels s/ep  fast s/ep   kernels×  fast×');
for (const preset of presets) {
  const [c] = compareTrainingSpeed([preset], {
    batches: Number(values.batches),
    rounds: Number(values.rounds),
  });
  if (c === undefined) continue;
  const f = (v: number | undefined, d = 2) => (v === undefined ? '—' : v.toFixed(d)).padStart(10);
  console.log(
    `${preset.padEnd(15)} ${f(c.secondsPerEpoch.stock)} ${f(c.secondsPerEpoch.kernels)}  ${f(c.secondsPerEpoch.fast)} ${f(c.speedup.kernels)} ${f(c.speedup.fast)}`,
  );
}
if (values.profile) {
  for (const preset of presets) {
    for (const mode of ['stock', 'fast'] as const) {
      const prof = await profileTrainingStep(preset, mode);
      console.log(`\nprofile ${preset} ${mode} (one step, kernel wall time)`);
      for (const e of prof.slice(0, 10)) {
        console.log(
          `  ${e.kernel.padEnd(28)} ${String(e.calls).padStart(5)} calls ${e.ms.toFixed(1).padStart(8)} ms ${(100 * e.fraction).toFixed(1).padStart(5)}%`,
        );
      }
    }
  }
}
