import type { TensorInfo } from '@tensorflow/tfjs-core';
import { asWasm, call1, type KernelArgs } from './backend-access.js';
import { stockWasm } from './stock-kernels.js';

/**
 * Identity for the wasm backend without a copy: the output shares the input's heap buffer (reference
 * counted, as the cpu backend's Identity and the wasm backend's own Reshape do). tfjs clones every tensor
 * it saves for a gradient, so stock training copied each large activation two or three times per step.
 * Strings keep the stock kernel.
 *
 * @param args - Kernel arguments: inputs `{x}`.
 * @returns A tensor info sharing `x`'s data.
 */
export function identityFast(args: KernelArgs): TensorInfo {
  const backend = asWasm(args.backend);
  const x = args.inputs.x as TensorInfo;
  if (x.dtype === 'string') return call1(stockWasm('Identity'), { x }, backend, args.attrs);
  backend.incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape.slice(), dtype: x.dtype };
}
