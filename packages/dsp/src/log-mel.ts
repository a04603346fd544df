import type { SpectralEngine } from './engine.js';
import type { ResolvedLogMelOptions } from './options.js';

/** librosa's `amin`: the absolute power floor applied before the log (and to the reference). */
export const AMIN = 1e-10;

/**
 * Silence threshold on a clip's **peak mel power** (same units as `melPower`: slaney-normalized mel power of
 * float samples in [−1, 1]). A clip whose peak is at or below it is treated as silent: every output value is the
 * floor (0 with 'db-range', −(topDb ?? 80) dB with 'none').
 *
 * Why: librosa's `power_to_db(ref=np.max)` is relative to the clip's own peak, so digital silence comes out as
 * 0 dB everywhere, i.e. as loud as a full-scale clip. 1e-8 is amin·10² (20 dB above librosa's floor), about the
 * peak a 16-bit dither noise floor (≈ −96 dBFS) produces with the default options; a 1 kHz sine at 1e-4
 * amplitude (−80 dBFS) peaks near 1e-5 and is *not* silent (it keeps librosa's values: floor −50.2 dB).
 */
export const SILENCE_PEAK_POWER = 1e-8;

const DB_PER_LN = 10 / Math.LN10;

/**
 * Turns the engine's last mel power result `[frames][nMels]` (peak `peak`, finite) into the extractor's output
 * `[kept][nMels]` in `out`: dB re the clip's peak (librosa `power_to_db(ref=np.max, amin=1e-10, top_db)`), then
 * the normalization; frames past the clip get the clip's floor value (what a silent frame maps to); silent clips
 * (peak ≤ SILENCE_PEAK_POWER) are the floor everywhere. The dB mapping runs in place inside the engine. @internal
 */
export function logMelInto(
  engine: SpectralEngine,
  power: Float32Array,
  frames: number,
  peak: number,
  o: ResolvedLogMelOptions,
  out: Float32Array,
): void {
  const nMels = o.nMels;
  const size = (o.frames ?? frames) * nMels;
  const used = Math.min(o.frames ?? frames, frames) * nMels;
  const range = o.topDb ?? 80;
  const dbRange = o.normalize === 'db-range';
  if (peak <= SILENCE_PEAK_POWER) {
    out.fill(dbRange ? 0 : -range, 0, size);
    return;
  }
  const refDb = DB_PER_LN * Math.log(Math.max(AMIN, peak));
  // Lowest dB kept: librosa clips at max(db) − topDb, and max(db) is exactly 0 here.
  const lowDb = dbRange ? -range : o.topDb === null ? -Number.MAX_VALUE : -o.topDb;
  const floorDb = Math.max(DB_PER_LN * Math.log(AMIN) - refDb, lowDb);
  if (dbRange) {
    engine.mapLog(used, AMIN, DB_PER_LN / range, 1 - refDb / range, 0);
  } else {
    engine.mapLog(used, AMIN, DB_PER_LN, -refDb, lowDb);
  }
  out.set(used === power.length ? power : power.subarray(0, used));
  if (used < size) out.fill(dbRange ? 1 + floorDb / range : floorDb, used, size);
}
