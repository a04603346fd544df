import type { BackendChoice, BackendInfo } from './backend.js';
import { initBackend } from './backend.js';
import {
  type Classifier,
  type ClassifierOptions,
  createClassifier,
  type Prediction,
  type PredictOptions,
} from './inference.js';
import { loadModel } from './save-load.js';

/** A {@link Classifier} in Node: with its backend choice and files as input. */
export interface FileClassifier extends Classifier {
  /** Backend used and why. */
  readonly backend: BackendInfo;
  /** Decodes an audio file (WAV, MP3, FLAC, Ogg via `@timbre/dataset/node`) and classifies it. */
  predictFile(path: string, options?: PredictOptions): Promise<Prediction>;
}

/**
 * A Node {@link FileClassifier} from a model in memory (e.g. fresh from `train`): starts the backend
 * ladder, resamples other rates with `@timbre/dataset/node`'s `resampleMono` and decodes files.
 *
 * @throws {ModelError} when metadata and model disagree.
 */
export async function createFileClassifier(
  model: Classifier['model'],
  metadata: Classifier['metadata'],
  options: Omit<ClassifierOptions, 'backend' | 'resample'> & { backend?: BackendChoice } = {},
): Promise<FileClassifier> {
  const { backend: choice, ...rest } = options;
  const backend = await initBackend(choice);
  const dataset = await import('@timbre/dataset/node');
  const core = await createClassifier(model, metadata, {
    ...rest,
    backend: backend.name,
    resample: (x, from, to) => dataset.resampleMono(x, from, to),
  });
  return {
    ...core,
    backend,
    async predictFile(path, opts) {
      const decoded = await dataset.decodeAudioFile(path, { sampleRate: metadata.dsp.sampleRate });
      return core.predictSamples(decoded.samples, decoded.sampleRate, opts);
    },
  };
}

/**
 * Loads a saved model directory (model.json, weights.bin, metadata.json), checked as `modelFromFiles`
 * does, as a {@link FileClassifier}.
 *
 * @param options.backend Backend choice; default 'auto'.
 * @throws {SaveLoadError} when files are missing or invalid.
 */
export async function loadClassifier(
  dir: string,
  options: { backend?: BackendChoice } = {},
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
