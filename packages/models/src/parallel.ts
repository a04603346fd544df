import { Worker } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { BackendName } from './backend.js';
import type { TrainingEngine } from './engine.js';
import { ModelError } from './errors.js';
import type { ResolvedModelOptions } from './model-options.js';
import type { InputLayout } from './presets.js';
import { type SharedView, toShared } from './shared-memory.js';
import type { MixTargets, StepResult } from './train-step.js';
import { makeGradientStep } from './train-step.js';
import { builtWorkerUrl } from './worker-url.js';

/** How long the main thread blocks waiting for a worker's share before it waits asynchronously (ms). */
const SYNC_WAIT_MS = 5000;

/** Whether this thread may block in Atomics.wait (Node's main thread may; a browser's may not). */
const canBlock = (() => {
  try {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 1, 0);
    return true;
  } catch {
    return false;
  }
})();

/** Most replicas (main thread + worker threads) a data-parallel run may use. */
export const MAX_WORKERS = 8;

/** One model replica of a data-parallel run. */
export interface ReplicaInfo {
  /** 0 = the main thread (holds the returned model and the optimizer), 1… = worker threads. */
  replica: number;
  /** `'main'` or `'worker'`. */
  thread: 'main' | 'worker';
  /** The replica's active tfjs backend, as `tf.getBackend()` reported it there. */
  backend: string;
  /** The training engine active in the replica. */
  engine: TrainingEngine;
}

/**
 * Checks a `workers` option: an integer in [1, {@link MAX_WORKERS}].
 * @throws {ModelError} naming the option and the valid range.
 */
export function checkWorkers(workers: number | undefined): number {
  const w = workers ?? 1;
  if (typeof w !== 'number' || !Number.isInteger(w) || w < 1 || w > MAX_WORKERS) {
    throw new ModelError(`workers must be an integer in [1, ${MAX_WORKERS}]; got ${String(workers)}`);
  }
  return w;
}

/**
 * The fixed split of a batch of `b` samples over `r` replicas: contiguous shares, the first `b mod r`
 * one sample larger (so for two replicas, replica 0 takes the first ⌈b/2⌉). Returns r + 1 offsets.
 */
export function splitBatch(b: number, r: number): number[] {
  const offsets = [0];
  const base = Math.floor(b / r);
  const extra = b % r;
  for (let i = 0; i < r; i++) offsets.push(offsets[i]! + base + (i < extra ? 1 : 0));
  return offsets;
}

// Control words of a worker (Int32Array on a SharedArrayBuffer).
/** Command sequence number: the main thread increments it to post a command. */
export const C_SEQ = 0;
/** The command: see CMD_*. */
export const C_CMD = 1;
/** Sequence number of the last command the worker finished. */
export const C_DONE = 2;
/** 0 = ok, 1 = the last command failed (message posted). */
export const C_STATUS = 3;
/** Samples in the worker's share. */
export const C_N = 4;
/** Samples in the whole batch. */
export const C_BATCH = 5;
/** Reply of CMD_MEMORY: `tf.memory().numTensors`. */
export const C_TENSORS = 6;
/** Where a step's samples come from: 0 = the shared x/y (indices into them), else bits SRC_BATCH | SRC_MIX. */
export const C_SOURCE = 7;
/** The step's samples are in the shared batch buffers (the indices are batch positions). */
export const SRC_BATCH = 1;
/** The batch buffers carry mixup targets (y2, lambda). */
export const SRC_MIX = 2;
/** Int32 words in a worker's control buffer. */
export const CONTROL_WORDS = 8;
/** Command: compute the gradients of the share in the indices buffer with the published weights. */
export const CMD_STEP = 1;
/** Command: report `tf.memory().numTensors` in `C_TENSORS`. */
export const CMD_MEMORY = 2;
/** Command: dispose the replica and end the thread. */
export const CMD_STOP = 3;

/** What a worker receives as `workerData`. */
export interface WorkerSetup {
  model: ResolvedModelOptions;
  backend: BackendName;
  engine: TrainingEngine;
  layout: InputLayout;
  control: SharedArrayBuffer;
  /** Float64 [loss, correct]. */
  result: SharedArrayBuffer;
  /** Int32 sample indices of the share. */
  indices: SharedArrayBuffer;
  /** Float32 trainable weights, concatenated in `trainableWeights` order (shared by all replicas). */
  weights: SharedArrayBuffer;
  /** Float32 this worker's gradients, same layout. */
  grads: SharedArrayBuffer;
  x: SharedView;
  y: SharedView;
  /** A batch prepared by the main thread (augmented): Float32 [batchSize][frames·mels] features. */
  batchX: SharedArrayBuffer;
  /** Int32 [batchSize] labels of the prepared batch. */
  batchY: SharedArrayBuffer;
  /** Int32 [batchSize] mixup partner labels. */
  batchY2: SharedArrayBuffer;
  /** Float32 [batchSize] mixup weights of `batchY`. */
  batchLambda: SharedArrayBuffer;
}

/** A batch the main thread prepared (e.g. augmented) for {@link ParallelStep.step}. */
export interface PreparedBatch {
  /** [b][frames·mels] features. */
  x: Float32Array;
  /** [b] labels. */
  y: Int32Array;
  /** Mixup targets, one entry per sample. */
  mix?: MixTargets;
}

/** Message a worker posts. */
export type WorkerMessage =
  | { type: 'ready'; backend: string; engine: TrainingEngine; shapes: number[][] }
  | { type: 'error'; message: string };

/** The parts of tfjs-backend-wasm 4.x's `BackendWasm` used to copy tensors without temporary arrays. */
interface WasmBackendLike {
  wasm: { HEAPU8: Uint8Array };
  dataIdMap: { get(dataId: object): { memoryOffset: number } | undefined };
}

/**
 * Copies a float32 tensor's values into `dst` at `offset`: straight from the wasm heap when the backend
 * is wasm (`dataSync` allocates a fresh array each time, milliseconds for a LeNet), else via `dataSync`.
 */
export function copyTensorInto(t: tf.Tensor, dst: Float32Array, offset: number): void {
  const b = tf.backend() as unknown as Partial<WasmBackendLike>;
  const info = tf.getBackend() === 'wasm' ? b.dataIdMap?.get(t.dataId) : undefined;
  if (info && b.wasm) {
    dst.set(new Float32Array(b.wasm.HEAPU8.buffer, info.memoryOffset, t.size), offset);
  } else {
    dst.set(t.dataSync() as Float32Array, offset);
  }
}

/**
 * A float32 tensor with a copy of `view`'s values. The wasm backend copies into its heap; the cpu
 * backend would keep a reference to the shared memory, so it gets a private copy.
 */
export function tensorFromShared(view: Float32Array, shape: number[]): tf.Tensor {
  return tf.tensor(tf.getBackend() === 'wasm' ? view : view.slice(), shape, 'float32');
}

// ES2024 (Node ≥ 16), not in this package's TS lib.
interface AtomicsWaitAsync {
  waitAsync(
    a: Int32Array,
    index: number,
    value: number,
  ): { async: false; value: 'not-equal' | 'timed-out' } | { async: true; value: Promise<'ok' | 'timed-out'> };
}

interface WorkerHandle {
  worker: Worker;
  control: Int32Array;
  result: Float64Array;
  indices: Int32Array;
  grads: Float32Array;
  seq: number;
  failure: Promise<never>;
  /** Last error message posted by the worker. */
  lastError?: string;
}

/** Options of {@link startParallelStep}. */
export interface ParallelStepOptions {
  /** Replicas in all: the main thread + (workers − 1) worker threads; integer in [2, MAX_WORKERS]. */
  workers: number;
  net: tfl.LayersModel;
  optimizer: tf.Optimizer;
  model: ResolvedModelOptions;
  backend: BackendName;
  /** The engine every replica builds and runs with. */
  engine: TrainingEngine;
  /** True when the main replica's LSTM layers come from a custom factory, which cannot be carried into a worker. */
  customLstm?: boolean;
  layout: InputLayout;
  /** Largest batch the run uses. */
  batchSize: number;
  x: Float32Array;
  y: Int32Array;
}

/** A data-parallel training step over the main thread and worker threads. */
export interface ParallelStep {
  /**
   * One optimizer step on samples `idx` of the shared data (split over the replicas, gradients summed in
   * replica order), or, with `batch`, on that prepared batch (`idx` is then ignored).
   */
  step(idx: ArrayLike<number>, batch?: PreparedBatch): Promise<StepResult>;
  /** `tf.memory().numTensors` of every replica (main first). */
  tensorsPerReplica(): Promise<number[]>;
  /** The replicas (main first). */
  replicas: ReplicaInfo[];
  /** Stops and terminates the workers. Idempotent. */
  close(): Promise<void>;
}

/**
 * Starts `workers − 1` worker threads, each with its own tfjs instance (same backend and engine) and a
 * replica of `net`, and returns the data-parallel step. The main thread is replica 0: it computes its
 * share's gradients, adds the workers' (in replica order), applies `optimizer` once and publishes the
 * new weights in a SharedArrayBuffer that every worker reads before its next share. Workers are
 * terminated by `close()`, and when starting fails.
 *
 * @throws {ModelError} when the backend is not wasm or cpu, a custom LSTM factory is set (it cannot be
 * carried into a worker), the worker script is missing, or a worker fails to start.
 */
/** Tells a worker to run `cmd` (the next sequence number wakes it). */
function postCommand(h: WorkerHandle, cmd: number): void {
  Atomics.store(h.control, C_CMD, cmd);
  Atomics.store(h.control, C_SEQ, ++h.seq);
  Atomics.notify(h.control, C_SEQ);
}

/**
 * Waits until a worker has answered its latest command.
 * @throws {ModelError} when the worker reports a failure or dies.
 */
async function waitForWorker(h: WorkerHandle): Promise<void> {
  // A blocking wait first (allowed on Node's main thread): Atomics.waitAsync wakes through the event
  // loop, milliseconds late per step. Bounded, so a worker that dies without answering is still seen
  // by the asynchronous wait below, which also races the worker's failure.
  if (canBlock) {
    const deadline = performance.now() + SYNC_WAIT_MS;
    for (;;) {
      const done = Atomics.load(h.control, C_DONE);
      if (done === h.seq || performance.now() > deadline) break;
      Atomics.wait(h.control, C_DONE, done, 50);
    }
  }
  for (;;) {
    const done = Atomics.load(h.control, C_DONE);
    if (done === h.seq) break;
    const w = (Atomics as unknown as AtomicsWaitAsync).waitAsync(h.control, C_DONE, done);
    if (w.async) await Promise.race([w.value, h.failure]);
  }
  if (Atomics.load(h.control, C_STATUS) !== 0) {
    // The message is posted before the status is set: let it arrive.
    for (let i = 0; i < 100 && h.lastError === undefined; i++) await new Promise((r) => setTimeout(r, 1));
    throw new ModelError(`training worker failed: ${h.lastError ?? 'unknown error'}`);
  }
}

/**
 * Starts worker `r` with `setup`, adds its handle to `handles` (so a failure later still closes it) and waits
 * for its ready message (its backend, engine and weight shapes).
 * @throws {ModelError} when the worker fails or exits before it is ready.
 */
async function startWorker(
  url: URL,
  setup: WorkerSetup,
  r: number,
  isClosed: () => boolean,
  handles: WorkerHandle[],
): Promise<{ handle: WorkerHandle; ready: Extract<WorkerMessage, { type: 'ready' }> }> {
  // No inherited execArgv: flags such as --input-type or --eval are invalid in a worker.
  const worker = new Worker(url, { workerData: setup, execArgv: [] });
  const h: WorkerHandle = {
    worker,
    control: new Int32Array(setup.control),
    result: new Float64Array(setup.result),
    indices: new Int32Array(setup.indices),
    grads: new Float32Array(setup.grads),
    seq: 0,
    failure: Promise.resolve() as unknown as Promise<never>,
  };
  h.failure = new Promise<never>((_, reject) => {
    worker.on('error', (e) => reject(new ModelError(`training worker ${r} failed: ${e.message}`)));
    worker.on('exit', (code) => {
      if (!isClosed()) reject(new ModelError(`training worker ${r} exited (code ${code})`));
    });
  });
  h.failure.catch(() => {}); // observed where it matters (ready, step); never unhandled
  handles.push(h);
  const ready = await Promise.race([
    new Promise<WorkerMessage>((resolve) => {
      const on = (m: WorkerMessage) => {
        if (m.type === 'error') h.lastError = m.message;
        resolve(m);
      };
      worker.once('message', on);
    }),
    h.failure,
  ]);
  if (ready.type === 'error') throw new ModelError(`training worker ${r} failed: ${ready.message}`);
  worker.on('message', (m: WorkerMessage) => {
    if (m.type === 'error') h.lastError = m.message;
  });
  return { handle: h, ready };
}

/** The gradient of every variable: the main replica's share plus each busy worker's, added in replica order. */
function sumGradients(
  own: readonly tf.Tensor[],
  busy: readonly WorkerHandle[],
  vars: readonly tf.Variable[],
  offsets: readonly number[],
): tf.NamedTensorMap {
  const named: tf.NamedTensorMap = {};
  for (let i = 0; i < vars.length; i++) {
    let g = own[i]!;
    for (const h of busy) {
      const next = tf.tidy(() =>
        tf.add(g, tensorFromShared(h.grads.subarray(offsets[i]!, offsets[i + 1]!), vars[i]!.shape)),
      );
      g.dispose();
      g = next;
    }
    named[vars[i]!.name] = g;
  }
  return named;
}

export async function startParallelStep(o: ParallelStepOptions): Promise<ParallelStep> {
  if (o.backend !== 'wasm' && o.backend !== 'cpu') {
    throw new ModelError(`workers > 1 needs the wasm or cpu backend; the active backend is '${o.backend}'`);
  }
  if (o.customLstm) {
    throw new ModelError('workers > 1 cannot be used with a custom LSTM factory (lstmLayerFactory)');
  }
  const url = builtWorkerUrl('parallel-worker.js', 'workers > 1');
  const vars = o.net.trainableWeights.map((w) => w.read() as tf.Variable);
  const sizes = vars.map((v) => v.size);
  const offsets = [0];
  for (const s of sizes) offsets.push(offsets.at(-1)! + s);
  const total = offsets.at(-1)!;
  const weightsSab = new SharedArrayBuffer(total * 4);
  const weights = new Float32Array(weightsSab);
  const x = toShared(o.x);
  const y = toShared(o.y);
  const per = o.model.nFrames * o.model.nMels;
  const cap = Math.max(1, o.batchSize);
  const batchX = new SharedArrayBuffer(cap * per * 4);
  const batchY = new SharedArrayBuffer(cap * 4);
  const batchY2 = new SharedArrayBuffer(cap * 4);
  const batchLambda = new SharedArrayBuffer(cap * 4);
  const shared = {
    x: new Float32Array(batchX),
    y: new Int32Array(batchY),
    y2: new Int32Array(batchY2),
    lambda: new Float32Array(batchLambda),
  };
  const engine = o.engine;
  const nFrames = o.model.nFrames;
  const nMels = o.model.nMels;
  const handles: WorkerHandle[] = [];
  const replicas: ReplicaInfo[] = [{ replica: 0, thread: 'main', backend: tf.getBackend(), engine }];
  let closed = false;

  const close = async () => {
    if (closed) return;
    closed = true;
    for (const h of handles) {
      Atomics.store(h.control, C_CMD, CMD_STOP);
      Atomics.store(h.control, C_SEQ, ++h.seq);
      Atomics.notify(h.control, C_SEQ);
    }
    await Promise.all(handles.map((h) => h.worker.terminate()));
  };

  try {
    for (let r = 1; r < o.workers; r++) {
      const setup: WorkerSetup = {
        model: o.model,
        backend: o.backend,
        engine,
        layout: o.layout,
        control: new SharedArrayBuffer(CONTROL_WORDS * 4),
        result: new SharedArrayBuffer(16),
        indices: new SharedArrayBuffer(Math.max(1, o.batchSize) * 4),
        weights: weightsSab,
        grads: new SharedArrayBuffer(total * 4),
        x,
        y,
        batchX,
        batchY,
        batchY2,
        batchLambda,
      };
      const { ready } = await startWorker(url, setup, r, () => closed, handles);
      const mine = vars.map((v) => v.shape);
      if (JSON.stringify(ready.shapes) !== JSON.stringify(mine)) {
        throw new ModelError(`training worker ${r} built other weight shapes than the main thread`);
      }
      replicas.push({ replica: r, thread: 'worker', backend: ready.backend, engine: ready.engine });
    }
  } catch (e) {
    await close();
    throw e;
  }

  const gradientStep = makeGradientStep(o.net, o.layout, nFrames, nMels);

  const step = async (idx: ArrayLike<number>, batch?: PreparedBatch): Promise<StepResult> => {
    if (closed) throw new ModelError('the parallel training step is closed');
    const b = batch ? batch.y.length : idx.length;
    if (batch && (b > cap || batch.x.length !== b * per))
      throw new ModelError(`a prepared batch must hold at most ${cap} samples of ${per} values; got ${b}`);
    let source = 0;
    if (batch) {
      shared.x.set(batch.x);
      shared.y.set(batch.y);
      source = SRC_BATCH;
      if (batch.mix) {
        shared.y2.set(batch.mix.y2);
        shared.lambda.set(batch.mix.lambda);
        source |= SRC_MIX;
      }
    }
    const split = splitBatch(b, o.workers);
    // Publish the current weights: the workers read them before computing their shares.
    for (let i = 0; i < vars.length; i++) copyTensorInto(vars[i]!, weights, offsets[i]!);
    const busy: WorkerHandle[] = [];
    handles.forEach((h, k) => {
      const lo = split[k + 1]!;
      const hi = split[k + 2]!;
      if (hi === lo) return;
      for (let j = lo; j < hi; j++) h.indices[j - lo] = batch ? j : idx[j]!;
      h.control[C_N] = hi - lo;
      h.control[C_BATCH] = b;
      h.control[C_SOURCE] = source;
      postCommand(h, CMD_STEP);
      busy.push(h);
    });
    const n0 = split[1]!;
    const own = Array.from({ length: n0 }, (_, j) => (batch ? j : idx[j]!));
    const mix = batch?.mix
      ? { y2: batch.mix.y2.subarray(0, n0), lambda: batch.mix.lambda.subarray(0, n0) }
      : undefined;
    const mine = batch ? gradientStep(batch.x, batch.y, own, b, mix) : gradientStep(o.x, o.y, own, b);
    let loss = mine.loss;
    let correct = mine.correct;
    try {
      for (const h of busy) await waitForWorker(h);
    } catch (e) {
      tf.dispose(mine.grads);
      throw e;
    }
    const named = sumGradients(mine.grads, busy, vars, offsets);
    for (const h of busy) {
      loss += h.result[0]!;
      correct += h.result[1]!;
    }
    o.optimizer.applyGradients(named);
    tf.dispose(Object.values(named));
    return { loss, correct };
  };

  const tensorsPerReplica = async (): Promise<number[]> => {
    const counts = [tf.memory().numTensors];
    for (const h of handles) {
      postCommand(h, CMD_MEMORY);
      await waitForWorker(h);
      counts.push(Atomics.load(h.control, C_TENSORS));
    }
    return counts;
  };

  return { step, tensorsPerReplica, replicas, close };
}
