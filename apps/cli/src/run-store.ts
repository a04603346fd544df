import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CliError } from './errors.js';
import type { EpochAccuracy, PresetName } from './experiments.js';

/** What `timbre train` records about a run in `<run>/run.json`, next to the model and history. */
export interface RunRecord {
  format: 'timbre-run';
  version: 1;
  preset: PresetName;
  nMels: number;
  /** Epochs requested; `completedEpochs` tells how far it got. */
  epochs: number;
  completedEpochs: number;
  batchSize: number;
  learningRate: number;
  seed: number;
  /** Absolute path of the dataset manifest trained on. */
  manifest: string;
  /** Split strategy of that manifest. */
  split: string;
  backend: string;
  backendReason: string;
  /** Data-parallel replicas used (1 = single thread). */
  workers: number;
  /** Mean seconds per training epoch (without evaluation). */
  secondsPerEpoch: number;
  history: EpochAccuracy[];
  /** Final test accuracy in [0, 1] (NaN when no test set). */
  testAccuracy: number;
  finishedAt: string;
}

/** Files inside a run directory. */
export const RUN_FILES = {
  record: 'run.json',
  model: 'model',
  curve: 'accuracy',
  confusion: 'confusion',
  evaluation: 'evaluation.json',
} as const;

/**
 * Reads `<dir>/run.json`.
 * @returns The record, or null when the directory holds no finished run.
 */
export async function readRunRecord(dir: string): Promise<RunRecord | null> {
  let text: string;
  try {
    text = await readFile(join(dir, RUN_FILES.record), 'utf8');
  } catch {
    return null;
  }
  try {
    const r = JSON.parse(text) as RunRecord;
    if (r.format !== 'timbre-run') throw new Error('format is not timbre-run');
    return r;
  } catch (e) {
    throw new CliError(`${join(dir, RUN_FILES.record)} is not a valid run record: ${(e as Error).message}`);
  }
}
