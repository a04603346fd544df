import * as tf from '@tensorflow/tfjs-core';
import { BackendError, UnsupportedConfigError } from './errors.js';
import { type LazyGradients, runWithLazyGradients } from './lazy-gradients.js';
import { LSTM_BACKENDS, LSTM_BACKWARD, LSTM_FORWARD, registerLstmKernels } from './lstm-kernels.js';

/** The LSTM's recurrent (gate) activation. */
export type RecurrentActivation = 'sigmoid' | 'hardSigmoid';

/** Options of {@link lstmSequence}. */
export interface LstmSequenceOptions {
  /** Return the hidden state of every step `[B, T, H]` (true) or only the last `[B, H]` (false, default). */
  returnSequences?: boolean;
  /**
   * Gate activation. Default `'sigmoid'` (Keras 2+/PyTorch). Note that `tf.layers.lstm`'s own default is
   * `'hardSigmoid'` (`clip(0.2·x + 0.5, 0, 1)`): pass that to match a layer built without the option.
   */
  recurrentActivation?: RecurrentActivation;
}

/**
 * A whole LSTM layer over a sequence as one differentiable op (`tf.customGrad`), numerically the
 * layer `tf.layers.lstm({units: H, activation: 'tanh', recurrentActivation, returnSequences})` computes
 * with the same weights, zero initial state, no dropout.
 *
 * The input projection of all steps is one matMul `x·W + b`; each step then computes only `h·U` and
 * the gates (Keras order i, f, c, o: `i = σ(z_i)`, `f = σ(z_f)`, `c = f·c + i·tanh(z_c)`, `o = σ(z_o)`,
 * `h = o·tanh(c)`) in a fused kernel; the gradient is hand-written backpropagation through time with
 * one matMul `dz·Uᵀ` per step and one matMul each for `dW`, `dU`, `dx`.
 *
 * @param x - Input `[B, T, D]`, float32.
 * @param kernel - Input weights `[D, 4H]` (tf.layers.lstm's `kernel`).
 * @param recurrentKernel - Recurrent weights `[H, 4H]` (tf.layers.lstm's `recurrent_kernel`).
 * @param bias - Bias `[4H]` (tf.layers.lstm's `bias`).
 * @param options - See {@link LstmSequenceOptions}.
 * @returns `[B, T, H]` when `returnSequences`, else `[B, H]`.
 * @throws {@link UnsupportedConfigError} on inconsistent shapes; {@link BackendError} on a backend
 *   other than 'wasm' or 'cpu'.
 */
export function lstmSequence(
  x: tf.Tensor3D,
  kernel: tf.Tensor2D,
  recurrentKernel: tf.Tensor2D,
  bias: tf.Tensor1D,
  options: LstmSequenceOptions = {},
): tf.Tensor2D | tf.Tensor3D {
  const returnSequences = options.returnSequences ?? false;
  const activation = options.recurrentActivation ?? 'sigmoid';
  if (activation !== 'sigmoid' && activation !== 'hardSigmoid') {
    throw new UnsupportedConfigError(
      `recurrentActivation must be 'sigmoid' or 'hardSigmoid', got '${String(activation)}'`,
    );
  }
  const backendName = tf.getBackend();
  if (!(LSTM_BACKENDS as readonly string[]).includes(backendName)) {
    throw new BackendError(
      `lstmSequence runs on the ${LSTM_BACKENDS.join(' or ')} backend, not '${backendName}'`,
    );
  }
  if (x.rank !== 3)
    throw new UnsupportedConfigError(`x must be [batch, time, features], got shape [${x.shape}]`);
  const [B, T, D] = x.shape;
  const H = recurrentKernel.shape[0];
  if (
    kernel.shape[0] !== D ||
    kernel.shape[1] !== 4 * H ||
    recurrentKernel.shape[1] !== 4 * H ||
    bias.shape[0] !== 4 * H
  ) {
    throw new UnsupportedConfigError(
      `inconsistent LSTM shapes: x [${x.shape}], kernel [${kernel.shape}], recurrentKernel [${recurrentKernel.shape}], bias [${bias.shape}]`,
    );
  }
  registerLstmKernels();
  const attrs = { timeSteps: T, recurrentActivation: activation === 'hardSigmoid' ? 1 : 0 };

  const forward = (
    xi: tf.Tensor3D,
    w: tf.Tensor2D,
    u: tf.Tensor2D,
    bi: tf.Tensor1D,
    save: tf.GradSaveFunc,
  ) => {
    const xtm = tf.reshape(tf.transpose(xi, [1, 0, 2]), [T * B, D]);
    const xProj = tf.add(tf.matMul(xtm, w), bi);
    const [hSeq, cSeq, gates] = tf
      .engine()
      .runKernel(LSTM_FORWARD, { xProj, recurrentKernel: u }, attrs) as tf.Tensor2D[];
    save([xtm, w, u, hSeq as tf.Tensor, cSeq as tf.Tensor, gates as tf.Tensor]);
    return returnSequences
      ? tf.transpose(tf.reshape(hSeq as tf.Tensor2D, [T, B, H]), [1, 0, 2])
      : tf.slice(hSeq as tf.Tensor2D, [(T - 1) * B, 0], [B, H]);
  };
  // The BPTT kernel runs once (dZ, db); dx, dW and dU are computed only for inputs that need a gradient
  // (a first layer's input x does not: that skips one [T·B, 4H]·[4H, D] matMul per step).
  const backward = (dy: tf.Tensor, saved: tf.Tensor[]): LazyGradients => {
    const [sx, sw, su, sh, sc, sg] = saved as tf.Tensor2D[];
    const dh = returnSequences ? tf.reshape(tf.transpose(dy, [1, 0, 2]), [T * B, H]) : dy;
    const ut = tf.transpose(su as tf.Tensor2D);
    const [dZ, db] = tf
      .engine()
      .runKernel(
        LSTM_BACKWARD,
        { dh, gates: sg as tf.Tensor, cSeq: sc as tf.Tensor, recurrentKernelT: ut },
        attrs,
      ) as [tf.Tensor2D, tf.Tensor1D];
    // dW = xᵀ·dZ and dU = Σ_t h[t-1]ᵀ·dz[t] (h[-1] = 0) as one matMul [x | h_prev]ᵀ·dZ: dZ is packed
    // once and the product has D + H rows. Computed here rather than in the closures: a training step
    // always needs both (intermediates die with the engine's backward tidy).
    const dWU =
      T > 1
        ? tf.matMul(
            tf.concat(
              [
                sx as tf.Tensor2D,
                tf.concat([tf.zeros([B, H]), tf.slice(sh as tf.Tensor2D, [0, 0], [(T - 1) * B, H])], 0),
              ],
              1,
            ),
            dZ,
            true,
            false,
          )
        : undefined;
    return [
      () => tf.transpose(tf.reshape(tf.matMul(dZ, sw as tf.Tensor2D, false, true), [T, B, D]), [1, 0, 2]),
      () => (dWU ? tf.slice(dWU, [0, 0], [D, 4 * H]) : tf.matMul(sx as tf.Tensor2D, dZ, true, false)),
      () => (dWU ? tf.slice(dWU, [D, 0], [H, 4 * H]) : tf.zeros([H, 4 * H])),
      () => db,
    ];
  };
  return runWithLazyGradients(
    (inputs, save) => forward(...(inputs as [tf.Tensor3D, tf.Tensor2D, tf.Tensor2D, tf.Tensor1D]), save),
    backward,
    [x, kernel, recurrentKernel, bias],
  ) as tf.Tensor2D | tf.Tensor3D;
}
