import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from './atomic.js';
import { prepareCacheDir, resolveCacheDir } from './cache-dir.js';
import { CorpusError, OptionError } from './errors.js';
import { createExecutor } from './executor.js';
import { createExtractor, type DspParams, type FeatureTask } from './feature-task.js';
import { sha256Hex } from './hash.js';
import { type ClipRecord, clipPath, type LoadedManifest, readManifest } from './manifest.js';
import { readNpy, writeNpy } from './npy.js';
import { type ProgressCallback, ProgressTracker } from './progress.js';

/** Features handed to `@timbre/models` (see docs/CONTRACTS.md). */
export interface FeatureSet {
  /** Class names, index = class id. */
  labels: readonly string[];
  /** Mel bands per frame. */
  nMels: number;
  /** Frames per clip (80 by default). */
  nFrames: number;
  /** `[n][nFrames][nMels]`, values from the dsp extractor (`normalize: 'db-range'` → [0, 1]). */
  x: Float32Array;
  /** `[n]` class ids. */
  y: Int32Array;
  /** Clip ids from the manifest, row order. */
  ids: readonly string[];
  /** Clips of the split left out because their features could not be made (see {@link computeFeatures}). */
  skipped: readonly FeatureFailure[];
}

/** Options of {@link computeFeatures}. */
export interface FeatureOptions {
  /** Band counts to compute, each an integer 1–512; default [64, 128]. */
  nMels?: number | readonly number[];
  /** Extra `@timbre/dsp` options (defaults: n_fft 1024, hop 512, slaney, top_db 80, db-range, 80 frames). */
  dsp?: DspParams;
  /** Cache root; default `$TIMBRE_CACHE_DIR` or `~/.cache/timbre`. */
  cacheDir?: string;
  /** Worker threads 0–64; default min(2, cores). */
  workers?: number;
  /** Progress (`features` phase). */
  onProgress?: ProgressCallback;
}

/** One cached feature array. */
export interface FeatureCacheEntry {
  nMels: number;
  /** Absolute path of the `.npy` (`[rows, frames, nMels]` float32 LE); the `.json` sidecar sits beside it. */
  path: string;
  /** Cache key (sha256 of DSP parameters + the clips' audio hashes, in row order). */
  key: string;
  rows: number;
  frames: number;
  /** True when the cache already held it. */
  reused: boolean;
  /** Clips whose features could not be made (their rows are zeros and {@link loadFeatureSet} leaves them out). */
  failed: FeatureFailure[];
}

/** A clip the features step skipped, and why. */
export interface FeatureFailure {
  id: string;
  message: string;
}

interface Sidecar {
  key: string;
  nMels: number;
  frames: number;
  ids: string[];
  sha256: string[];
  dsp: Record<string, unknown>;
  failed?: FeatureFailure[];
}

const FEATURE_VERSION = 1;

/** Rows of the feature cache: every non-silent clip, in manifest order. */
function featureRows(manifest: LoadedManifest): ClipRecord[] {
  return manifest.clips.filter((c) => !c.silent);
}

function bandList(nMels: number | readonly number[] | undefined): number[] {
  const list = nMels === undefined ? [64, 128] : typeof nMels === 'number' ? [nMels] : [...nMels];
  for (const m of list)
    if (!Number.isInteger(m) || m < 1 || m > 512) throw new OptionError('nMels', 'integers in 1..512', nMels);
  if (list.length === 0) throw new OptionError('nMels', 'at least one band count', nMels);
  return [...new Set(list)];
}

async function readSidecar(path: string): Promise<Sidecar | null> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as Sidecar;
  } catch {
    return null;
  }
}

/**
 * Compute (or reuse) log-mel features of every non-silent clip in a manifest, for each band count, with
 * `@timbre/dsp`. Cached as `<cache>/features/<key>.npy` + `<key>.json`; the key covers the resolved DSP
 * parameters and the clips' audio hashes, so any change recomputes and nothing stale is reused. Files are
 * written atomically, the sidecar last.
 */
export async function computeFeatures(
  manifest: LoadedManifest,
  options: FeatureOptions = {},
): Promise<FeatureCacheEntry[]> {
  const bands = bandList(options.nMels);
  const dsp: DspParams = { ...options.dsp };
  const rows = featureRows(manifest);
  const dir = await prepareCacheDir(join(resolveCacheDir(options.cacheDir), 'features'));
  const plans = await Promise.all(
    bands.map(async (nMels) => {
      const ex = await createExtractor(manifest.sampleRate, nMels, dsp);
      const { implementation: _impl, ...resolved } = ex.options;
      ex.dispose();
      const key = sha256Hex(
        JSON.stringify({ v: FEATURE_VERSION, dsp: resolved, hashes: rows.map((c) => c.sha256) }),
      );
      const base = join(dir, `${key.slice(0, 24)}-m${nMels}`);
      return { nMels, key, resolved, npy: `${base}.npy`, json: `${base}.json` };
    }),
  );
  const out: FeatureCacheEntry[] = [];
  const todo: typeof plans = [];
  for (const p of plans) {
    const side = await readSidecar(p.json);
    if (side && side.key === p.key && side.ids.length === rows.length) {
      out.push({
        nMels: p.nMels,
        path: p.npy,
        key: p.key,
        rows: rows.length,
        frames: side.frames,
        reused: true,
        failed: side.failed ?? [],
      });
    } else todo.push(p);
  }
  if (todo.length > 0) {
    const files = rows.map((c) => clipPath(manifest, c));
    const CHUNK = 64;
    const tasks: FeatureTask[] = [];
    for (let i = 0; i < files.length; i += CHUNK) {
      tasks.push({
        kind: 'features',
        files: files.slice(i, i + CHUNK),
        sampleRate: manifest.sampleRate,
        nMels: todo.map((p) => p.nMels),
        dsp,
      });
    }
    const progress = new ProgressTracker('features', rows.length, options.onProgress);
    const executor = createExecutor(options.workers);
    let frames = 0;
    const results: Float32Array[][] = new Array(tasks.length);
    const failed: FeatureFailure[] = [];
    try {
      await Promise.all(
        tasks.map(async (t, i) => {
          const r = await executor.run(t);
          results[i] = r.features;
          if (r.frames > 0) frames = r.frames;
          for (const f of r.failed) failed.push({ id: rows[i * CHUNK + f.index]!.id, message: f.message });
          progress.add(t.files.length);
        }),
      );
    } finally {
      await executor.close();
    }
    if (rows.length > 0 && failed.length === rows.length)
      throw new CorpusError(
        `no clip could be featurized; the first: ${failed[0]!.id}: ${failed[0]!.message}`,
      );
    failed.sort((a, b) => a.id.localeCompare(b.id));
    for (const [k, p] of todo.entries()) {
      const x = new Float32Array(rows.length * frames * p.nMels);
      // A chunk whose every clip failed has no arrays: its rows stay zeros.
      for (const [i, r] of results.entries()) if (r[k]) x.set(r[k]!, i * CHUNK * frames * p.nMels);
      await writeNpy(p.npy, x, [rows.length, frames, p.nMels]);
      const side: Sidecar = {
        key: p.key,
        nMels: p.nMels,
        frames,
        ids: rows.map((c) => c.id),
        sha256: rows.map((c) => c.sha256),
        dsp: p.resolved,
        ...(failed.length > 0 ? { failed } : {}),
      };
      await writeFileAtomic(p.json, JSON.stringify(side));
      out.push({ nMels: p.nMels, path: p.npy, key: p.key, rows: rows.length, frames, reused: false, failed });
    }
  }
  return bands.map((m) => out.find((e) => e.nMels === m)!);
}

/** Options of {@link loadFeatureSet}. */
export interface LoadFeatureSetOptions extends Omit<FeatureOptions, 'nMels'> {
  /** Band count, integer 1–512; default 64. */
  nMels?: number;
  /** Which clips: `'train'`, `'test'` or `'all'` (every non-silent clip, also unused). */
  split: 'train' | 'test' | 'all';
}

/**
 * Features for one split of a manifest, computed on first use and cached (see {@link computeFeatures}).
 * @param manifest A loaded manifest or the path of one.
 * @throws {OptionError} bad options; {@link ManifestError} unreadable manifest.
 */
export async function loadFeatureSet(
  manifest: LoadedManifest | string,
  options: LoadFeatureSetOptions,
): Promise<FeatureSet> {
  const m = typeof manifest === 'string' ? await readManifest(manifest) : manifest;
  const nMels = options.nMels ?? 64;
  if (!['train', 'test', 'all'].includes(options.split))
    throw new OptionError('split', "'train', 'test' or 'all'", options.split);
  const [entry] = await computeFeatures(m, { ...options, nMels });
  const { data, shape } = await readNpy(entry!.path);
  const frames = shape[1]!;
  const rows = featureRows(m);
  const stride = frames * nMels;
  const bad = new Map(entry!.failed.map((f) => [f.id, f]));
  const inSplit = rows.flatMap((c, i) => (options.split === 'all' || c.split === options.split ? [i] : []));
  const keep = inSplit.filter((i) => !bad.has(rows[i]!.id));
  const skipped = inSplit.flatMap((i) => bad.get(rows[i]!.id) ?? []);
  const x = new Float32Array(keep.length * stride);
  for (const [j, row] of keep.entries()) x.set(data.subarray(row * stride, (row + 1) * stride), j * stride);
  const y = Int32Array.from(keep, (row) => m.labels.indexOf(rows[row]!.label));
  return {
    labels: [...m.labels],
    nMels,
    nFrames: frames,
    x,
    y,
    ids: keep.map((row) => rows[row]!.id),
    skipped,
  };
}
