import { findOnset } from './onset.js';

/** How a recording is cut into model-sized windows (the CLI's `predictSamples` defaults). */
export interface WindowOptions {
  /** Window length in seconds, > 0; default 1 (the training clip length). */
  windowS?: number;
  /** Hop between window starts in seconds, > 0; default 0.5. */
  hopS?: number;
  /**
   * Start at the detected onset instead of at 0. `'auto'` (default, as in the CLI) trims audio shorter than
   * two windows — a single note, like the training clips — and starts longer recordings at 0.
   */
  trimOnset?: boolean | 'auto';
}

/** Where the windows of a recording lie, in samples. */
export interface WindowPlan {
  /** First window start (the onset when trimmed, else 0). */
  onset: number;
  /** Samples per window. */
  length: number;
  /** Samples between window starts. */
  hop: number;
  /** Window starts, ascending; at least one. */
  starts: number[];
}

function positive(name: string, v: number): number {
  if (!Number.isFinite(v) || v <= 0) throw new RangeError(`${name} must be a positive number; got ${v}`);
  return v;
}

/**
 * Plans the windows of mono audio: from the start (or onset) every `hopS`, as many whole windows as fit,
 * and always at least one (zero-padded when the audio is shorter than a window).
 *
 * @param samples Mono audio at `sampleRate`.
 * @param sampleRate Hz, > 0.
 */
export function planWindows(
  samples: Float32Array,
  sampleRate: number,
  options: WindowOptions = {},
): WindowPlan {
  positive('sampleRate', sampleRate);
  const length = Math.round(positive('windowS', options.windowS ?? 1) * sampleRate);
  const hop = Math.max(1, Math.round(positive('hopS', options.hopS ?? 0.5) * sampleRate));
  const trim = options.trimOnset ?? 'auto';
  const doTrim = trim === 'auto' ? samples.length < 2 * length : trim;
  const onset = doTrim && samples.length > 0 ? findOnset(samples, sampleRate) : 0;
  const avail = samples.length - onset;
  const count = avail <= length ? 1 : Math.floor((avail - length) / hop) + 1;
  const starts = Array.from({ length: count }, (_, w) => onset + w * hop);
  return { onset, length, hop, starts };
}

/**
 * Copies one window of `length` samples starting at `start`, zero-padded past the end of the audio.
 *
 * @param out Optional destination of `length` samples, reused across calls.
 */
export function sliceWindow(
  samples: Float32Array,
  start: number,
  length: number,
  out = new Float32Array(length),
): Float32Array {
  out.fill(0);
  out.set(samples.subarray(start, Math.min(samples.length, start + length)));
  return out;
}
