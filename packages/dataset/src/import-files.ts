import { readFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { writeFileAtomic } from './atomic.js';
import { prepareCacheDir, resolveCacheDir } from './cache-dir.js';
import { writeClip } from './clip-store.js';
import { decodeAudio } from './decode-audio.js';
import { DecodeError } from './errors.js';
import { sha256Hex } from './hash.js';
import { type ClipRecord, type LoadedManifest, type SkippedFile, writeManifest } from './manifest.js';
import { type ProgressCallback, ProgressTracker } from './progress.js';
import { readInputFile } from './read-input.js';
import { assignSplits, type SplitOptions } from './split.js';
import { type TrimOptions, trimClip } from './trim.js';

/** A file to import. */
export interface ImportEntry {
  path: string;
  label: string;
  pitch: number | null;
  source: string;
  sourceGroup: string;
}

/** Options shared by the file importers. */
export interface ImportOptions {
  /** Cache root; default `$TIMBRE_CACHE_DIR` or `~/.cache/timbre`. */
  cacheDir?: string;
  /** Trimming options (default 1 s, 10 ms frames, log power). */
  trim?: TrimOptions;
  /**
   * Split; default `random` with, per class, round(0.625 × n) train and the rest test, where n is the
   * smallest class size (balanced classes). Pass sizes for the paper's 200/120.
   */
  split?: SplitOptions;
  /** Progress (`import` phase). */
  onProgress?: ProgressCallback;
  /** Largest input file read, bytes; default `MAX_INPUT_BYTES` (512 MiB): larger files are skipped. */
  maxBytes?: number;
}

/** What an import did. */
export interface ImportSummary {
  manifestPath: string;
  /** Clips in the manifest. */
  clips: number;
  /** Files decoded in this run / reused from the cache. */
  decoded: number;
  reused: number;
  /** Files not matching the naming convention or the instrument selection. */
  ignored: number;
  /** Files that could not be used (decode errors, duplicates), with reasons. */
  skipped: SkippedFile[];
  silent: number;
  perClass: Record<string, number>;
  seconds: number;
}

/** Result of an import. */
export interface ImportResult {
  manifest: LoadedManifest;
  summary: ImportSummary;
}

interface ClipSidecar {
  sourceSha256: string;
  sha256: string;
  onsetS: number;
  silent: boolean;
}

const SR = 44100;

function clipIdFor(e: ImportEntry): string {
  const stem = basename(e.path)
    .replace(/\.[A-Za-z0-9]+$/, '')
    .replace(/[^A-Za-z0-9_.-]/g, '-');
  return `${e.label}.${stem}`;
}

/**
 * Decode, deduplicate, trim and store a list of files; write the manifest last. One bad file never stops
 * the import: it is skipped and listed. Byte-identical files are kept once when they share a label and
 * dropped altogether when their labels disagree (the true label is unknown).
 */
export async function importEntries(
  entries: readonly ImportEntry[],
  options: ImportOptions & { kind: 'philharmonia' | 'folder'; root: string; labels: string[] },
): Promise<ImportResult> {
  const t0 = performance.now();
  const trim: TrimOptions = { durationS: 1, frameMs: 10, power: 'log', ...options.trim };
  const key = sha256Hex(
    JSON.stringify({ v: 1, kind: options.kind, root: resolve(options.root), trim }),
  ).slice(0, 16);
  const dir = await prepareCacheDir(
    join(resolveCacheDir(options.cacheDir), 'imports', `${options.kind}-${key}`),
  );
  const skipped: SkippedFile[] = [];
  const progress = new ProgressTracker('import', entries.length, options.onProgress);

  // 1. Hash every file (bytes not kept: memory stays flat in the folder's size); group identical files.
  const hashed: { e: ImportEntry; hash: string }[] = [];
  for (const e of entries) {
    try {
      hashed.push({ e, hash: sha256Hex(await readInputFile(e.path, options.maxBytes)) });
    } catch (err) {
      const reason = err instanceof DecodeError ? err.reason : 'unreadable';
      skipped.push({ file: e.path, reason, message: (err as Error).message });
      progress.add(1);
    }
  }
  const byHash = new Map<string, typeof hashed>();
  for (const h of hashed) byHash.set(h.hash, [...(byHash.get(h.hash) ?? []), h]);
  const unique: typeof hashed = [];
  for (const group of byHash.values()) {
    const labels = new Set(group.map((g) => g.e.label));
    if (labels.size > 1) {
      for (const g of group) {
        skipped.push({
          file: g.e.path,
          reason: 'duplicate-conflicting-labels',
          message: `byte-identical files under ${[...labels].join(' and ')}: ${group.map((x) => x.e.path).join(', ')}`,
        });
        progress.add(1);
      }
      continue;
    }
    unique.push(group[0]!);
    for (const g of group.slice(1)) {
      skipped.push({ file: g.e.path, reason: 'duplicate', message: `byte-identical to ${group[0]!.e.path}` });
      progress.add(1);
    }
  }
  unique.sort((a, b) => a.e.path.localeCompare(b.e.path));

  // 2. Decode + trim (reusing clips whose sidecar matches the source hash).
  const clips: ClipRecord[] = [];
  const ids = new Set<string>();
  let decoded = 0;
  let reused = 0;
  for (const { e, hash } of unique) {
    let id = clipIdFor(e);
    for (let k = 2; ids.has(id); k++) id = `${clipIdFor(e)}~${k}`;
    ids.add(id);
    const wav = join(dir, 'clips', `${id}.wav`);
    const sidePath = join(dir, 'clips', `${id}.json`);
    let side: ClipSidecar | null = null;
    try {
      const s = JSON.parse(await readFile(sidePath, 'utf8')) as ClipSidecar;
      const stored = await readFile(wav);
      if (s.sourceSha256 === hash && sha256Hex(stored.subarray(44)) === s.sha256) side = s;
    } catch {
      side = null;
    }
    if (side) reused++;
    else {
      try {
        const bytes = await readInputFile(e.path, options.maxBytes);
        if (sha256Hex(bytes) !== hash)
          throw new DecodeError(e.path, 'changed', 'the file changed during the import');
        const audio = await decodeAudio(bytes, { file: e.path, sampleRate: SR });
        const clip = trimClip(audio.samples, SR, trim);
        side = {
          sourceSha256: hash,
          sha256: sha256Hex(clip.samples),
          onsetS: clip.onsetS,
          silent: clip.silent,
        };
        await writeClip(wav, clip.samples, SR);
        await writeFileAtomic(sidePath, JSON.stringify(side));
        decoded++;
      } catch (err) {
        const reason = err instanceof DecodeError ? err.reason : 'error';
        skipped.push({ file: e.path, reason, message: (err as Error).message });
        progress.add(1);
        continue;
      }
    }
    clips.push({
      id,
      label: e.label,
      source: e.source,
      sourceGroup: e.sourceGroup,
      program: null,
      pitch: e.pitch,
      velocity: null,
      onsetS: side.onsetS,
      silent: side.silent,
      file: `clips/${id}.wav`,
      sha256: side.sha256,
      split: 'unused',
      origin: resolve(e.path),
    });
    progress.add(1);
  }

  // 3. Split and write the manifest.
  const counts = new Map<string, number>();
  for (const c of clips) if (!c.silent) counts.set(c.label, (counts.get(c.label) ?? 0) + 1);
  const minCount = Math.min(...counts.values());
  const split: SplitOptions = { ...options.split };
  const defaultSizes = split.trainPerClass === undefined && split.testPerClass === undefined;
  if ((split.strategy ?? 'random') === 'random' && defaultSizes && counts.size >= 2 && minCount >= 2) {
    split.trainPerClass = Math.max(1, Math.round(minCount * 0.625));
    split.testPerClass = Math.max(1, minCount - split.trainPerClass);
  }
  const { clips: splitClips, info } = assignSplits(clips, split);
  skipped.sort((a, b) => a.file.localeCompare(b.file));
  const manifest = await writeManifest(join(dir, 'manifest.json'), {
    format: 'timbre-manifest',
    version: 1,
    kind: options.kind,
    sampleRate: SR,
    clipSeconds: trim.durationS ?? 1,
    labels: options.labels.filter((l) => clips.some((c) => c.label === l)),
    clips: splitClips,
    split: info,
    skipped,
    params: { root: resolve(options.root), trim, split },
  });
  const perClass: Record<string, number> = {};
  for (const c of clips) perClass[c.label] = (perClass[c.label] ?? 0) + 1;
  return {
    manifest,
    summary: {
      manifestPath: manifest.path,
      clips: clips.length,
      decoded,
      reused,
      ignored: 0,
      skipped,
      silent: clips.filter((c) => c.silent).length,
      perClass,
      seconds: (performance.now() - t0) / 1000,
    },
  };
}
