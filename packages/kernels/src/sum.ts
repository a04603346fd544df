import type { SumAttrs, TensorInfo } from '@tensorflow/tfjs-core';
import { asWasm, call1, heapOffset, type KernelArgs, sizeOf } from './backend-access.js';
import { MAX_PATTERN_FLOATS, patternFloats } from './channel-pattern.js';
import { simdKernelsFor } from './simd-module.js';
import { stockWasm } from './stock-kernels.js';

/** True when `axis` names exactly the leading rank − 1 axes (any order, negative allowed). */
function isAllButLast(axis: number | number[], rank: number): boolean {
  const list = (Array.isArray(axis) ? axis : [axis]).map((a) => (a < 0 ? a + rank : a));
  if (list.length !== rank - 1) return false;
  const seen = new Set(list);
  for (let i = 0; i < rank - 1; i++) if (!seen.has(i)) return false;
  return true;
}

/**
 * Sum for the wasm backend. A float32 tensor reduced over every axis but the last (a conv or dense
 * layer's bias gradient, `sum(dy, [0, 1, 2])`) runs this package's f32x4 column-sum kernel in one pass
 * over the data, where the stock kernel first transposes the channels to the front; every other Sum
 * runs the stock kernel. Accumulation is blocked (256 rows per partial sum), so the result is as
 * accurate as the stock one or better; it is not bit-identical (another summation order).
 *
 * @param args - Kernel arguments: inputs `{x}`, attrs as tfjs's `SumAttrs`.
 * @returns The sums, shape `[c]` (or `[1, …, 1, c]` with `keepDims`).
 */
export function sumFast(args: KernelArgs): TensorInfo {
  const backend = asWasm(args.backend);
  const x = args.inputs.x as TensorInfo;
  const attrs = (args.attrs ?? {}) as unknown as SumAttrs;
  const rank = x.shape.length;
  const c = x.shape.at(-1);
  if (x.dtype === 'float32' && rank >= 2 && c !== undefined && c > 0 && isAllButLast(attrs.axis, rank)) {
    const k = simdKernelsFor(backend);
    const p = patternFloats(c);
    if (k !== null && p <= MAX_PATTERN_FLOATS && sizeOf(x.shape) > 0) {
      const shape = attrs.keepDims ? [...x.shape.slice(0, -1).map(() => 1), c] : [c];
      const out = backend.makeOutput(shape, 'float32');
      const scratch = backend.wasm._malloc(8 * p);
      try {
        k.sumRows(heapOffset(backend, x), heapOffset(backend, out), sizeOf(x.shape) / c, c, p, scratch);
      } finally {
        backend.wasm._free(scratch);
      }
      return out;
    }
  }
  return call1(stockWasm('Sum'), { x }, backend, args.attrs);
}
