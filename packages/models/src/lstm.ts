import * as tfl from '@tensorflow/tfjs-layers';
import { deriveSeed } from '@timbre/dataset';
import { makeInitializer } from './initializers.js';
import type { ResolvedModelOptions } from './model-options.js';
import type { LstmSpec } from './presets.js';

/** What an LSTM layer factory receives. */
export interface LstmLayerArgs {
  /** Layer name (`lstm1`, `lstm2`…): weight names in model.json derive from it. */
  name: string;
  /** Units (hidden size), integer ≥ 1. */
  units: number;
  /** True for every layer but the last (which returns only its final output). */
  returnSequences: boolean;
  /** [timeSteps, features] for the first layer, absent for the others. */
  inputShape?: [number, number];
  /** Seeded initializer of the input kernel [features, 4·units] (gate order i, f, c, o as Keras). */
  kernelInitializer: ReturnType<typeof makeInitializer>;
  /** Seeded initializer of the recurrent kernel [units, 4·units]. */
  recurrentInitializer: ReturnType<typeof makeInitializer>;
}

/**
 * Makes one LSTM layer. The seam for a faster implementation (e.g. a fused sequence-level LSTM
 * from `@timbre/kernels`): a replacement must hold the same weights in the same order and shapes
 * as `tf.layers.lstm` (kernel, recurrentKernel, bias with unitForgetBias; sigmoid gates, tanh) and serialise as class
 * `LSTM` so a saved model still loads in plain TensorFlow.js.
 */
export type LstmLayerFactory = (args: LstmLayerArgs) => tfl.layers.Layer;

export { defaultLstmFactory } from './stock-lstm.js';

/**
 * Builds an LSTM stack: input [nFrames, nMels] → LSTM(units[0]) → … → LSTM(units[last]) →
 * dense(nClasses, softmax). Layer names `lstm1`…, `output`. Each LSTM layer comes from `factory`.
 */
export function buildLstm(
  spec: LstmSpec,
  o: ResolvedModelOptions,
  factory: LstmLayerFactory,
): tfl.Sequential {
  const model = tfl.sequential({ name: o.preset.replace(/-/g, '_') });
  spec.units.forEach((units, i) => {
    model.add(
      factory({
        name: `lstm${i + 1}`,
        units,
        returnSequences: i < spec.units.length - 1,
        ...(i === 0 ? { inputShape: [o.nFrames, o.nMels] as [number, number] } : {}),
        kernelInitializer: makeInitializer(o.kernelInitializer, deriveSeed(o.seed, i + 1)),
        recurrentInitializer: makeInitializer(o.recurrentInitializer, deriveSeed(o.seed, i + 1, 2)),
      }),
    );
  });
  model.add(
    tfl.layers.dense({
      name: 'output',
      units: o.nClasses,
      activation: 'softmax',
      kernelInitializer: makeInitializer(o.kernelInitializer, deriveSeed(o.seed, 99)),
    }),
  );
  return model;
}
