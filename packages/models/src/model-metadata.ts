import type { LogMelOptions } from '@timbre/dsp';
import { SaveLoadError } from './errors.js';
import type { InputLayout, PresetName } from './presets.js';
import { isPresetName } from './presets.js';
import type { TrainingRecipe } from './recipes.js';
import type { EpochRecord, TrainingConfig } from './train.js';

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
 * The log-mel parameters a model was trained on; `predict` recomputes features with exactly these: every
 * field of `@timbre/dsp`'s `LogMelOptions` (see it for units and ranges) but the implementation, all given,
 * and a fixed frame count.
 */
export type DspParameters = Required<Omit<LogMelOptions, 'implementation' | 'frames'>> & {
  /** Frames kept per clip, integer ≥ 1. */
  frames: number;
};

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

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

const INPUT_LAYOUTS: readonly InputLayout[] = ['mels-frames-channel', 'frames-mels'];

/**
 * Checks a parsed `metadata.json` against the schema the classifier relies on and returns it typed.
 * Checked: format and version, labels (≥ 2 distinct strings), preset, nMels/nFrames, inputLayout, and every
 * DSP parameter (types and ranges, and `dsp.nMels`/`dsp.frames` against the model's).
 *
 * @param where Names the file in messages (a path or URL).
 * @throws {SaveLoadError} naming the first bad field, what it holds and what is valid.
 */
export function parseModelMetadata(json: unknown, where: string = MODEL_FILES.metadata): ModelMetadata {
  const bad = (field: string, valid: string, got: unknown): never => {
    let shown: string;
    try {
      shown = JSON.stringify(got) ?? String(got);
    } catch {
      shown = String(got);
    }
    throw new SaveLoadError(`${where}: ${field} must be ${valid}; got ${shown.slice(0, 80)}`);
  };
  if (!isObject(json)) return bad('the metadata', 'a JSON object', json);
  if (json.format !== 'timbre-model' || json.formatVersion !== 1)
    bad('format/formatVersion', "'timbre-model' / 1", [json.format, json.formatVersion]);
  const { labels, dsp } = json;
  if (
    !Array.isArray(labels) ||
    labels.length < 2 ||
    !labels.every((l) => typeof l === 'string' && l.length > 0) ||
    new Set(labels).size !== labels.length
  )
    bad('labels', 'an array of at least 2 distinct class names', labels);
  if (typeof json.preset !== 'string' || !isPresetName(json.preset))
    bad('preset', 'a preset name of @timbre/models', json.preset);
  const int = (o: Json, key: string, field: string, lo: number, hi: number): number => {
    const v = o[key];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < lo || v > hi)
      bad(field, `an integer in [${lo}, ${hi}]`, v);
    return v as number;
  };
  const nMels = int(json, 'nMels', 'nMels', 1, 512);
  const nFrames = int(json, 'nFrames', 'nFrames', 1, 100000);
  if (!INPUT_LAYOUTS.includes(json.inputLayout as InputLayout))
    bad('inputLayout', `one of ${INPUT_LAYOUTS.join(', ')}`, json.inputLayout);
  if (!isObject(dsp)) return bad('dsp', 'an object of DSP parameters', dsp);
  const sampleRate = int(dsp, 'sampleRate', 'dsp.sampleRate', 1000, 384000);
  const nFft = int(dsp, 'nFft', 'dsp.nFft', 16, 65536);
  int(dsp, 'hop', 'dsp.hop', 1, nFft * 4);
  if (int(dsp, 'nMels', 'dsp.nMels', 1, 512) !== nMels)
    bad('dsp.nMels', `the model's nMels (${nMels})`, dsp.nMels);
  if (int(dsp, 'frames', 'dsp.frames', 1, 100000) !== nFrames)
    bad('dsp.frames', `the model's nFrames (${nFrames})`, dsp.frames);
  const num = (key: string, lo: number, hi: number) => {
    const v = dsp[key];
    if (typeof v !== 'number' || !Number.isFinite(v) || v < lo || v > hi)
      bad(`dsp.${key}`, `a number in [${lo}, ${hi}]`, v);
    return v as number;
  };
  const fMin = num('fMin', 0, sampleRate / 2);
  if (num('fMax', 0, sampleRate / 2) <= fMin) bad('dsp.fMax', `above dsp.fMin (${fMin})`, dsp.fMax);
  if (dsp.melScale !== 'slaney' && dsp.melScale !== 'htk')
    bad('dsp.melScale', "'slaney' or 'htk'", dsp.melScale);
  if (dsp.melNorm !== 'slaney' && dsp.melNorm !== null) bad('dsp.melNorm', "'slaney' or null", dsp.melNorm);
  if (typeof dsp.center !== 'boolean') bad('dsp.center', 'true or false', dsp.center);
  if (dsp.topDb !== null) num('topDb', 1, 400);
  if (dsp.normalize !== 'db-range' && dsp.normalize !== 'none')
    bad('dsp.normalize', "'db-range' or 'none'", dsp.normalize);
  if (json.metrics !== undefined && !isObject(json.metrics))
    bad('metrics', 'an object of numbers', json.metrics);
  return json as unknown as ModelMetadata;
}
