import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { initBackend } from './backend.js';
import { createModel } from './create-model.js';
import { applyEngine, type TrainingEngine } from './engine.js';
import { crossEntropy } from './evaluate.js';
import { toInputTensor } from './features.js';
import type { PresetName } from './presets.js';
import { inputLayoutOf } from './presets.js';
import { syntheticFeatures } from './test-utils/synthetic.js';

async function gradients(
  backend: 'cpu' | 'wasm',
  preset: PresetName,
  nMels: number,
  engine: TrainingEngine,
): Promise<Float32Array[]> {
  const data = syntheticFeatures(8, { nMels, nFrames: 40, nClasses: 3, seed: 5 });
  await initBackend(backend);
  applyEngine(engine);
  const model = createModel({ preset, nMels, nFrames: 40, nClasses: 3, seed: 11 }, { engine });
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

describe('whole-model gradients on wasm (both engines) match the cpu backend (stock layers)', () => {
  for (const preset of ['lenet-5x5', 'lenet-3x8', 'lstm-64', 'cnn-robust'] as const)
    for (const engine of ['fast', 'stock'] as const)
      it(`${preset}, ${engine} engine`, async () => {
        const nMels = preset === 'cnn-robust' ? 24 : 16;
        const cpu = await gradients('cpu', preset, nMels, 'stock');
        const wasm = await gradients('wasm', preset, nMels, engine);
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
});
