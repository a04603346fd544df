import { createSpectralPlan } from './fft-plan.js';
import { assertSamples, firstNonFinite, frameCountFor, nonFiniteError } from './frames.js';
import { JsEngine } from './js-engine.js';
import { type MelPowerOptions, resolveMelFilterbankOptions, resolveStftOptions } from './options.js';
import type { Spectrogram } from './spectrogram.js';

/**
 * Mel power spectrogram like librosa `feature.melspectrogram(power=2.0)` (no dB, no normalization),
 * computed by the TypeScript implementation (synchronous). For repeated use, prefer an extractor.
 *
 * @param samples - Mono audio, finite, ≥ 1 sample. Clips shorter than one frame are zero-padded.
 * @param options - Framing and filterbank options (see {@link MelPowerOptions} for defaults and ranges).
 * @returns Frame-major `[frames][nMels]` mel power.
 * @throws {DspOptionError} For invalid options. @throws {DspInputError} For empty or non-finite samples.
 */
export function melPower(samples: Float32Array, options: MelPowerOptions = {}): Spectrogram {
  const stft = resolveStftOptions(options);
  const mel = resolveMelFilterbankOptions(options);
  assertSamples(samples);
  const bad = firstNonFinite(samples);
  if (bad >= 0) throw nonFiniteError(samples, bad);
  const frames = frameCountFor(samples.length, stft);
  const engine = new JsEngine(createSpectralPlan(stft, mel), stft);
  const data = engine.melPower(samples, frames).slice();
  return { data, frames, bands: mel.nMels };
}
