import * as tfl from '@tensorflow/tfjs-layers';
import { deriveSeed } from '@timbre/dataset';
import { engineConv2d, type TrainingEngine } from './engine.js';
import { ModelError } from './errors.js';
import { makeInitializer } from './initializers.js';
import type { ResolvedModelOptions } from './model-options.js';
import type { LeNetSpec } from './presets.js';

/** Output [height, width] of a conv (stride 1) followed by a 2×2 stride-2 max-pool. */
function convPool(
  h: number,
  w: number,
  k: readonly [number, number],
  padding: 'valid' | 'same',
): [number, number] {
  const ch = padding === 'valid' ? h - k[0] + 1 : h;
  const cw = padding === 'valid' ? w - k[1] + 1 : w;
  return [Math.floor(ch / 2), Math.floor(cw / 2)];
}

/**
 * Builds a LeNet: conv(filters[0]) → maxpool 2×2/2 → conv(filters[1]) → maxpool 2×2/2 → flatten →
 * dense(dense[i], activation)… → dense(nClasses, softmax). Input shape [nMels, nFrames, 1]
 * (mel bands as rows, frames as columns). Layer names are fixed (`conv1`, `pool1`, `conv2`, `pool2`,
 * `flatten`, `dense1`…, `output`) so weight names in model.json do not depend on how many models
 * the process built before.
 *
 * @throws {ModelError} when the input is too small for the kernels with the chosen padding.
 */
export function buildLeNet(spec: LeNetSpec, o: ResolvedModelOptions, engine: TrainingEngine): tfl.Sequential {
  let [h, w] = convPool(o.nMels, o.nFrames, spec.kernel, o.padding);
  [h, w] = convPool(h, w, spec.kernel, o.padding);
  if (h < 1 || w < 1) {
    throw new ModelError(
      `nMels×nFrames = ${o.nMels}×${o.nFrames} is too small for ${o.preset} with '${o.padding}' padding`,
    );
  }
  const init = (i: number) => makeInitializer(o.kernelInitializer, deriveSeed(o.seed, i));
  const model = tfl.sequential({ name: o.preset.replace(/-/g, '_') });
  const conv = (i: number, filters: number, first: boolean) =>
    engineConv2d(
      {
        ...(first ? { inputShape: [o.nMels, o.nFrames, 1] } : {}),
        name: `conv${i}`,
        filters,
        kernelSize: [spec.kernel[0], spec.kernel[1]],
        padding: o.padding,
        activation: o.activation,
        kernelInitializer: init(i),
      },
      engine,
    );
  model.add(conv(1, spec.filters[0], true));
  model.add(tfl.layers.maxPooling2d({ name: 'pool1', poolSize: 2, strides: 2 }));
  model.add(conv(2, spec.filters[1], false));
  model.add(tfl.layers.maxPooling2d({ name: 'pool2', poolSize: 2, strides: 2 }));
  model.add(tfl.layers.flatten({ name: 'flatten' }));
  spec.dense.forEach((units, j) => {
    model.add(
      tfl.layers.dense({
        name: `dense${j + 1}`,
        units,
        activation: o.activation,
        kernelInitializer: init(10 + j),
      }),
    );
  });
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
