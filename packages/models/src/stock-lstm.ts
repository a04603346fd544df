import * as tfl from '@tensorflow/tfjs-layers';
import type { LstmLayerFactory } from './lstm.js';

/** The stock `tf.layers.lstm` with tanh activation, sigmoid gates (not tfjs' hardSigmoid default), unit forget bias. */
export const defaultLstmFactory: LstmLayerFactory = (a) =>
  tfl.layers.lstm({
    name: a.name,
    units: a.units,
    returnSequences: a.returnSequences,
    ...(a.inputShape ? { inputShape: a.inputShape } : {}),
    kernelInitializer: a.kernelInitializer,
    recurrentInitializer: a.recurrentInitializer,
    // tfjs-layers defaults to hardSigmoid (old Keras); TF2 Keras, PyTorch and @timbre/kernels' FastLSTM use sigmoid.
    recurrentActivation: 'sigmoid',
    unitForgetBias: true,
    biasInitializer: 'zeros',
  });
