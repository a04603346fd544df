/**
 * `@timbre/kernels`: fast training kernels for TensorFlow.js on the wasm backend.
 *
 * One call, {@link registerFastKernels}, re-registers the wasm kernels that make stock training slow
 * (matMul, Conv2D, conv input/filter gradients, Slice, MaxPoolGrad), most of them backed by an f32x4 SIMD
 * WebAssembly module that works in place on the backend's heap. {@link FastLSTM} (or the op
 * {@link lstmSequence}) replaces `tf.layers.lstm` with a sequence-level op whose forward and backward
 * recurrences are one SIMD call each.
 *
 * @packageDocumentation
 */

export {
  CONV2D_BIAS_RELU,
  type Conv2dBiasReluOptions,
  conv2dBiasRelu,
  RELU_GRAD_BIAS_SUM,
} from './conv2d-bias-relu.js';
export { BackendError, KernelsError, UnsupportedConfigError } from './errors.js';
export { FastConv2D, type FastConv2DArgs } from './fast-conv2d-layer.js';
export { FastLSTM, type FastLSTMArgs, type InitializerLike } from './fast-lstm-layer.js';
export { ADAM_STEP, FusedAdamOptimizer, registerAdamKernel } from './fused-adam.js';
export { LSTM_BACKWARD, LSTM_FORWARD } from './lstm-kernels.js';
export { type LstmSequenceOptions, lstmSequence, type RecurrentActivation } from './lstm-sequence.js';
export {
  FAST_KERNEL_NAMES,
  type FastKernelName,
  fastKernelsRegistered,
  type KernelMode,
  type RegisterFastKernelsOptions,
  registerFastKernels,
  restoreStockKernels,
  STOCK_COMPLETIONS,
  useKernelMode,
} from './register.js';
export { measureSimdPeak } from './simd-peak.js';
