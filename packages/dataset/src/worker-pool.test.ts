import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { WorkerPool } from './worker-pool.js';

const SRC = `
const { parentPort, threadId } = require('node:worker_threads');
parentPort.on('message', ({ id, task }) => {
  if (task.crash) process.exit(3);
  if (task.fail) parentPort.postMessage({ id, ok: false, name: 'SplitError', message: 'bad ' + task.x });
  else parentPort.postMessage({ id, ok: true, result: { y: task.x * 2, thread: threadId } });
});`;

describe('WorkerPool', () => {
  it('runs tasks on all workers, returns results in order of the promises, propagates errors and survives crashes', async () => {
    const pool = new WorkerPool<
      { x: number; fail?: boolean; crash?: boolean },
      { y: number; thread: number }
    >(() => new Worker(SRC, { eval: true }), 2);
    try {
      const results = await Promise.all(Array.from({ length: 20 }, (_, i) => pool.run({ x: i })));
      expect(results.map((r) => r.y)).toEqual(Array.from({ length: 20 }, (_, i) => i * 2));
      expect(new Set(results.map((r) => r.thread)).size).toBe(2);
      const err = await pool.run({ x: 5, fail: true }).catch((e: Error) => e);
      expect(err).toBeInstanceOf(Error);
      expect((err as Error).name).toBe('SplitError');
      expect((err as Error).message).toBe('bad 5');
      await expect(pool.run({ x: 1, crash: true })).rejects.toThrow(/exited with code 3/);
      expect((await pool.run({ x: 4 })).y).toBe(8);
    } finally {
      await pool.close();
    }
  });

  it('rejects an invalid size', () => {
    expect(() => new WorkerPool(() => new Worker(SRC, { eval: true }), 0)).toThrow(/workers/);
  });
});
