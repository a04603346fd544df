import type { SpectralEngine } from './engine.js';
import { DspDisposedError, DspInputError, DspOptionError } from './errors.js';
import { createSpectralPlan } from './fft-plan.js';
import { assertSamples, firstNonFinite, frameCountFor, nonFiniteError } from './frames.js';
import { JsEngine } from './js-engine.js';
import { logMelInto } from './log-mel.js';
import {
  type DspImplementation,
  IMPLEMENTATIONS,
  type LogMelOptions,
  type ResolvedLogMelOptions,
  resolveLogMelOptions,
} from './options.js';
import { WasmEngine } from './wasm-engine.js';
import { availableImplementations } from './wasm-modules.js';

/** Computes normalized log-mel spectrograms of mono clips with one fixed configuration. */
export interface LogMelExtractor {
  /** The implementation in use. */
  readonly implementation: DspImplementation;
  /** The options in use, defaults applied. */
  readonly options: ResolvedLogMelOptions;
  /**
   * Frames the STFT yields for a clip of `numSamples` samples, before cropping/padding to `options.frames`.
   * @param numSamples - An integer ≥ 1.
   * @throws {DspInputError} When numSamples is not an integer ≥ 1.
   */
  frameCount(numSamples: number): number;
  /**
   * Log-mel spectrogram of one clip, **frame-major** `[frames][nMels]` (length frames·nMels, where frames is
   * `options.frames`, or `frameCount(samples.length)` when that is null).
   * @param samples - Mono audio at `options.sampleRate`, finite, ≥ 1 sample (shorter than one frame: zero-padded).
   * @param out - Optional destination of exactly that length (reused across calls to avoid allocation).
   * @returns `out`, or a new Float32Array.
   * @throws {DspInputError} For empty or non-finite samples or a wrongly sized `out`.
   * @throws {DspDisposedError} After {@link dispose}.
   */
  compute(samples: Float32Array, out?: Float32Array): Float32Array;
  /**
   * {@link compute} for several clips, concatenated `[clips][frames][nMels]`. With `frames: null` every clip
   * must yield the same number of frames.
   * @throws {DspInputError} For an empty list, a bad clip (named `clips[i]`) or unequal frame counts.
   */
  computeBatch(clips: readonly Float32Array[]): Float32Array;
  /** Releases the engine's buffers; later calls throw {@link DspDisposedError}. Idempotent. */
  dispose(): void;
}

/**
 * Creates a log-mel extractor: librosa's melspectrogram + `power_to_db(ref=np.max)` per clip, then the
 * chosen normalization, cropped/padded to a fixed frame count. Defaults follow the paper: 44.1 kHz,
 * nFft 1024, hop 512, 64 slaney mel bands over 0–22050 Hz, centred frames, top_db 80, 'db-range' to [0, 1],
 * 80 frames.
 *
 * @param options - See {@link LogMelOptions} for each option's default and valid range.
 * @returns A ready extractor using `options.implementation`, or the fastest available implementation.
 * @throws {DspOptionError} For an invalid option (named in the error), including an unavailable implementation
 *   and a band count that leaves a mel band without FFT bins.
 */
export async function createLogMelExtractor(options: LogMelOptions = {}): Promise<LogMelExtractor> {
  const available = availableImplementations();
  const requested = options.implementation ?? available[0]!;
  if (!IMPLEMENTATIONS.includes(requested)) {
    throw new DspOptionError(
      'implementation',
      requested,
      `one of ${IMPLEMENTATIONS.map((i) => `'${i}'`).join(', ')}`,
    );
  }
  if (!available.includes(requested)) {
    throw new DspOptionError(
      'implementation',
      requested,
      `one this runtime supports: ${available.map((i) => `'${i}'`).join(', ')}`,
    );
  }
  const resolved = resolveLogMelOptions(options, requested);
  const plan = createSpectralPlan(resolved, resolved);
  const engine =
    requested === 'js' ? new JsEngine(plan, resolved) : await WasmEngine.create(requested, plan, resolved);
  return new Extractor(engine, resolved);
}

/**
 * Size of the WebAssembly linear memory behind an extractor, for leak checks: it grows only when a longer clip
 * than any before arrives, never per call.
 *
 * @param extractor - An extractor from {@link createLogMelExtractor}.
 * @returns Bytes of WASM memory, or null for the 'js' implementation or a disposed extractor.
 */
export function wasmMemoryBytes(extractor: LogMelExtractor): number | null {
  if (!(extractor instanceof Extractor) || extractor.implementation === 'js') return null;
  return extractor.engineMemoryBytes();
}

class Extractor implements LogMelExtractor {
  readonly implementation: DspImplementation;
  readonly options: ResolvedLogMelOptions;
  private engine: SpectralEngine | null;

  constructor(engine: SpectralEngine, options: ResolvedLogMelOptions) {
    this.engine = engine;
    this.implementation = engine.implementation;
    this.options = Object.freeze({ ...options });
  }

  frameCount(numSamples: number): number {
    return frameCountFor(numSamples, this.options);
  }

  compute(samples: Float32Array, out?: Float32Array): Float32Array {
    return this.computeInto(samples, out, 'samples');
  }

  computeBatch(clips: readonly Float32Array[]): Float32Array {
    if (!Array.isArray(clips) || clips.length === 0) {
      throw new DspInputError(
        'clips',
        Array.isArray(clips) ? 'an empty array' : typeof clips,
        'at least one clip',
      );
    }
    let frames = this.options.frames;
    if (frames === null) {
      for (let i = 0; i < clips.length; i++) {
        const clip = clips[i]!;
        assertSamples(clip, `clips[${i}]`);
        const f = this.frameCount(clip.length);
        if (frames !== null && f !== frames) {
          throw new DspInputError(
            `clips[${i}]`,
            `${clip.length} samples (${f} frames, clips[0] has ${frames})`,
            'clips of equal frame count when options.frames is null (or set options.frames)',
          );
        }
        frames = f;
      }
    }
    const size = (frames ?? 0) * this.options.nMels;
    const out = new Float32Array(clips.length * size);
    for (let i = 0; i < clips.length; i++) {
      this.computeInto(clips[i]!, out.subarray(i * size, (i + 1) * size), `clips[${i}]`);
    }
    return out;
  }

  /** @internal */
  engineMemoryBytes(): number | null {
    return this.engine ? this.engine.memoryBytes() : null;
  }

  dispose(): void {
    this.engine?.dispose();
    this.engine = null;
  }

  private computeInto(samples: Float32Array, out: Float32Array | undefined, name: string): Float32Array {
    const engine = this.engine;
    if (!engine) throw new DspDisposedError();
    assertSamples(samples, name);
    const o = this.options;
    const frames = this.frameCount(samples.length);
    const size = (o.frames ?? frames) * o.nMels;
    if (out === undefined) {
      out = new Float32Array(size);
    } else if (!(out instanceof Float32Array) || out.length !== size) {
      throw new DspInputError(
        'out',
        out instanceof Float32Array ? `length ${out.length}` : typeof out,
        `a Float32Array of length ${size} (frames × nMels)`,
      );
    }
    const power = engine.melPower(samples, frames);
    const peak = engine.peak(power.length);
    if (!Number.isFinite(peak)) {
      const bad = firstNonFinite(samples);
      if (bad >= 0) throw nonFiniteError(samples, bad, name);
      throw new DspInputError(
        name,
        'samples so large that the power overflows float32',
        'samples of magnitude ≲ 1e15',
      );
    }
    logMelInto(engine, power, frames, peak, o, out);
    return out;
  }
}
