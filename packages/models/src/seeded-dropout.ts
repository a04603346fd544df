import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { deriveSeed } from '@timbre/dataset';
import { ModelError } from './errors.js';

/** Arguments of {@link SeededDropout}. */
export interface SeededDropoutArgs {
  name: string;
  /** Fraction of units dropped in training, in [0, 1). */
  rate: number;
  /** Base seed of the masks (any integer). */
  seed: number;
}

/**
 * Dropout whose masks are reproducible and different at every training step: the mask of step s is drawn
 * with seed `deriveSeed(seed, s)`, where the trainer sets s with {@link setDropoutStep} (so a resumed run
 * draws the same masks as an uninterrupted one). tfjs' own dropout with a fixed `seed` draws the same mask
 * at every call, and without one draws from `Math.random`. Identity at inference. Serialised as the stock
 * `Dropout` layer, so saved models load in plain tfjs.
 */
export class SeededDropout extends tfl.layers.Layer {
  /** Serialised class name: the stock layer's. */
  static readonly className = 'Dropout';
  readonly rate: number;
  readonly seed: number;
  /** The training step whose mask the next training call draws. */
  step = 0;

  constructor(args: SeededDropoutArgs) {
    super({ name: args.name });
    if (!(args.rate >= 0 && args.rate < 1))
      throw new ModelError(`dropout rate must be in [0, 1), got ${args.rate}`);
    this.rate = args.rate;
    this.seed = args.seed;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: { training?: boolean }): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0]! : inputs;
    if (!kwargs?.training || this.rate === 0) return x.clone();
    return tf.dropout(x, this.rate, undefined, deriveSeed(this.seed, this.step));
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), rate: this.rate, noiseShape: null, seed: null };
  }
}

/** Sets the step of every {@link SeededDropout} layer of a model (call before each training step). */
export function setDropoutStep(model: tfl.LayersModel, step: number): void {
  for (const l of model.layers) if (l instanceof SeededDropout) l.step = step;
}
