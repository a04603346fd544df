// Worker thread of runTrainJobs: one training, then its result (or error) to the parent.
import { parentPort, workerData } from 'node:worker_threads';
import { readManifest } from '@timbre/dataset/node';
import { isUserFacingError } from './errors.js';
import { Output, type OutputOptions } from './output.js';
import { trainRun } from './run-training.js';
import type { TrainJob, WorkerReply } from './training-pool.js';

const { job, output } = workerData as { job: TrainJob; output: OutputOptions };
let reply: WorkerReply;
try {
  const { manifestPath, ...options } = job;
  const manifest = await readManifest(manifestPath);
  reply = { ok: true, result: await trainRun(new Output(output), { ...options, manifest }) };
} catch (e) {
  const err = e instanceof Error ? e : new Error(String(e));
  reply = {
    ok: false,
    message: err.message,
    userFacing: isUserFacingError(err),
    ...(err.stack ? { stack: err.stack } : {}),
  };
}
parentPort?.postMessage(reply);
