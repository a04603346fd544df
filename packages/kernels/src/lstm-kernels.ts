/**
 * The fused LSTM sequence kernels behind {@link lstmSequence}: one kernel runs the whole forward
 * recurrence, one the whole backward recurrence (BPTT, also returning the bias gradient).
 *
 * On the wasm backend with SIMD, each is one call into the f32x4 AssemblyScript kernel (assembly/kernels.ts)
 * running in place on the backend's heap: per step a register-blocked sgemm for `h·U` / `dz·Uᵀ` and the
 * gate arithmetic. Otherwise (cpu backend, no SIMD, or {@link setSimdMode}('js')) the JS path: `h·U`
 * and `dz·Uᵀ` per step through the backend's matMul kernel, called directly (no engine overhead), gate
 * arithmetic in JS over the backend's own memory. Registered for the 'wasm' and 'cpu' backends.
 */
import {
  type DataType,
  getKernel,
  type KernelBackend,
  type KernelFunc,
  registerKernel,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import {
  type CpuBackendLike,
  call1,
  heapF32,
  heapOffset,
  kernelFunc,
  sizeOf,
  type WasmBackendLike,
} from './backend-access.js';
import { BackendError } from './errors.js';
import { type SimdKernels, simdKernelsFor } from './simd-module.js';
import { stockWasm } from './stock-kernels.js';

export { type SimdMode, setSimdMode, simdMode } from './simd-module.js';

/** Kernel name of the fused forward recurrence. */
export const LSTM_FORWARD = 'TimbreLstmForward';
/** Kernel name of the fused backward recurrence. */
export const LSTM_BACKWARD = 'TimbreLstmBackward';
/** Backends the fused LSTM kernels are registered for. */
export const LSTM_BACKENDS = ['wasm', 'cpu'] as const;

/** The SIMD kernel when `backend` is the wasm backend and the kernel can run on its heap. */
function simdFor(backend: KernelBackend): { wb: WasmBackendLike; k: SimdKernels } | null {
  const w = backend as Partial<WasmBackendLike>;
  if (w.wasm === undefined || w.dataIdMap === undefined || typeof w.makeOutput !== 'function') return null;
  const wb = backend as WasmBackendLike;
  const k = simdKernelsFor(wb);
  return k === null ? null : { wb, k };
}

/** Floats of a [k×n] matrix packed in 8-column panels. */
function packedSize(k: number, n: number): number {
  return Math.ceil(n / 8) * 8 * k;
}

interface Host {
  alloc(shape: number[]): TensorInfo;
  /** A fresh view (remake after every alloc: the wasm heap may grow). */
  data(info: TensorInfo): Float32Array;
  free(info: TensorInfo): void;
  matMul(a: TensorInfo, b: TensorInfo): TensorInfo;
}

function hostFor(backend: KernelBackend): Host {
  const w = backend as Partial<WasmBackendLike>;
  if (w.wasm !== undefined && w.dataIdMap !== undefined && typeof w.makeOutput === 'function') {
    const wb = backend as WasmBackendLike;
    const mm = stockWasm('BatchMatMul');
    return {
      alloc: (shape) => {
        const info = wb.makeOutput(shape, 'float32');
        heapF32(wb, info).fill(0);
        return info;
      },
      data: (info) => heapF32(wb, info),
      free: (info) => {
        wb.disposeData(info.dataId);
      },
      matMul: (a, b) => call1(mm, { a, b }, wb, { transposeA: false, transposeB: false }),
    };
  }
  const c = backend as Partial<CpuBackendLike>;
  if (c.data !== undefined && typeof c.makeTensorInfo === 'function') {
    const cb = backend as CpuBackendLike;
    const mm = kernelFunc('BatchMatMul', 'cpu');
    return {
      alloc: (shape) => cb.makeTensorInfo(shape, 'float32' as DataType, new Float32Array(sizeOf(shape))),
      data: (info) => cb.data.get(info.dataId).values as Float32Array,
      free: (info) => {
        cb.disposeData(info.dataId);
      },
      matMul: (a, b) => call1(mm, { a, b }, cb, { transposeA: false, transposeB: false }),
    };
  }
  throw new BackendError('the fused LSTM kernels support the wasm and cpu backends only');
}

/** Recurrent activation code passed as a kernel attribute: 0 sigmoid, 1 hardSigmoid. */
export type RecurrentActivationCode = 0 | 1;

function lstmForward(args: {
  inputs: Record<string, TensorInfo>;
  backend: KernelBackend;
  attrs?: Record<string, unknown>;
}): TensorInfo[] {
  const xProj = args.inputs.xProj as TensorInfo;
  const u = args.inputs.recurrentKernel as TensorInfo;
  const T = args.attrs?.timeSteps as number;
  const hard = args.attrs?.recurrentActivation === 1;
  const H = u.shape[0] as number;
  const H4 = 4 * H;
  const B = (xProj.shape[0] as number) / T;
  const simd = simdFor(args.backend);
  if (simd !== null) {
    const { wb, k } = simd;
    const hS = wb.makeOutput([T * B, H], 'float32');
    const cS = wb.makeOutput([T * B, H], 'float32');
    const gS = wb.makeOutput([T * B, H4], 'float32');
    const packed = wb.wasm._malloc(4 * packedSize(H, H4));
    try {
      k.packPanels(heapOffset(wb, u), H4, 1, H, H4, packed);
      k.lstmForward(
        heapOffset(wb, xProj),
        packed,
        T,
        B,
        H,
        hard ? 1 : 0,
        heapOffset(wb, hS),
        heapOffset(wb, cS),
        heapOffset(wb, gS),
      );
    } finally {
      wb.wasm._free(packed);
    }
    return [hS, cS, gS];
  }
  const host = hostFor(args.backend);
  const hSeq = host.alloc([T * B, H]);
  const cSeq = host.alloc([T * B, H]);
  const gates = host.alloc([T * B, H4]);
  const hPrev = host.alloc([B, H]);
  for (let t = 0; t < T; t++) {
    const hu = host.matMul(hPrev, u);
    const huV = host.data(hu);
    const xp = host.data(xProj);
    const g = host.data(gates);
    const cs = host.data(cSeq);
    const hs = host.data(hSeq);
    const hp = host.data(hPrev);
    for (let b = 0; b < B; b++) {
      const zo = (t * B + b) * H4;
      const uo = b * H4;
      const so = (t * B + b) * H;
      const po = ((t - 1) * B + b) * H;
      for (let j = 0; j < H; j++) {
        const zi = (xp[zo + j] as number) + (huV[uo + j] as number);
        const zf = (xp[zo + H + j] as number) + (huV[uo + H + j] as number);
        const zc = (xp[zo + 2 * H + j] as number) + (huV[uo + 2 * H + j] as number);
        const zz = (xp[zo + 3 * H + j] as number) + (huV[uo + 3 * H + j] as number);
        let i: number;
        let f: number;
        let o: number;
        if (hard) {
          i = Math.min(1, Math.max(0, 0.2 * zi + 0.5));
          f = Math.min(1, Math.max(0, 0.2 * zf + 0.5));
          o = Math.min(1, Math.max(0, 0.2 * zz + 0.5));
        } else {
          i = 1 / (1 + Math.exp(-zi));
          f = 1 / (1 + Math.exp(-zf));
          o = 1 / (1 + Math.exp(-zz));
        }
        const gg = Math.tanh(zc);
        const cPrev = t === 0 ? 0 : (cs[po + j] as number);
        const c = Math.fround(f * cPrev + i * gg);
        const h = o * Math.tanh(c);
        g[zo + j] = i;
        g[zo + H + j] = f;
        g[zo + 2 * H + j] = gg;
        g[zo + 3 * H + j] = o;
        cs[so + j] = c;
        hs[so + j] = h;
        hp[b * H + j] = h;
      }
    }
    host.free(hu);
  }
  host.free(hPrev);
  return [hSeq, cSeq, gates];
}

function lstmBackward(args: {
  inputs: Record<string, TensorInfo>;
  backend: KernelBackend;
  attrs?: Record<string, unknown>;
}): TensorInfo[] {
  const dhUp = args.inputs.dh as TensorInfo;
  const gates = args.inputs.gates as TensorInfo;
  const cSeq = args.inputs.cSeq as TensorInfo;
  const ut = args.inputs.recurrentKernelT as TensorInfo;
  const T = args.attrs?.timeSteps as number;
  const hard = args.attrs?.recurrentActivation === 1;
  const H = ut.shape[1] as number;
  const H4 = 4 * H;
  const B = (cSeq.shape[0] as number) / T;
  const seq = (dhUp.shape[0] as number) === T * B;
  const simd = simdFor(args.backend);
  if (simd !== null) {
    const { wb, k } = simd;
    const dZs = wb.makeOutput([T * B, H4], 'float32');
    const dbs = wb.makeOutput([H4], 'float32');
    const packed = wb.wasm._malloc(4 * packedSize(H4, H));
    const scratch = wb.wasm._malloc(8 * B * H);
    try {
      k.packPanels(heapOffset(wb, ut), H, 1, H4, H, packed);
      k.lstmBackward(
        heapOffset(wb, dhUp),
        seq ? 1 : 0,
        heapOffset(wb, gates),
        heapOffset(wb, cSeq),
        packed,
        T,
        B,
        H,
        hard ? 1 : 0,
        heapOffset(wb, dZs),
        heapOffset(wb, dbs),
        scratch,
        scratch + 4 * B * H,
      );
    } finally {
      wb.wasm._free(scratch);
      wb.wasm._free(packed);
    }
    return [dZs, dbs];
  }
  const host = hostFor(args.backend);
  const dZ = host.alloc([T * B, H4]);
  const db = new Float64Array(H4);
  const dzT = host.alloc([B, H4]);
  let dhRec = host.alloc([B, H]);
  const dcNext = new Float32Array(B * H);
  for (let t = T - 1; t >= 0; t--) {
    const dh = host.data(dhUp);
    const g = host.data(gates);
    const cs = host.data(cSeq);
    const dz = host.data(dZ);
    const dzs = host.data(dzT);
    const dr = host.data(dhRec);
    const upOff = seq ? t * B * H : 0;
    const useUp = seq || t === T - 1;
    for (let b = 0; b < B; b++) {
      const zo = (t * B + b) * H4;
      const so = (t * B + b) * H;
      const po = ((t - 1) * B + b) * H;
      for (let j = 0; j < H; j++) {
        const k = b * H + j;
        const dhT = (dr[k] as number) + (useUp ? (dh[upOff + k] as number) : 0);
        const i = g[zo + j] as number;
        const f = g[zo + H + j] as number;
        const gg = g[zo + 2 * H + j] as number;
        const o = g[zo + 3 * H + j] as number;
        const tc = Math.tanh(cs[so + j] as number);
        const cPrev = t === 0 ? 0 : (cs[po + j] as number);
        const dc = (dcNext[k] as number) + dhT * o * (1 - tc * tc);
        const dO = dhT * tc;
        dcNext[k] = dc * f;
        let dzi: number;
        let dzf: number;
        let dzo: number;
        if (hard) {
          dzi = i > 0 && i < 1 ? 0.2 * dc * gg : 0;
          dzf = f > 0 && f < 1 ? 0.2 * dc * cPrev : 0;
          dzo = o > 0 && o < 1 ? 0.2 * dO : 0;
        } else {
          dzi = dc * gg * i * (1 - i);
          dzf = dc * cPrev * f * (1 - f);
          dzo = dO * o * (1 - o);
        }
        const dzg = dc * i * (1 - gg * gg);
        const lo = b * H4;
        dz[zo + j] = dzi;
        dz[zo + H + j] = dzf;
        dz[zo + 2 * H + j] = dzg;
        dz[zo + 3 * H + j] = dzo;
        dzs[lo + j] = dzi;
        dzs[lo + H + j] = dzf;
        dzs[lo + 2 * H + j] = dzg;
        dzs[lo + 3 * H + j] = dzo;
        db[j] = (db[j] as number) + dzi;
        db[H + j] = (db[H + j] as number) + dzf;
        db[2 * H + j] = (db[2 * H + j] as number) + dzg;
        db[3 * H + j] = (db[3 * H + j] as number) + dzo;
      }
    }
    if (t > 0) {
      host.free(dhRec);
      dhRec = host.matMul(dzT, ut);
    }
  }
  host.free(dhRec);
  host.free(dzT);
  const dbT = host.alloc([H4]);
  host.data(dbT).set(db);
  return [dZ, dbT];
}

let registered = false;

/**
 * Registers {@link LSTM_FORWARD} and {@link LSTM_BACKWARD} for the wasm and cpu backends (idempotent).
 */
export function registerLstmKernels(): void {
  if (registered) return;
  for (const backendName of LSTM_BACKENDS) {
    if (getKernel(LSTM_FORWARD, backendName) === undefined) {
      registerKernel({
        kernelName: LSTM_FORWARD,
        backendName,
        kernelFunc: lstmForward as unknown as KernelFunc,
      });
    }
    if (getKernel(LSTM_BACKWARD, backendName) === undefined) {
      registerKernel({
        kernelName: LSTM_BACKWARD,
        backendName,
        kernelFunc: lstmBackward as unknown as KernelFunc,
      });
    }
  }
  registered = true;
}
