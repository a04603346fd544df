import '@tensorflow/tfjs';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import { profileTrainingStep } from './dist/index.js';

await tf.setBackend('wasm');
for (const preset of process.argv.slice(2))
  for (const mode of ['fast', 'fast']) {
    const prof = await profileTrainingStep(preset, mode);
    const tot = prof.reduce((s, e) => s + e.ms, 0);
    console.log(
      preset,
      mode,
      'total',
      tot.toFixed(1),
      prof
        .slice(0, 12)
        .map((e) => `${e.kernel} ${e.calls}x ${e.ms.toFixed(1)}`)
        .join(', '),
    );
  }
