/**
 * `pnpm --filter @timbre/kernels run bench [--presets a,b] [--batches 5] [--rounds 3] [--profile]`:
 * interleaved stock / kernels / fast-js / fast training-step timing on the wasm backend, s/epoch extrapolated.
 */
// The union package's node bundle registers tfjs gradients on the shared tfjs-core instance.
import '@tensorflow/tfjs';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import { type BenchmarkMode, compareTrainingSpeed, profileTrainingStep } from './benchmark.js';
import { BENCHMARK_PRESETS, type BenchmarkPresetName } from './presets.js';

const { values } = parseArgs({
  options: {
    presets: { type: 'string' },
    batches: { type: 'string', default: '5' },
    rounds: { type: 'string', default: '3' },
    profile: { type: 'boolean', default: false },
    modes: { type: 'string' },
  },
});

if (!(await tf.setBackend('wasm')) || tf.getBackend() !== 'wasm') {
  throw new Error(`wasm backend did not start (active: ${tf.getBackend()})`);
}
const presets = (values.presets?.split(',') ?? BENCHMARK_PRESETS) as BenchmarkPresetName[];
console.log(
  `backend ${tf.getBackend()}, batch 32, s/epoch extrapolated to 2800 samples (88 steps) from the median step`,
);
const modes = (values.modes?.split(',') ?? ['stock', 'kernels', 'fast-js', 'fast']) as BenchmarkMode[];
console.log(
  `preset         ${modes.map((m) => `${m} s/ep`.padStart(13)).join('')}${modes
    .slice(1)
    .map((m) => `stock/${m}`.padStart(15))
    .join('')}`,
);
for (const preset of presets) {
  const [c] = compareTrainingSpeed([preset], {
    batches: Number(values.batches),
    rounds: Number(values.rounds),
    modes,
  });
  if (c === undefined) continue;
  const f = (v: number | undefined, w: number) => (v === undefined ? '—' : v.toFixed(2)).padStart(w);
  const stock = c.medianStepMs.stock;
  console.log(
    `${preset.padEnd(14)} ${modes.map((m) => f(c.secondsPerEpoch[m], 13)).join('')}${modes
      .slice(1)
      .map((m) => {
        const v = c.medianStepMs[m];
        return f(stock === undefined || v === undefined ? undefined : stock / v, 15);
      })
      .join('')}`,
  );
}
if (values.profile) {
  for (const preset of presets) {
    for (const mode of ['stock', 'fast-js', 'fast'] as const) {
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
