// Worker-thread entry of the waveform-augmentation feed (see wave-batch-pool.ts): augments the clips of
// a batch and computes their log-mel features with this thread's own @timbre/dsp instance. Answers the
// dataset worker pool's protocol. Runs from the built package only.
import { setPriority } from 'node:os';
import { workerData } from 'node:worker_threads';
import { answerPoolRequests } from '@timbre/dataset/node';
import { createExtractorFor } from './inference.js';
import { waveFeatures } from './wave-batch.js';
import type { WaveTask, WaveWorkerSetup } from './wave-batch-pool.js';

const s = workerData as WaveWorkerSetup;
// Below the training thread: when the cores are all busy the step (the critical path) keeps its core and
// the augmentation fills what is left. On Linux, setpriority(pid 0) changes the calling thread only.
if (process.platform === 'linux') {
  try {
    setPriority(0, 10);
  } catch {
    // not permitted here: same results, only the scheduling differs
  }
}
const audio = {
  samples: new Float32Array(s.samples.buffer, s.samples.byteOffset, s.samples.length),
  clipSamples: s.clipSamples,
  sampleRate: s.dsp.sampleRate,
};
const extractor = createExtractorFor(s.dsp);
answerPoolRequests<WaveTask, Float32Array>(
  async (task) => {
    const x = new Float32Array(task.rows.length * s.stride);
    waveFeatures(audio, await extractor, s.options, s.seed, task.epoch, task.rows, x);
    return x;
  },
  (x) => [x.buffer as ArrayBuffer],
);
