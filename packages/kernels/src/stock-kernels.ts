/**
 * Internal: remembers the wasm backend's stock kernel configs before they are replaced, so fast
 * kernels can delegate to them and {@link restoreStockKernels} can put them back.
 */
import { getKernel, type KernelConfig, type KernelFunc } from '@tensorflow/tfjs-core';
import { BackendError } from './errors.js';

const saved = new Map<string, KernelConfig | null>();

/** Records the currently registered config of `kernelName` on 'wasm' (once). */
export function rememberStock(kernelName: string): void {
  if (!saved.has(kernelName)) saved.set(kernelName, getKernel(kernelName, 'wasm') ?? null);
}

/** The stock config remembered for `kernelName` (`null` when wasm had none), or undefined if never replaced. */
export function savedStock(kernelName: string): KernelConfig | null | undefined {
  return saved.get(kernelName);
}

/** Forgets a remembered config (after it has been restored). */
export function forgetStock(kernelName: string): void {
  saved.delete(kernelName);
}

/**
 * The stock wasm kernel function for `kernelName`, even while a fast kernel replaces it.
 *
 * @throws {@link BackendError} when the wasm backend has no such kernel.
 */
export function stockWasm(kernelName: string): KernelFunc {
  const remembered = saved.get(kernelName);
  const config = remembered === undefined ? getKernel(kernelName, 'wasm') : remembered;
  if (config == null) throw new BackendError(`the wasm backend has no stock ${kernelName} kernel`);
  return config.kernelFunc;
}
