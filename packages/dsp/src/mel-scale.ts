/** Which mel scale converts between hertz and mels. */
export type MelScale = 'slaney' | 'htk';

const F_SP = 200 / 3;
const MIN_LOG_HZ = 1000;
const MIN_LOG_MEL = MIN_LOG_HZ / F_SP;
const LOG_STEP = Math.log(6.4) / 27;

/**
 * Hertz to mels, as librosa's `hz_to_mel`.
 *
 * @param hz - Frequency in Hz, ≥ 0.
 * @param scale - `'slaney'` (linear below 1 kHz, logarithmic above; librosa's default) or `'htk'`.
 * @returns The frequency in mels.
 */
export function hzToMel(hz: number, scale: MelScale = 'slaney'): number {
  if (scale === 'htk') return 2595 * Math.log10(1 + hz / 700);
  if (hz >= MIN_LOG_HZ) return MIN_LOG_MEL + Math.log(hz / MIN_LOG_HZ) / LOG_STEP;
  return hz / F_SP;
}

/**
 * Mels to hertz, as librosa's `mel_to_hz` (inverse of {@link hzToMel}).
 *
 * @param mel - Mels, ≥ 0.
 * @param scale - `'slaney'` or `'htk'`.
 * @returns The frequency in Hz.
 */
export function melToHz(mel: number, scale: MelScale = 'slaney'): number {
  if (scale === 'htk') return 700 * (10 ** (mel / 2595) - 1);
  if (mel >= MIN_LOG_MEL) return MIN_LOG_HZ * Math.exp(LOG_STEP * (mel - MIN_LOG_MEL));
  return F_SP * mel;
}

/** numpy.linspace(start, stop, n) with the last element exactly `stop`. */
export function linspace(start: number, stop: number, n: number): Float64Array {
  const out = new Float64Array(n);
  if (n === 1) {
    out[0] = start;
    return out;
  }
  const step = (stop - start) / (n - 1);
  for (let i = 0; i < n; i++) out[i] = start + i * step;
  out[n - 1] = stop;
  return out;
}
