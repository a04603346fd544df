/**
 * Onset detection, ported from `@timbre/dataset`'s `findOnset` (which imports `node:fs` elsewhere in its
 * package and cannot be bundled for the browser). Paper §3.1: the onset is the start of the frame where
 * frame power rises most — the maximum of the derivative of log power over non-overlapping 10 ms frames.
 */

/** Options of {@link findOnset}; the defaults are the dataset's (10 ms frames, 80 dB floor). */
export interface OnsetOptions {
  /** Power frame length in milliseconds, > 0; default 10. */
  frameMs?: number;
  /** Log power floor in dB below the loudest frame, > 0; default 80. */
  floorDb?: number;
}

/**
 * The detected onset of a mono signal.
 *
 * @param samples Mono signal.
 * @param sampleRate Hz, > 0.
 * @returns A sample index, a multiple of the frame length (0 for empty, very short or all-zero input).
 */
export function findOnset(samples: Float32Array, sampleRate: number, options: OnsetOptions = {}): number {
  const frameMs = options.frameMs ?? 10;
  const floorDb = options.floorDb ?? 80;
  const frame = Math.max(1, Math.round((frameMs / 1000) * sampleRate));
  const nFrames = Math.floor(samples.length / frame);
  if (nFrames < 2) return 0;
  const power = new Float64Array(nFrames);
  let peak = 0;
  for (let f = 0; f < nFrames; f++) {
    let s = 0;
    for (let i = f * frame, end = i + frame; i < end; i++) s += samples[i]! * samples[i]!;
    power[f] = s / frame;
    if (power[f]! > peak) peak = power[f]!;
  }
  if (peak === 0) return 0;
  const floor = peak * 10 ** (-floorDb / 10);
  for (let f = 0; f < nFrames; f++) power[f] = 10 * Math.log10(Math.max(power[f]!, floor));
  // Frame 0 is compared with silence (the floor), so a signal that starts at once has its onset at 0.
  let best = 0;
  let bestRise = power[0]! - 10 * Math.log10(floor);
  for (let f = 1; f < nFrames; f++) {
    const rise = power[f]! - power[f - 1]!;
    if (rise > bestRise) {
      bestRise = rise;
      best = f;
    }
  }
  return best * frame;
}
