import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { WorkerPool } from '@timbre/dataset/node';
import type { ResolvedWaveAugmentOptions } from './augment-audio.js';
import { ModelError } from './errors.js';
import type { FeatureData } from './features.js';
import type { DspParameters } from './model-metadata.js';
import { type SharedView, toShared } from './shared-memory.js';
import {
  type BatchPlan,
  batchRows,
  checkTrainingAudio,
  labelsOf,
  type TrainingAudio,
  type WaveBatch,
  type WaveFeed,
} from './wave-batch.js';
import { builtWorkerUrl } from './worker-url.js';

/** Most augmentation threads a run may use. */
export const MAX_AUGMENT_THREADS = 8;

/**
 * The default number of augmentation threads: one more than the cores, up to 4 (they run below the training
 * thread's priority and fill every cycle it leaves: on 2 cores 3 threads gave a 5 % shorter epoch than 2);
 * 0 on one core (inline).
 */
export function defaultAugmentThreads(): number {
  const cores = availableParallelism();
  return cores > 1 ? Math.min(4, cores + 1) : 0;
}

/** What an augmentation thread receives as `workerData`. */
export interface WaveWorkerSetup {
  samples: SharedView;
  clipSamples: number;
  dsp: DspParameters;
  options: ResolvedWaveAugmentOptions;
  seed: number;
  /** Floats per feature row (nFrames · nMels). */
  stride: number;
}

/** One augmentation task: the clip rows of a batch, augmented for `epoch`. */
export interface WaveTask {
  epoch: number;
  rows: Uint32Array;
}

/**
 * The feed that makes batches ahead of the training loop on `threads` worker threads (each with its own
 * `@timbre/dsp` instance, reading the clips from shared memory): while the main thread runs a training
 * step, the next batches are augmented. Up to 2 batches per thread are in flight, across the epoch
 * boundary too. The values equal the inline feed's (`waveFeatures` on each thread, seeds per clip).
 *
 * @param threads Worker threads, integer in [1, {@link MAX_AUGMENT_THREADS}] (checked by `train`).
 * @throws {ModelError} for a missing built worker script; {@link DataError} when
 * the audio does not match the training set.
 */
export async function createWaveBatchPool(
  audio: TrainingAudio,
  train: FeatureData,
  options: ResolvedWaveAugmentOptions,
  seed: number,
  plan: BatchPlan,
  threads: number,
): Promise<WaveFeed> {
  (await checkTrainingAudio(audio, train)).dispose(); // the threads hold their own
  const url = builtWorkerUrl('wave-batch-worker.js', 'augmentThreads > 0');
  const stride = train.nFrames * train.nMels;
  const setup: WaveWorkerSetup = {
    samples: toShared(audio.samples),
    clipSamples: audio.clipSamples,
    dsp: audio.dsp,
    options,
    seed,
    stride,
  };
  // No inherited execArgv: flags such as --input-type or --eval are invalid in a worker.
  const pool = new WorkerPool<WaveTask, Float32Array>(
    () => new Worker(url, { workerData: setup, execArgv: [] }),
    threads,
  );
  const nTrain = train.y.length;
  const batches = Math.ceil(nTrain / plan.batchSize);
  const ahead = 2 * threads;
  const orders = new Map<number, Uint32Array>();
  const orderOf = (epoch: number) => {
    let o = orders.get(epoch);
    if (!o) {
      o = plan.order(epoch);
      orders.set(epoch, o);
      orders.delete(epoch - 2);
    }
    return o;
  };
  const pending = new Map<number, Promise<WaveBatch>>();
  const key = (epoch: number, b: number) => epoch * batches + b;
  let next = 0; // the next batch (as a key) to request
  const request = (k: number) => {
    const epoch = Math.floor(k / batches);
    const rows = batchRows(orderOf(epoch), plan.batchSize, k % batches);
    const y = labelsOf(train.y, rows);
    const p = pool.run({ epoch, rows: rows.slice() }).then((x) => ({ x, y }));
    p.catch(() => {}); // observed by take(); a dropped prefetch must not be unhandled
    pending.set(k, p);
  };
  let closed = false;
  return {
    async take(epoch, b) {
      if (closed) throw new ModelError('the augmentation feed is closed');
      const k = key(epoch, b);
      if (!pending.has(k)) {
        // The first call, or out of sequence (a resume): restart the window here.
        pending.clear();
        next = k;
      }
      const last = plan.epochs * batches;
      for (; next < Math.min(last, k + 1 + ahead); next++) request(next);
      const p = pending.get(k)!;
      pending.delete(k);
      try {
        return await p;
      } catch (e) {
        throw new ModelError(`waveform augmentation thread failed: ${(e as Error).message}`);
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      pending.clear();
      await pool.close();
    },
  };
}
