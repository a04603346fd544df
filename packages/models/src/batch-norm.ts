import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

/** Arguments of {@link ChannelBatchNorm}. */
export interface ChannelBatchNormArgs {
  name: string;
  /** Moving-average momentum of the inference statistics, in [0, 1); default 0.99 (Keras). */
  momentum?: number;
  /** Variance guard, > 0; default 1e-3 (Keras). */
  epsilon?: number;
}

/**
 * Batch normalisation over the last (channel) axis, as `tf.layers.batchNormalization({ axis: -1 })`:
 * training normalises with the batch's mean and (biased) variance and updates the moving statistics;
 * inference uses the moving statistics. Same weights (`gamma`, `beta`, `moving_mean`, `moving_variance`)
 * and serialised as the stock `BatchNormalization` layer, so saved models load in plain tfjs.
 * It exists because the stock layer's gradient tiles every statistic to the input's full shape, and the
 * wasm backend's `Tile` is a naive loop (≈ 150 ms of a 260 ms step of `cnn-robust`); here the batch
 * statistics come from `tf.moments` and broadcasting ops, whose gradients are reductions.
 */
export class ChannelBatchNorm extends tfl.layers.Layer {
  /** Serialised class name: the stock layer's. */
  static readonly className = 'BatchNormalization';
  readonly momentum: number;
  readonly epsilon: number;
  private gamma: tfl.LayerVariable | null = null;
  private beta: tfl.LayerVariable | null = null;
  private movingMean: tfl.LayerVariable | null = null;
  private movingVariance: tfl.LayerVariable | null = null;

  constructor(args: ChannelBatchNormArgs) {
    super({ name: args.name });
    this.momentum = args.momentum ?? 0.99;
    this.epsilon = args.epsilon ?? 1e-3;
  }

  override build(inputShape: tfl.Shape | tfl.Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tfl.Shape;
    const c = shape.at(-1) as number;
    const ones = tfl.initializers.ones();
    const zeros = tfl.initializers.zeros();
    this.gamma = this.addWeight('gamma', [c], 'float32', ones);
    this.beta = this.addWeight('beta', [c], 'float32', zeros);
    this.movingMean = this.addWeight('moving_mean', [c], 'float32', zeros, undefined, false);
    this.movingVariance = this.addWeight('moving_variance', [c], 'float32', ones, undefined, false);
    this.built = true;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: { training?: boolean }): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0]! : inputs;
    const gamma = this.gamma!.read();
    const beta = this.beta!.read();
    if (!kwargs?.training) {
      return tf.tidy(() => {
        const scale = tf.mul(gamma, tf.rsqrt(tf.add(this.movingVariance!.read(), this.epsilon)));
        return tf.add(tf.mul(tf.sub(x, this.movingMean!.read()), scale), beta);
      });
    }
    const axes = Array.from({ length: x.rank - 1 }, (_, i) => i);
    const { mean, variance } = tf.moments(x, axes);
    const m = this.momentum;
    tf.tidy(() => {
      const mm = this.movingMean!.read();
      const mv = this.movingVariance!.read();
      this.movingMean!.write(tf.add(tf.mul(mm, m), tf.mul(mean, 1 - m)));
      this.movingVariance!.write(tf.add(tf.mul(mv, m), tf.mul(variance, 1 - m)));
    });
    const scale = tf.mul(gamma, tf.rsqrt(tf.add(variance, this.epsilon)));
    return tf.add(tf.mul(tf.sub(x, mean), scale), beta);
  }

  override getConfig(): tf.serialization.ConfigDict {
    return {
      ...super.getConfig(),
      axis: -1,
      momentum: this.momentum,
      epsilon: this.epsilon,
      center: true,
      scale: true,
      betaInitializer: { className: 'Zeros', config: {} },
      gammaInitializer: { className: 'Ones', config: {} },
      movingMeanInitializer: { className: 'Zeros', config: {} },
      movingVarianceInitializer: { className: 'Ones', config: {} },
      betaRegularizer: null,
      gammaRegularizer: null,
      betaConstraint: null,
      gammaConstraint: null,
    };
  }
}
