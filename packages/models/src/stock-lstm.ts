import * as tfl from '@tensorflow/tfjs-layers';
import type { LstmLayerArgs, LstmLayerFactory } from './lstm.js';

/**
 * The project's LSTM layer configuration, for `tf.layers.lstm` and `@timbre/kernels`' `FastLSTM` alike: tanh
 * activation, sigmoid gates (not tfjs' hardSigmoid default), unit forget bias, zero bias.
 */
export function lstmLayerConfig(a: LstmLayerArgs) {
  return {
    name: a.name,
    units: a.units,
    returnSequences: a.returnSequences,
    ...(a.inputShape ? { inputShape: a.inputShape } : {}),
    kernelInitializer: a.kernelInitializer,
    recurrentInitializer: a.recurrentInitializer,
    // tfjs-layers defaults to hardSigmoid (old Keras); TF2 Keras, PyTorch and @timbre/kernels' FastLSTM use sigmoid.
    recurrentActivation: 'sigmoid' as const,
    unitForgetBias: true,
    biasInitializer: 'zeros' as const,
  };
}

/** The stock `tf.layers.lstm` with {@link lstmLayerConfig}. */
export const defaultLstmFactory: LstmLayerFactory = (a) => tfl.layers.lstm(lstmLayerConfig(a));
