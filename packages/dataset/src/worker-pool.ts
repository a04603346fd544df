import { availableParallelism } from 'node:os';
import { parentPort, type Transferable, type Worker } from 'node:worker_threads';
import { DatasetError, OptionError } from './errors.js';

/** Message from pool to worker. */
export interface PoolRequest<T> {
  id: number;
  task: T;
}

/** Message from worker to pool. */
export type PoolResponse<R> =
  | { id: number; ok: true; result: R }
  | { id: number; ok: false; name: string; message: string };

interface Pending<T, R> {
  id: number;
  task: T;
  transfer: Transferable[];
  resolve: (r: R) => void;
  reject: (e: Error) => void;
}

/** Default pool size: min(2, available cores). */
export function defaultWorkerCount(): number {
  return Math.max(1, Math.min(2, availableParallelism()));
}

/**
 * A fixed-size worker_threads pool: one task in flight per worker, FIFO queue. Errors thrown by a task
 * reject its promise only; a crashed worker is replaced and its task rejected.
 */
export class WorkerPool<T, R> {
  readonly #factory: () => Worker;
  readonly #idle: Worker[] = [];
  readonly #busy = new Map<Worker, Pending<T, R>>();
  readonly #queue: Pending<T, R>[] = [];
  #nextId = 0;
  #closed = false;

  /**
   * @param factory Creates one worker that answers {@link PoolRequest} messages with {@link PoolResponse}.
   * @param size Number of workers, integer 1–64.
   */
  constructor(factory: () => Worker, size: number) {
    if (!Number.isInteger(size) || size < 1 || size > 64)
      throw new OptionError('workers', 'an integer in 1..64', size);
    this.#factory = factory;
    for (let i = 0; i < size; i++) this.#idle.push(this.#spawn());
  }

  #spawn(): Worker {
    const w = this.#factory();
    w.on('message', (msg: PoolResponse<R>) => {
      const job = this.#busy.get(w);
      if (!job || job.id !== msg.id) return;
      this.#busy.delete(w);
      if (msg.ok) job.resolve(msg.result);
      else {
        const err = new DatasetError(msg.message);
        err.name = msg.name;
        job.reject(err);
      }
      this.#idle.push(w);
      this.#pump();
    });
    w.on('error', (err) => this.#crash(w, err));
    w.on('exit', (code) => {
      if (this.#busy.has(w)) this.#crash(w, new DatasetError(`worker exited with code ${code}`));
    });
    return w;
  }

  #crash(w: Worker, err: Error): void {
    const job = this.#busy.get(w);
    this.#busy.delete(w);
    const i = this.#idle.indexOf(w);
    if (i >= 0) this.#idle.splice(i, 1);
    void w.terminate();
    if (job) job.reject(err);
    if (!this.#closed) {
      this.#idle.push(this.#spawn());
      this.#pump();
    }
  }

  #pump(): void {
    while (this.#idle.length > 0 && this.#queue.length > 0) {
      const w = this.#idle.pop()!;
      const job = this.#queue.shift()!;
      this.#busy.set(w, job);
      const msg: PoolRequest<T> = { id: job.id, task: job.task };
      w.postMessage(msg, job.transfer);
    }
  }

  /** Queue a task; resolves with the worker's result. */
  run(task: T, transfer: Transferable[] = []): Promise<R> {
    if (this.#closed) return Promise.reject(new DatasetError('worker pool is closed'));
    return new Promise<R>((resolve, reject) => {
      this.#queue.push({ id: this.#nextId++, task, transfer, resolve, reject });
      this.#pump();
    });
  }

  /** Terminate all workers; queued tasks are rejected. */
  async close(): Promise<void> {
    this.#closed = true;
    for (const job of this.#queue.splice(0)) job.reject(new DatasetError('worker pool closed'));
    const all = [...this.#idle, ...this.#busy.keys()];
    this.#idle.length = 0;
    await Promise.all(all.map((w) => w.terminate()));
  }
}

/**
 * The worker side of {@link WorkerPool}: answers each {@link PoolRequest} on this thread's parent port with
 * `handle(task)`'s result (its `transfer(result)` buffers moved, not copied) or the error's name and message.
 * Does nothing on the main thread.
 */
export function answerPoolRequests<T, R>(
  handle: (task: T) => R | Promise<R>,
  transfer: (result: R) => ArrayBuffer[] = () => [],
): void {
  const port = parentPort;
  if (!port) return;
  port.on('message', async ({ id, task }: PoolRequest<T>) => {
    let msg: PoolResponse<R>;
    let moved: ArrayBuffer[] = [];
    try {
      const result = await handle(task);
      moved = transfer(result);
      msg = { id, ok: true, result };
    } catch (err) {
      const e = err as Error;
      msg = { id, ok: false, name: e.name ?? 'Error', message: e.message ?? String(err) };
    }
    port.postMessage(msg, moved);
  });
}
