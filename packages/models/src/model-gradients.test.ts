import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { initBackend } from './backend.js';
import { createModel } from './create-model.js';
import { crossEntropy } from './evaluate.js';
import { toInputTensor } from './features.js';
import type { PresetName } from './presets.js';
import { inputLayoutOf } from './presets.js';
import { syntheticFeatures } from './test-utils/synthetic.js';

async function gradients(backend: 'cpu' | 'wasm', preset: PresetName, nMels = 16): Promise<Float32Array[]> {
  const data = syntheticFeatures(8, { nMels, nFrames: 40, nClasses: 3, seed: 5 });
  await initBackend(backend);
  const model = createModel({ preset, nMels, nFrames: 40, nClasses: 3, seed: 11 });
  const idx = [...Array(8).keys()];
  const out = tf.tidy(() => {
    const x = toInputTensor(data.x, 40, nMels, idx, inputLayoutOf(preset));
    const y = tf.tensor1d(data.y, 'int32');
    const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
    const { grads } = tf.variableGrads(
      () => crossEntropy(model.apply(x, { training: true }) as tf.Tensor, y, 3),
      vars,
    );
    return vars.map((v) => grads[v.name]!.dataSync().slice() as Float32Array);
  });
  model.dispose();
  return out;
}

describe('whole-model gradients on wasm match the cpu backend', () => {
  for (const preset of ['lenet-5x5', 'lenet-3x8', 'lstm-64', 'cnn-robust'] as const) {
    it(preset, async () => {
      const nMels = preset === 'cnn-robust' ? 24 : 16;
      const cpu = await gradients('cpu', preset, nMels);
      const wasm = await gradients('wasm', preset, nMels);
      expect(wasm.length).toBe(cpu.length);
      // A conv bias before batch normalisation has an exactly-zero gradient: its float noise is judged
      // against the model's gradient scale, not its own.
      const global = Math.max(...cpu.map((g) => Math.max(...Array.from(g, Math.abs))));
      for (const [i, g] of cpu.entries()) {
        const scale = Math.max(1e-3, 1e-2 * global, ...Array.from(g, Math.abs));
        let err = 0;
        for (let k = 0; k < g.length; k++) err = Math.max(err, Math.abs(g[k]! - wasm[i]![k]!));
        expect(err / scale, `${preset} weight ${i}`).toBeLessThan(1e-4);
      }
    });
  }
});
