import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { SaveLoadError } from './errors.js';
import { MODEL_FILES, type ModelMetadata, parseModelMetadata } from './model-metadata.js';

/** The files of a saved model, as tfjs `ModelArtifacts` ready for `tf.io.fromMemory`. */
export interface SavedModelFiles {
  modelJson: {
    modelTopology: object;
    weightsManifest: Array<{ paths: string[]; weights: tf.io.WeightsManifestEntry[] }>;
    format?: string;
  };
  /** The weight files' bytes, concatenated in manifest order. */
  weightData: ArrayBuffer;
  metadata: ModelMetadata;
}

type WeightsManifest = SavedModelFiles['modelJson']['weightsManifest'];

/** Internal: concatenates byte arrays. */
export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((s, b) => s + b.byteLength, 0));
  let off = 0;
  for (const b of parts) {
    out.set(b, off);
    off += b.byteLength;
  }
  return out;
}

/**
 * Internal: checks `model.json`'s shape (a topology object and a weights manifest whose entries have
 * names, float32 dtype and non-negative integer shapes) and returns the manifest.
 * @throws {SaveLoadError} naming `where` and the first bad field.
 */
export function checkModelJson(json: unknown, where: string): WeightsManifest {
  const j = json as Partial<SavedModelFiles['modelJson']> | null;
  if (typeof j !== 'object' || j === null || typeof j.modelTopology !== 'object' || j.modelTopology === null)
    throw new SaveLoadError(`${where}: lacks a modelTopology object`);
  if (!Array.isArray(j.weightsManifest)) throw new SaveLoadError(`${where}: lacks a weightsManifest array`);
  for (const g of j.weightsManifest) {
    if (
      !g ||
      !Array.isArray(g.paths) ||
      !g.paths.every((p) => typeof p === 'string' && p !== '' && !p.includes('..'))
    )
      throw new SaveLoadError(`${where}: a weightsManifest group has no valid 'paths'`);
    if (!Array.isArray(g.weights))
      throw new SaveLoadError(`${where}: a weightsManifest group has no 'weights'`);
    for (const w of g.weights) {
      if (!w || typeof w.name !== 'string') throw new SaveLoadError(`${where}: a weight has no name`);
      if (!Array.isArray(w.shape) || !w.shape.every((d) => Number.isInteger(d) && d >= 0))
        throw new SaveLoadError(
          `${where}: weight '${w.name}' has no valid shape (got ${JSON.stringify(w.shape)})`,
        );
      if (w.dtype !== undefined && w.dtype !== 'float32')
        throw new SaveLoadError(
          `${where}: weight '${w.name}' is ${w.dtype}; timbre models hold float32 weights`,
        );
      if (w.quantization !== undefined)
        throw new SaveLoadError(
          `${where}: weight '${w.name}' is quantized; timbre models hold plain float32 weights`,
        );
    }
  }
  return j.weightsManifest;
}

/**
 * Builds a model from its files (from a directory, a URL or memory) and checks it against its
 * metadata: the weight bytes match the manifest, every weight is finite, the topology loads, the output
 * has one unit per label and the input is the metadata's nMels × nFrames in its layout.
 *
 * @param where Names the model in messages (a directory or URL).
 * @throws {SaveLoadError} naming the model and what is wrong.
 */
export async function modelFromFiles(
  files: SavedModelFiles,
  where: string,
): Promise<{ model: tfl.LayersModel; metadata: ModelMetadata }> {
  const metadata = parseModelMetadata(files.metadata, `${where}/${MODEL_FILES.metadata}`);
  const manifest = checkModelJson(files.modelJson, `${where}/${MODEL_FILES.model}`);
  const specs = manifest.flatMap((g) => g.weights);
  const expected = specs.reduce((s, w) => s + w.shape.reduce((a, b) => a * b, 1) * 4, 0);
  if (expected !== files.weightData.byteLength)
    throw new SaveLoadError(
      `weights in '${where}' hold ${files.weightData.byteLength} bytes; model.json describes ${expected}`,
    );
  const values = new Float32Array(files.weightData, 0, expected / 4);
  for (let i = 0; i < values.length; i++)
    if (!Number.isFinite(values[i]!))
      throw new SaveLoadError(`weights in '${where}' hold a non-finite value (${values[i]}) at float ${i}`);
  let model: tfl.LayersModel;
  try {
    model = await tfl.loadLayersModel(
      tf.io.fromMemory({
        modelTopology: files.modelJson.modelTopology,
        weightSpecs: specs,
        weightData: files.weightData,
      }),
    );
  } catch (e) {
    const first = String((e as Error).message ?? e)
      .split('\n')[0]!
      .trim();
    throw new SaveLoadError(`'${where}': the model does not load: ${first}`, { cause: e });
  }
  const outputs = model.outputs[0]?.shape.at(-1);
  const input = model.inputs[0]?.shape.slice(1).join('×');
  const want =
    metadata.inputLayout === 'frames-mels'
      ? `${metadata.nFrames}×${metadata.nMels}`
      : `${metadata.nMels}×${metadata.nFrames}×1`;
  if (outputs !== metadata.labels.length || input !== want) {
    model.dispose();
    throw new SaveLoadError(
      `'${where}': metadata has ${metadata.labels.length} labels and ${want} inputs, the model ${outputs} outputs and ${input} inputs`,
    );
  }
  return { model, metadata };
}

/**
 * Fetches a saved model's files from a base URL (`model.json`, its weight files, `metadata.json`), e.g.
 * a web page's own folder. Needs a global `fetch` (browsers, Node ≥ 18) or one passed in.
 *
 * @param baseUrl Folder URL; a trailing '/' is added when missing.
 * @throws {SaveLoadError} naming the URL that failed.
 */
export async function fetchModelFiles(
  baseUrl: string,
  fetchFn: (url: string) => Promise<Response> = (u) => fetch(u),
): Promise<SavedModelFiles> {
  const base = baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`;
  const get = async (name: string): Promise<Response> => {
    let res: Response;
    try {
      res = await fetchFn(base + name);
    } catch (e) {
      throw new SaveLoadError(`${base}${name}: ${(e as Error).message}`, { cause: e });
    }
    if (!res.ok) throw new SaveLoadError(`${base}${name}: HTTP ${res.status}`);
    return res;
  };
  const json = async (name: string): Promise<unknown> => {
    try {
      return await (await get(name)).json();
    } catch (e) {
      if (e instanceof SaveLoadError) throw e;
      throw new SaveLoadError(`${base}${name}: not valid JSON`, { cause: e });
    }
  };
  const [modelJson, metadata] = await Promise.all([json(MODEL_FILES.model), json(MODEL_FILES.metadata)]);
  const manifest = checkModelJson(modelJson, base + MODEL_FILES.model);
  const parts = await Promise.all(
    manifest.flatMap((g) => g.paths).map(async (p) => new Uint8Array(await (await get(p)).arrayBuffer())),
  );
  return {
    modelJson: modelJson as SavedModelFiles['modelJson'],
    weightData: concatBytes(parts).buffer as ArrayBuffer,
    metadata: parseModelMetadata(metadata, base + MODEL_FILES.metadata),
  };
}
