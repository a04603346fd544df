import * as tfl from '@tensorflow/tfjs-layers';
import { deriveSeed } from '@timbre/dataset';
import { ChannelBatchNorm } from './batch-norm.js';
import { engineConv2d, type TrainingEngine } from './engine.js';
import { ModelError } from './errors.js';
import { makeInitializer } from './initializers.js';
import type { ResolvedModelOptions } from './model-options.js';
import type { CnnSpec } from './presets.js';
import { SeededDropout } from './seeded-dropout.js';

/**
 * Builds the robust CNN of a {@link CnnSpec}: per stage i (1-based) `conv<i>` ('valid', linear; the fast
 * engine's fused conv where it applies) → `pool<i>` (2×2/2 max-pool, not in the last stage) → `bn<i>`
 * (batch normalisation, momentum 0.99, ε 1e-3) → `relu<i>`; pooling before the normalisation makes it
 * work on a quarter of the activations (the step's largest cost otherwise); then `time-pool` (average over
 * all frames, per band row and channel) → `flatten` → (`dropout` → `dense<j>`, ReLU)… → `dropout` → `output`
 * (dense softmax). Input [nMels, nFrames, 1]. Layer names are
 * fixed, so weight names do not depend on how many models the process built before.
 *
 * @throws {ModelError} when the input is too small for the stages.
 */
export function buildCnn(spec: CnnSpec, o: ResolvedModelOptions, engine: TrainingEngine): tfl.Sequential {
  let [h, w] = [o.nMels, o.nFrames];
  spec.filters.forEach((_, i) => {
    [h, w] = [h - spec.kernel[0] + 1, w - spec.kernel[1] + 1];
    if (i < spec.filters.length - 1) [h, w] = [Math.floor(h / 2), Math.floor(w / 2)];
  });
  if (h < 1 || w < 1) {
    throw new ModelError(`nMels×nFrames = ${o.nMels}×${o.nFrames} is too small for ${o.preset}`);
  }
  const init = (i: number) => makeInitializer(o.kernelInitializer, deriveSeed(o.seed, i));
  const model = tfl.sequential({ name: o.preset.replace(/-/g, '_') });
  spec.filters.forEach((filters, k) => {
    const i = k + 1;
    model.add(
      engineConv2d(
        {
          ...(k === 0 ? { inputShape: [o.nMels, o.nFrames, 1] } : {}),
          name: `conv${i}`,
          filters,
          kernelSize: [spec.kernel[0], spec.kernel[1]],
          padding: 'valid',
          activation: 'linear',
          kernelInitializer: init(i),
        },
        engine,
      ),
    );
    if (k < spec.filters.length - 1)
      model.add(tfl.layers.maxPooling2d({ name: `pool${i}`, poolSize: 2, strides: 2 }));
    model.add(new ChannelBatchNorm({ name: `bn${i}`, momentum: 0.99, epsilon: 1e-3 }));
    model.add(tfl.layers.activation({ name: `relu${i}`, activation: 'relu' }));
  });
  // Average over time only: where a pattern sits in frequency (formants, the register) stays known.
  model.add(tfl.layers.averagePooling2d({ name: 'time-pool', poolSize: [1, w], strides: [1, w] }));
  model.add(tfl.layers.flatten({ name: 'flatten' }));
  const dropout = (j: number) => {
    if (spec.dropout > 0)
      model.add(
        new SeededDropout({
          name: j === 0 ? 'dropout' : `dropout${j + 1}`,
          rate: spec.dropout,
          seed: deriveSeed(o.seed, 50 + j),
        }),
      );
  };
  spec.dense.forEach((units, j) => {
    dropout(j);
    model.add(
      tfl.layers.dense({ name: `dense${j + 1}`, units, activation: 'relu', kernelInitializer: init(10 + j) }),
    );
  });
  dropout(spec.dense.length);
  model.add(
    tfl.layers.dense({
      name: 'output',
      units: o.nClasses,
      activation: 'softmax',
      kernelInitializer: init(99),
    }),
  );
  return model;
}
