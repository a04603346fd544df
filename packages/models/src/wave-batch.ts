import type { LogMelExtractor } from '@timbre/dsp';
import { augmentWaveform, type ResolvedWaveAugmentOptions, waveAugmentSeed } from './augment-audio.js';
import { DataError } from './errors.js';
import type { FeatureData } from './features.js';
import { createExtractorFor } from './inference.js';
import type { DspParameters } from './model-metadata.js';

/**
 * The audio of the training clips, for waveform augmentation at training time: row i of `samples` is the
 * clip whose features are row i of the training set.
 */
export interface TrainingAudio {
  /** `[n × clipSamples]` mono clips, concatenated in training-set row order. */
  samples: Float32Array;
  /** Samples per clip (e.g. 44100 for 1-s clips at 44.1 kHz). */
  clipSamples: number;
  /**
   * The log-mel parameters the training features were computed with (`dsp.sampleRate` is the clips'
   * rate); augmented clips go through exactly these.
   */
  dsp: DspParameters;
}

/** Makes training batches from augmented audio: waveform augmentation, then `@timbre/dsp` log-mel. */
export interface WaveBatcher {
  /** Features `[b][nFrames][nMels]` and labels `[b]` of the clips `idx` in epoch `epoch` (0-based). */
  batch(idx: ArrayLike<number>, epoch: number): { x: Float32Array; y: Int32Array };
  dispose(): void;
}

/**
 * Checks the audio against the training set (row count, shape, and that the first clip's features equal
 * the set's first row within 1e-3) and returns a batcher. Each clip's augmentation is seeded by
 * (seed, epoch, clip row) alone, so batches do not depend on batch size, worker count or resume.
 * @throws {DataError} when the audio does not match the training set.
 */
export async function createWaveBatcher(
  audio: TrainingAudio,
  train: FeatureData,
  options: ResolvedWaveAugmentOptions,
  seed: number,
): Promise<WaveBatcher> {
  const n = train.y.length;
  const { clipSamples, dsp } = audio;
  if (!Number.isInteger(clipSamples) || clipSamples < 1 || audio.samples.length !== n * clipSamples)
    throw new DataError(
      `audio: ${audio.samples.length} samples is not ${n} training clips × clipSamples ${clipSamples}`,
    );
  if (dsp.nMels !== train.nMels || dsp.frames !== train.nFrames)
    throw new DataError(
      `audio.dsp gives ${dsp.nMels}×${dsp.frames} features; the training set has ${train.nMels}×${train.nFrames}`,
    );
  const extractor: LogMelExtractor = await createExtractorFor(dsp);
  const stride = train.nFrames * train.nMels;
  const first = extractor.compute(audio.samples.subarray(0, clipSamples));
  let worst = 0;
  for (let i = 0; i < stride; i++) worst = Math.max(worst, Math.abs(first[i]! - train.x[i]!));
  if (!(worst <= 1e-3)) {
    extractor.dispose();
    throw new DataError(
      `audio row 0 does not give training row 0's features (max difference ${worst.toExponential(2)}): the audio must be in training-set order and computed with audio.dsp`,
    );
  }
  const sr = dsp.sampleRate;
  return {
    batch(idx, epoch) {
      const x = new Float32Array(idx.length * stride);
      const y = new Int32Array(idx.length);
      for (let k = 0; k < idx.length; k++) {
        const i = idx[k]!;
        const clip = audio.samples.subarray(i * clipSamples, (i + 1) * clipSamples);
        const aug = augmentWaveform(clip, sr, options, waveAugmentSeed(seed, epoch, i));
        x.set(extractor.compute(aug), k * stride);
        y[k] = train.y[i]!;
      }
      return { x, y };
    },
    dispose: () => extractor.dispose(),
  };
}
