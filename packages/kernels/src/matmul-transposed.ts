import type { BatchMatMulAttrs, KernelBackend, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';
import { call1, type KernelArgs } from './backend-access.js';
import { stockWasm } from './stock-kernels.js';

/** Swaps the last two axes of a tensor with the stock wasm Transpose (XNNPACK-free but linear). */
export function transposeLast2(x: TensorInfo, backend: KernelBackend): TensorInfo {
  const rank = x.shape.length;
  const perm = Array.from({ length: rank }, (_, i) => i);
  perm[rank - 2] = rank - 1;
  perm[rank - 1] = rank - 2;
  return call1(stockWasm('Transpose'), { x }, backend, { perm });
}

/**
 * BatchMatMul for the wasm backend that never takes the stock naive loop: a transposed operand is
 * first materialized with an explicit Transpose, then the non-transposed (XNNPACK) path runs.
 * Results are bit-for-bit those of the stock kernel up to float summation order.
 *
 * @param args - Kernel arguments: inputs `{a, b}`, attrs `{transposeA, transposeB}`.
 * @returns The product, shaped as tfjs's `matMul` documents.
 */
export function batchMatMulFast(args: KernelArgs): TensorInfo {
  const { inputs, backend } = args;
  const attrs = (args.attrs ?? {}) as unknown as BatchMatMulAttrs;
  const a = inputs.a as TensorInfo;
  const b = inputs.b as TensorInfo;
  const stock = stockWasm('BatchMatMul');
  if (!attrs.transposeA && !attrs.transposeB) return call1(stock, { a, b }, backend, args.attrs);
  const at = attrs.transposeA ? transposeLast2(a, backend) : a;
  const bt = attrs.transposeB ? transposeLast2(b, backend) : b;
  const plain: NamedAttrMap = { transposeA: false, transposeB: false };
  const out = call1(stock, { a: at, b: bt }, backend, plain);
  if (at !== a) backend.disposeData(at.dataId);
  if (bt !== b) backend.disposeData(bt.dataId);
  return out;
}
