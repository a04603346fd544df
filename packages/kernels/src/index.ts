/**
 * `@timbre/kernels`: fast training kernels for TensorFlow.js on the wasm backend.
 *
 * One call, {@link registerFastKernels}, re-registers the wasm kernels that make stock training slow
 * (transposed matMul, conv input/filter gradients, Slice, MaxPoolGrad). {@link FastLSTM} (or the op
 * {@link lstmSequence}) replaces `tf.layers.lstm` with a sequence-level op with hand-written BPTT.
 *
 * @packageDocumentation
 */
export { BackendError, KernelsError, UnsupportedConfigError } from './errors.js';
export { FastLSTM, type FastLSTMArgs, type InitializerLike } from './fast-lstm-layer.js';
export { LSTM_BACKWARD, LSTM_FORWARD } from './lstm-kernels.js';
export { type LstmSequenceOptions, lstmSequence, type RecurrentActivation } from './lstm-sequence.js';
export {
  FAST_KERNEL_NAMES,
  type FastKernelName,
  fastKernelsRegistered,
  type RegisterFastKernelsOptions,
  registerFastKernels,
  restoreStockKernels,
} from './register.js';
