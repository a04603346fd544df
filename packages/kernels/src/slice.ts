import { type SliceAttrs, slice_util, type TensorInfo, util } from '@tensorflow/tfjs-core';
import { asWasm, call1, heapOffset, type KernelArgs, sizeOf } from './backend-access.js';
import { stockWasm } from './stock-kernels.js';

/**
 * Slice for the wasm backend that copies only the selected region, heap to heap, in contiguous runs
 * (`copyWithin`). The stock kernel first copies the whole input out of the heap (`readSync`), which
 * makes unstacking T time steps O(T²). String tensors go to the stock kernel.
 *
 * @param args - Kernel arguments: input `{x}`, attrs `{begin, size}` (size -1 = to the end).
 * @returns The slice, a new tensor of shape `size`.
 */
export function sliceFast(args: KernelArgs): TensorInfo {
  const backend = asWasm(args.backend);
  const x = args.inputs.x as TensorInfo;
  const attrs = (args.attrs ?? {}) as unknown as SliceAttrs;
  if (x.dtype === 'string') return call1(stockWasm('Slice'), args.inputs, backend, args.attrs);
  const [begin, size] = slice_util.parseSliceParams(x as never, attrs.begin, attrs.size) as [
    number[],
    number[],
  ];
  const out = backend.makeOutput(size, x.dtype);
  const total = sizeOf(size);
  if (total === 0) return out;
  const bytes = util.bytesPerElement(x.dtype);
  const shape = x.shape;
  const rank = shape.length;
  const strides = rank === 0 ? [] : [...util.computeStrides(shape), 1];
  // m: the last axis that is not taken whole; every axis after it is contiguous.
  let m = rank - 1;
  while (m >= 0 && size[m] === shape[m]) m--;
  const heap = backend.wasm.HEAPU8;
  const src0 = heapOffset(backend, x);
  const dst0 = heapOffset(backend, out);
  if (m < 0) {
    heap.copyWithin(dst0, src0, src0 + total * bytes);
    return out;
  }
  const run = (size[m] as number) * (strides[m] as number);
  const runBytes = run * bytes;
  const outer = m; // axes 0..m-1 are iterated
  const idx = new Array<number>(outer).fill(0);
  const baseOffset = (begin[m] as number) * (strides[m] as number);
  let dst = dst0;
  for (;;) {
    let off = baseOffset;
    for (let a = 0; a < outer; a++)
      off += ((begin[a] as number) + (idx[a] as number)) * (strides[a] as number);
    const src = src0 + off * bytes;
    heap.copyWithin(dst, src, src + runBytes);
    dst += runBytes;
    let a = outer - 1;
    while (a >= 0) {
      idx[a] = (idx[a] as number) + 1;
      if ((idx[a] as number) < (size[a] as number)) break;
      idx[a] = 0;
      a--;
    }
    if (a < 0) break;
  }
  return out;
}
