import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { makeDirs } from '@timbre/dataset/node';
import { SaveLoadError } from './errors.js';
import { checkModelJson, concatBytes, modelFromFiles, type SavedModelFiles } from './model-artifacts.js';
import {
  defaultDspParameters,
  MODEL_FILES,
  type ModelMetadata,
  type ModelMetadataInput,
  parseModelMetadata,
} from './model-metadata.js';
import { inputLayoutOf, isPresetName } from './presets.js';
import type { TrainResult } from './train.js';

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
  await makeDirs(parent);
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
  const metadata = parseModelMetadata(
    await readJson<unknown>(join(dir, MODEL_FILES.metadata)),
    join(dir, MODEL_FILES.metadata),
  );
  const manifest = checkModelJson(modelJson, join(dir, MODEL_FILES.model));
  const paths = manifest.flatMap((g) => g.paths);
  const parts: Uint8Array[] = [];
  for (const p of paths) {
    try {
      parts.push(await readFile(join(dir, p)));
    } catch (e) {
      throw new SaveLoadError(`cannot read weights file '${join(dir, p)}'`, { cause: e });
    }
  }
  return { modelJson, weightData: concatBytes(parts).buffer as ArrayBuffer, metadata };
}

/**
 * Loads a saved model directory and its metadata (call `initBackend()` first to pick the backend); the
 * files are checked as {@link modelFromFiles} does.
 *
 * @throws {SaveLoadError} when a file is missing, invalid or inconsistent.
 */
export async function loadModel(dir: string): Promise<{ model: tfl.LayersModel; metadata: ModelMetadata }> {
  return modelFromFiles(await readSavedModelFiles(dir), dir);
}
