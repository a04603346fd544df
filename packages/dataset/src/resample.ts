import libsamplerate from '@alexanderolsen/libsamplerate-js';
import { OptionError } from './errors.js';

/** libsamplerate converter quality. `'medium'` (SRC_SINC_MEDIUM_QUALITY, 121 dB SNR, ~97% bandwidth) is the default. */
export type ResampleQuality = 'best' | 'medium' | 'fastest';

const CONVERTER: Record<ResampleQuality, 0 | 1 | 2> = { best: 0, medium: 1, fastest: 2 };

/**
 * Resample a mono signal with libsamplerate (WASM port, band-limited sinc interpolation).
 * @param samples Mono samples.
 * @param fromRate Source rate in Hz, 1–192000.
 * @param toRate Target rate in Hz, 1–192000.
 * @param quality Converter, default `'medium'`.
 * @returns A new array of length ≈ samples.length × toRate / fromRate (the input itself if rates match).
 */
export async function resampleMono(
  samples: Float32Array,
  fromRate: number,
  toRate: number,
  quality: ResampleQuality = 'medium',
): Promise<Float32Array> {
  for (const [name, rate] of [
    ['fromRate', fromRate],
    ['toRate', toRate],
  ] as const) {
    if (!Number.isInteger(rate) || rate < 1 || rate > 192000) {
      throw new OptionError(name, 'an integer sample rate in 1..192000 Hz', rate);
    }
  }
  if (fromRate === toRate) return samples;
  const src = await libsamplerate.create(1, fromRate, toRate, { converterType: CONVERTER[quality] });
  try {
    return src.simple(samples);
  } finally {
    src.destroy();
  }
}
