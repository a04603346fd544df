import { stat } from 'node:fs/promises';
import { checkNumber } from '@timbre/core';
import type { BackendChoice, BackendInfo } from './backend.js';
import { initBackend, startRuntime } from './backend.js';
import type { TrainingEngine } from './engine.js';
import { invalidOption } from './errors.js';
import {
  type Classifier,
  type ClassifierOptions,
  createClassifier,
  type Prediction,
  type PredictOptions,
} from './inference.js';
import { loadModel } from './save-load.js';

/** Bounds on input files (see `@timbre/dataset/node` `decodeAudioFile`). */
export interface InputLimits {
  /** Largest file read, bytes; default 512 MiB. */
  maxBytes?: number;
  /** Longest audio decoded, seconds; default 3600. */
  maxDurationS?: number;
}

/** A {@link Classifier} in Node: with its backend choice and files as input. */
export interface FileClassifier extends Classifier {
  /** Backend used and why. */
  readonly backend: BackendInfo;
  /** Decodes an audio file (WAV, MP3, FLAC, Ogg via `@timbre/dataset/node`) and classifies it. */
  predictFile(path: string, options?: PredictOptions & InputLimits): Promise<Prediction>;
  /**
   * Classifies files in order, `chunk` at a time (decoded, featurized, one batched model pass per chunk:
   * memory bounded by the chunk, not the number of files); yields each file's prediction or the error that
   * stopped it (the other files go on).
   * @param chunk Files per model pass, integer in [1, 1024]; default 32.
   */
  predictFiles(
    paths: readonly string[],
    options?: PredictOptions & InputLimits & { chunk?: number },
  ): AsyncGenerator<{ path: string; prediction?: Prediction; error?: Error }>;
}

/**
 * WAV, MP3, FLAC and Ogg files at the model's rate at least this long (seconds) are classified by `predictFile(s)`
 * as a stream (read block by block) instead of decoded whole; shorter files are decoded.
 */
export const STREAM_MIN_S = 20;

/** Compressed files from this size (bytes; ≈ 1 min of 128 kbit/s MP3) on are tried as a stream (see {@link STREAM_MIN_S}). */
const COMPRESSED_STREAM_MIN_BYTES = 1 << 20;

/**
 * A Node {@link FileClassifier} from a model in memory (e.g. fresh from `train`): starts the backend
 * ladder, resamples other rates with `@timbre/dataset/node`'s `resampleMono` and decodes files.
 *
 * @throws {ModelError} when metadata and model disagree.
 */
export async function createFileClassifier(
  model: Classifier['model'],
  metadata: Classifier['metadata'],
  options: Omit<ClassifierOptions, 'backend' | 'resample'> & {
    backend?: BackendChoice;
    engine?: TrainingEngine;
  } = {},
): Promise<FileClassifier> {
  const { backend: choice, engine, ...rest } = options;
  const { backend } = await startRuntime(choice, engine);
  const dataset = await import('@timbre/dataset/node');
  const core = await createClassifier(model, metadata, {
    ...rest,
    backend: backend.name,
    resample: (x, from, to) => dataset.resampleMono(x, from, to),
  });
  /** Decodes a file at the model's rate within the input limits. */
  const decode = (path: string, { maxBytes, maxDurationS }: InputLimits) =>
    dataset.decodeAudioFile(path, {
      sampleRate: metadata.dsp.sampleRate,
      ...(maxBytes !== undefined ? { maxBytes } : {}),
      ...(maxDurationS !== undefined ? { maxDurationS } : {}),
    });
  /** The prediction of a long WAV at the model's rate, streamed (memory flat in its length); else undefined. */
  const predictIfLong = async (
    path: string,
    { maxBytes, maxDurationS }: InputLimits,
    predictOptions: PredictOptions,
  ): Promise<Prediction | undefined> => {
    // The onset window needs the whole recording (the strongest onset may lie anywhere): decode it whole.
    if (predictOptions.aggregate === 'onset') return undefined;
    const limits = {
      ...(maxBytes !== undefined ? { maxBytes } : {}),
      ...(maxDurationS !== undefined ? { maxDurationS } : {}),
    };
    // One stat first: a short file (most of a folder) is decoded whole without being opened twice. A WAV of
    // STREAM_MIN_S at the model's rate holds at least that many seconds × rate bytes (8-bit mono); a compressed
    // file is streamed only when it is large (its stream decodes it twice: to count, then to read).
    const size = await stat(path).then(
      (s) => s.size,
      () => 0,
    );
    if (size < Math.min(STREAM_MIN_S * metadata.dsp.sampleRate, COMPRESSED_STREAM_MIN_BYTES))
      return undefined;
    const stream =
      (await dataset.openWavStream(path, limits)) ??
      (size >= COMPRESSED_STREAM_MIN_BYTES ? await dataset.openCompressedStream(path, limits) : undefined);
    if (!stream) return undefined;
    try {
      if (stream.sampleRate !== metadata.dsp.sampleRate || stream.length < STREAM_MIN_S * stream.sampleRate)
        return undefined;
      return await core.predictSource(stream, predictOptions);
    } finally {
      await stream.close();
    }
  };
  return {
    ...core,
    backend,
    async predictFile(path, opts = {}) {
      const { maxBytes, maxDurationS, ...predictOptions } = opts;
      const streamed = await predictIfLong(path, { maxBytes, maxDurationS }, predictOptions);
      if (streamed) return streamed;
      const decoded = await decode(path, { maxBytes, maxDurationS });
      return core.predictSamples(decoded.samples, decoded.sampleRate, predictOptions);
    },
    async *predictFiles(paths, opts = {}) {
      const { chunk: chunkOption, maxBytes, maxDurationS, ...predictOptions } = opts;
      const chunk = checkNumber(
        'chunk',
        chunkOption ?? 32,
        { min: 1, max: 1024, integer: true },
        invalidOption,
      );
      // Short files are decoded and classified `chunk` at a time in one model pass; a long WAV at the model's
      // rate is streamed on its own (the files before it are classified first, so the order is kept).
      let batch: { path: string; decoded: { samples: Float32Array; sampleRate: number } | Error }[] = [];
      const flush = async function* () {
        const good = batch.flatMap((b) => (b.decoded instanceof Error ? [] : [b.decoded]));
        const results = await core.predictMany(good, predictOptions);
        let k = 0;
        for (const b of batch) {
          const r = b.decoded instanceof Error ? b.decoded : results[k++]!;
          yield r instanceof Error ? { path: b.path, error: r } : { path: b.path, prediction: r };
        }
        batch = [];
      };
      for (const path of paths) {
        let streamed: Prediction | undefined;
        try {
          streamed = await predictIfLong(path, { maxBytes, maxDurationS }, predictOptions);
        } catch (e) {
          batch.push({ path, decoded: e instanceof Error ? e : new Error(String(e)) });
          if (batch.length >= chunk) yield* flush();
          continue;
        }
        if (streamed) {
          yield* flush();
          yield { path, prediction: streamed };
          continue;
        }
        try {
          batch.push({ path, decoded: await decode(path, { maxBytes, maxDurationS }) });
        } catch (e) {
          batch.push({ path, decoded: e instanceof Error ? e : new Error(String(e)) });
        }
        if (batch.length >= chunk) yield* flush();
      }
      yield* flush();
    },
  };
}

/**
 * Loads a saved model directory (model.json, weights.bin, metadata.json), checked as `modelFromFiles`
 * does, as a {@link FileClassifier}.
 *
 * @param options.backend Backend choice; default 'auto'.
 * @param options.engine Kernels the model runs on: `fast` (default, `@timbre/kernels` on wasm) or `stock`.
 * @throws {SaveLoadError} when files are missing or invalid.
 */
export async function loadClassifier(
  dir: string,
  options: { backend?: BackendChoice; engine?: TrainingEngine } = {},
): Promise<FileClassifier> {
  await initBackend(options.backend);
  const { model, metadata } = await loadModel(dir);
  try {
    return await createFileClassifier(model, metadata, options);
  } catch (e) {
    model.dispose();
    throw e;
  }
}
