import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from './backend.js';
import { createModel } from './create-model.js';
import { ModelError } from './errors.js';
import { PRESET_NAMES } from './presets.js';

/** Parameters of an LSTM layer: 4 gates × (input kernel + recurrent kernel + bias). */
const lstmParams = (inputs: number, units: number) => 4 * (inputs * units + units * units + units);
const dense = (inputs: number, units: number) => inputs * units + units;
const conv = (kh: number, kw: number, ci: number, co: number) => kh * kw * ci * co + co;

describe('createModel', () => {
  beforeAll(async () => {
    await initBackend('wasm');
  });

  it('builds LeNet 5×5 on 64×80 with the hand-computed shapes and parameter count', () => {
    const m = createModel({ preset: 'lenet-5x5', nMels: 64, nClasses: 14 });
    // conv 5×5: 64×80 → 60×76 → pool 30×38 → conv 26×34 → pool 13×17, ×16 = 3536 features
    expect(m.inputs[0]!.shape).toEqual([null, 64, 80, 1]);
    expect(m.getLayer('pool2').outputShape).toEqual([null, 13, 17, 16]);
    expect(m.outputs[0]!.shape).toEqual([null, 14]);
    const want = conv(5, 5, 1, 6) + conv(5, 5, 6, 16) + dense(3536, 120) + dense(120, 84) + dense(84, 14);
    expect(want).toBe(438366);
    expect(m.countParams()).toBe(want);
    m.dispose();
  });

  it('builds LeNet 3×8 on 64×80 and 128×80', () => {
    const m = createModel({ preset: 'lenet-3x8', nMels: 64, nClasses: 14 });
    // 64×80 → 62×73 → 31×36 → 29×29 → 14×14 ×16 = 3136
    expect(m.getLayer('pool2').outputShape).toEqual([null, 14, 14, 16]);
    expect(m.countParams()).toBe(
      conv(3, 8, 1, 6) + conv(3, 8, 6, 16) + dense(3136, 120) + dense(120, 84) + dense(84, 14),
    );
    m.dispose();
    const m128 = createModel({ preset: 'lenet-3x8', nMels: 128, nClasses: 14 });
    // 128×80 → 126×73 → 63×36 → 61×29 → 30×14 ×16 = 6720
    expect(m128.getLayer('pool2').outputShape).toEqual([null, 30, 14, 16]);
    expect(m128.countParams()).toBe(390264 - dense(3136, 120) + dense(6720, 120));
    m128.dispose();
  });

  it('builds the LSTMs with the hand-computed parameter counts', () => {
    const cases = {
      'lstm-64': lstmParams(64, 64) + dense(64, 14),
      'lstm-128': lstmParams(64, 128) + dense(128, 14),
      'lstm-128-128': lstmParams(64, 128) + lstmParams(128, 128) + dense(128, 14),
      'lstm-128-64': lstmParams(64, 128) + lstmParams(128, 64) + dense(64, 14),
    } as const;
    expect(cases['lstm-64']).toBe(33934);
    for (const [preset, want] of Object.entries(cases)) {
      const m = createModel({ preset: preset as keyof typeof cases, nMels: 64, nClasses: 14 });
      expect(m.inputs[0]!.shape).toEqual([null, 80, 64]);
      expect(m.outputs[0]!.shape).toEqual([null, 14]);
      expect(m.countParams(), preset).toBe(want);
      m.dispose();
    }
  });

  it('gives the same weights for the same seed and different ones for another seed', () => {
    const weights = (seed: number) => {
      const m = createModel({ preset: 'lenet-3x8', nMels: 16, nFrames: 32, nClasses: 3, seed });
      const w = m.getWeights().map((t) => Array.from(t.dataSync()));
      m.dispose();
      return w;
    };
    const a = weights(5);
    expect(weights(5)).toEqual(a);
    expect(weights(6)[0]).not.toEqual(a[0]);
    // conv1 and conv2 kernels are not drawn from the same stream
    expect(a[0]!.slice(0, 10)).not.toEqual(a[2]!.slice(0, 10));
  });

  it('outputs a probability distribution and does not leak', () => {
    for (const preset of [...PRESET_NAMES, ...PRESET_NAMES]) {
      const before = tf.memory().numTensors;
      const nMels = preset === 'cnn-robust' ? 24 : 16;
      const m = createModel({ preset, nMels, nFrames: 40, nClasses: 4, seed: 1 });
      const shape = preset.startsWith('lstm') ? [2, 40, nMels] : [2, nMels, 40, 1];
      const p = tf.tidy(() => m.predict(tf.randomUniform(shape)) as tf.Tensor);
      const sums = tf.tidy(() => tf.sum(p, 1).arraySync() as number[]);
      for (const s of sums) expect(s).toBeCloseTo(1, 5);
      p.dispose();
      m.dispose();
      expect(tf.memory().numTensors, preset).toBe(before);
    }
  });

  it('builds cnn-robust with batch norm, pooling over time and dropout, and names a too-small input', () => {
    const m = createModel({ preset: 'cnn-robust', nMels: 64, nFrames: 80, nClasses: 14, seed: 0 });
    expect(m.layers.map((l) => l.name)).toEqual([
      'conv1',
      'pool1',
      'bn1',
      'relu1',
      'conv2',
      'pool2',
      'bn2',
      'relu2',
      'conv3',
      'bn3',
      'relu3',
      'time-pool',
      'flatten',
      'dropout',
      'dense1',
      'dropout2',
      'output',
    ]);
    expect(m.outputs[0]!.shape).toEqual([null, 14]);
    // Serialised as stock layers, so the saved model loads in plain tfjs.
    const classes = (
      m.toJSON(null, false) as unknown as { config: { layers: { class_name: string }[] } }
    ).config.layers.map((l) => l.class_name);
    expect(classes).toContain('BatchNormalization');
    expect(classes).toContain('Dropout');
    m.dispose();
    expect(() => createModel({ preset: 'cnn-robust', nMels: 16, nFrames: 40, nClasses: 3 })).toThrow(
      /16×40 is too small for cnn-robust/,
    );
  });

  it('rejects invalid options naming the parameter', () => {
    expect(() => createModel({ preset: 'lenet-7x7' as 'lenet-5x5', nMels: 64, nClasses: 14 })).toThrow(
      /preset must be one of/,
    );
    expect(() => createModel({ preset: 'lstm-64', nMels: 4, nClasses: 14 })).toThrow(
      /nMels must be an integer in \[8, 512\]/,
    );
    expect(() => createModel({ preset: 'lstm-64', nMels: 64, nClasses: 1 })).toThrow(ModelError);
    expect(() => createModel({ preset: 'lenet-5x5', nMels: 8, nFrames: 16, nClasses: 3 })).toThrow(
      /too small/,
    );
  });
});
