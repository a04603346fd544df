import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { ModelError } from './errors.js';
import type { FeatureData } from './features.js';
import { toInputTensor, validateFeatures } from './features.js';
import type { InputLayout } from './presets.js';

/** Precision, recall and F1 of one class (0 where undefined, e.g. no predictions of the class). */
export interface ClassMetrics {
  label: string;
  precision: number;
  recall: number;
  f1: number;
  /** Number of true samples of the class. */
  support: number;
}

/** Classification metrics on a labelled set. */
export interface Evaluation {
  /** Number of samples. */
  n: number;
  /** Fraction correct, in [0, 1]. */
  accuracy: number;
  /** Mean categorical cross-entropy (nats), probabilities clipped to [1e-7, 1 − 1e-7] as Keras. */
  loss: number;
  /** Per class, in label order. */
  perClass: ClassMetrics[];
  /** Unweighted mean of the per-class F1 over the classes present in the data (support > 0). */
  macroF1: number;
  /** confusion[true][predicted] counts. */
  confusion: number[][];
  labels: readonly string[];
  /** The tfjs backend that computed the predictions (absent from {@link metricsFromProbabilities}). */
  backend?: string;
}

/** Clip used by {@link crossEntropy} and the metrics (Keras' epsilon). */
export const PROBABILITY_EPSILON = 1e-7;

/** Mean categorical cross-entropy of softmax probabilities `p` [b, c] against class ids `y` [b]. */
export function crossEntropy(p: tf.Tensor, y: tf.Tensor1D, nClasses: number): tf.Scalar {
  return tf.tidy(() => {
    const oneHot = tf.oneHot(y, nClasses);
    const logp = tf.log(tf.clipByValue(p, PROBABILITY_EPSILON, 1 - PROBABILITY_EPSILON));
    return tf.neg(tf.mean(tf.sum(tf.mul(oneHot, logp), -1))) as tf.Scalar;
  });
}

/** The input layout a built model expects, from the rank of its input (4: LeNet image, 3: LSTM sequence). */
export function layoutOfModel(model: tfl.LayersModel): InputLayout {
  return model.inputs[0]!.shape.length === 4 ? 'mels-frames-channel' : 'frames-mels';
}

/**
 * Class probabilities for every sample, batched, without leaking tensors.
 *
 * @param layout Input layout of the model; default inferred with {@link layoutOfModel}.
 * @param batchSize Samples per forward pass, integer ≥ 1; default 128.
 * @returns Row-major [n][nClasses] probabilities.
 */
export function predictProbabilities(
  model: tfl.LayersModel,
  data: Pick<FeatureData, 'x' | 'nFrames' | 'nMels'>,
  layout: InputLayout = layoutOfModel(model),
  batchSize = 128,
): Float32Array {
  const per = data.nFrames * data.nMels;
  const n = data.x.length / per;
  const nClasses = model.outputs[0]!.shape.at(-1) as number;
  const out = new Float32Array(n * nClasses);
  for (let start = 0; start < n; start += batchSize) {
    const idx = Array.from({ length: Math.min(batchSize, n - start) }, (_, k) => start + k);
    const p = tf.tidy(() => {
      const xb = toInputTensor(data.x, data.nFrames, data.nMels, idx, layout);
      return model.predict(xb) as tf.Tensor;
    });
    out.set(p.dataSync(), start * nClasses);
    p.dispose();
  }
  return out;
}

/**
 * Accuracy, loss, per-class precision/recall/F1 and the confusion matrix from probabilities.
 *
 * @param probs Row-major [n][labels.length] probabilities.
 */
export function metricsFromProbabilities(
  probs: Float32Array,
  y: Int32Array,
  labels: readonly string[],
): Evaluation {
  const c = labels.length;
  const n = y.length;
  if (probs.length !== n * c)
    throw new ModelError(`probs has ${probs.length} values; expected n·classes = ${n * c}`);
  const confusion = Array.from({ length: c }, () => new Array<number>(c).fill(0));
  let correct = 0;
  let loss = 0;
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let k = 1; k < c; k++) if (probs[i * c + k]! > probs[i * c + best]!) best = k;
    const t = y[i]!;
    confusion[t]![best]!++;
    if (best === t) correct++;
    const p = Math.min(Math.max(probs[i * c + t]!, PROBABILITY_EPSILON), 1 - PROBABILITY_EPSILON);
    loss -= Math.log(p);
  }
  const perClass: ClassMetrics[] = labels.map((label, k) => {
    const tp = confusion[k]![k]!;
    const support = confusion[k]!.reduce((a, b) => a + b, 0);
    const predicted = confusion.reduce((a, row) => a + row[k]!, 0);
    const precision = predicted ? tp / predicted : 0;
    const recall = support ? tp / support : 0;
    const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
    return { label, precision, recall, f1, support };
  });
  const present = perClass.filter((m) => m.support > 0);
  return {
    n,
    accuracy: n ? correct / n : 0,
    loss: n ? loss / n : 0,
    perClass,
    macroF1: present.length ? present.reduce((a, m) => a + m.f1, 0) / present.length : 0,
    confusion,
    labels,
  };
}

/**
 * Evaluates a model on a labelled feature set.
 *
 * @throws {DataError} when the data's shape is inconsistent; {@link ModelError} when the model's
 * class count differs from `data.labels.length`.
 */
export function evaluate(
  model: tfl.LayersModel,
  data: FeatureData,
  options: { batchSize?: number; layout?: InputLayout } = {},
): Evaluation {
  validateFeatures(data, 'data');
  const nClasses = model.outputs[0]!.shape.at(-1);
  if (nClasses !== data.labels.length) {
    throw new ModelError(`model has ${nClasses} outputs but data has ${data.labels.length} labels`);
  }
  const probs = predictProbabilities(
    model,
    data,
    options.layout ?? layoutOfModel(model),
    options.batchSize ?? 128,
  );
  return { ...metricsFromProbabilities(probs, data.y, data.labels), backend: tf.getBackend() };
}
