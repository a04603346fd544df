/** Synthetic test signals and a WAV encoder, shared by the unit and end-to-end tests. */

/** Options of {@link harmonicTone}. */
export interface ToneOptions {
  sampleRate: number;
  durationS: number;
  /** Fundamental, Hz. */
  f0: number;
  /** Silence before the note, seconds; default 0. */
  onsetS?: number;
  /** Harmonics (1 = pure sine); amplitudes fall as 1/k. Default 8. */
  harmonics?: number;
  /** Peak amplitude before the envelope; default 0.5. */
  amplitude?: number;
}

/** A harmonic tone with a 10 ms linear attack after `onsetS` of silence and a gentle exponential decay. */
export function harmonicTone(o: ToneOptions): Float32Array {
  const n = Math.round(o.durationS * o.sampleRate);
  const onset = Math.round((o.onsetS ?? 0) * o.sampleRate);
  const harmonics = o.harmonics ?? 8;
  const amp = o.amplitude ?? 0.5;
  const attack = Math.round(0.01 * o.sampleRate);
  let norm = 0;
  for (let k = 1; k <= harmonics; k++) norm += 1 / k;
  const out = new Float32Array(n);
  for (let i = onset; i < n; i++) {
    const t = (i - onset) / o.sampleRate;
    const env = Math.min(1, (i - onset) / attack) * Math.exp(-t * 0.8);
    let s = 0;
    for (let k = 1; k <= harmonics; k++) s += Math.sin(2 * Math.PI * k * o.f0 * t) / k;
    out[i] = (amp * env * s) / norm;
  }
  return out;
}

/** 16-bit PCM mono WAV bytes of `samples` (clipped to [-1, 1]). */
export function encodeWav(samples: Float32Array, sampleRate: number): Uint8Array {
  const bytes = new Uint8Array(44 + samples.length * 2);
  const v = new DataView(bytes.buffer);
  const ascii = (at: number, s: string) => {
    for (let i = 0; i < s.length; i++) v.setUint8(at + i, s.charCodeAt(i));
  };
  ascii(0, 'RIFF');
  v.setUint32(4, 36 + samples.length * 2, true);
  ascii(8, 'WAVE');
  ascii(12, 'fmt ');
  v.setUint32(16, 16, true);
  v.setUint16(20, 1, true); // PCM
  v.setUint16(22, 1, true); // mono
  v.setUint32(24, sampleRate, true);
  v.setUint32(28, sampleRate * 2, true);
  v.setUint16(32, 2, true);
  v.setUint16(34, 16, true);
  ascii(36, 'data');
  v.setUint32(40, samples.length * 2, true);
  for (let i = 0; i < samples.length; i++) {
    const s = Math.max(-1, Math.min(1, samples[i]!));
    v.setInt16(44 + i * 2, Math.round(s * 32767), true);
  }
  return bytes;
}
