import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from './backend.js';
import { createModel } from './create-model.js';
import type { LstmLayerArgs } from './lstm.js';
import { defaultLstmFactory } from './lstm.js';

describe('LSTM layer factory seam', () => {
  beforeAll(async () => {
    await initBackend('cpu');
  });

  it('builds every LSTM layer through the given factory, with seeded initializers', () => {
    const calls: LstmLayerArgs[] = [];
    const lstmLayerFactory = (a: LstmLayerArgs) => {
      calls.push(a);
      return defaultLstmFactory(a);
    };
    const m = createModel(
      { preset: 'lstm-128-64', nMels: 16, nFrames: 20, nClasses: 3, seed: 2 },
      { lstmLayerFactory },
    );
    expect(calls.map((c) => [c.name, c.units, c.returnSequences, c.inputShape])).toEqual([
      ['lstm1', 128, true, [20, 16]],
      ['lstm2', 64, false, undefined],
    ]);
    m.dispose();
    // Nothing is kept: the next model is built with the engine's own factory.
    createModel({ preset: 'lstm-64', nMels: 16, nFrames: 20, nClasses: 3 }).dispose();
    expect(calls).toHaveLength(2);
  });

  it('uses sigmoid gates (not tfjs-layers’ hardSigmoid default)', () => {
    const m = createModel({ preset: 'lstm-64', nMels: 8, nFrames: 16, nClasses: 2 });
    const cfg = m.getLayer('lstm1').getConfig();
    expect(cfg['recurrentActivation']).toBe('sigmoid');
    expect(cfg['unitForgetBias']).toBe(true);
    // forget-gate bias (second quarter) starts at 1
    const bias = (m.getLayer('lstm1') as tfl.layers.Layer).getWeights()[2]!.dataSync();
    expect(Array.from(bias.slice(64, 128)).every((v) => v === 1)).toBe(true);
    expect(Array.from(bias.slice(0, 64)).every((v) => v === 0)).toBe(true);
    m.dispose();
    expect(tf.getBackend()).toBe('cpu');
  });
});
