import * as tf from '@tensorflow/tfjs-core';
import { DataError } from './errors.js';
import type { InputLayout } from './presets.js';

/**
 * Labelled log-mel features, structurally compatible with `@timbre/dataset`'s `FeatureSet`
 * (which has `ids` too). `x` is FRAME-MAJOR: sample i, frame t, band m at `x[(i·nFrames + t)·nMels + m]`,
 * values normally in [0, 1] (dsp `normalize: 'db-range'`).
 */
export interface FeatureData {
  /** Class names; index = class id. At least 2. */
  readonly labels: readonly string[];
  /** Mel bands per frame, integer ≥ 1. */
  readonly nMels: number;
  /** Frames per sample, integer ≥ 1 (80 for the paper's 1-s clips). */
  readonly nFrames: number;
  /** [n][nFrames][nMels] features. */
  readonly x: Float32Array;
  /** [n] class ids in [0, labels.length). */
  readonly y: Int32Array;
  /** Optional clip ids (not used for training). */
  readonly ids?: readonly string[];
}

/**
 * Checks shapes and label ids; returns the number of samples.
 *
 * @param name Used in the error message (e.g. 'train', 'test').
 * @throws {DataError} naming the field that is inconsistent.
 */
export function validateFeatures(d: FeatureData, name = 'features'): number {
  const { nMels, nFrames } = d;
  if (!Number.isInteger(nMels) || nMels < 1 || !Number.isInteger(nFrames) || nFrames < 1) {
    throw new DataError(
      `${name}.nMels and ${name}.nFrames must be positive integers; got ${nMels}, ${nFrames}`,
    );
  }
  if (d.labels.length < 2)
    throw new DataError(`${name}.labels must have at least 2 classes; got ${d.labels.length}`);
  const per = nMels * nFrames;
  if (d.x.length % per !== 0) {
    throw new DataError(`${name}.x length ${d.x.length} is not a multiple of nFrames·nMels = ${per}`);
  }
  const n = d.x.length / per;
  if (d.y.length !== n) throw new DataError(`${name}.y has ${d.y.length} labels for ${n} samples`);
  for (let i = 0; i < n; i++) {
    const c = d.y[i]!;
    if (c < 0 || c >= d.labels.length) {
      throw new DataError(`${name}.y[${i}] = ${c} is not a class id in [0, ${d.labels.length})`);
    }
  }
  return n;
}

/**
 * Copies frame-major samples into a model-input tensor: [b, nMels, nFrames, 1] for LeNet
 * (the transpose happens here) or [b, nFrames, nMels] for the LSTMs.
 *
 * @param x Frame-major features [n][nFrames][nMels].
 * @param indices Sample indices to take, in order.
 */
export function toInputTensor(
  x: Float32Array,
  nFrames: number,
  nMels: number,
  indices: ArrayLike<number>,
  layout: InputLayout,
): tf.Tensor {
  const b = indices.length;
  const per = nFrames * nMels;
  const out = new Float32Array(b * per);
  for (let k = 0; k < b; k++) {
    const src = indices[k]! * per;
    out.set(x.subarray(src, src + per), k * per);
  }
  const frames = tf.tensor3d(out, [b, nFrames, nMels]);
  if (layout === 'frames-mels') return frames;
  // The backend's transpose (one pass in wasm/native code) instead of a strided JS loop.
  const image = tf.tidy(() => tf.reshape(tf.transpose(frames, [0, 2, 1]), [b, nMels, nFrames, 1]));
  frames.dispose();
  return image;
}

/**
 * Re-labels a feature set onto a model's classes so a set holding only some of them can be evaluated:
 * each sample's label is looked up by name in `labels`. The result has `labels` as its labels.
 *
 * @param labels The model's class names.
 * @throws {DataError} naming the first label of the set (that has samples) the model does not know.
 */
export function alignLabels(d: FeatureData, labels: readonly string[]): FeatureData {
  if (d.labels.length === labels.length && d.labels.every((l, i) => l === labels[i])) return d;
  const used = new Set(d.y);
  const map = d.labels.map((l, k) => {
    const j = labels.indexOf(l);
    if (j < 0 && used.has(k))
      throw new DataError(
        `the data has class '${l}', which the model does not know (model: ${labels.join(', ')})`,
      );
    return j;
  });
  return { ...d, labels: [...labels], y: Int32Array.from(d.y, (k) => map[k]!) };
}
