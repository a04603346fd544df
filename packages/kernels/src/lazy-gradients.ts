/** Internal: a differentiable op whose input gradients are computed only when the engine asks for them. */
import * as tf from '@tensorflow/tfjs-core';

/** Gradient closures, one per input, called only for inputs on the path to the differentiated variables. */
export type LazyGradients = (() => tf.Tensor)[];

interface EngineKernelFunc {
  runKernelFunc?(args: {
    forwardFunc: (backend: unknown, save: tf.GradSaveFunc) => tf.Tensor;
    backwardsFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => Record<string, () => tf.Tensor>;
    inputs: Record<string, tf.Tensor>;
  }): tf.Tensor;
}

/**
 * Like `tf.customGrad`, but the gradient of each input is a closure the engine calls only when that input
 * needs a gradient (tfjs prunes inputs that do not depend on the variables). Uses the engine's
 * `runKernelFunc` (what `customGrad` itself calls, internal in tfjs-core 4.22's typings); without it,
 * falls back to `tf.customGrad`, evaluating every closure.
 *
 * @param forward - Computes the output from `inputs`; `save` keeps tensors for `backward`.
 * @param backward - Returns one gradient closure per input, given the output's gradient and the saved tensors.
 * @param inputs - The op's inputs, in the order `backward`'s closures follow.
 */
export function runWithLazyGradients(
  forward: (inputs: tf.Tensor[], save: tf.GradSaveFunc) => tf.Tensor,
  backward: (dy: tf.Tensor, saved: tf.Tensor[]) => LazyGradients,
  inputs: tf.Tensor[],
): tf.Tensor {
  const engine = tf.engine() as unknown as EngineKernelFunc;
  if (typeof engine.runKernelFunc === 'function') {
    return engine.runKernelFunc({
      forwardFunc: (_backend, save) => forward(inputs, save),
      backwardsFunc: (dy, saved) => Object.fromEntries(backward(dy, saved).map((g, i) => [String(i), g])),
      inputs: Object.fromEntries(inputs.map((t, i) => [String(i), t])),
    });
  }
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const save = args[inputs.length] as tf.GradSaveFunc;
    return {
      value: forward(args.slice(0, inputs.length) as tf.Tensor[], save),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => backward(dy, saved).map((g) => g()),
    };
  });
  return op(...inputs);
}
