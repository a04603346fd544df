/**
 * Internal: typed access to the tfjs backends' storage (wasm heap, cpu arrays) and to the stock
 * kernel functions. Nothing here is exported from the package entry.
 */
import {
  type DataType,
  getKernel,
  type KernelBackend,
  type KernelFunc,
  type NamedAttrMap,
  type NamedTensorInfoMap,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { BackendError } from './errors.js';

/** The parts of tfjs-backend-wasm's `BackendWasm` these kernels use. */
export interface WasmBackendLike extends KernelBackend {
  wasm: {
    HEAPU8: Uint8Array;
    /** The emscripten module's exports; `memory` is the heap's `WebAssembly.Memory`. */
    asm?: { memory?: object };
    _malloc(bytes: number): number;
    _free(ptr: number): void;
  };
  dataIdMap: { get(dataId: object): { memoryOffset: number; shape: number[]; dtype: DataType } };
  makeOutput(shape: number[], dtype: DataType): TensorInfo;
  typedArrayFromHeap(info: TensorInfo): Float32Array | Int32Array | Uint8Array;
}

/** The parts of tfjs-backend-cpu's `MathBackendCPU` these kernels use. */
export interface CpuBackendLike extends KernelBackend {
  data: { get(dataId: object): { values: unknown } };
  makeTensorInfo(shape: number[], dtype: DataType, values?: Float32Array | Int32Array): TensorInfo;
}

/** A kernel function's argument, typed loosely enough for any kernel. */
export interface KernelArgs {
  inputs: NamedTensorInfoMap;
  backend: KernelBackend;
  attrs?: NamedAttrMap;
}

/** Narrows a backend to the wasm backend's shape (checked structurally). */
export function asWasm(backend: KernelBackend): WasmBackendLike {
  const b = backend as Partial<WasmBackendLike>;
  if (b.wasm === undefined || b.dataIdMap === undefined || typeof b.makeOutput !== 'function') {
    throw new BackendError('expected the tfjs wasm backend');
  }
  return backend as WasmBackendLike;
}

/** A fresh Float32Array view of a float32 tensor in the wasm heap (remake after any allocation). */
export function heapF32(backend: WasmBackendLike, info: TensorInfo): Float32Array {
  const { memoryOffset } = backend.dataIdMap.get(info.dataId);
  let size = 1;
  for (const d of info.shape) size *= d;
  return new Float32Array(backend.wasm.HEAPU8.buffer, memoryOffset, size);
}

/** Byte offset of a tensor in the wasm heap. */
export function heapOffset(backend: WasmBackendLike, info: TensorInfo): number {
  return backend.dataIdMap.get(info.dataId).memoryOffset;
}

/** Calls a kernel function and returns its single output. */
export function call1(
  fn: KernelFunc,
  inputs: NamedTensorInfoMap,
  backend: KernelBackend,
  attrs: NamedAttrMap = {},
): TensorInfo {
  const out = fn({ inputs, backend, attrs });
  return Array.isArray(out) ? (out[0] as TensorInfo) : out;
}

/**
 * The kernel function registered now for `kernelName` on `backendName`.
 *
 * @throws {@link BackendError} when none is registered.
 */
export function kernelFunc(kernelName: string, backendName: string): KernelFunc {
  const k = getKernel(kernelName, backendName);
  if (k === undefined)
    throw new BackendError(`no ${kernelName} kernel registered for backend '${backendName}'`);
  return k.kernelFunc;
}

/** Number of elements of a shape. */
export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}
