#!/usr/bin/env node
// Memory soak: classifies the same 1-s clip N times (default 25 000) with the shipped model and prints RSS, JS
// heap, external and ArrayBuffer memory (after a GC), live tensors and the wasm heap every 2 500 calls.
//   node --expose-gc packages/models/scripts/memory-soak.mjs [N]   (needs the built package)
import * as tf from '@tensorflow/tfjs-core';
import { loadClassifier } from '../dist/node.js';

const clf = await loadClassifier('../../apps/cli/pretrained', { backend: 'wasm' });
const x = new Float32Array(44100);
for (let i = 0; i < x.length; i++) x[i] = 0.3 * Math.sin(i * 0.05) * Math.min(1, i / 200);
const mb = (v) => Math.round(v / 2 ** 20);
const N = Number(process.argv[2] ?? 25000);
for (let i = 0; i <= N; i++) {
  if (i % 2500 === 0) {
    globalThis.gc?.();
    const m = process.memoryUsage();
    const wasm = tf.backend().wasm?.HEAPU8?.length ?? tf.backend().wasm?.wasmMemory?.buffer?.byteLength;
    console.log(
      i,
      'rss',
      mb(m.rss),
      'heap',
      mb(m.heapUsed),
      'ext',
      mb(m.external),
      'ab',
      mb(m.arrayBuffers),
      'tensors',
      tf.memory().numTensors,
      'wasmHeap',
      wasm ? mb(wasm) : '?',
    );
  }
  await clf.predictSamples(x, 44100);
}
