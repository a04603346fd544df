import { createSpectralPlan } from './fft-plan.js';
import { assertSamples, firstNonFinite, frameCountFor, nonFiniteError } from './frames.js';
import { JsEngine } from './js-engine.js';
import { resolveStftOptions, type StftOptions } from './options.js';
import type { Spectrogram } from './spectrogram.js';

/**
 * Power spectrogram `|STFT|²` like librosa `np.abs(stft(y, n_fft, hop_length, window='hann', center,
 * pad_mode='constant'))**2`, computed by the TypeScript implementation (synchronous; no WASM needed).
 *
 * @param samples - Mono audio, finite, ≥ 1 sample. Clips shorter than one frame are zero-padded.
 * @param options - nFft (power of two, default 1024), hop (≥ 1, default 512), center (default true).
 * @returns Frame-major `[frames][nFft/2 + 1]` power.
 * @throws {DspOptionError} For invalid options. @throws {DspInputError} For empty or non-finite samples.
 */
export function stftPower(samples: Float32Array, options: StftOptions = {}): Spectrogram {
  const stft = resolveStftOptions(options);
  assertSamples(samples);
  const bad = firstNonFinite(samples);
  if (bad >= 0) throw nonFiniteError(samples, bad);
  const frames = frameCountFor(samples.length, stft);
  const engine = new JsEngine(createSpectralPlan(stft, null), stft);
  const data = engine.stftPower(samples, frames).slice();
  return { data, frames, bands: stft.nFft / 2 + 1 };
}
