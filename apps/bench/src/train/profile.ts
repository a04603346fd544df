import * as tf from '@tensorflow/tfjs-core';
import { benchmarkTraining, type TrainingEngine } from '@timbre/models/node';
import type { TrainingAnchor } from './anchors.js';

/** One kernel's share of a profiled training step. */
export interface KernelProfileEntry {
  kernel: string;
  calls: number;
  /** Summed kernel wall time, ms (wasm kernels are synchronous). */
  ms: number;
  /** Share of the summed kernel time, in [0, 1]. */
  fraction: number;
}

/**
 * Profiles one step of @timbre/models' real training step (`benchmarkTraining`, one timed batch after a
 * separate warm-up run) with `tf.profile` and sums kernel time by kernel name, largest first.
 */
export async function profileTrainingStep(
  a: TrainingAnchor,
  engine: TrainingEngine,
): Promise<KernelProfileEntry[]> {
  const run = (batches: number) =>
    benchmarkTraining({
      preset: a.preset,
      nMels: a.nMels,
      backend: 'wasm',
      engine,
      batches,
      warmupBatches: 0,
    });
  await run(2);
  const info = await tf.profile(async () => {
    await run(1);
  });
  const byName = new Map<string, { calls: number; ms: number }>();
  for (const k of info.kernels) {
    const e = byName.get(k.name) ?? { calls: 0, ms: 0 };
    e.calls++;
    e.ms += typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : 0;
    byName.set(k.name, e);
  }
  const total = [...byName.values()].reduce((s, e) => s + e.ms, 0) || 1;
  return [...byName.entries()]
    .map(([kernel, e]) => ({ kernel, calls: e.calls, ms: e.ms, fraction: e.ms / total }))
    .sort((p, q) => q.ms - p.ms);
}
