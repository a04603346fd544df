/** worker_threads entry of the corpus executor: answers PoolRequest<Task> with PoolResponse. */
import type { AnyTaskResult, Task } from './executor.js';
import { createTaskHandler } from './task-handler.js';
import { answerPoolRequests } from './worker-pool.js';

const handler = createTaskHandler();
answerPoolRequests<Task, AnyTaskResult>(handler, (result) =>
  result.kind === 'features' ? result.features.map((f) => f.buffer as ArrayBuffer) : [],
);
