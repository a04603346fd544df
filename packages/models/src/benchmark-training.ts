import * as tf from '@tensorflow/tfjs-core';
import { createRng } from '@timbre/dataset/node';
import type { BackendChoice, BackendInfo } from './backend.js';
import { startRuntime } from './backend.js';
import { createModel } from './create-model.js';
import { createAdam, type TrainingEngine } from './engine.js';
import { ModelError } from './errors.js';
import { resolveModelOptions } from './model-options.js';
import type { ParallelStep, ReplicaInfo } from './parallel.js';
import { checkWorkers, startParallelStep } from './parallel.js';
import type { PresetName } from './presets.js';
import { inputLayoutOf } from './presets.js';
import { TRAINING_DEFAULTS } from './train.js';
import { makeTrainStep } from './train-step.js';

/** Options of {@link benchmarkTraining}. */
export interface BenchmarkTrainingOptions {
  preset: PresetName;
  /** Mel bands, 64 or 128 in the paper; default 64. */
  nMels?: number;
  /** Frames; default 80. */
  nFrames?: number;
  /** Samples per (virtual) epoch; default 2800 (the paper's 14 × 200 training clips). */
  samples?: number;
  /** Batch size; default 32. */
  batchSize?: number;
  /** Classes; default 14. */
  nClasses?: number;
  /** Backend; default 'auto'. */
  backend?: BackendChoice;
  /**
   * Time only this many batches (integer ≥ 1) and extrapolate to an epoch; absent = time one
   * full epoch of `samples`.
   */
  batches?: number;
  /** Untimed warm-up batches first (kernel compilation, allocation), integer ≥ 0; default 2. */
  warmupBatches?: number;
  /** Seed of the weights and the synthetic data; default 0. */
  seed?: number;
  /** Data-parallel replicas (main thread + worker threads), integer in [1, 8]; default 1 (see `train`). */
  workers?: number;
  /** Training engine, `fast` (default) or `stock`. */
  engine?: TrainingEngine;
}

/** Result of {@link benchmarkTraining}. */
export interface TrainingBenchmark {
  preset: PresetName;
  nMels: number;
  samples: number;
  batchSize: number;
  /** Seconds per epoch of `samples` (measured or extrapolated, see `extrapolated`). */
  secondsPerEpoch: number;
  /** Training samples per second. */
  samplesPerSecond: number;
  /** Mean seconds per full batch. */
  secondsPerBatch: number;
  /** Batches timed. */
  batchesTimed: number;
  /** Wall-clock seconds of every timed batch, in order (the last of a full epoch may be smaller). */
  batchSeconds: number[];
  /** Replicas that trained (1 = single thread). */
  workers: number;
  /** The replicas, main thread first, with the backend each reported. */
  replicas: ReplicaInfo[];
  /** True when `secondsPerEpoch` = secondsPerBatch × ceil(samples / batchSize) from a few batches. */
  extrapolated: boolean;
  /** How the figure was obtained, in words. */
  method: string;
  /** Backend used and why. */
  backend: BackendInfo;
}

/**
 * Measures training speed on synthetic data (uniform random features in [0, 1], random labels)
 * with the real training step (Adam, batch forward + backward).
 *
 * @throws {ModelError} for invalid options.
 */
export async function benchmarkTraining(options: BenchmarkTrainingOptions): Promise<TrainingBenchmark> {
  const workers = checkWorkers(options.workers);
  const { backend, engine } = await startRuntime(options.backend, options.engine);
  const nMels = options.nMels ?? 64;
  const nFrames = options.nFrames ?? 80;
  const samples = options.samples ?? 2800;
  const batchSize = options.batchSize ?? TRAINING_DEFAULTS.batchSize;
  const nClasses = options.nClasses ?? 14;
  const warmup = options.warmupBatches ?? 2;
  for (const [k, v] of Object.entries({ samples, batchSize, warmup })) {
    if (!Number.isInteger(v) || v < (k === 'warmup' ? 0 : 1))
      throw new ModelError(`${k} must be a positive integer; got ${v}`);
  }
  if (options.batches !== undefined && (!Number.isInteger(options.batches) || options.batches < 1)) {
    throw new ModelError(`batches must be an integer ≥ 1; got ${options.batches}`);
  }
  const seed = options.seed ?? 0;
  const modelOptions = resolveModelOptions({ preset: options.preset, nMels, nFrames, nClasses, seed });
  const net = createModel(modelOptions, { engine });
  const optimizer = createAdam(TRAINING_DEFAULTS.learningRate, undefined, undefined, undefined, engine);
  let parallel: ParallelStep | undefined;
  try {
    const per = nMels * nFrames;
    const pool = Math.min(samples, Math.max(batchSize * 4, 256));
    const rng = createRng(seed);
    const x = new Float32Array(pool * per);
    for (let i = 0; i < x.length; i++) x[i] = rng.next();
    const y = new Int32Array(pool);
    for (let i = 0; i < pool; i++) y[i] = rng.int(nClasses);
    const layout = inputLayoutOf(options.preset);
    const single = makeTrainStep(net, optimizer, layout, nFrames, nMels);
    if (workers > 1) {
      parallel = await startParallelStep({
        workers,
        net,
        optimizer,
        model: modelOptions,
        backend: backend.name,
        engine,
        layout,
        batchSize,
        x,
        y,
      });
    }
    const step = async (idx: number[]) => (parallel ? parallel.step(idx) : single(x, y, idx));
    const batchIdx = (b: number, size: number) =>
      Array.from({ length: size }, (_, k) => (b * batchSize + k) % pool);
    for (let b = 0; b < warmup; b++) await step(batchIdx(b, batchSize));
    const fullBatches = Math.ceil(samples / batchSize);
    const timed = options.batches ?? fullBatches;
    const batchSeconds: number[] = [];
    const t0 = performance.now();
    for (let b = 0; b < timed; b++) {
      const last = options.batches === undefined && b === fullBatches - 1;
      const tb = performance.now();
      await step(batchIdx(b, last ? samples - b * batchSize : batchSize));
      batchSeconds.push((performance.now() - tb) / 1000);
    }
    const seconds = (performance.now() - t0) / 1000;
    const extrapolated = options.batches !== undefined;
    const secondsPerEpoch = extrapolated ? (seconds / timed) * fullBatches : seconds;
    return {
      preset: options.preset,
      nMels,
      samples,
      batchSize,
      secondsPerEpoch,
      samplesPerSecond: samples / secondsPerEpoch,
      secondsPerBatch: extrapolated ? seconds / timed : seconds / fullBatches,
      batchesTimed: timed,
      batchSeconds,
      workers,
      replicas: parallel?.replicas ?? [{ replica: 0, thread: 'main', backend: tf.getBackend(), engine }],
      extrapolated,
      method: `${
        extrapolated
          ? `extrapolated from ${timed} batches of ${batchSize} to ${fullBatches} batches (after ${warmup} warm-up)`
          : `one full epoch of ${samples} samples timed (after ${warmup} warm-up batches)`
      }${workers > 1 ? `, data-parallel over ${workers} replicas (main thread + ${workers - 1} worker threads)` : ''}`,
      backend,
    };
  } finally {
    await parallel?.close();
    optimizer.dispose();
    net.dispose();
  }
}
