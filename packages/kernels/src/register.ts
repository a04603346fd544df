import '@tensorflow/tfjs-backend-wasm';
import {
  getKernel,
  type KernelConfig,
  type KernelFunc,
  registerKernel,
  unregisterKernel,
} from '@tensorflow/tfjs-core';
import { addFast } from './add.js';
import { conv2dFast } from './conv2d.js';
import { conv2dBackpropFilterFast } from './conv2d-backprop-filter.js';
import { conv2dBackpropInputFast } from './conv2d-backprop-input.js';
import { UnsupportedConfigError } from './errors.js';
import { identityFast } from './identity.js';
import { registerLstmKernels } from './lstm-kernels.js';
import { batchMatMulFast } from './matmul-transposed.js';
import { maxPoolGradFast } from './max-pool-grad.js';
import { setSimdMode } from './simd-module.js';
import { sliceFast } from './slice.js';
import { forgetStock, rememberStock, savedStock } from './stock-kernels.js';
import { sumFast } from './sum.js';

/** The wasm kernels this package can replace (or, for Conv2DBackpropFilter, add). */
export type FastKernelName =
  | 'BatchMatMul'
  | 'Conv2D'
  | 'Conv2DBackpropInput'
  | 'Conv2DBackpropFilter'
  | 'Slice'
  | 'MaxPoolGrad'
  | 'Add'
  | 'Sum'
  | 'Identity';

/** Every kernel in {@link FastKernelName}, in the order they are registered. */
export const FAST_KERNEL_NAMES: readonly FastKernelName[] = [
  'BatchMatMul',
  'Conv2D',
  'Conv2DBackpropInput',
  'Conv2DBackpropFilter',
  'Slice',
  'MaxPoolGrad',
  'Add',
  'Sum',
  'Identity',
];

const IMPLEMENTATIONS: Record<FastKernelName, (args: never) => unknown> = {
  BatchMatMul: batchMatMulFast,
  Conv2D: conv2dFast,
  Conv2DBackpropInput: conv2dBackpropInputFast,
  Conv2DBackpropFilter: conv2dBackpropFilterFast,
  Slice: sliceFast,
  MaxPoolGrad: maxPoolGradFast,
  Add: addFast,
  Sum: sumFast,
  Identity: identityFast,
};

/** Options of {@link registerFastKernels}. */
export interface RegisterFastKernelsOptions {
  /**
   * Which kernels to register. Default: all of {@link FAST_KERNEL_NAMES}. The "stock" baseline of
   * the benchmarks is `['Conv2DBackpropFilter']` (the wasm backend has none of its own).
   */
  kernels?: readonly FastKernelName[];
}

/**
 * Registers this package's kernels for the tfjs 'wasm' backend, replacing the stock ones (which are
 * remembered, and still used internally for the non-transposed matMul, Conv2D and Transpose), and
 * registers the fused LSTM sequence kernels used by {@link lstmSequence} for 'wasm' and 'cpu'.
 * Idempotent; may be called before or after `tf.setBackend('wasm')` (stock setup functions are
 * chained). Affects every model on the wasm backend in this process; the cpu backend is untouched.
 *
 * @param options - Which kernels to register (default all).
 * @returns The names of the kernels now replaced by this package.
 */
export function registerFastKernels(options: RegisterFastKernelsOptions = {}): FastKernelName[] {
  const wanted = options.kernels ?? FAST_KERNEL_NAMES;
  registerLstmKernels();
  for (const name of wanted) {
    rememberStock(name);
    const stock = savedStock(name) ?? null;
    if (getKernel(name, 'wasm') !== undefined) unregisterKernel(name, 'wasm');
    const config: KernelConfig = {
      kernelName: name,
      backendName: 'wasm',
      kernelFunc: IMPLEMENTATIONS[name] as unknown as KernelFunc,
    };
    if (stock?.setupFunc !== undefined) config.setupFunc = stock.setupFunc;
    if (stock?.disposeFunc !== undefined) config.disposeFunc = stock.disposeFunc;
    registerKernel(config);
  }
  return fastKernelsRegistered();
}

/**
 * Puts back the wasm backend's stock kernels replaced by {@link registerFastKernels} (a kernel
 * that had no stock version, Conv2DBackpropFilter, is unregistered again).
 *
 * @param options - Which kernels to restore (default all that were replaced).
 */
export function restoreStockKernels(options: RegisterFastKernelsOptions = {}): void {
  for (const name of options.kernels ?? FAST_KERNEL_NAMES) {
    const stock = savedStock(name);
    if (stock === undefined) continue;
    if (getKernel(name, 'wasm') !== undefined) unregisterKernel(name, 'wasm');
    if (stock !== null) registerKernel(stock);
    forgetStock(name);
  }
}

/**
 * @returns The kernels currently replaced by this package on the wasm backend.
 */
export function fastKernelsRegistered(): FastKernelName[] {
  return FAST_KERNEL_NAMES.filter(
    (n) => getKernel(n, 'wasm')?.kernelFunc === (IMPLEMENTATIONS[n] as unknown as KernelFunc),
  );
}

/**
 * The kernels this package adds even to the "stock" wasm backend: Conv2DBackpropFilter, which wasm lacks, and
 * MaxPoolGrad, whose tfjs-wasm 4.22 version returns wrong gradients for some shapes (x [2, 22, 38, 8], pool
 * 2×2/2 'valid': max error 1.0 against the cpu backend; [2, 9, 17, 16] is right) — the first pool of
 * `cnn-robust` on 24 bands, whose stock-engine gradients were wrong before this.
 */
export const STOCK_COMPLETIONS: readonly FastKernelName[] = ['Conv2DBackpropFilter', 'MaxPoolGrad'];

/**
 * A kernel configuration of the wasm backend:
 * - `stock`: the backend's own kernels plus {@link STOCK_COMPLETIONS};
 * - `fast`: every kernel of {@link FAST_KERNEL_NAMES}, the SIMD module when the platform has one;
 * - `fast-js`: `fast` without the SIMD module (gates and gemms in JS / XNNPACK; for comparisons).
 */
export type KernelMode = 'stock' | 'fast' | 'fast-js';

/**
 * Puts the wasm backend's kernel registry in one {@link KernelMode}, whatever state it was in: the one
 * call that decides which kernels run (an engine choice is passed down to here, never kept in a module).
 *
 * @param mode - The configuration.
 * @returns The kernels of this package registered afterwards.
 */
export function useKernelMode(mode: KernelMode): FastKernelName[] {
  if (mode !== 'stock' && mode !== 'fast' && mode !== 'fast-js')
    throw new UnsupportedConfigError(
      `kernel mode must be 'stock', 'fast' or 'fast-js'; got '${String(mode)}'`,
    );
  restoreStockKernels();
  setSimdMode(mode === 'fast-js' ? 'js' : 'auto');
  return registerFastKernels(mode === 'stock' ? { kernels: STOCK_COMPLETIONS } : {});
}
