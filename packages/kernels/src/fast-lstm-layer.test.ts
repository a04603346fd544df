import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { FastLSTM } from './fast-lstm-layer.js';
import { registerFastKernels } from './register.js';
import { initBackends, randomValues, tolRatio } from './test-utils/backends.js';

beforeAll(async () => {
  await initBackends();
  registerFastKernels();
});

function build(fast: boolean, act: 'sigmoid' | 'hardSigmoid'): tfl.Sequential {
  const m = tfl.sequential();
  const common = { recurrentActivation: act, recurrentInitializer: 'glorotUniform' as const };
  m.add(
    fast
      ? new FastLSTM({ name: 'lstm1', units: 6, returnSequences: true, inputShape: [7, 5], ...common })
      : tfl.layers.lstm({ name: 'lstm1', units: 6, returnSequences: true, inputShape: [7, 5], ...common }),
  );
  m.add(
    fast
      ? new FastLSTM({ name: 'lstm2', units: 4, ...common })
      : tfl.layers.lstm({ name: 'lstm2', units: 4, ...common }),
  );
  m.add(tfl.layers.dense({ name: 'output', units: 3, activation: 'softmax' }));
  return m;
}

describe('FastLSTM layer', () => {
  for (const act of ['sigmoid', 'hardSigmoid'] as const) {
    it(`has tf.layers.lstm's weights (names, shapes, order, unit forget bias) and predictions (${act})`, async () => {
      await tf.setBackend('wasm');
      const fast = build(true, act);
      const ref = build(false, act);
      // Names are made unique per process (`_1` suffix for the second model): compare without it.
      const names = (m: tfl.Sequential) => m.weights.map((w) => [w.name.replace(/_\d+$/, ''), w.shape]);
      expect(names(fast)).toEqual(names(ref));
      const bias = fast.getWeights()[2] as tf.Tensor;
      expect(Array.from(bias.dataSync().slice(6, 12))).toEqual([1, 1, 1, 1, 1, 1]);
      ref.setWeights(fast.getWeights());
      const x = tf.tensor3d(randomValues(3 * 7 * 5, 41, -2, 2), [3, 7, 5]);
      const a = (fast.predict(x) as tf.Tensor).dataSync() as Float32Array;
      const b = (ref.predict(x) as tf.Tensor).dataSync() as Float32Array;
      expect(tolRatio(a, b, 1e-6, 1e-5)).toBeLessThanOrEqual(1);
    });
  }

  it('saves as class LSTM and loads in plain tfjs-layers with the same predictions', async () => {
    await tf.setBackend('wasm');
    const fast = build(true, 'sigmoid');
    let artifacts: tf.io.ModelArtifacts | undefined;
    await fast.save(
      tf.io.withSaveHandler(async (a) => {
        artifacts = a;
        return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
      }),
    );
    const topology = JSON.stringify(artifacts?.modelTopology);
    expect(topology).toContain('"class_name":"LSTM"');
    expect(topology).toContain('"recurrent_activation":"sigmoid"');
    const loaded = await tfl.loadLayersModel(tf.io.fromMemory(artifacts as tf.io.ModelArtifacts));
    expect(loaded.layers[0]?.getClassName()).toBe('LSTM');
    expect(loaded.layers[0]).not.toBeInstanceOf(FastLSTM);
    const x = tf.tensor3d(randomValues(2 * 7 * 5, 42, -2, 2), [2, 7, 5]);
    const a = (fast.predict(x) as tf.Tensor).dataSync() as Float32Array;
    const b = (loaded.predict(x) as tf.Tensor).dataSync() as Float32Array;
    expect(tolRatio(a, b, 1e-6, 1e-5)).toBeLessThanOrEqual(1);
  });

  it('trains with fit() on wasm and lowers the loss', async () => {
    await tf.setBackend('wasm');
    const m = build(true, 'sigmoid');
    m.compile({ optimizer: tf.train.adam(0.01), loss: 'categoricalCrossentropy' });
    const x = tf.tensor3d(randomValues(16 * 7 * 5, 43, -1, 1), [16, 7, 5]);
    const y = tf.oneHot(
      tf.tensor1d(
        Array.from({ length: 16 }, (_, i) => i % 3),
        'int32',
      ),
      3,
    );
    const h = await m.fit(x, y, { epochs: 15, batchSize: 8, verbose: 0 });
    const loss = h.history.loss as number[];
    expect(loss[loss.length - 1]).toBeLessThan(loss[0] as number);
  });
});
