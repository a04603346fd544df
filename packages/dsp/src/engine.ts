import type { DspImplementation } from './options.js';

/**
 * What an implementation provides to the extractor: mel power and STFT power of a whole clip, frame-major,
 * into a buffer the engine owns. @internal
 */
export interface SpectralEngine {
  readonly implementation: DspImplementation;
  /**
   * Mel power `[frames][nMels]` of `samples` (padded as the plan's framing says). The returned view is owned by
   * the engine and valid until the next call.
   */
  melPower(samples: Float32Array, frames: number): Float32Array;
  /** Power spectrum `[frames][nFft/2 + 1]`; same ownership rule as {@link melPower}. */
  stftPower(samples: Float32Array, frames: number): Float32Array;
  /** Largest of the first `count` values of the last result (NaN or ±Infinity when some value is not finite). */
  peak(count: number): number;
  /**
   * In place over the first `count` values of the last result: v ← max(floor, scale·ln(max(amin, v)) + offset).
   */
  mapLog(count: number, amin: number, scale: number, offset: number, floor: number): void;
  /** Bytes of engine-owned memory (the WASM memory for WASM engines). */
  memoryBytes(): number;
  dispose(): void;
}
