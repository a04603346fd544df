/** worker_threads entry: answers PoolRequest<Task> with PoolResponse. */
import { parentPort } from 'node:worker_threads';
import type { Task } from './executor.js';
import { createTaskHandler } from './task-handler.js';
import type { PoolRequest, PoolResponse } from './worker-pool.js';

const handler = createTaskHandler();
const port = parentPort;
if (port) {
  port.on('message', async ({ id, task }: PoolRequest<Task>) => {
    let msg: PoolResponse<unknown>;
    const transfer: ArrayBuffer[] = [];
    try {
      const result = await handler(task);
      if (result.kind === 'features') for (const f of result.features) transfer.push(f.buffer as ArrayBuffer);
      msg = { id, ok: true, result };
    } catch (err) {
      const e = err as Error;
      msg = { id, ok: false, name: e.name ?? 'Error', message: e.message ?? String(err) };
    }
    port.postMessage(msg, transfer);
  });
}
