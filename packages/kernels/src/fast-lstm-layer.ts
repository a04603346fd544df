import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { UnsupportedConfigError } from './errors.js';
import { lstmSequence, type RecurrentActivation } from './lstm-sequence.js';

/** A tfjs-layers initializer instance, or the name of a built-in one. */
export type InitializerLike =
  | ReturnType<typeof tfl.initializers.zeros>
  | 'glorotUniform'
  | 'glorotNormal'
  | 'zeros'
  | 'orthogonal';

type Initializer = ReturnType<typeof tfl.initializers.zeros>;
type LayerArgs = NonNullable<ConstructorParameters<typeof tfl.layers.Layer>[0]>;
type LayerVariable = ReturnType<tfl.layers.Layer['addWeight']>;

/** Arguments of {@link FastLSTM} (the subset of `tf.layers.lstm`'s that it implements). */
export interface FastLSTMArgs extends LayerArgs {
  /** Hidden size H (positive integer). */
  units: number;
  /** Output every step `[B, T, H]` (true) or only the last `[B, H]` (default false). */
  returnSequences?: boolean;
  /** Gate activation; default `'sigmoid'` (tf.layers.lstm's own default is `'hardSigmoid'`). */
  recurrentActivation?: RecurrentActivation;
  /** Default true (as tf.layers.lstm). */
  useBias?: boolean;
  /** Initializer of `kernel` [D, 4H]; default 'glorotUniform'. */
  kernelInitializer?: InitializerLike;
  /** Initializer of `recurrent_kernel` [H, 4H]; default 'orthogonal' (as tf.layers.lstm). */
  recurrentInitializer?: InitializerLike;
  /** Initializer of `bias` [4H]; default 'zeros'. */
  biasInitializer?: InitializerLike;
  /** Forget-gate bias initialized to 1 (default true, as tf.layers.lstm). */
  unitForgetBias?: boolean;
}

function toInit(i: InitializerLike | undefined, fallback: InitializerLike): Initializer {
  const v = i ?? fallback;
  if (typeof v !== 'string') return v;
  switch (v) {
    case 'glorotUniform':
      return tfl.initializers.glorotUniform({});
    case 'glorotNormal':
      return tfl.initializers.glorotNormal({});
    case 'zeros':
      return tfl.initializers.zeros();
    case 'orthogonal':
      return tfl.initializers.orthogonal({});
    default:
      throw new UnsupportedConfigError(`unknown initializer '${String(v)}'`);
  }
}

/**
 * Drop-in replacement for `tf.layers.lstm` that runs the whole sequence as one {@link lstmSequence}
 * op (tanh activation, zero initial state, no dropout/state/masking/goBackwards).
 *
 * Its weights are those of `tf.layers.lstm` in name, shape and order (`<name>/kernel` [D, 4H],
 * `<name>/recurrent_kernel` [H, 4H], `<name>/bias` [4H], gate order i, f, c, o), and it serialises
 * as class `LSTM` with `tf.layers.lstm`'s config, so a model trained with it saves and loads in plain
 * TensorFlow.js (as a stock LSTM with the same `recurrentActivation`).
 * It is deliberately not registered with `serialization.registerClass` (that would shadow the
 * stock LSTM when loading).
 */
export class FastLSTM extends tfl.layers.Layer {
  /** Serialised class name: the stock layer's, so saved models load without this package. */
  static readonly className = 'LSTM';
  /** Hidden size H. */
  readonly units: number;
  /** Whether every step is returned. */
  readonly returnSequences: boolean;
  /** Gate activation. */
  readonly recurrentActivation: RecurrentActivation;
  /** Whether the layer has a bias. */
  readonly useBias: boolean;
  private readonly kernelInit: Initializer;
  private readonly recurrentInit: Initializer;
  private readonly biasInit: Initializer;
  private readonly unitForgetBias: boolean;
  private readonly reference: tfl.layers.Layer;
  private kernel: LayerVariable | null = null;
  private recurrentKernel: LayerVariable | null = null;
  private bias: LayerVariable | null = null;

  /**
   * @param args - See {@link FastLSTMArgs}.
   * @throws {@link UnsupportedConfigError} for a non-positive or non-integer `units`.
   */
  constructor(args: FastLSTMArgs) {
    super(args);
    if (!Number.isInteger(args.units) || args.units < 1) {
      throw new UnsupportedConfigError(`units must be a positive integer, got ${args.units}`);
    }
    this.units = args.units;
    this.returnSequences = args.returnSequences ?? false;
    this.recurrentActivation = args.recurrentActivation ?? 'sigmoid';
    this.useBias = args.useBias ?? true;
    this.unitForgetBias = args.unitForgetBias ?? true;
    this.kernelInit = toInit(args.kernelInitializer, 'glorotUniform');
    this.recurrentInit = toInit(args.recurrentInitializer, 'orthogonal');
    this.biasInit = toInit(args.biasInitializer, 'zeros');
    this.supportsMasking = false;
    // A stock layer with the same arguments, never built: the source of getConfig().
    this.reference = tfl.layers.lstm({
      units: this.units,
      returnSequences: this.returnSequences,
      recurrentActivation: this.recurrentActivation,
      useBias: this.useBias,
      unitForgetBias: this.unitForgetBias,
      kernelInitializer: this.kernelInit,
      recurrentInitializer: this.recurrentInit,
      biasInitializer: this.biasInit,
    });
  }

  override build(inputShape: tfl.Shape | tfl.Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tfl.Shape;
    const d = shape[shape.length - 1];
    if (typeof d !== 'number') throw new UnsupportedConfigError('FastLSTM needs a known feature size');
    const h = this.units;
    this.kernel = this.addWeight('kernel', [d, 4 * h], 'float32', this.kernelInit);
    this.recurrentKernel = this.addWeight('recurrent_kernel', [h, 4 * h], 'float32', this.recurrentInit);
    if (this.useBias) {
      this.bias = this.addWeight(
        'bias',
        [4 * h],
        'float32',
        this.unitForgetBias ? forgetBiasInit(this.biasInit, h) : this.biasInit,
      );
    }
    this.built = true;
  }

  override computeOutputShape(inputShape: tfl.Shape | tfl.Shape[]): tfl.Shape {
    const s = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tfl.Shape;
    return this.returnSequences ? [s[0] ?? null, s[1] ?? null, this.units] : [s[0] ?? null, this.units];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor3D;
      if (this.kernel === null || this.recurrentKernel === null)
        throw new UnsupportedConfigError('FastLSTM called before build');
      const b = this.bias !== null ? (this.bias.read() as tf.Tensor1D) : tf.zeros([4 * this.units]);
      return lstmSequence(
        x,
        this.kernel.read() as tf.Tensor2D,
        this.recurrentKernel.read() as tf.Tensor2D,
        b as tf.Tensor1D,
        {
          returnSequences: this.returnSequences,
          recurrentActivation: this.recurrentActivation,
        },
      );
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    const base = super.getConfig();
    return { ...this.reference.getConfig(), ...base };
  }
}

const InitializerBase = Object.getPrototypeOf(
  tfl.initializers.zeros().constructor,
) as abstract new () => Initializer;

/** tf.layers.lstm's unit-forget-bias initializer: [init(H), ones(H), init(2H)]. */
function forgetBiasInit(init: Initializer, h: number): Initializer {
  class ForgetBias extends InitializerBase {
    static className = 'ForgetBias';
    override apply(): tf.Tensor {
      return tf.tidy(() => tf.concat([init.apply([h]), tf.ones([h]), init.apply([2 * h])]));
    }
    override getConfig(): tf.serialization.ConfigDict {
      return {};
    }
  }
  return new ForgetBias();
}
