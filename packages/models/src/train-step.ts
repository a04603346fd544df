import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { crossEntropy, PROBABILITY_EPSILON } from './evaluate.js';
import { toInputTensor } from './features.js';
import type { InputLayout } from './presets.js';

/** Loss and number of correct predictions of one training batch. */
export interface StepResult {
  loss: number;
  correct: number;
}

/** Mixup targets of a batch: per sample a second label `y2` and the weight `lambda` of the first. */
export interface MixTargets {
  /** [b] partner labels. */
  y2: Int32Array;
  /** [b] weights in [0, 1] of the first label (1 − λ goes to `y2`). */
  lambda: Float32Array;
}

/**
 * One optimizer step on the samples `idx` of frame-major features `x` with labels `y`; with `mix`
 * (which then has one entry per element of `idx`) the loss is λ·CE(y) + (1 − λ)·CE(y2) per sample.
 */
export type TrainStep = (
  x: Float32Array,
  y: Int32Array,
  idx: ArrayLike<number>,
  mix?: MixTargets,
) => StepResult;

/** Categorical cross-entropy against mixed one-hot targets λ·onehot(y) + (1 − λ)·onehot(y2). */
function mixedCrossEntropy(p: tf.Tensor, y: tf.Tensor1D, mix: MixTargets, nClasses: number): tf.Scalar {
  return tf.tidy(() => {
    const lam = tf.tensor2d(mix.lambda, [mix.lambda.length, 1]);
    const target = tf.add(
      tf.mul(tf.oneHot(y, nClasses), lam),
      tf.mul(tf.oneHot(tf.tensor1d(mix.y2, 'int32'), nClasses), tf.sub(1, lam)),
    );
    const logp = tf.log(tf.clipByValue(p, PROBABILITY_EPSILON, 1 - PROBABILITY_EPSILON));
    return tf.neg(tf.mean(tf.sum(tf.mul(target, logp), -1))) as tf.Scalar;
  });
}

/**
 * Makes the training step shared by `train` and `benchmarkTraining`: forward in training mode,
 * categorical cross-entropy, gradients of all trainable weights, one optimizer update. Every
 * intermediate tensor is freed before it returns.
 */
export function makeTrainStep(
  net: tfl.LayersModel,
  optimizer: tf.Optimizer,
  layout: InputLayout,
  nFrames: number,
  nMels: number,
): TrainStep {
  const vars = net.trainableWeights.map((w) => w.read() as tf.Variable);
  const nClasses = net.outputs[0]!.shape.at(-1) as number;
  return (x, y, idx, mix) => {
    const yb = new Int32Array(idx.length);
    for (let k = 0; k < idx.length; k++) yb[k] = y[idx[k]!]!;
    let correctT: tf.Tensor | undefined;
    const loss = tf.tidy(() => {
      const xT = toInputTensor(x, nFrames, nMels, idx, layout);
      const yT = tf.tensor1d(yb, 'int32');
      const cost = optimizer.minimize(
        () => {
          const p = net.apply(xT, { training: true }) as tf.Tensor;
          correctT = tf.keep(tf.sum(tf.cast(tf.equal(tf.argMax(p, -1), yT), 'int32')));
          return mix ? mixedCrossEntropy(p, yT, mix, nClasses) : crossEntropy(p, yT, nClasses);
        },
        true,
        vars,
      );
      return cost!.dataSync()[0]!;
    });
    const correct = correctT ? correctT.dataSync()[0]! : 0;
    correctT?.dispose();
    return { loss, correct };
  };
}

/** The gradients of one replica's share of a batch (see {@link makeGradientStep}). */
export interface GradientResult {
  /** This share's contribution to the batch-mean loss: mean loss over the share × share / batch. */
  loss: number;
  /** Correct predictions in the share. */
  correct: number;
  /** Gradients of `loss` for every trainable weight, in `net.trainableWeights` order (caller disposes). */
  grads: tf.Tensor[];
}

/**
 * Computes the gradients of a replica's share of a batch: samples `idx` of a batch of `batchSize`
 * samples (with `mix`, one entry per element of `idx`: the mixup targets of those samples). The share's mean loss is scaled by `idx.length / batchSize`, so the replicas' gradients sum
 * to the gradient of the full batch's mean loss. Nothing is applied; only the returned gradients
 * survive.
 */
export function makeGradientStep(
  net: tfl.LayersModel,
  layout: InputLayout,
  nFrames: number,
  nMels: number,
): (
  x: Float32Array,
  y: Int32Array,
  idx: ArrayLike<number>,
  batchSize: number,
  mix?: MixTargets,
) => GradientResult {
  const vars = net.trainableWeights.map((w) => w.read() as tf.Variable);
  const nClasses = net.outputs[0]!.shape.at(-1) as number;
  return (x, y, idx, batchSize, mix) => {
    const yb = new Int32Array(idx.length);
    for (let k = 0; k < idx.length; k++) yb[k] = y[idx[k]!]!;
    let correctT: tf.Tensor | undefined;
    let grads: tf.Tensor[] = [];
    const loss = tf.tidy(() => {
      const xT = toInputTensor(x, nFrames, nMels, idx, layout);
      const yT = tf.tensor1d(yb, 'int32');
      const { value, grads: g } = tf.variableGrads(() => {
        const p = net.apply(xT, { training: true }) as tf.Tensor;
        correctT = tf.keep(tf.sum(tf.cast(tf.equal(tf.argMax(p, -1), yT), 'int32')));
        const ce = mix ? mixedCrossEntropy(p, yT, mix, nClasses) : crossEntropy(p, yT, nClasses);
        return tf.mul(ce, tf.scalar(idx.length / batchSize)) as tf.Scalar;
      }, vars);
      grads = vars.map((v) => tf.keep(g[v.name]!));
      return value.dataSync()[0]!;
    });
    const correct = correctT ? correctT.dataSync()[0]! : 0;
    correctT?.dispose();
    return { loss, correct, grads };
  };
}
