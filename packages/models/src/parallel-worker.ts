// Worker-thread entry of data-parallel training (see parallel.ts): one model replica on this thread's own
// tfjs instance. It waits on its control words, computes the gradients of its share of each batch with
// the weights the main thread published, and writes them back. Runs from the built package only.
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from './backend.js';
import { createModel } from './create-model.js';
import { applyEngine } from './engine.js';
import type { WorkerMessage, WorkerSetup } from './parallel.js';
import {
  C_BATCH,
  C_CMD,
  C_DONE,
  C_N,
  C_SEQ,
  C_SOURCE,
  C_STATUS,
  C_TENSORS,
  CMD_MEMORY,
  CMD_STEP,
  CMD_STOP,
  copyTensorInto,
  SRC_BATCH,
  SRC_MIX,
  tensorFromShared,
} from './parallel.js';
import { type GradientResult, makeGradientStep } from './train-step.js';

function post(m: WorkerMessage): void {
  parentPort!.postMessage(m);
}

function errorText(e: unknown): string {
  return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
}

async function main(): Promise<void> {
  const s = workerData as WorkerSetup;
  await initBackend(s.backend);
  applyEngine(s.engine);
  const net = createModel(s.model, { engine: s.engine });
  const vars = net.trainableWeights.map((w) => w.read() as tf.Variable);
  const offsets = [0];
  for (const v of vars) offsets.push(offsets.at(-1)! + v.size);
  const control = new Int32Array(s.control);
  const result = new Float64Array(s.result);
  const indices = new Int32Array(s.indices);
  const weights = new Float32Array(s.weights);
  const grads = new Float32Array(s.grads);
  const x = new Float32Array(s.x.buffer, s.x.byteOffset, s.x.length);
  const y = new Int32Array(s.y.buffer, s.y.byteOffset, s.y.length);
  const batchX = new Float32Array(s.batchX);
  const batchY = new Int32Array(s.batchY);
  const batchY2 = new Int32Array(s.batchY2);
  const batchLambda = new Float32Array(s.batchLambda);
  const gradientStep = makeGradientStep(net, s.layout, s.model.nFrames, s.model.nMels);
  post({ type: 'ready', backend: tf.getBackend(), engine: s.engine, shapes: vars.map((v) => v.shape) });

  let seen = 0;
  for (;;) {
    // Bounded waits so a terminate() from the main thread always takes effect.
    while (Atomics.load(control, C_SEQ) === seen) Atomics.wait(control, C_SEQ, seen, 1000);
    seen = Atomics.load(control, C_SEQ);
    const cmd = Atomics.load(control, C_CMD);
    if (cmd === CMD_STOP) break;
    try {
      if (cmd === CMD_STEP) {
        tf.tidy(() => {
          for (let i = 0; i < vars.length; i++) {
            vars[i]!.assign(tensorFromShared(weights.subarray(offsets[i]!, offsets[i + 1]!), vars[i]!.shape));
          }
        });
        const n = control[C_N]!;
        const source = control[C_SOURCE]!;
        const share = indices.subarray(0, n);
        let r: GradientResult;
        if (source & SRC_BATCH) {
          // A prepared batch: the share is a run of batch positions; mixup targets are sliced to it.
          const lo = share[0] ?? 0;
          const mix =
            source & SRC_MIX
              ? { y2: batchY2.subarray(lo, lo + n), lambda: batchLambda.subarray(lo, lo + n) }
              : undefined;
          r = gradientStep(batchX, batchY, share, control[C_BATCH]!, mix);
        } else {
          r = gradientStep(x, y, share, control[C_BATCH]!);
        }
        for (let i = 0; i < vars.length; i++) copyTensorInto(r.grads[i]!, grads, offsets[i]!);
        tf.dispose(r.grads);
        result[0] = r.loss;
        result[1] = r.correct;
      } else if (cmd === CMD_MEMORY) {
        control[C_TENSORS] = tf.memory().numTensors;
      }
      Atomics.store(control, C_STATUS, 0);
    } catch (e) {
      post({ type: 'error', message: errorText(e) });
      Atomics.store(control, C_STATUS, 1);
    }
    Atomics.store(control, C_DONE, seen);
    Atomics.notify(control, C_DONE);
  }
  net.dispose();
}

if (!isMainThread && parentPort) {
  main().catch((e: unknown) => {
    post({ type: 'error', message: errorText(e) });
    process.exitCode = 1;
  });
}
