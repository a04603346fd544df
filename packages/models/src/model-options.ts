import { checkNumber, checkOneOf as oneOf } from '@timbre/core';
import { invalidOption } from './errors.js';
import type { PresetName } from './presets.js';
import { getPreset } from './presets.js';

/** Activations offered for the LeNet hidden layers. */
export type HiddenActivation = 'relu' | 'tanh' | 'sigmoid' | 'elu';

/** Weight initializers offered (all take the seed). */
export type KernelInitializerName = 'glorotUniform' | 'glorotNormal' | 'heUniform' | 'heNormal';

/** Recurrent-kernel initializers offered for the LSTMs. */
export type RecurrentInitializerName = KernelInitializerName | 'orthogonal';

/** Options of {@link createModel}. Only `preset`, `nMels` and `nClasses` are required. */
export interface ModelOptions {
  /** Network preset. */
  preset: PresetName;
  /** Mel bands of the input, integer in [8, 512]; the paper uses 64 or 128. */
  nMels: number;
  /** Frames (time steps) of the input, integer in [16, 1024]; default 80 (1 s at hop 512, 44.1 kHz). */
  nFrames?: number;
  /** Number of classes of the softmax output, integer in [2, 10000]; the paper has 14. */
  nClasses: number;
  /** Seed of the weight initialisation, any integer; default 0. Same seed and backend → same weights. */
  seed?: number;
  /** LeNet hidden-layer activation (conv and dense); default 'relu'. LSTMs keep tanh/sigmoid gates. */
  activation?: HiddenActivation;
  /** LeNet convolution padding; default 'valid' (as LeNet-5). */
  padding?: 'valid' | 'same';
  /** Initializer of conv, dense and LSTM input kernels; default 'glorotUniform' (Keras default). */
  kernelInitializer?: KernelInitializerName;
  /** Initializer of the LSTM recurrent kernels; default 'orthogonal' (Keras default). */
  recurrentInitializer?: RecurrentInitializerName;
}

/** {@link ModelOptions} with every default filled in. */
export type ResolvedModelOptions = Required<ModelOptions>;

/** The documented defaults of the choices the paper leaves open. */
export const MODEL_DEFAULTS = {
  nFrames: 80,
  seed: 0,
  activation: 'relu',
  padding: 'valid',
  kernelInitializer: 'glorotUniform',
  recurrentInitializer: 'orthogonal',
} as const satisfies Partial<ModelOptions>;

function checkInt(name: string, v: unknown, lo: number, hi: number): number {
  return checkNumber(name, v, { min: lo, max: hi, integer: true }, invalidOption);
}

function checkOneOf<T extends string>(name: string, v: T, allowed: readonly T[]): T {
  return oneOf(name, v, allowed, invalidOption);
}

/**
 * Validates options and fills in {@link MODEL_DEFAULTS}.
 *
 * @throws {ModelError} naming the first invalid option and its valid range.
 */
export function resolveModelOptions(options: ModelOptions): ResolvedModelOptions {
  getPreset(options.preset);
  const r: ResolvedModelOptions = {
    preset: options.preset,
    nMels: checkInt('nMels', options.nMels, 8, 512),
    nFrames: checkInt('nFrames', options.nFrames ?? MODEL_DEFAULTS.nFrames, 16, 1024),
    nClasses: checkInt('nClasses', options.nClasses, 2, 10000),
    seed: checkInt('seed', options.seed ?? MODEL_DEFAULTS.seed, -(2 ** 53), 2 ** 53),
    activation: checkOneOf('activation', options.activation ?? MODEL_DEFAULTS.activation, [
      'relu',
      'tanh',
      'sigmoid',
      'elu',
    ]),
    padding: checkOneOf('padding', options.padding ?? MODEL_DEFAULTS.padding, ['valid', 'same']),
    kernelInitializer: checkOneOf(
      'kernelInitializer',
      options.kernelInitializer ?? MODEL_DEFAULTS.kernelInitializer,
      ['glorotUniform', 'glorotNormal', 'heUniform', 'heNormal'],
    ),
    recurrentInitializer: checkOneOf(
      'recurrentInitializer',
      options.recurrentInitializer ?? MODEL_DEFAULTS.recurrentInitializer,
      ['glorotUniform', 'glorotNormal', 'heUniform', 'heNormal', 'orthogonal'],
    ),
  };
  return r;
}
