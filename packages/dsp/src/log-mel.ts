import type { ResolvedLogMelOptions } from './options.js';

/** librosa's `amin`: the absolute power floor applied before the log. */
export const AMIN = 1e-10;

/**
 * Silence threshold on a clip's **peak mel power** (same units as {@link melPower}: slaney-normalized mel
 * power of float samples in [−1, 1]). A clip whose peak is at or below it is treated as silent: every output
 * value is the floor (0 with 'db-range', −(topDb ?? 80) dB with 'none').
 *
 * Why: librosa's `power_to_db(ref=np.max)` is relative to the clip's own peak, so digital silence comes out as
 * 0 dB everywhere, i.e. as loud as a full-scale clip. 1e-8 is amin·10² (20 dB above librosa's floor), about the
 * peak a 16-bit dither noise floor (≈ −96 dBFS) produces with the default options; a 1 kHz sine at 1e-4
 * amplitude (−80 dBFS) peaks near 1e-5 and is *not* silent (it keeps librosa's values: floor −50.2 dB).
 */
export const SILENCE_PEAK_POWER = 1e-8;

const DB_PER_LN = 10 / Math.LN10;

/** Result of scanning a clip's mel power. @internal */
export interface PeakScan {
  readonly peak: number;
  /** False when some value is NaN or ±Infinity. */
  readonly finite: boolean;
}

/** Peak of the mel power and whether all of it is finite. @internal */
export function scanPeak(power: Float32Array): PeakScan {
  let peak = 0;
  let sum = 0;
  for (let i = 0; i < power.length; i++) {
    const p = power[i]!;
    sum += p;
    if (p > peak) peak = p;
  }
  return { peak, finite: Number.isFinite(sum) };
}

/**
 * Turns frame-major mel power `[frames][nMels]` into the extractor's output `[kept][nMels]`:
 * dB re the clip's peak (librosa `power_to_db(ref=np.max, amin=1e-10, top_db)`), then the normalization;
 * frames past the clip are filled with the clip's floor value; silent clips (peak ≤ SILENCE_PEAK_POWER) are the
 * floor everywhere. @internal
 */
export function logMelFromPower(
  power: Float32Array,
  frames: number,
  peak: number,
  o: ResolvedLogMelOptions,
  out: Float32Array,
): void {
  const nMels = o.nMels;
  const kept = o.frames ?? frames;
  const used = Math.min(kept, frames) * nMels;
  const range = o.topDb ?? 80;
  const dbRange = o.normalize === 'db-range';
  if (peak <= SILENCE_PEAK_POWER) {
    out.fill(dbRange ? 0 : -range, 0, kept * nMels);
    return;
  }
  const refDb = DB_PER_LN * Math.log(Math.max(AMIN, peak));
  // Lowest dB value kept: librosa clips at max(db) − topDb, and max(db) is exactly 0 here.
  const lowDb = dbRange ? -range : o.topDb === null ? Number.NEGATIVE_INFINITY : -o.topDb;
  const floorDb = Math.max(DB_PER_LN * Math.log(AMIN) - refDb, lowDb);
  if (dbRange) {
    const scale = DB_PER_LN / range;
    const offset = 1 - refDb / range;
    for (let i = 0; i < used; i++) {
      const v = scale * Math.log(Math.max(AMIN, power[i]!)) + offset;
      out[i] = v > 0 ? v : 0;
    }
    out.fill(1 + floorDb / range, used, kept * nMels);
  } else {
    for (let i = 0; i < used; i++) {
      const db = DB_PER_LN * Math.log(Math.max(AMIN, power[i]!)) - refDb;
      out[i] = db > lowDb ? db : lowDb;
    }
    out.fill(floorDb, used, kept * nMels);
  }
}
