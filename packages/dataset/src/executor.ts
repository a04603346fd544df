import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { FeatureTask, FeatureTaskResult } from './feature-task.js';
import type { RecordingTask, RecordingTaskResult } from './recording-task.js';
import type { RenderTask, RenderTaskResult } from './render-task.js';
import { createTaskHandler } from './task-handler.js';
import { defaultWorkerCount, WorkerPool } from './worker-pool.js';

/** Anything the executor runs. */
export type Task = RenderTask | FeatureTask | RecordingTask;
/** Result for a task kind. */
export type TaskResult<T extends Task> = T extends RenderTask
  ? RenderTaskResult
  : T extends RecordingTask
    ? RecordingTaskResult
    : FeatureTaskResult;
/** Any task's result. */
export type AnyTaskResult = RenderTaskResult | FeatureTaskResult | RecordingTaskResult;

/** Runs tasks on a worker pool, or in this thread. */
export interface Executor {
  /** `'workers'` or `'in-process'`. */
  readonly mode: 'workers' | 'in-process';
  /** Number of parallel workers (1 in-process). */
  readonly size: number;
  run<T extends Task>(task: T): Promise<TaskResult<T>>;
  close(): Promise<void>;
}

/**
 * Create an executor. `workers` 0 runs in-process; otherwise a pool of `workers` threads running
 * `worker.js` from the built package. When running from TypeScript sources (tests), there is no `.js`
 * worker next to this module and it falls back to in-process.
 * @param workers Integer 0–64; default min(2, cores).
 */
export function createExecutor(workers: number = defaultWorkerCount()): Executor {
  const url = new URL('./worker.js', import.meta.url);
  if (workers > 0 && import.meta.url.endsWith('.js') && existsSync(fileURLToPath(url))) {
    const pool = new WorkerPool<Task, AnyTaskResult>(() => new Worker(url), workers);
    return {
      mode: 'workers',
      size: workers,
      run: <T extends Task>(task: T) => pool.run(task) as Promise<TaskResult<T>>,
      close: () => pool.close(),
    };
  }
  const handler = createTaskHandler();
  return {
    mode: 'in-process',
    size: 1,
    run: <T extends Task>(task: T) => handler(task) as Promise<TaskResult<T>>,
    close: async () => handler.dispose(),
  };
}
