import { TimbreError } from '@timbre/core';

/**
 * Base class of every error thrown by `@timbre/kernels`.
 */
export class KernelsError extends TimbreError {
  /**
   * @param message - What went wrong, in words a caller can act on.
   */
  constructor(message: string) {
    super(message);
  }
}

/**
 * Thrown when a kernel is asked for a configuration it does not implement (a stride, padding,
 * data format or dtype), so the caller sees a clear refusal rather than a wrong result.
 */
export class UnsupportedConfigError extends KernelsError {}

/**
 * Thrown when an operation needs a tfjs backend that is not active or not supported
 * (for example the fused LSTM kernels on a backend other than `wasm` or `cpu`).
 */
export class BackendError extends KernelsError {}
