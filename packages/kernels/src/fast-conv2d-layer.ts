import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { conv2dBiasRelu } from './conv2d-bias-relu.js';
import { UnsupportedConfigError } from './errors.js';

type Initializer = ReturnType<typeof tfl.initializers.zeros>;
type LayerArgs = NonNullable<ConstructorParameters<typeof tfl.layers.Layer>[0]>;
type LayerVariable = ReturnType<tfl.layers.Layer['addWeight']>;

/** Arguments of {@link FastConv2D}: the subset of `tf.layers.conv2d`'s that LeNet uses. */
export interface FastConv2DArgs extends LayerArgs {
  /** Output channels (positive integer). */
  filters: number;
  /** [height, width] or one size for both (positive integers). */
  kernelSize: number | [number, number];
  /** [height, width] or one stride for both (positive integers); default 1. */
  strides?: number | [number, number];
  /** `'relu'` (default) or `'linear'`. */
  activation?: 'relu' | 'linear';
  /** Initializer of `kernel` [kh, kw, inChannels, filters]; default glorotNormal (as tf.layers.conv2d). */
  kernelInitializer?: Initializer;
  /** Initializer of `bias` [filters]; default zeros. */
  biasInitializer?: Initializer;
}

const pair = (v: number | [number, number]): [number, number] => (Array.isArray(v) ? v : [v, v]);

/**
 * A `tf.layers.conv2d` with `padding: 'valid'`, channels last, no dilation, a bias and a ReLU (or linear)
 * activation, computed by {@link conv2dBiasRelu} (one fused SIMD kernel forward, one fused pass for the
 * ReLU and bias gradients backward on the wasm backend). Same weights as the stock layer (`<name>/kernel`
 * [kh, kw, ci, co], `<name>/bias` [co]) and serialised as class `Conv2D` with the stock layer's config,
 * so saved models load in plain tfjs.
 */
export class FastConv2D extends tfl.layers.Layer {
  /** Serialised class name: the stock layer's. */
  static readonly className = 'Conv2D';
  /** Output channels. */
  readonly filters: number;
  /** [height, width]. */
  readonly kernelSize: [number, number];
  /** [height, width]. */
  readonly strides: [number, number];
  /** The activation after the bias. */
  readonly activation: 'relu' | 'linear';
  private readonly kernelInit: Initializer;
  private readonly biasInit: Initializer;
  private readonly reference: tfl.layers.Layer;
  private kernel: LayerVariable | null = null;
  private bias: LayerVariable | null = null;

  /**
   * @param args - See {@link FastConv2DArgs}.
   * @throws {@link UnsupportedConfigError} for non-positive sizes or another activation.
   */
  constructor(args: FastConv2DArgs) {
    super(args);
    this.filters = args.filters;
    this.kernelSize = pair(args.kernelSize);
    this.strides = pair(args.strides ?? 1);
    this.activation = args.activation ?? 'relu';
    if (![this.filters, ...this.kernelSize, ...this.strides].every((v) => Number.isInteger(v) && v >= 1))
      throw new UnsupportedConfigError(
        `filters, kernelSize and strides must be positive integers; got ${this.filters}, [${this.kernelSize}], [${this.strides}]`,
      );
    if (this.activation !== 'relu' && this.activation !== 'linear')
      throw new UnsupportedConfigError(
        `activation must be 'relu' or 'linear', got '${String(args.activation)}'`,
      );
    this.kernelInit = args.kernelInitializer ?? tfl.initializers.glorotNormal({});
    this.biasInit = args.biasInitializer ?? tfl.initializers.zeros();
    // A stock layer with the same arguments, never built: the source of getConfig().
    this.reference = tfl.layers.conv2d({
      filters: this.filters,
      kernelSize: this.kernelSize,
      strides: this.strides,
      padding: 'valid',
      dataFormat: 'channelsLast',
      activation: this.activation,
      useBias: true,
      kernelInitializer: this.kernelInit,
      biasInitializer: this.biasInit,
    });
  }

  override build(inputShape: tfl.Shape | tfl.Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tfl.Shape;
    const ci = shape[3];
    if (shape.length !== 4 || typeof ci !== 'number')
      throw new UnsupportedConfigError(`FastConv2D needs [batch, h, w, channels] input, got [${shape}]`);
    this.kernel = this.addWeight(
      'kernel',
      [...this.kernelSize, ci, this.filters],
      'float32',
      this.kernelInit,
    );
    this.bias = this.addWeight('bias', [this.filters], 'float32', this.biasInit);
    this.built = true;
  }

  override computeOutputShape(inputShape: tfl.Shape | tfl.Shape[]): tfl.Shape {
    const s = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tfl.Shape;
    const out = (n: number | null | undefined, k: number, st: number) =>
      typeof n === 'number' ? Math.floor((n - k) / st) + 1 : null;
    return [
      s[0] ?? null,
      out(s[1], this.kernelSize[0], this.strides[0]),
      out(s[2], this.kernelSize[1], this.strides[1]),
      this.filters,
    ];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor4D;
      if (this.kernel === null || this.bias === null)
        throw new UnsupportedConfigError('FastConv2D called before build');
      return conv2dBiasRelu(x, this.kernel.read() as tf.Tensor4D, this.bias.read() as tf.Tensor1D, {
        strides: this.strides,
        relu: this.activation === 'relu',
      });
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    const base = super.getConfig();
    return { ...this.reference.getConfig(), ...base };
  }
}
