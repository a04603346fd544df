// timbre training kernels, f32x4 SIMD: a register-blocked 4×8 sgemm over a packed right-hand side (the
// fast BatchMatMul); a whole LSTM layer's forward recurrence and its backward recurrence (BPTT) in one call
// each, including the per-step recurrent matMul; conv2d forward and filter gradient for unpadded NHWC convs
// (im2col rows read in place); the max-pool gradient.
//
// The module imports its memory (`env.memory`): the host passes the tfjs wasm backend's own heap, so the
// kernels read and write tensors in place at the byte offsets the host gives. It has no static data, no
// globals that need memory, and never allocates or grows memory (the host mallocs scratch buffers).
//
// Layouts (row-major float32, rows ordered time-major: row = t·B + b):
//   xp     [T·B, 4H]   input projection x·W + b, gate order i, f, c, o (Keras)
//   gates  [T·B, 4H]   activated gates i, f, g = tanh(z_c), o
//   cSeq   [T·B, H]    cell state; hSeq [T·B, H] hidden state
//   packed right-hand side: panels of 8 columns, each [K][8], the last zero-padded.
//
// The sources are split by op family; this entry re-exports the kernels the host calls (src/simd-module.ts's
// `SimdKernels`, checked against the module's exports at build time).
export { packPanels, gemm, gemmTransA } from './gemm';
export { lstmForward, lstmBackward } from './lstm';
export { maxPoolGrad, maxPoolGradTiled } from './pool';
export { conv2dBackpropFilter, conv2dForward, conv2dBackpropInputValid } from './conv';
export { adamStep } from './adam';
export { addRowVector, sumRows, reluGradBiasSum } from './bias';
export { mulAddPeak } from './peak';
