import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { writeFileAtomic } from './atomic.js';
import { ManifestError } from './errors.js';

/** Where a clip is used. `unused` = rendered/imported but not selected by the current split. */
export type SplitName = 'train' | 'test' | 'unused';

/** One 1-s mono clip. */
export interface ClipRecord {
  /** Unique id, stable across runs (e.g. `violin.FluidR3Mono.p40.n69.v100`). */
  id: string;
  /** Class name. */
  label: string;
  /** Source: SoundFont name, `'philharmonia'` or `'folder'`. */
  source: string;
  /** Recording family used by `by-source` splits (e.g. `timgm`, `fluid`, `philharmonia`). */
  sourceGroup: string;
  /** GM program for rendered clips, else null. */
  program: number | null;
  /** MIDI pitch, or null if unknown. */
  pitch: number | null;
  /** MIDI velocity for rendered clips, else null. */
  velocity: number | null;
  /** Detected onset in the source, seconds. */
  onsetS: number;
  /** True for near-silent clips (excluded from splits). */
  silent: boolean;
  /** Clip WAV path relative to the manifest's directory. */
  file: string;
  /** sha256 (hex) of the clip's float32 little-endian PCM. */
  sha256: string;
  /** Split assignment. */
  split: SplitName;
  /** Original file for imported clips (absolute path), else null. */
  origin: string | null;
  /**
   * For clips made from a recorded note (the built-in real recordings): the recording's id. Every clip of
   * one recording (pitch-shifted copies, later offsets) shares it, and splits that claim to be disjoint
   * keep them on one side. Absent (or null) otherwise.
   */
  recording?: string | null;
  /** Semitones the recording was shifted by resampling to make this clip (0 = as recorded); absent otherwise. */
  shift?: number;
  /** Seconds after the onset where the clip starts (0 = the onset clip); absent for onset-only sources. */
  offsetS?: number;
}

/**
 * True for a clip that is an original recording as recorded: no pitch shift, starting at the onset. Every
 * rendered or imported clip is original; of the clips made from recorded notes, only the onset clip at the
 * recorded pitch is. Held-out groups are scored on original clips only.
 */
export function isOriginalClip(c: ClipRecord): boolean {
  return (c.shift ?? 0) === 0 && (c.offsetS ?? 0) === 0;
}

/** A file that could not be used, with the reason. */
export interface SkippedFile {
  /** File path (or clip id for rendered notes). */
  file: string;
  /** Short reason, e.g. `'corrupt'`, `'duplicate-conflicting-labels'`. */
  reason: string;
  /** Human-readable detail. */
  message: string;
}

/** How the split was made. */
export interface SplitInfo {
  strategy: 'random' | 'by-pitch' | 'by-source' | 'all';
  seed: number;
  /** Train clips per class actually assigned (per label). */
  trainCounts: Record<string, number>;
  /** Test clips per class actually assigned (per label). */
  testCounts: Record<string, number>;
  /** For `by-source`: the held-out source groups. */
  testGroups: string[] | null;
}

/** The manifest of a built corpus or imported dataset. */
export interface Manifest {
  format: 'timbre-manifest';
  version: 1;
  kind: 'soundfont' | 'philharmonia' | 'folder';
  /** Clip sample rate, Hz. */
  sampleRate: number;
  /** Clip length, seconds. */
  clipSeconds: number;
  /** Class names; index = class id. */
  labels: string[];
  clips: ClipRecord[];
  split: SplitInfo;
  skipped: SkippedFile[];
  /** Build parameters, for provenance. */
  params: Record<string, unknown>;
}

/** A manifest together with the path it was read from / written to (clip files resolve against its dir). */
export interface LoadedManifest extends Manifest {
  /** Absolute path of the manifest JSON. */
  readonly path: string;
}

/** Absolute path of a clip's WAV file. */
export function clipPath(manifest: LoadedManifest, clip: ClipRecord): string {
  return resolve(dirname(manifest.path), clip.file);
}

/** Write a manifest atomically (temp + rename) and return it with its path. */
export async function writeManifest(path: string, manifest: Manifest): Promise<LoadedManifest> {
  const { path: _drop, ...plain } = manifest as Manifest & { path?: string };
  await writeFileAtomic(path, `${JSON.stringify(plain, null, 1)}\n`);
  return { ...plain, path: resolve(path) };
}

/**
 * Read and validate a manifest.
 * @throws {ManifestError} if missing, not JSON, or not a timbre manifest.
 */
export async function readManifest(path: string): Promise<LoadedManifest> {
  let data: unknown;
  try {
    data = JSON.parse(await readFile(path, 'utf8'));
  } catch (err) {
    throw new ManifestError(path, (err as Error).message, err);
  }
  const m = data as Partial<Manifest>;
  if (m.format !== 'timbre-manifest' || m.version !== 1) {
    throw new ManifestError(path, "not a timbre manifest (expected format 'timbre-manifest', version 1)");
  }
  if (!Array.isArray(m.clips) || !Array.isArray(m.labels) || typeof m.sampleRate !== 'number') {
    throw new ManifestError(path, 'missing clips, labels or sampleRate');
  }
  for (const c of m.clips) {
    if (typeof c?.id !== 'string' || typeof c.file !== 'string' || !m.labels.includes(c.label)) {
      throw new ManifestError(path, `bad clip record ${JSON.stringify(c).slice(0, 120)}`);
    }
  }
  return { ...(m as Manifest), path: resolve(path) };
}
