import { decodeBase64 } from './base64.js';
import { WASM_SCALAR_BASE64 } from './generated/dsp-scalar.wasm.js';
import { WASM_SIMD_BASE64 } from './generated/dsp-simd.wasm.js';
import type { DspImplementation } from './options.js';
import { type WasmModule, wasmApi } from './wasm-api.js';

/** The two embedded kernels. @internal */
export type WasmKernel = 'wasm-simd' | 'wasm';

let simdBytes: Uint8Array | undefined;
let scalarBytes: Uint8Array | undefined;
let simdSupported: boolean | undefined;
let wasmSupported: boolean | undefined;
const compiled = new Map<WasmKernel, Promise<WasmModule>>();

function bytesOf(kernel: WasmKernel): Uint8Array {
  if (kernel === 'wasm-simd') {
    simdBytes ??= decodeBase64(WASM_SIMD_BASE64);
    return simdBytes;
  }
  scalarBytes ??= decodeBase64(WASM_SCALAR_BASE64);
  return scalarBytes;
}

function validates(kernel: WasmKernel): boolean {
  try {
    return wasmApi()?.validate(bytesOf(kernel)) ?? false;
  } catch {
    return false;
  }
}

/**
 * Whether this runtime runs WebAssembly fixed-width SIMD (checked once by validating the embedded SIMD
 * kernel with `WebAssembly.validate`).
 *
 * @returns true when the 'wasm-simd' implementation can be used.
 */
export function detectSimd(): boolean {
  simdSupported ??= validates('wasm-simd');
  return simdSupported;
}

/**
 * The implementations this runtime supports, fastest first ('wasm-simd', 'wasm', 'js'); 'js' is always there.
 *
 * @returns A new array; the first element is what `createLogMelExtractor` picks by default.
 */
export function availableImplementations(): DspImplementation[] {
  wasmSupported ??= validates('wasm');
  const out: DspImplementation[] = [];
  if (detectSimd()) out.push('wasm-simd');
  if (wasmSupported) out.push('wasm');
  out.push('js');
  return out;
}

/** Compiles a kernel once per process (cached). @internal */
export function compileKernel(kernel: WasmKernel): Promise<WasmModule> {
  let module = compiled.get(kernel);
  if (!module) {
    const api = wasmApi();
    module = api ? api.compile(bytesOf(kernel)) : Promise.reject(new Error('WebAssembly is not available'));
    compiled.set(kernel, module);
  }
  return module;
}
