import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import {
  FastConv2D,
  FastLSTM,
  FusedAdamOptimizer,
  registerFastKernels,
  useKernelMode,
} from '@timbre/kernels';
import { BackendError } from './errors.js';
import type { LstmLayerFactory } from './lstm.js';
import { TRAINING_ENGINES, type TrainingEngine } from './presets.js';
import { defaultLstmFactory, lstmLayerConfig } from './stock-lstm.js';

export type { TrainingEngine };
export { TRAINING_ENGINES };

/**
 * The engine of a call: `engine` when given (checked), else `fast`. There is no process-wide engine: every
 * `train`, `createModel`, `benchmarkTraining` and `loadClassifier` call takes its own (the CLI reads
 * `$TIMBRE_ENGINE` once and passes it down).
 * @throws {BackendError} for a name other than `fast` or `stock`.
 */
export function resolveEngine(engine?: TrainingEngine): TrainingEngine {
  if (engine === undefined) return 'fast';
  if (engine !== 'fast' && engine !== 'stock')
    throw new BackendError(`engine must be 'fast' or 'stock', got '${String(engine)}'`);
  return engine;
}

/**
 * Puts the active backend's kernels in the state `engine` needs: on wasm, `@timbre/kernels`' fast kernels
 * for `fast`, the stock kernels (plus its Conv2DBackpropFilter, which wasm lacks) for `stock`; nothing to do
 * on cpu and tensorflow. Called by every entry point that runs a model, so the kernels that run follow the
 * call's engine, not what an earlier call left registered.
 */
export function applyEngine(engine: TrainingEngine): void {
  if (tf.getBackend() === 'wasm') useKernelMode(resolveEngine(engine) === 'fast' ? 'fast' : 'stock');
}

/**
 * The LSTM factory of an engine: `FastLSTM` (same weights and serialisation as `tf.layers.lstm`, sigmoid
 * gates) on wasm/cpu with the fast engine, else {@link defaultLstmFactory}.
 */
export function engineLstmFactory(engine: TrainingEngine): LstmLayerFactory {
  return (a) => {
    const backend = tf.getBackend();
    if (engine !== 'fast' || (backend !== 'wasm' && backend !== 'cpu')) return defaultLstmFactory(a);
    registerFastKernels({ kernels: [] }); // the fused LSTM kernels (also on cpu)
    return new FastLSTM(lstmLayerConfig(a));
  };
}

/**
 * The Adam optimizer of a training run: with the `fast` engine on the wasm or cpu backend,
 * `@timbre/kernels`' `FusedAdamOptimizer` (one kernel call per variable instead of ~14 ops, bit-identical
 * weights, same state and checkpoint format); otherwise `tf.train.adam`.
 *
 * @param learningRate - Step size (> 0).
 * @param beta1 - First-moment decay in [0, 1).
 * @param beta2 - Second-moment decay in [0, 1).
 * @param epsilon - Denominator guard (> 0); absent = the backend's epsilon.
 * @param engine - The call's engine (default `fast`).
 */
export function createAdam(
  learningRate: number,
  beta1?: number,
  beta2?: number,
  epsilon?: number,
  engine: TrainingEngine = 'fast',
): tf.AdamOptimizer {
  const backend = tf.getBackend();
  if (engine === 'fast' && (backend === 'wasm' || backend === 'cpu'))
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
export function engineConv2d(a: ConvLayerArgs, engine: TrainingEngine): tfl.layers.Layer {
  const backend = tf.getBackend();
  const fast =
    engine === 'fast' &&
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
