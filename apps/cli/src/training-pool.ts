import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { type LoadedManifest, readManifest } from '@timbre/dataset/node';
import { CliError } from './errors.js';
import type { Output } from './output.js';
import type { TrainRunOptions, TrainRunResult } from './run-training.js';

/**
 * One training of a batch: {@link TrainRunOptions} with the dataset named by its manifest file, so the
 * job can cross to a worker thread.
 */
export type TrainJob = Omit<TrainRunOptions, 'manifest'> & { manifestPath: string };

/** The message a training worker posts when its job ends. */
export type WorkerReply =
  | { ok: true; result: TrainRunResult }
  | { ok: false; message: string; userFacing: boolean; stack?: string };

/**
 * How many trainings of a batch to run at once: one per core (each training's own thread count is its
 * data-parallel `workers`), at least 1, at most the number of jobs.
 * @param jobs Trainings in the batch, ≥ 0.
 * @param workersPerJob Threads one training uses (its `workers`), ≥ 1.
 * @param cores Cores to use; default `os.availableParallelism()`.
 */
export function defaultConcurrency(jobs: number, workersPerJob = 1, cores = availableParallelism()): number {
  return Math.max(1, Math.min(jobs, Math.floor(cores / Math.max(1, workersPerJob))));
}

/**
 * Runs independent trainings, `concurrency` at a time, and returns their results in job order. With
 * concurrency 1 every job runs here, one after the other; above 1 each job runs in its own worker thread
 * (its own tfjs backend and engine), and their lines are prefixed with the job's label. A training is
 * deterministic by itself, so the same jobs give the same weights whatever the concurrency. The first
 * failure stops handing out jobs; running ones finish, then the error is thrown.
 */
export async function runTrainJobs(
  out: Output,
  jobs: readonly TrainJob[],
  concurrency: number,
): Promise<TrainRunResult[]> {
  if (concurrency <= 1 || jobs.length <= 1) {
    const { trainRun } = await import('./run-training.js');
    const manifests = new Map<string, LoadedManifest>();
    const results: TrainRunResult[] = [];
    for (const { manifestPath, ...job } of jobs) {
      const manifest = manifests.get(manifestPath) ?? (await readManifest(manifestPath));
      manifests.set(manifestPath, manifest);
      results.push(await trainRun(out, { ...job, manifest }));
    }
    return results;
  }
  const results: TrainRunResult[] = new Array(jobs.length);
  let next = 0;
  let failure: Error | undefined;
  const lane = async (): Promise<void> => {
    while (failure === undefined && next < jobs.length) {
      const i = next++;
      const job = jobs[i]!;
      try {
        results[i] = await runInWorker(out, job);
      } catch (e) {
        failure ??= e as Error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, jobs.length) }, lane));
  if (failure) throw failure;
  return results;
}

/** One job in a fresh worker thread (`training-worker.js`), its output lines relayed through `out`. */
function runInWorker(out: Output, job: TrainJob): Promise<TrainRunResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./training-worker.js', import.meta.url), {
      workerData: { job, output: out.options },
      stdout: true,
      stderr: true,
    });
    const prefix = `[${job.label ?? job.outDir}] `;
    const relay = (write: (line: string) => void) => {
      let rest = '';
      return (chunk: Buffer) => {
        const lines = (rest + chunk.toString('utf8')).split('\n');
        rest = lines.pop() ?? '';
        for (const line of lines) if (line.trim() !== '') write(prefix + line);
      };
    };
    worker.stdout.on(
      'data',
      relay((l) => out.result(l)),
    );
    worker.stderr.on(
      'data',
      relay((l) => process.stderr.write(`${l}\n`)),
    );
    let reply: WorkerReply | undefined;
    worker.on('message', (m: WorkerReply) => {
      reply = m;
    });
    worker.on('error', (e) => reject(e));
    worker.on('exit', (code) => {
      if (reply?.ok) return resolve(reply.result);
      if (reply && !reply.ok) {
        if (reply.userFacing) return reject(new CliError(`${prefix}${reply.message}`));
        const e = new Error(reply.message);
        if (reply.stack) e.stack = reply.stack;
        return reject(e);
      }
      reject(new Error(`${prefix}the training worker exited with code ${code} before it reported`));
    });
  });
}
