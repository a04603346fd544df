import type { LogMelOptions } from '@timbre/dsp';
import { INPUT_LAYOUTS, type InputLayout } from './layout.js';

/** The fields of a timbre `metadata.json` the page uses. */
export interface ModelMetadata {
  /** Class names in the model's output order. */
  labels: string[];
  preset: string;
  nMels: number;
  nFrames: number;
  inputLayout: InputLayout;
  /** The `@timbre/dsp` options the model was trained with. */
  dsp: LogMelOptions & { sampleRate: number; nMels: number; frames: number };
  /** Test accuracy recorded at training time, when present. */
  testAccuracy?: number;
  /** Accuracy on real recordings of a source never heard in training (`metrics.fontsToRealAccuracy`), when present. */
  realAccuracy?: number;
}

/** A `metadata.json` that is missing fields or disagrees with itself. */
export class MetadataError extends Error {
  override name = 'MetadataError';
}

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function positiveInt(o: Json, key: string, where: string): number {
  const v = o[key];
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) {
    throw new MetadataError(`${where}.${key} must be a positive integer; got ${JSON.stringify(v)}`);
  }
  return v;
}

/**
 * Checks a parsed `metadata.json` and returns the fields the page needs.
 *
 * @throws {MetadataError} naming the first bad field.
 */
export function parseMetadata(json: unknown): ModelMetadata {
  if (!isObject(json)) throw new MetadataError('metadata must be a JSON object');
  const { labels, inputLayout, dsp, preset } = json;
  if (!Array.isArray(labels) || labels.length < 2 || !labels.every((l) => typeof l === 'string')) {
    throw new MetadataError('metadata.labels must be an array of at least 2 class names');
  }
  const nMels = positiveInt(json, 'nMels', 'metadata');
  const nFrames = positiveInt(json, 'nFrames', 'metadata');
  if (!INPUT_LAYOUTS.includes(inputLayout as InputLayout)) {
    throw new MetadataError(
      `metadata.inputLayout must be one of ${INPUT_LAYOUTS.join(', ')}; got ${JSON.stringify(inputLayout)}`,
    );
  }
  if (!isObject(dsp)) throw new MetadataError('metadata.dsp must be an object of DSP parameters');
  const sampleRate = positiveInt(dsp, 'sampleRate', 'metadata.dsp');
  if (
    positiveInt(dsp, 'nMels', 'metadata.dsp') !== nMels ||
    positiveInt(dsp, 'frames', 'metadata.dsp') !== nFrames
  ) {
    throw new MetadataError(
      `metadata.dsp gives ${String(dsp.nMels)}×${String(dsp.frames)} features; the model wants ${nMels}×${nFrames}`,
    );
  }
  const metrics = isObject(json.metrics) ? json.metrics : {};
  const acc = metrics.testAccuracy ?? metrics.randomSplitTestAccuracy;
  const real = metrics.fontsToRealAccuracy;
  return {
    labels: labels as string[],
    preset: typeof preset === 'string' ? preset : 'unknown',
    nMels,
    nFrames,
    inputLayout: inputLayout as InputLayout,
    dsp: { ...(dsp as LogMelOptions), sampleRate, nMels, frames: nFrames },
    ...(typeof acc === 'number' ? { testAccuracy: acc } : {}),
    ...(typeof real === 'number' ? { realAccuracy: real } : {}),
  };
}
