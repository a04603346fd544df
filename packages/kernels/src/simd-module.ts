/**
 * Internal: the f32x4 SIMD kernels (assembly/kernels.ts: the sgemm behind the fast BatchMatMul, LSTM
 * recurrences, Conv2D and its filter gradient, MaxPoolGrad), instantiated on the tfjs wasm backend's own memory so they read and write tensors in place
 * (no copies). One instance per backend heap.
 */

import type { WasmBackendLike } from './backend-access.js';
import { KERNELS_SIMD_BASE64 } from './generated/kernels-simd.wasm.js';

/** The exports of assembly/kernels.ts (pointers are byte offsets in the backend's heap). */
export interface SimdKernels {
  /** The f32x4 arithmetic peak loop: `iters` × 48 flops (assembly/peak.ts). */
  mulAddPeak(iters: number): number;
  packPanels(src: number, sK: number, sN: number, k: number, n: number, dst: number): void;
  gemm(
    a: number,
    lda: number,
    m: number,
    k: number,
    bp: number,
    n: number,
    c: number,
    ldc: number,
    c0: number,
    ldc0: number,
  ): void;
  gemmTransA(
    a: number,
    lda: number,
    m: number,
    k: number,
    bp: number,
    n: number,
    c: number,
    ldc: number,
    c0: number,
    ldc0: number,
  ): void;
  lstmForward(
    xp: number,
    up: number,
    t: number,
    b: number,
    h: number,
    hard: number,
    hSeq: number,
    cSeq: number,
    gates: number,
  ): void;
  maxPoolGrad(
    x: number,
    dy: number,
    dx: number,
    b: number,
    h: number,
    w: number,
    c: number,
    oh: number,
    ow: number,
    sh: number,
    sw: number,
    fh: number,
    fw: number,
    dh: number,
    dw: number,
    top: number,
    left: number,
  ): void;
  maxPoolGradTiled(
    x: number,
    dy: number,
    dx: number,
    b: number,
    h: number,
    w: number,
    c: number,
    oh: number,
    ow: number,
    fh: number,
    fw: number,
  ): void;
  conv2dBackpropInputValid(
    dy: number,
    wp: number,
    dx: number,
    b: number,
    h: number,
    w: number,
    ci: number,
    oh: number,
    ow: number,
    co: number,
    fh: number,
    fw: number,
  ): void;
  conv2dForward(
    x: number,
    wp: number,
    out: number,
    b: number,
    h: number,
    w: number,
    ci: number,
    oh: number,
    ow: number,
    co: number,
    fh: number,
    fw: number,
    sh: number,
    sw: number,
    bias: number,
    relu: number,
  ): void;
  conv2dBackpropFilter(
    x: number,
    dyp: number,
    dw: number,
    b: number,
    h: number,
    w: number,
    ci: number,
    oh: number,
    ow: number,
    co: number,
    fh: number,
    fw: number,
    sh: number,
    sw: number,
  ): void;
  adamStep(
    w: number,
    g: number,
    m: number,
    v: number,
    wOut: number,
    mOut: number,
    vOut: number,
    n: number,
    beta1: number,
    oneMinusBeta1: number,
    beta2: number,
    oneMinusBeta2: number,
    oneMinusAccBeta1: number,
    oneMinusAccBeta2: number,
    epsilon: number,
    negLearningRate: number,
  ): void;
  addRowVector(x: number, b: number, out: number, rows: number, c: number, p: number, scratch: number): void;
  sumRows(x: number, out: number, rows: number, c: number, p: number, scratch: number): void;
  reluGradBiasSum(
    dy: number,
    y: number,
    dz: number,
    db: number,
    rows: number,
    c: number,
    p: number,
    relu: number,
    scratch: number,
  ): void;
  lstmBackward(
    dhUp: number,
    seq: number,
    gates: number,
    cSeq: number,
    utp: number,
    t: number,
    b: number,
    h: number,
    hard: number,
    dZ: number,
    db: number,
    dh: number,
    dc: number,
  ): void;
}

interface WasmJsApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: object };
  Memory: abstract new (...args: never[]) => { buffer: ArrayBufferLike };
}

/**
 * Whether the wasm backend uses this package's SIMD module: 'auto' = when available (LSTM kernels and
 * BatchMatMul), 'js' = never (LSTM gates in JS, BatchMatMul through XNNPACK: the previous implementation).
 */
export type SimdMode = 'auto' | 'js';

let mode: SimdMode = 'auto';
let compiled: object | null | undefined;
const instances = new WeakMap<object, SimdKernels | null>();

/**
 * Chooses whether the SIMD module is used on the wasm backend ('js' forces the previous implementation,
 * for comparisons and tests of the fallback). @internal
 */
export function setSimdMode(m: SimdMode): void {
  mode = m;
}

/** The current {@link SimdMode}. @internal */
export function simdMode(): SimdMode {
  return mode;
}

function decodeBase64(text: string): Uint8Array {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

function compile(): object | null {
  if (compiled !== undefined) return compiled;
  const api = (globalThis as { WebAssembly?: WasmJsApi }).WebAssembly;
  compiled = null;
  if (api === undefined) return null;
  try {
    const bytes = decodeBase64(KERNELS_SIMD_BASE64);
    if (api.validate(bytes)) compiled = new api.Module(bytes);
  } catch {
    compiled = null;
  }
  return compiled;
}

/**
 * The SIMD kernel bound to this backend's heap, or null when it cannot run there (no SIMD, a shared or
 * unreachable memory, or mode 'js').
 */
export function simdKernelsFor(backend: WasmBackendLike): SimdKernels | null {
  if (mode === 'js') return null;
  const memory = backend.wasm.asm?.memory;
  if (memory === undefined) return null;
  const cached = instances.get(memory);
  if (cached !== undefined) return cached;
  let exports: SimdKernels | null = null;
  const api = (globalThis as { WebAssembly?: WasmJsApi }).WebAssembly;
  const module = compile();
  if (api !== undefined && module !== null && memory instanceof api.Memory) {
    try {
      exports = new api.Instance(module, { env: { memory } }).exports as SimdKernels;
    } catch {
      exports = null; // e.g. a shared memory (threaded backend): the kernel imports a non-shared one
    }
  }
  instances.set(memory, exports);
  return exports;
}
