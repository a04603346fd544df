import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { StoredTensor } from './checkpoint.js';

/** A non-trainable variable holding a copy of `t`. */
function variableOf(t: tf.Tensor): tf.Variable {
  return tf.tidy(() => tf.variable(tf.add(t, 0), false));
}

/**
 * Dense weight averaging (SWAD-style): the running mean of a model's weights over the training steps it is
 * given, kept in variables of its own. `train({ averageWeightsFrom })` calls {@link accumulate} after every
 * step from that epoch on, saves {@link tensors} and {@link steps} in the checkpoint, and ends with
 * {@link applyTo}.
 */
export class WeightAverage {
  #mean: tf.Variable[] | undefined;
  #steps = 0;

  /** Steps averaged so far (0: nothing yet). */
  get steps(): number {
    return this.#steps;
  }

  /** The mean weights, in the model's weight order (empty before the first step). */
  get tensors(): readonly tf.Tensor[] {
    return this.#mean ?? [];
  }

  /** Adds the model's current weights to the mean: m ← m + (w − m) / n. */
  accumulate(net: tfl.LayersModel): void {
    this.#steps++;
    const ws = net.getWeights();
    if (!this.#mean) {
      this.#mean = ws.map((w) => variableOf(w));
      return;
    }
    const n = this.#steps;
    tf.tidy(() => {
      this.#mean!.forEach((a, i) => {
        a.assign(tf.add(a, tf.div(tf.sub(ws[i]!, a), n)));
      });
    });
  }

  /** Continues a mean of `steps` steps saved in a checkpoint. */
  restore(stored: readonly StoredTensor[], steps: number): void {
    this.dispose();
    this.#mean = stored.map((t) => {
      const v = tf.tensor(t.data, t.shape, t.dtype);
      const out = variableOf(v);
      v.dispose();
      return out;
    });
    this.#steps = steps;
  }

  /** Puts the mean into `net` (when there is one) and frees it. @returns whether the weights changed. */
  applyTo(net: tfl.LayersModel): boolean {
    if (!this.#mean) return false;
    net.setWeights(this.#mean);
    this.dispose();
    return true;
  }

  /** Frees the mean's variables. Idempotent. */
  dispose(): void {
    for (const a of this.#mean ?? []) a.dispose();
    this.#mean = undefined;
  }
}
