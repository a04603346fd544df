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
  /**
   * `[n × clipSamples]` mono clips, concatenated in training-set row order. On a `SharedArrayBuffer`
   * (as `@timbre/dataset`'s `loadClipAudio` returns it) the augmentation threads read it in place;
   * otherwise it is copied once into shared memory.
   */
  samples: Float32Array;
  /** Samples per clip (e.g. 44100 for 1-s clips at 44.1 kHz). */
  clipSamples: number;
  /**
   * The log-mel parameters the training features were computed with (`dsp.sampleRate` is the clips'
   * rate); augmented clips go through exactly these.
   */
  dsp: DspParameters;
}

/** A training batch: features `[b][nFrames·nMels]` and labels `[b]`. */
export interface WaveBatch {
  x: Float32Array;
  y: Int32Array;
}

/**
 * The training batches of a run with waveform augmentation: batch `b` of epoch `epoch` holds the clips
 * `order(epoch)[b·batchSize …]`, each augmented and through the DSP. Made inline
 * ({@link createInlineWaveFeed}) or ahead of time on worker threads (`wave-batch-pool.ts`): the same
 * values either way.
 */
export interface WaveFeed {
  /** Batch `b` (0-based) of epoch `epoch` (0-based). */
  take(epoch: number, b: number): Promise<WaveBatch>;
  /** Frees the DSP instance(s) and stops any threads; pending batches are dropped. Idempotent. */
  close(): Promise<void>;
}

/** How a run cuts its epochs into batches (shared by the training loop and the feeds). */
export interface BatchPlan {
  /** Shuffle order of an epoch: clip rows, a permutation of 0…n−1. */
  order(epoch: number): Uint32Array;
  batchSize: number;
  /** Epochs of the run (the feed prefetches no further). */
  epochs: number;
}

/** The clip rows of batch `b` of an epoch's order. */
export function batchRows(order: Uint32Array, batchSize: number, b: number): Uint32Array {
  return order.subarray(b * batchSize, Math.min(order.length, (b + 1) * batchSize));
}

/**
 * Writes the features of the clips `rows` (augmented for epoch `epoch`) into `out` (`rows.length ×
 * stride` floats). Each clip's augmentation is seeded by (seed, epoch, clip row) alone, so the values do
 * not depend on batch size, thread or resume. The one implementation of a batch's waveform path.
 */
export function waveFeatures(
  audio: { samples: Float32Array; clipSamples: number; sampleRate: number },
  extractor: LogMelExtractor,
  options: ResolvedWaveAugmentOptions,
  seed: number,
  epoch: number,
  rows: ArrayLike<number>,
  out: Float32Array,
): void {
  const { samples, clipSamples, sampleRate } = audio;
  const stride = out.length / Math.max(1, rows.length);
  const aug = new Float32Array(clipSamples);
  for (let k = 0; k < rows.length; k++) {
    const i = rows[k]!;
    const clip = samples.subarray(i * clipSamples, (i + 1) * clipSamples);
    augmentWaveform(clip, sampleRate, options, waveAugmentSeed(seed, epoch, i), aug);
    extractor.compute(aug, out.subarray(k * stride, (k + 1) * stride));
  }
}

/**
 * Checks the audio against the training set (row count, shape, and that the first clip's features equal
 * the set's first row within 1e-3) and returns an extractor for `audio.dsp` (the caller disposes it).
 * @throws {DataError} when the audio does not match the training set.
 */
export async function checkTrainingAudio(audio: TrainingAudio, train: FeatureData): Promise<LogMelExtractor> {
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
  const extractor = await createExtractorFor(dsp);
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
  return extractor;
}

/**
 * The inline feed: each batch is augmented on the calling thread when it is taken (after
 * {@link checkTrainingAudio}).
 */
export async function createInlineWaveFeed(
  audio: TrainingAudio,
  train: FeatureData,
  options: ResolvedWaveAugmentOptions,
  seed: number,
  plan: BatchPlan,
): Promise<WaveFeed> {
  const extractor = await checkTrainingAudio(audio, train);
  const stride = train.nFrames * train.nMels;
  const source = { ...audio, sampleRate: audio.dsp.sampleRate };
  let cached: { epoch: number; order: Uint32Array } | undefined;
  let closed = false;
  return {
    async take(epoch, b) {
      if (cached?.epoch !== epoch) cached = { epoch, order: plan.order(epoch) };
      const rows = batchRows(cached.order, plan.batchSize, b);
      const x = new Float32Array(rows.length * stride);
      waveFeatures(source, extractor, options, seed, epoch, rows, x);
      return { x, y: labelsOf(train.y, rows) };
    },
    async close() {
      if (!closed) extractor.dispose();
      closed = true;
    },
  };
}

/** The labels of `rows`. */
export function labelsOf(y: Int32Array, rows: ArrayLike<number>): Int32Array {
  const out = new Int32Array(rows.length);
  for (let k = 0; k < rows.length; k++) out[k] = y[rows[k]!]!;
  return out;
}
