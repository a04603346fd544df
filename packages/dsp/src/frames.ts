import { DspInputError } from './errors.js';
import type { ResolvedStftOptions } from './options.js';

/**
 * Number of STFT frames librosa produces for `numSamples` samples (before any cropping).
 * center: 1 + ⌊n/hop⌋. Not centred: 1 + ⌊(n − nFft)/hop⌋, and 1 for a clip shorter than nFft (zero-padded).
 *
 * @param numSamples - Clip length in samples, an integer ≥ 1.
 * @param options - Resolved framing options.
 * @throws {DspInputError} When `numSamples` is not an integer ≥ 1.
 */
export function frameCountFor(numSamples: number, options: ResolvedStftOptions): number {
  if (!Number.isInteger(numSamples) || numSamples < 1) {
    throw new DspInputError('numSamples', String(numSamples), 'an integer ≥ 1 (an empty clip has no frames)');
  }
  if (options.center) return 1 + Math.floor(numSamples / options.hop);
  if (numSamples < options.nFft) return 1;
  return 1 + Math.floor((numSamples - options.nFft) / options.hop);
}

/** Samples the padded signal of `frames` frames spans. @internal */
export function paddedLength(frames: number, options: ResolvedStftOptions): number {
  return (frames - 1) * options.hop + options.nFft;
}

/**
 * Writes `samples` into `dest[at, at + length)` as the frames see them: nFft/2 leading zeros when centred, zeros
 * after the clip. @internal
 */
export function writePadded(
  samples: Float32Array,
  dest: Float32Array,
  at: number,
  length: number,
  options: ResolvedStftOptions,
): void {
  const lead = options.center ? options.nFft / 2 : 0;
  const copied = Math.min(samples.length, length - lead);
  dest.fill(0, at, at + lead);
  dest.set(copied === samples.length ? samples : samples.subarray(0, copied), at + lead);
  dest.fill(0, at + lead + copied, at + length);
}

/**
 * Checks that a clip is non-empty and every sample is finite. @internal
 * @throws {DspInputError} naming the parameter, the first bad index and its value.
 */
export function assertSamples(samples: Float32Array, parameter = 'samples'): void {
  if (!(samples instanceof Float32Array)) {
    throw new DspInputError(parameter, typeof samples, 'a Float32Array of audio samples');
  }
  if (samples.length === 0) {
    throw new DspInputError(parameter, 'an empty Float32Array', 'at least 1 sample');
  }
}

/** Index of the first non-finite sample, or −1. @internal */
export function firstNonFinite(samples: Float32Array): number {
  for (let i = 0; i < samples.length; i++) {
    if (!Number.isFinite(samples[i]!)) return i;
  }
  return -1;
}

/** Throws the error for a non-finite sample at `index`. @internal */
export function nonFiniteError(samples: Float32Array, index: number, parameter = 'samples'): DspInputError {
  return new DspInputError(
    parameter,
    `${samples[index]} at index ${index}`,
    'finite samples (no NaN or ±Infinity), typically in [−1, 1]',
  );
}
