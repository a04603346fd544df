import { OptionError } from './errors.js';

/** How frame power is measured before differentiating. */
export type PowerScale = 'linear' | 'log';

/** Options of {@link findOnset}. */
export interface OnsetOptions {
  /** Power frame length in milliseconds (non-overlapping frames), 1–200; default 10. */
  frameMs?: number;
  /**
   * `'log'` (default) differentiates power in dB (floored `floorDb` below the loudest frame);
   * `'linear'` differentiates mean-square power. On the SoundFont corpus `'log'` finds the note-on within
   * 50 ms for every note, `'linear'` is late for most slow-attack (Fluid-family) notes — see the README.
   */
  power?: PowerScale;
  /** Log power floor in dB below the loudest frame, 10–200; default 80. Only used with `power: 'log'`. */
  floorDb?: number;
}

/** Options of {@link trimClip}. */
export interface TrimOptions extends OnsetOptions {
  /** Clip length in seconds, > 0; default 1. */
  durationS?: number;
  /** A clip whose RMS is below this level (dBFS) is flagged `silent`; default −60. */
  silenceDb?: number;
}

/** A clip cut at the detected onset. */
export interface TrimmedClip {
  /** Exactly `round(durationS × sampleRate)` samples; zero-padded when the source ends early. */
  samples: Float32Array;
  /** Detected onset in seconds from the start of the source. */
  onsetS: number;
  /** True when the source had fewer samples than the clip after the onset. */
  padded: boolean;
  /** True when the clip's RMS is below `silenceDb` (near-silent, likely useless for training). */
  silent: boolean;
  /** Clip RMS in dBFS (−Infinity for digital silence). */
  rmsDb: number;
}

function check(name: string, v: number, lo: number, hi: number): number {
  if (!Number.isFinite(v) || v < lo || v > hi) throw new OptionError(name, `a number in [${lo}, ${hi}]`, v);
  return v;
}

/**
 * Find the onset as the start of the frame where frame power rises most (paper §3.1: the maximum of the
 * derivative of the signal power).
 * @param samples Mono signal.
 * @param sampleRate Hz, > 0.
 * @returns The onset as a sample index (0 for empty or all-zero input).
 */
export function findOnset(samples: Float32Array, sampleRate: number, options: OnsetOptions = {}): number {
  const frameMs = check('frameMs', options.frameMs ?? 10, 1, 200);
  const floorDb = check('floorDb', options.floorDb ?? 80, 10, 200);
  const scale = options.power ?? 'log';
  if (scale !== 'log' && scale !== 'linear') throw new OptionError('power', "'linear' or 'log'", scale);
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
  if (scale === 'log') {
    const floor = peak * 10 ** (-floorDb / 10);
    for (let f = 0; f < nFrames; f++) power[f] = 10 * Math.log10(Math.max(power[f]!, floor));
  }
  // Frame 0 compared with what came before it: silence (floor) — so a signal that starts at once has onset 0.
  let best = 0;
  let bestRise = power[0]! - (scale === 'log' ? 10 * Math.log10(peak * 10 ** (-floorDb / 10)) : 0);
  for (let f = 1; f < nFrames; f++) {
    const rise = power[f]! - power[f - 1]!;
    if (rise > bestRise) {
      bestRise = rise;
      best = f;
    }
  }
  return best * frame;
}

/**
 * Cut a clip of `durationS` starting at the detected onset; zero-pad when the source is too short and
 * flag near-silent clips.
 * @param samples Mono signal.
 * @param sampleRate Hz, > 0.
 */
export function trimClip(samples: Float32Array, sampleRate: number, options: TrimOptions = {}): TrimmedClip {
  const durationS = check('durationS', options.durationS ?? 1, 1e-3, 3600);
  const silenceDb = check('silenceDb', options.silenceDb ?? -60, -400, 0);
  const onset = findOnset(samples, sampleRate, options);
  const n = Math.round(durationS * sampleRate);
  const out = new Float32Array(n);
  const avail = Math.max(0, Math.min(n, samples.length - onset));
  out.set(samples.subarray(onset, onset + avail));
  let s = 0;
  for (let i = 0; i < n; i++) s += out[i]! * out[i]!;
  const rmsDb = 10 * Math.log10(s / n);
  return {
    samples: out,
    onsetS: onset / sampleRate,
    padded: avail < n,
    silent: !(rmsDb >= silenceDb),
    rmsDb,
  };
}
