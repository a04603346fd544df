import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { FastConv2D, FastLSTM, FusedAdamOptimizer, registerFastKernels } from '@timbre/kernels';
import type { BackendName } from './backend.js';
import { BackendError } from './errors.js';
import type { LstmLayerFactory } from './lstm.js';
import { defaultLstmFactory } from './stock-lstm.js';

/**
 * Which training engine runs on the wasm and cpu backends:
 * - `fast` (default): `@timbre/kernels` — fast re-registered wasm kernels (transposed matMul, conv
 *   gradients, slice, max-pool gradient) and the fused sequence-level LSTM (`FastLSTM`), numerically
 *   equal to stock tfjs within float32 rounding (tested against the cpu backend).
 * - `stock`: plain tfjs kernels and `tf.layers.lstm` (plus `@timbre/kernels`' wasm `Conv2DBackpropFilter`, which the wasm backend lacks).
 * On `tensorflow` (tfjs-node) the stock path is always used: native kernels are already fast.
 */
export type TrainingEngine = 'fast' | 'stock';

let engine: TrainingEngine | undefined;

/** The active engine: set by {@link setTrainingEngine}, else `$TIMBRE_ENGINE`, else `fast`. */
export function trainingEngine(): TrainingEngine {
  if (engine) return engine;
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.[
    'TIMBRE_ENGINE'
  ];
  if (env !== undefined && env !== 'fast' && env !== 'stock')
    throw new BackendError(`TIMBRE_ENGINE must be 'fast' or 'stock', got '${env}'`);
  return env ?? 'fast';
}

/**
 * Chooses the training engine for models built and backends initialised afterwards.
 * @param e `fast` or `stock`.
 */
export function setTrainingEngine(e: TrainingEngine): void {
  if (e !== 'fast' && e !== 'stock')
    throw new BackendError(`engine must be 'fast' or 'stock', got '${String(e)}'`);
  engine = e;
}

/** Registers the fast kernels when the engine is `fast` and the backend is wasm (run on backend selection). */
export function installEngineKernels(backend: BackendName): void {
  if (trainingEngine() === 'fast' && backend === 'wasm') registerFastKernels();
}

/**
 * The LSTM factory used by the presets: `FastLSTM` (same weights and serialisation as
 * `tf.layers.lstm`, sigmoid gates) on wasm/cpu with the fast engine, else {@link defaultLstmFactory}.
 */
export const engineLstmFactory: LstmLayerFactory = (a) => {
  const backend = tf.getBackend();
  if (trainingEngine() !== 'fast' || (backend !== 'wasm' && backend !== 'cpu')) return defaultLstmFactory(a);
  registerFastKernels({ kernels: [] }); // the fused LSTM kernels (also on cpu)
  return new FastLSTM({
    name: a.name,
    units: a.units,
    returnSequences: a.returnSequences,
    ...(a.inputShape ? { inputShape: a.inputShape } : {}),
    kernelInitializer: a.kernelInitializer,
    recurrentInitializer: a.recurrentInitializer,
    recurrentActivation: 'sigmoid',
    unitForgetBias: true,
    biasInitializer: 'zeros',
  });
};

/**
 * The Adam optimizer of a training run: with the `fast` engine on the wasm or cpu backend,
 * `@timbre/kernels`' `FusedAdamOptimizer` (one kernel call per variable instead of ~14 ops, bit-identical
 * weights, same state and checkpoint format); otherwise `tf.train.adam`.
 *
 * @param learningRate - Step size (> 0).
 * @param beta1 - First-moment decay in [0, 1).
 * @param beta2 - Second-moment decay in [0, 1).
 * @param epsilon - Denominator guard (> 0); absent = the backend's epsilon.
 */
export function createAdam(
  learningRate: number,
  beta1?: number,
  beta2?: number,
  epsilon?: number,
): tf.AdamOptimizer {
  const backend = tf.getBackend();
  if (trainingEngine() === 'fast' && (backend === 'wasm' || backend === 'cpu'))
    return new FusedAdamOptimizer(learningRate, beta1, beta2, epsilon ?? null);
  return tf.train.adam(learningRate, beta1, beta2, epsilon);
}

/** What LeNet's conv layers are built from (the subset of `tf.layers.conv2d`'s arguments it uses). */
export interface ConvLayerArgs {
  name: string;
  filters: number;
  kernelSize: [number, number];
  padding: 'valid' | 'same';
  activation: string;
  kernelInitializer: ReturnType<typeof tfl.initializers.zeros>;
  inputShape?: number[];
}

/**
 * A LeNet conv layer: `@timbre/kernels`' `FastConv2D` (conv + bias + ReLU fused forward and backward;
 * same weights and serialisation as `tf.layers.conv2d`) with the `fast` engine on wasm or cpu for
 * 'valid' ReLU convs; otherwise `tf.layers.conv2d` (stride 1, zero bias initializer in both).
 */
export function engineConv2d(a: ConvLayerArgs): tfl.layers.Layer {
  const backend = tf.getBackend();
  const fast =
    trainingEngine() === 'fast' &&
    (backend === 'wasm' || backend === 'cpu') &&
    (a.activation === 'relu' || a.activation === 'linear') &&
    a.padding === 'valid';
  const common = {
    name: a.name,
    filters: a.filters,
    kernelSize: a.kernelSize,
    strides: 1,
    kernelInitializer: a.kernelInitializer,
    biasInitializer: tfl.initializers.zeros(),
    ...(a.inputShape ? { inputShape: a.inputShape } : {}),
  };
  if (fast) return new FastConv2D({ ...common, activation: a.activation as 'relu' | 'linear' });
  return tfl.layers.conv2d({
    ...common,
    padding: a.padding,
    activation: a.activation as Parameters<typeof tfl.layers.conv2d>[0]['activation'],
  });
}
