import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import {
  buildCorpus,
  computeFeatures,
  type DspParams,
  type LoadedManifest,
  type ProgressEvent,
  readManifest,
} from '@timbre/dataset/node';
import { CliError } from './errors.js';
import type { Output } from './output.js';
import { createProgress, type Progress } from './progress.js';

/**
 * Routes the dataset's progress events to one progress bar per phase.
 * @returns A callback for the dataset's `onProgress` and a `stop` to close the open bar.
 */
export function phaseProgress(out: Output): { onProgress: (e: ProgressEvent) => void; stop: () => void } {
  let bar: Progress | undefined;
  let phase = '';
  return {
    onProgress(e) {
      if (e.total === 0) return; // nothing to do in this phase (all cached)
      if (e.phase !== phase) {
        bar?.stop();
        bar = createProgress(out, e.phase);
        phase = e.phase;
      }
      bar?.update({ done: e.done, total: e.total });
    },
    stop() {
      bar?.stop();
      bar = undefined;
      phase = '';
    },
  };
}

/**
 * Finds the manifest the user means: a `manifest.json` path, a directory holding one, or (when `data` is
 * undefined) the built-in corpus with default settings, built into the cache if missing.
 * @param data `--data` value, or undefined for the built-in corpus.
 * @param cacheDir `--cache-dir` value.
 */
export async function resolveManifest(
  out: Output,
  data: string | undefined,
  cacheDir: string | undefined,
): Promise<LoadedManifest> {
  if (data === undefined) {
    const progress = phaseProgress(out);
    try {
      const { manifest, summary } = await buildCorpus({ cacheDir, onProgress: progress.onProgress });
      if (!summary.cached)
        out.info(`built-in corpus: ${summary.clips} clips in ${summary.seconds.toFixed(1)} s`);
      return manifest;
    } finally {
      progress.stop();
    }
  }
  let path = data;
  const info = await stat(data).catch(() => null);
  if (!info)
    throw new CliError(
      `--data ${data}: no such file or directory (expected a manifest.json or a folder with one)`,
    );
  if (info.isDirectory()) path = join(data, 'manifest.json');
  return readManifest(path);
}

/**
 * Makes sure the log-mel features of a manifest are cached for the given band counts.
 * @param nMels Band counts, e.g. `[64]`.
 */
export async function ensureFeatures(
  out: Output,
  manifest: LoadedManifest,
  nMels: readonly number[],
  cacheDir: string | undefined,
  dsp: DspParams = {},
): Promise<void> {
  const progress = phaseProgress(out);
  try {
    await computeFeatures(manifest, { nMels, cacheDir, dsp, onProgress: progress.onProgress });
  } finally {
    progress.stop();
  }
}

/**
 * The built-in corpus (SoundFonts + real recordings) with a split, built into the cache on first use
 * with progress lines.
 * @param testGroups For `by-source`: the held-out source groups (default `real`).
 */
export async function builtinCorpus(
  out: Output,
  strategy: 'random' | 'by-pitch' | 'by-source',
  seed: number,
  cacheDir: string | undefined,
  testGroups?: readonly string[],
) {
  const progress = phaseProgress(out);
  try {
    return await buildCorpus({
      cacheDir,
      seed,
      split: { strategy, seed, ...(testGroups ? { testGroups } : {}) },
      onProgress: progress.onProgress,
    });
  } finally {
    progress.stop();
  }
}
