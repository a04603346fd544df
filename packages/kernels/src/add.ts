import type { TensorInfo } from '@tensorflow/tfjs-core';
import { asWasm, call1, heapOffset, type KernelArgs, sizeOf } from './backend-access.js';
import { MAX_PATTERN_FLOATS, patternFloats } from './channel-pattern.js';
import { simdKernelsFor } from './simd-module.js';
import { stockWasm } from './stock-kernels.js';

/** The channel count when `small` is a bias for `big`: shape [c] or [1, …, 1, c] with c = big's last dim. */
function biasChannels(big: TensorInfo, small: TensorInfo): number | null {
  const c = big.shape.at(-1);
  if (c === undefined || big.shape.length < 2 || small.shape.length > big.shape.length) return null;
  if (small.shape.at(-1) !== c || sizeOf(small.shape) !== c || sizeOf(big.shape) <= c) return null;
  return c;
}

/**
 * Add for the wasm backend. A float32 channels-last tensor plus a bias vector (`[c]` or `[1, …, 1, c]`
 * broadcast over every leading dimension, either operand order: a conv or dense layer's bias add) runs
 * this package's f32x4 kernel, one pass with no broadcast index arithmetic; every other Add runs the
 * stock kernel. The result equals the stock one exactly (one float32 add per element).
 *
 * @param args - Kernel arguments: inputs `{a, b}`.
 * @returns `a + b`.
 */
export function addFast(args: KernelArgs): TensorInfo {
  const backend = asWasm(args.backend);
  const a = args.inputs.a as TensorInfo;
  const b = args.inputs.b as TensorInfo;
  if (a.dtype === 'float32' && b.dtype === 'float32') {
    const [big, small] = sizeOf(a.shape) >= sizeOf(b.shape) ? [a, b] : [b, a];
    const c = biasChannels(big, small);
    const k = c === null ? null : simdKernelsFor(backend);
    if (c !== null && k !== null) {
      const p = patternFloats(c);
      if (p <= MAX_PATTERN_FLOATS) {
        const out = backend.makeOutput(big.shape.slice(), 'float32');
        const scratch = backend.wasm._malloc(4 * p);
        try {
          k.addRowVector(
            heapOffset(backend, big),
            heapOffset(backend, small),
            heapOffset(backend, out),
            sizeOf(big.shape) / c,
            c,
            p,
            scratch,
          );
        } finally {
          backend.wasm._free(scratch);
        }
        return out;
      }
    }
  }
  return call1(stockWasm('Add'), { a, b }, backend, args.attrs);
}
