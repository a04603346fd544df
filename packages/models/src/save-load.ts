import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { SaveLoadError } from './errors.js';
import type { InputLayout, PresetName } from './presets.js';
import { inputLayoutOf, isPresetName } from './presets.js';
import type { TrainingRecipe } from './recipes.js';
import type { EpochRecord, TrainingConfig, TrainResult } from './train.js';

/** File names of a saved model directory. */
export const MODEL_FILES = {
  /** tfjs layers format: topology + weights manifest (loads with `tf.loadLayersModel`). */
  model: 'model.json',
  /** All weights, little-endian float32, in manifest order. */
  weights: 'weights.bin',
  /** {@link ModelMetadata}. */
  metadata: 'metadata.json',
} as const;

/**
 * The log-mel parameters a model was trained on; `predict` recomputes features with exactly these
 * (field names as `@timbre/dsp`'s `LogMelOptions`).
 */
export interface DspParameters {
  /** Hz. */
  sampleRate: number;
  nFft: number;
  /** Samples between frames. */
  hop: number;
  nMels: number;
  /** Hz. */
  fMin: number;
  /** Hz. */
  fMax: number;
  melScale: 'slaney' | 'htk';
  melNorm: 'slaney' | null;
  center: boolean;
  /** dB; null = no floor. */
  topDb: number | null;
  /** 'db-range': dB re peak in [−topDb, 0] mapped to [0, 1]. */
  normalize: 'db-range' | 'none';
  /** Frames kept per clip. */
  frames: number;
}

/** The DSP defaults of the paper / `@timbre/dsp` for a given band count. */
export function defaultDspParameters(nMels = 64, frames = 80): DspParameters {
  return {
    sampleRate: 44100,
    nFft: 1024,
    hop: 512,
    nMels,
    fMin: 0,
    fMax: 22050,
    melScale: 'slaney',
    melNorm: 'slaney',
    center: true,
    topDb: 80,
    normalize: 'db-range',
    frames,
  };
}

/** One source of training data, for a model's provenance. */
export interface DataSourceInfo {
  /** Source name (e.g. `TimGM6mb`, `tonejs`). */
  name: string;
  /** Recording family (source group). */
  group: string;
  /** Where it comes from (npm package and version, or a path). */
  origin: string;
  /** Licence of the audio (SPDX or words). */
  licence: string;
  /** Clips of this source the model trained on. */
  clips: number;
  /** Classes it covers. */
  classes: string[];
}

/** metadata.json of a saved model. */
export interface ModelMetadata {
  format: 'timbre-model';
  formatVersion: 1;
  preset: PresetName;
  /** Class names in output order. */
  labels: string[];
  nMels: number;
  nFrames: number;
  /** How frame-major features are laid out for this network. */
  inputLayout: InputLayout;
  /** Feature extraction parameters. */
  dsp: DspParameters;
  /** Normalisation of the features, in words (e.g. "dB re clip peak, [-80, 0] dB → [0, 1]"). */
  normalization: string;
  /** Training configuration (absent for an untrained model). */
  training?: TrainingConfig;
  /** Seed of the run. */
  seed?: number;
  /** Hash of the dataset manifest the model was trained on. */
  datasetManifestHash?: string;
  /** Per-epoch history of the run. */
  history?: EpochRecord[];
  /** Free-form metrics (e.g. final test accuracy, leave-one-group-out accuracies). */
  metrics?: Record<string, number>;
  /** The training recipe (network, features, augmentation) the model was made with. */
  recipe?: TrainingRecipe;
  /** The data the model was trained on: sources with their licences, and what each group covers. */
  dataSources?: DataSourceInfo[];
  /** Versions of the packages that wrote the model. */
  packages: Record<string, string>;
  /** Backend the model was trained / saved on. */
  backend: string;
  /** ISO 8601 time of saving. */
  createdAt: string;
}

/** What the caller supplies to {@link saveModel}; the rest is filled in. */
export type ModelMetadataInput = Omit<
  ModelMetadata,
  'format' | 'formatVersion' | 'packages' | 'createdAt' | 'inputLayout' | 'dsp' | 'normalization' | 'backend'
> &
  Partial<Pick<ModelMetadata, 'dsp' | 'normalization' | 'backend'>>;

async function packageVersions(): Promise<Record<string, string>> {
  const out: Record<string, string> = {
    '@tensorflow/tfjs-core': tf.version_core,
    '@tensorflow/tfjs-layers': tfl.version_layers,
  };
  try {
    const pkg = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8')) as {
      name: string;
      version: string;
    };
    out[pkg.name] = pkg.version;
  } catch {
    // not fatal: the version is informative only
  }
  return out;
}

function joinWeightData(w: tf.io.WeightData | undefined): ArrayBuffer {
  if (!w) throw new SaveLoadError('the model produced no weight data');
  if (!Array.isArray(w)) return w;
  const total = w.reduce((s, b) => s + b.byteLength, 0);
  const out = new Uint8Array(total);
  let off = 0;
  for (const b of w) {
    out.set(new Uint8Array(b), off);
    off += b.byteLength;
  }
  return out.buffer;
}

/**
 * Saves a model: model.json + weights.bin (the standard TensorFlow.js layers format, written by
 * this package's own IOHandler so no `file://` handler or tfjs-node is needed) and metadata.json.
 * The directory appears complete or not at all: files go to a temporary sibling directory that is
 * renamed into place (an existing directory is replaced).
 *
 * @param dir Target directory.
 * @throws {SaveLoadError} when the metadata does not match the model.
 */
export async function saveModel(
  dir: string,
  model: tfl.LayersModel,
  meta: ModelMetadataInput,
): Promise<ModelMetadata> {
  const outputs = model.outputs[0]?.shape.at(-1);
  if (outputs !== meta.labels.length) {
    throw new SaveLoadError(
      `metadata.labels has ${meta.labels.length} names; the model has ${outputs} outputs`,
    );
  }
  if (!isPresetName(meta.preset))
    throw new SaveLoadError(`metadata.preset '${meta.preset}' is not a preset name`);
  const metadata: ModelMetadata = {
    format: 'timbre-model',
    formatVersion: 1,
    ...meta,
    labels: [...meta.labels],
    inputLayout: inputLayoutOf(meta.preset),
    dsp: meta.dsp ?? defaultDspParameters(meta.nMels, meta.nFrames),
    normalization:
      meta.normalization ?? 'dB re clip peak, floor -topDb; [-topDb, 0] dB mapped linearly to [0, 1]',
    packages: await packageVersions(),
    backend: meta.backend ?? tf.getBackend(),
    createdAt: new Date().toISOString(),
  };
  const parent = dirname(dir);
  await mkdir(parent, { recursive: true });
  const tag = `${process.pid}-${randomBytes(4).toString('hex')}`;
  const tmp = join(parent, `.${basename(dir)}.tmp-${tag}`);
  await mkdir(tmp);
  try {
    await model.save(
      tf.io.withSaveHandler(async (artifacts) => {
        const weightData = joinWeightData(artifacts.weightData);
        const json = {
          format: 'layers-model',
          generatedBy: artifacts.generatedBy,
          convertedBy: artifacts.convertedBy ?? null,
          modelTopology: artifacts.modelTopology,
          weightsManifest: [{ paths: [MODEL_FILES.weights], weights: artifacts.weightSpecs ?? [] }],
        };
        await writeFile(join(tmp, MODEL_FILES.weights), new Uint8Array(weightData));
        await writeFile(join(tmp, MODEL_FILES.model), JSON.stringify(json));
        return {
          modelArtifactsInfo: {
            dateSaved: new Date(),
            modelTopologyType: 'JSON',
            weightDataBytes: weightData.byteLength,
          },
        };
      }),
    );
    await writeFile(join(tmp, MODEL_FILES.metadata), `${JSON.stringify(metadata, null, 2)}\n`);
    if (existsSync(dir)) {
      const old = join(parent, `.${basename(dir)}.old-${tag}`);
      await rename(dir, old);
      await rename(tmp, dir);
      await rm(old, { recursive: true, force: true });
    } else {
      await rename(tmp, dir);
    }
  } catch (e) {
    await rm(tmp, { recursive: true, force: true });
    throw e;
  }
  return metadata;
}

/**
 * Saves the model of a {@link train} run with its metadata filled in from the run (preset, labels,
 * shapes, training config, seed, history, backend, final test metrics).
 *
 * @param extra DSP parameters actually used (default: the paper's, see {@link defaultDspParameters}),
 *   normalization text, dataset manifest hash, more metrics.
 */
export async function saveTrainResult(
  dir: string,
  result: TrainResult,
  extra: Partial<Pick<ModelMetadata, 'dsp' | 'normalization' | 'datasetManifestHash' | 'metrics'>> = {},
): Promise<ModelMetadata> {
  const c = result.config;
  const metrics = result.test
    ? { testAccuracy: result.test.accuracy, testLoss: result.test.loss, testMacroF1: result.test.macroF1 }
    : undefined;
  return saveModel(dir, result.model, {
    preset: c.preset,
    labels: [...c.labels],
    nMels: c.model.nMels,
    nFrames: c.model.nFrames,
    training: c,
    seed: c.seed,
    history: result.history,
    backend: result.backend.name,
    ...extra,
    ...(metrics || extra.metrics ? { metrics: { ...metrics, ...extra.metrics } } : {}),
  });
}

/** The files of a saved model, as tfjs `ModelArtifacts` ready for `tf.io.fromMemory`. */
export interface SavedModelFiles {
  modelJson: {
    modelTopology: object;
    weightsManifest: Array<{ paths: string[]; weights: tf.io.WeightsManifestEntry[] }>;
    format?: string;
  };
  weightData: ArrayBuffer;
  metadata: ModelMetadata;
}

async function readJson<T>(path: string): Promise<T> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new SaveLoadError(`cannot read '${path}': ${(e as Error).message}`, { cause: e });
  }
  try {
    return JSON.parse(text) as T;
  } catch (e) {
    throw new SaveLoadError(`'${path}' is not valid JSON`, { cause: e });
  }
}

/**
 * Reads the three files of a saved model directory without building the model (e.g. to hand them to
 * plain `@tensorflow/tfjs` with `tf.io.fromMemory`).
 *
 * @throws {SaveLoadError} naming the missing or invalid file.
 */
export async function readSavedModelFiles(dir: string): Promise<SavedModelFiles> {
  const modelJson = await readJson<SavedModelFiles['modelJson']>(join(dir, MODEL_FILES.model));
  const metadata = await readJson<ModelMetadata>(join(dir, MODEL_FILES.metadata));
  if (metadata.format !== 'timbre-model' || metadata.formatVersion !== 1) {
    throw new SaveLoadError(`'${join(dir, MODEL_FILES.metadata)}' is not timbre-model format version 1`);
  }
  if (!modelJson.modelTopology || !Array.isArray(modelJson.weightsManifest)) {
    throw new SaveLoadError(`'${join(dir, MODEL_FILES.model)}' lacks modelTopology or weightsManifest`);
  }
  const paths = modelJson.weightsManifest.flatMap((g) => g.paths);
  const parts: Uint8Array[] = [];
  for (const p of paths) {
    try {
      parts.push(await readFile(join(dir, p)));
    } catch (e) {
      throw new SaveLoadError(`cannot read weights file '${join(dir, p)}'`, { cause: e });
    }
  }
  const total = parts.reduce((s, b) => s + b.byteLength, 0);
  const weightData = new Uint8Array(total);
  let off = 0;
  for (const b of parts) {
    weightData.set(b, off);
    off += b.byteLength;
  }
  const expected = modelJson.weightsManifest
    .flatMap((g) => g.weights)
    .reduce((s, w) => s + w.shape.reduce((a, b) => a * b, 1) * 4, 0);
  if (expected !== total) {
    throw new SaveLoadError(`weights in '${dir}' hold ${total} bytes; model.json describes ${expected}`);
  }
  return { modelJson, weightData: weightData.buffer, metadata };
}

/**
 * Loads a saved model and its metadata (call `initBackend()` first to pick the backend).
 *
 * @throws {SaveLoadError} when a file is missing or inconsistent.
 */
export async function loadModel(dir: string): Promise<{ model: tfl.LayersModel; metadata: ModelMetadata }> {
  const files = await readSavedModelFiles(dir);
  const model = await tfl.loadLayersModel(
    tf.io.fromMemory({
      modelTopology: files.modelJson.modelTopology,
      weightSpecs: files.modelJson.weightsManifest.flatMap((g) => g.weights),
      weightData: files.weightData,
    }),
  );
  const outputs = model.outputs[0]?.shape.at(-1);
  if (outputs !== files.metadata.labels.length) {
    model.dispose();
    throw new SaveLoadError(
      `'${dir}': metadata has ${files.metadata.labels.length} labels, model ${outputs} outputs`,
    );
  }
  return { model, metadata: files.metadata };
}
