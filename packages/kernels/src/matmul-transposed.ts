import {
  type BatchMatMulAttrs,
  backend_util,
  type KernelBackend,
  type NamedAttrMap,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import {
  asWasm,
  call1,
  heapOffset,
  type KernelArgs,
  sizeOf,
  type WasmBackendLike,
} from './backend-access.js';
import { type SimdKernels, simdKernelsFor } from './simd-module.js';
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
 * BatchMatMul for the wasm backend that never takes the stock naive loop. With WebAssembly SIMD (float32):
 * this package's register-blocked f32x4 sgemm (assembly/kernels.ts) on the backend's heap, `b` packed into
 * 8-column panels straight from either layout, a transposed `a` read in place (strided micro-kernel).
 * Otherwise a transposed operand is materialized with an explicit Transpose and the non-transposed
 * (XNNPACK) path runs. Results equal the stock kernel's up to float summation order.
 *
 * @param args - Kernel arguments: inputs `{a, b}`, attrs `{transposeA, transposeB}`.
 * @returns The product, shaped as tfjs's `matMul` documents.
 */
export function batchMatMulFast(args: KernelArgs): TensorInfo {
  const { inputs, backend } = args;
  const attrs = (args.attrs ?? {}) as unknown as BatchMatMulAttrs;
  const a = inputs.a as TensorInfo;
  const b = inputs.b as TensorInfo;
  if (a.dtype === 'float32' && b.dtype === 'float32') {
    const wb = asWasm(backend);
    const k = simdKernelsFor(wb);
    if (k !== null) {
      const out = simdMatMul(wb, k, a, b, attrs.transposeA, attrs.transposeB);
      if (out !== null) return out;
    }
  }
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

/**
 * Whether computing Cᵀ = op(B)ᵀ·op(A)ᵀ and transposing it is cheaper than C = op(A)·op(B): the sgemm packs
 * its right operand (K × N, or K × M when swapped), element by element when that operand is stored
 * transposed (≈ 4× a contiguous copy); the swapped form also pays a transpose of the M × N product.
 */
export function preferTransposedProduct(M: number, K: number, N: number, ta: boolean, tb: boolean): boolean {
  const direct = K * N * (tb ? 4 : 1);
  const swapped = K * M * (ta ? 1 : 4) + M * N;
  return swapped < 0.75 * direct;
}

/** The product through the SIMD sgemm, or null for shapes it does not take (the caller falls back). */
function simdMatMul(
  wb: WasmBackendLike,
  k: SimdKernels,
  a: TensorInfo,
  b: TensorInfo,
  ta: boolean,
  tb: boolean,
  mayTranspose = true,
): TensorInfo | null {
  const ra = a.shape.length;
  const rb = b.shape.length;
  if (ra < 2 || rb < 2) return null;
  const M = a.shape[ta ? ra - 1 : ra - 2] as number;
  const K = a.shape[ta ? ra - 2 : ra - 1] as number;
  const Kb = b.shape[tb ? rb - 1 : rb - 2] as number;
  const N = b.shape[tb ? rb - 2 : rb - 1] as number;
  const outerA = a.shape.slice(0, -2);
  const outerB = b.shape.slice(0, -2);
  const batchA = sizeOf(outerA);
  const batchB = sizeOf(outerB);
  if (K !== Kb || (batchA !== batchB && batchA !== 1 && batchB !== 1)) return null;
  const outer = backend_util.assertAndGetBroadcastShape(outerA, outerB);
  const batch = Math.max(batchA, batchB);
  if (mayTranspose && batch === 1 && preferTransposedProduct(M, K, N, ta, tb)) {
    // Cᵀ = op(B)ᵀ·op(A)ᵀ packs the smaller operand (e.g. a dense layer's dx = dy·Wᵀ, whose Wᵀ would be
    // gathered element by element), then one transpose of the product.
    const ct = simdMatMul(wb, k, b, a, !tb, !ta, false);
    if (ct === null) return null;
    const c = transposeLast2(ct, wb);
    wb.disposeData(ct.dataId);
    return c;
  }
  const out = wb.makeOutput([...outer, M, N], 'float32');
  const packed = wb.wasm._malloc(4 * Math.max(1, Math.ceil(N / 8) * 8 * K));
  try {
    const aBase = heapOffset(wb, a);
    const bBase = heapOffset(wb, b);
    const cBase = heapOffset(wb, out);
    for (let i = 0; i < batch; i++) {
      if (i === 0 || batchB !== 1) {
        const bOff = bBase + (batchB === 1 ? 0 : i) * 4 * K * N;
        if (tb) k.packPanels(bOff, 1, K, K, N, packed);
        else k.packPanels(bOff, N, 1, K, N, packed);
      }
      const aOff = aBase + (batchA === 1 ? 0 : i) * 4 * M * K;
      if (ta) k.gemmTransA(aOff, M, M, K, packed, N, cBase + i * 4 * M * N, N, 0, N);
      else k.gemm(aOff, K, M, K, packed, N, cBase + i * 4 * M * N, N, 0, N);
    }
  } finally {
    wb.wasm._free(packed);
  }
  return out;
}
