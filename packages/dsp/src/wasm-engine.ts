import type { SpectralEngine } from './engine.js';
import type { SpectralPlan } from './fft-plan.js';
import { paddedLength, writePadded } from './frames.js';
import type { ResolvedStftOptions } from './options.js';
import { type WasmMemory, wasmApi } from './wasm-api.js';
import { compileKernel, type WasmKernel } from './wasm-modules.js';

/** The kernel's exports (assembly/index.ts). Addresses are byte offsets into `memory`. */
interface KernelExports {
  readonly memory: WasmMemory;
  heapBase(): number;
  simd(): number;
  configure(
    nFft: number,
    hop: number,
    nMels: number,
    win: number,
    rev: number,
    tw: number,
    spRe: number,
    spIm: number,
    re: number,
    im: number,
    pow: number,
    melStart: number,
    melCount: number,
    melOff: number,
    melW: number,
  ): void;
  melFrames(signal: number, frames: number, out: number): void;
  stftFrames(signal: number, frames: number, out: number): void;
  peak(ptr: number, count: number): number;
  mapLog(ptr: number, count: number, amin: number, scale: number, offset: number, floor: number): void;
}

const PAGE = 65536;
const align16 = (n: number): number => (n + 15) & ~15;

/**
 * A WASM kernel instance with its own memory: the plan's tables are written once at the bottom of the
 * memory, followed by the signal and output buffers, which only grow (so repeated calls on clips of one
 * length never touch `memory.grow`). Typed-array views are remade whenever the memory has grown. @internal
 */
export class WasmEngine implements SpectralEngine {
  readonly implementation: WasmKernel;
  private readonly k: KernelExports;
  private readonly stft: ResolvedStftOptions;
  private readonly plan: SpectralPlan;
  private readonly dynamicStart: number;
  private signalPtr = 0;
  private signalCap = 0;
  private outPtr = 0;
  private outCap = 0;
  private buffer: ArrayBuffer | null = null;
  private f32 = new Float32Array(0);
  private view = new Float32Array(0);
  private disposed = false;

  /** Compiles (once per process) and instantiates the kernel, then writes the plan into its memory. */
  static async create(
    kernel: WasmKernel,
    plan: SpectralPlan,
    stft: ResolvedStftOptions,
  ): Promise<WasmEngine> {
    const module = await compileKernel(kernel);
    const api = wasmApi();
    if (!api) throw new Error('WebAssembly is not available');
    const instance = await api.instantiate(module, {});
    return new WasmEngine(kernel, instance.exports as unknown as KernelExports, plan, stft);
  }

  private constructor(kernel: WasmKernel, k: KernelExports, plan: SpectralPlan, stft: ResolvedStftOptions) {
    this.implementation = kernel;
    this.k = k;
    this.plan = plan;
    this.stft = stft;
    const mel = plan.mel;
    let at = align16(k.heapBase());
    const take = (elements: number): number => {
      const ptr = at;
      at = align16(at + elements * 4);
      return ptr;
    };
    const win = take(plan.nFft);
    const rev = take(plan.half);
    const tw = take(plan.tw.length);
    const spRe = take(plan.spRe.length);
    const spIm = take(plan.spIm.length);
    const re = take(plan.half);
    const im = take(plan.half);
    const pow = take(plan.bins + 4);
    const nMels = mel?.nMels ?? 0;
    const melStart = take(nMels);
    const melCount = take(nMels);
    const melOff = take(nMels);
    const melW = take(mel?.weights.length ?? 0);
    this.dynamicStart = at;
    this.ensureBytes(at);
    const f32 = this.f32;
    const i32 = new Int32Array(f32.buffer);
    f32.set(plan.window, win >> 2);
    i32.set(plan.bitrev, rev >> 2);
    f32.set(plan.tw, tw >> 2);
    f32.set(plan.spRe, spRe >> 2);
    f32.set(plan.spIm, spIm >> 2);
    f32.fill(0, pow >> 2, (pow >> 2) + plan.bins + 4);
    if (mel) {
      i32.set(mel.start, melStart >> 2);
      i32.set(mel.count, melCount >> 2);
      i32.set(mel.offset, melOff >> 2);
      f32.set(mel.weights, melW >> 2);
    }
    k.configure(
      plan.nFft,
      plan.hop,
      nMels,
      win,
      rev,
      tw,
      spRe,
      spIm,
      re,
      im,
      pow,
      melStart,
      melCount,
      melOff,
      melW,
    );
  }

  peak(count: number): number {
    return this.k.peak(this.outPtr, count);
  }

  mapLog(count: number, amin: number, scale: number, offset: number, floor: number): void {
    this.k.mapLog(this.outPtr, count, amin, scale, offset, floor);
  }

  memoryBytes(): number {
    return this.k.memory.buffer.byteLength;
  }

  dispose(): void {
    this.disposed = true;
    this.buffer = null;
    this.f32 = new Float32Array(0);
    this.view = new Float32Array(0);
  }

  /** Grows the memory to at least `bytes` and refreshes the views if it moved. */
  private ensureBytes(bytes: number): void {
    const memory = this.k.memory;
    const have = memory.buffer.byteLength;
    if (bytes > have) memory.grow(Math.ceil((bytes - have) / PAGE));
    if (memory.buffer !== this.buffer) {
      this.buffer = memory.buffer as ArrayBuffer;
      this.f32 = new Float32Array(this.buffer);
      this.view = new Float32Array(0);
    }
  }

  /** Makes room for a padded signal and an output, writes the signal; returns the output's element offset. */
  private load(samples: Float32Array, frames: number, width: number): number {
    if (this.disposed) throw new Error('internal: engine disposed');
    const length = paddedLength(frames, this.stft);
    const outLength = frames * width;
    if (length > this.signalCap || outLength > this.outCap) {
      this.signalCap = Math.max(length, this.signalCap);
      this.outCap = Math.max(outLength, this.outCap);
      this.signalPtr = this.dynamicStart;
      this.outPtr = align16(this.signalPtr + this.signalCap * 4);
      this.ensureBytes(this.outPtr + this.outCap * 4);
    } else {
      this.ensureBytes(0);
    }
    writePadded(samples, this.f32, this.signalPtr >> 2, length, this.stft);
    return outLength;
  }

  private result(outLength: number): Float32Array {
    const first = this.outPtr >> 2;
    if (this.view.length !== outLength || this.view.byteOffset !== this.outPtr) {
      this.view = this.f32.subarray(first, first + outLength);
    }
    return this.view;
  }

  melPower(samples: Float32Array, frames: number): Float32Array {
    const nMels = this.plan.mel?.nMels;
    if (!nMels) throw new Error('internal: plan has no filterbank');
    const outLength = this.load(samples, frames, nMels);
    this.k.melFrames(this.signalPtr, frames, this.outPtr);
    return this.result(outLength);
  }

  stftPower(samples: Float32Array, frames: number): Float32Array {
    const outLength = this.load(samples, frames, this.plan.bins);
    this.k.stftFrames(this.signalPtr, frames, this.outPtr);
    return this.result(outLength);
  }
}
