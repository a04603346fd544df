import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { BackendError } from './errors.js';
import { FusedAdamOptimizer } from './fused-adam.js';
import {
  type BenchmarkPresetName,
  buildBenchmarkModel,
  type ModelSpec,
  presetSpec,
  sampleShape,
} from './presets.js';
import { registerFastKernels, restoreStockKernels } from './register.js';
import { setSimdMode } from './simd-module.js';

/**
 * What runs: `stock` = the wasm backend's own kernels plus this package's Conv2DBackpropFilter (which
 * wasm lacks) and `tf.layers.lstm`; `kernels` = all fast kernels, still `tf.layers.lstm`; `fast` = all
 * fast kernels and {@link FastLSTM} (this package's SIMD module when available: LSTM recurrences and
 * BatchMatMul); `fast-js` = `fast` without the SIMD module (LSTM gates in JS, matMuls through XNNPACK: the
 * previous implementation, for comparison).
 */
export type BenchmarkMode = 'stock' | 'kernels' | 'fast-js' | 'fast';

/** Options of {@link benchmarkTrainingStep}. */
export interface TrainingBenchmarkOptions {
  /** Timed training steps (after one untimed warm-up step). Default 5. */
  batches?: number;
  /** Batch size, default 32. */
  batchSize?: number;
  /** Samples per epoch used to extrapolate s/epoch; default 2800 (the paper's training set). */
  samplesPerEpoch?: number;
  /** Seed of the random batch (values only affect ties, not speed). Default 1. */
  seed?: number;
}

/** Result of {@link benchmarkTrainingStep}. */
export interface TrainingBenchmarkResult {
  /** Preset name or 'custom'. */
  preset: string;
  mode: BenchmarkMode;
  /** `tf.getBackend()` during the run (checked, never assumed). */
  backend: string;
  batchSize: number;
  /** Every timed step, ms (Adam step incl. forward, backward, update and loss read-back). */
  stepMs: number[];
  /** Median of {@link stepMs}. */
  medianStepMs: number;
  /** Extrapolated: median step × ceil(samplesPerEpoch / batchSize) / 1000 (labelled as such). */
  secondsPerEpochExtrapolated: number;
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

/**
 * Puts the wasm backend in a {@link BenchmarkMode}'s kernel configuration.
 *
 * @param mode - The mode.
 */
export function useKernelMode(mode: BenchmarkMode): void {
  restoreStockKernels();
  setSimdMode(mode === 'fast-js' ? 'js' : 'auto');
  registerFastKernels(mode === 'stock' ? { kernels: ['Conv2DBackpropFilter'] } : {});
}

function requireGradients(): void {
  if (tf.getGradient('Conv2D') === undefined || tf.getGradient('Sum') === undefined) {
    throw new BackendError(
      "tfjs gradients are not registered: import '@tensorflow/tfjs' (its node bundle registers them) before benchmarking",
    );
  }
}

/** A model and a fixed random batch, ready to train. */
interface Bench {
  model: tfl.Sequential;
  x: tf.Tensor;
  y: tf.Tensor;
  optimizer: tf.Optimizer;
}

function setup(spec: ModelSpec, mode: BenchmarkMode, batchSize: number, seed: number): Bench {
  const model = buildBenchmarkModel(spec, mode === 'fast' || mode === 'fast-js');
  const x = tf.randomUniform([batchSize, ...sampleShape(spec)], 0, 1, 'float32', seed);
  const labels = tf.tensor1d(
    Array.from({ length: batchSize }, (_, i) => i % spec.nClasses),
    'int32',
  );
  const y = tf.oneHot(labels, spec.nClasses);
  labels.dispose();
  return {
    model,
    x,
    y,
    optimizer: mode === 'fast' || mode === 'fast-js' ? new FusedAdamOptimizer(1e-3) : tf.train.adam(1e-3),
  };
}

function step(b: Bench): number {
  const cost = b.optimizer.minimize(
    () =>
      tf.losses.softmaxCrossEntropy(b.y, b.model.apply(b.x, { training: true }) as tf.Tensor) as tf.Scalar,
    true,
  );
  const v = (cost as tf.Scalar).dataSync()[0] as number;
  cost?.dispose();
  return v;
}

function teardown(b: Bench): void {
  b.model.dispose();
  b.optimizer.dispose();
  tf.dispose([b.x, b.y]);
}

/**
 * Times training steps (Adam, softmax cross-entropy, batch of random data) of a preset on the
 * wasm backend in one {@link BenchmarkMode}, and extrapolates seconds per epoch. Leaves the fast
 * kernels registered as the mode left them. Requires tfjs gradients to be registered.
 *
 * @param preset - A preset name or a custom {@link ModelSpec}.
 * @param mode - Kernel configuration.
 * @param options - Batches, batch size, samples per epoch.
 * @returns Per-step times, median and extrapolated s/epoch.
 * @throws {@link BackendError} when the wasm backend is not active or gradients are missing.
 */
export function benchmarkTrainingStep(
  preset: BenchmarkPresetName | ModelSpec,
  mode: BenchmarkMode,
  options: TrainingBenchmarkOptions = {},
): TrainingBenchmarkResult {
  requireGradients();
  if (tf.getBackend() !== 'wasm')
    throw new BackendError(`benchmarks run on 'wasm', active is '${tf.getBackend()}'`);
  const batches = options.batches ?? 5;
  const batchSize = options.batchSize ?? 32;
  const samples = options.samplesPerEpoch ?? 2800;
  const spec = typeof preset === 'string' ? presetSpec(preset) : preset;
  useKernelMode(mode);
  const b = setup(spec, mode, batchSize, options.seed ?? 1);
  const stepMs: number[] = [];
  try {
    step(b); // warm-up: builds weights and optimizer slots
    for (let i = 0; i < batches; i++) {
      const t0 = performance.now();
      step(b);
      stepMs.push(performance.now() - t0);
    }
  } finally {
    teardown(b);
  }
  const med = median(stepMs);
  return {
    preset: typeof preset === 'string' ? preset : 'custom',
    mode,
    backend: tf.getBackend(),
    batchSize,
    stepMs,
    medianStepMs: med,
    secondsPerEpochExtrapolated: (med * Math.ceil(samples / batchSize)) / 1000,
  };
}

/** One preset's interleaved comparison, see {@link compareTrainingSpeed}. */
export interface SpeedComparison {
  preset: string;
  /** Median over rounds of each mode's median step, ms. */
  medianStepMs: Partial<Record<BenchmarkMode, number>>;
  /** Extrapolated s/epoch per mode. */
  secondsPerEpoch: Partial<Record<BenchmarkMode, number>>;
  /** stock / mode median step time for every other mode, from the same interleaved run. */
  speedup: { kernels?: number; 'fast-js'?: number; fast?: number };
}

/**
 * Interleaves modes (stock, kernels, fast-js, fast, stock, …) for `rounds` rounds per preset so the ratios come
 * from one run under the same machine load, and reports medians and stock/fast ratios.
 *
 * @param presets - Presets to compare.
 * @param options - Per-round options plus `rounds` (default 3) and `modes` (default all four).
 * @returns One comparison per preset.
 */
export function compareTrainingSpeed(
  presets: readonly (BenchmarkPresetName | ModelSpec)[],
  options: TrainingBenchmarkOptions & { rounds?: number; modes?: readonly BenchmarkMode[] } = {},
): SpeedComparison[] {
  const rounds = options.rounds ?? 3;
  const modes = options.modes ?? (['stock', 'kernels', 'fast-js', 'fast'] as const);
  return presets.map((preset) => {
    const runs: Partial<Record<BenchmarkMode, number[]>> = {};
    let perEpoch = 0;
    for (let r = 0; r < rounds; r++) {
      for (const mode of modes) {
        const res = benchmarkTrainingStep(preset, mode, options);
        const list = runs[mode] ?? [];
        list.push(res.medianStepMs);
        runs[mode] = list;
        perEpoch = res.secondsPerEpochExtrapolated / res.medianStepMs;
      }
    }
    const medianStepMs: Partial<Record<BenchmarkMode, number>> = {};
    const secondsPerEpoch: Partial<Record<BenchmarkMode, number>> = {};
    for (const mode of modes) {
      const m = median(runs[mode] as number[]);
      medianStepMs[mode] = m;
      secondsPerEpoch[mode] = m * perEpoch;
    }
    const stock = medianStepMs.stock;
    const speedup: SpeedComparison['speedup'] = {};
    if (stock !== undefined && medianStepMs.kernels !== undefined)
      speedup.kernels = stock / medianStepMs.kernels;
    if (stock !== undefined && medianStepMs['fast-js'] !== undefined)
      speedup['fast-js'] = stock / medianStepMs['fast-js'];
    if (stock !== undefined && medianStepMs.fast !== undefined) speedup.fast = stock / medianStepMs.fast;
    return { preset: typeof preset === 'string' ? preset : 'custom', medianStepMs, secondsPerEpoch, speedup };
  });
}

/** One kernel's share of a profiled training step. */
export interface KernelProfileEntry {
  kernel: string;
  calls: number;
  ms: number;
  /** Share of the summed kernel time. */
  fraction: number;
}

/**
 * Profiles one training step (after a warm-up step) with `tf.profile` and sums kernel time by
 * kernel name, largest first. Kernel times on wasm are wall times of each synchronous kernel.
 *
 * @param preset - Preset or custom spec.
 * @param mode - Kernel configuration.
 * @param batchSize - Default 32.
 * @returns Kernels sorted by total time.
 */
export async function profileTrainingStep(
  preset: BenchmarkPresetName | ModelSpec,
  mode: BenchmarkMode,
  batchSize = 32,
): Promise<KernelProfileEntry[]> {
  requireGradients();
  const spec = typeof preset === 'string' ? presetSpec(preset) : preset;
  useKernelMode(mode);
  const b = setup(spec, mode, batchSize, 1);
  try {
    step(b);
    const info = await tf.profile(() => {
      step(b);
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
  } finally {
    teardown(b);
  }
}
