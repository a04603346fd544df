import { DspInputError, DspOptionError } from './errors.js';

/** Options of {@link powerToDb} (librosa `power_to_db` semantics). */
export interface PowerToDbOptions {
  /**
   * Reference power for 0 dB: `'max'` (the array's maximum, librosa `ref=np.max`) or a finite number > 0.
   * Default 'max' (note: librosa's own default is 1.0).
   */
  ref?: 'max' | number;
  /** Power floor applied before the log and to the reference: finite, > 0. Default 1e-10 (librosa's). */
  amin?: number;
  /** Clip everything more than topDb below the result's maximum: finite > 0, or null for no clipping. Default 80. */
  topDb?: number | null;
}

/**
 * Power to decibels exactly as librosa: `10·log10(max(amin, S)) − 10·log10(max(amin, ref))`, then
 * `max(db, max(db) − topDb)`. Computed in float64, returned as float32.
 *
 * Note librosa's quirks, kept on purpose: amin is absolute and applied before the reference, so quiet
 * clips bottom out above −topDb; an all-zero input gives 0 dB everywhere.
 *
 * @param power - Power values (≥ 0), any layout; not modified.
 * @param options - Reference, floor and clipping.
 * @returns A new Float32Array of dB values, same length and layout as `power`.
 * @throws {DspOptionError} For an invalid `ref`, `amin` or `topDb`.
 * @throws {DspInputError} For an empty or non-finite `power`.
 */
export function powerToDb(power: Float32Array, options: PowerToDbOptions = {}): Float32Array {
  const amin = options.amin ?? 1e-10;
  if (typeof amin !== 'number' || !Number.isFinite(amin) || amin <= 0) {
    throw new DspOptionError('amin', amin, 'a finite number > 0 (power)');
  }
  const ref = options.ref ?? 'max';
  if (ref !== 'max' && (typeof ref !== 'number' || !Number.isFinite(ref) || ref <= 0)) {
    throw new DspOptionError('ref', ref, "'max' or a finite number > 0 (power)");
  }
  const topDb = options.topDb === undefined ? 80 : options.topDb;
  if (topDb !== null && (typeof topDb !== 'number' || !Number.isFinite(topDb) || topDb <= 0)) {
    throw new DspOptionError('topDb', topDb, 'a finite number > 0 (dB) or null');
  }
  if (power.length === 0) throw new DspInputError('power', 'an empty array', 'at least one value');
  let peak = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < power.length; i++) {
    const p = power[i]!;
    if (!Number.isFinite(p)) throw new DspInputError('power', `${p} at index ${i}`, 'finite values ≥ 0');
    if (p > peak) peak = p;
  }
  const refValue = ref === 'max' ? peak : ref;
  const refDb = 10 * Math.log10(Math.max(amin, refValue));
  const out = new Float32Array(power.length);
  let maxDb = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < power.length; i++) {
    const db = 10 * Math.log10(Math.max(amin, power[i]!)) - refDb;
    out[i] = db;
    if (db > maxDb) maxDb = db;
  }
  if (topDb !== null) {
    const floor = Math.fround(maxDb - topDb);
    for (let i = 0; i < out.length; i++) if (out[i]! < floor) out[i] = floor;
  }
  return out;
}
