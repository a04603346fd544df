import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { removeStaleTempFiles } from './atomic.js';
import { prepareCacheDir, resolveCacheDir } from './cache-dir.js';
import { type PlannedClip, planCorpus, type RenderVariation } from './corpus-plan.js';
import { OptionError } from './errors.js';
import { createExecutor } from './executor.js';
import { sha256Hex } from './hash.js';
import { INSTRUMENTS } from './instruments.js';
import { makeDirs } from './make-dirs.js';
import {
  type ClipRecord,
  clipPath,
  type LoadedManifest,
  type Manifest,
  readManifest,
  type SkippedFile,
  writeManifest,
} from './manifest.js';
import { type ProgressCallback, ProgressTracker } from './progress.js';
import {
  planRecordingClips,
  type RecordingClip,
  type RecordingClipOptions,
  type RecordingPlan,
  type RecordingSidecar,
  type RecordingTask,
  recordingPlanKey,
  recordingSidecarPath,
  resolveRecordingClipOptions,
} from './recording-task.js';
import { builtinRecordings, type RecordingSource } from './recordings.js';
import type { NoteTiming } from './render-soundfont.js';
import { type RenderedClip, type RenderTask, readSidecar } from './render-task.js';
import { builtinSoundFonts, type SoundFontSource } from './soundfonts.js';
import { assignSplits, type SplitOptions } from './split.js';
import type { TrimOptions } from './trim.js';

/** Options of {@link buildCorpus}. All optional; defaults give the paper's protocol. */
export interface BuildCorpusOptions {
  /** Cache root; default `$TIMBRE_CACHE_DIR` or `~/.cache/timbre`. */
  cacheDir?: string;
  /** Clips per class, integer ≥ 2; default 320 (200 train + 120 test). */
  clipsPerClass?: number;
  /** Class names to include (subset of the 14); default all 14. */
  instruments?: readonly string[];
  /** Replace the built-in fonts (TimGM6mb, FluidR3Mono, MuseScore_General_Lite). */
  soundFonts?: readonly SoundFontSource[];
  /** Extra .sf2/.sf3 sources added to the built-in (or given) fonts. */
  extraSoundFonts?: readonly SoundFontSource[];
  /**
   * Real recorded notes added as a source of their own; default the built-in `tonejs-instrument-*`
   * recordings (source `tonejs`, group `real`, 11 of the 14 classes). `false` or `[]` leaves them out.
   */
  recordings?: readonly RecordingSource[] | false;
  /** How clips are made from the recordings (pitch shifts, later offsets); see {@link RecordingClipOptions}. */
  recordingClips?: RecordingClipOptions;
  /**
   * Per-note rendering variation of the SoundFont notes (vibrato depth, brightness, note length); default
   * none (`false`: every note as the font plays it). {@link SUGGESTED_RENDER_VARIATION} is the variant we
   * measured (it lowered fonts → real accuracy; see the models README).
   */
  variation?: RenderVariation | false;
  /** Velocities to draw from, 1–127; default [40, 60, 80, 100, 120]. */
  velocities?: readonly number[];
  /** Also draw from the alternative GM programs (saxophone: 64, 66); default true. */
  altPrograms?: boolean;
  /** Seed for the note selection and the split; default 0. */
  seed?: number;
  /**
   * Split; default `random` with round(0.625 × clipsPerClass) train and the rest test per class
   * (200 + 120 at the default size). The seed defaults to `seed`.
   */
  split?: SplitOptions;
  /** Note timing; defaults: 0.25 s pre-roll, 1.5 s hold, 0.5 s release. */
  timing?: NoteTiming;
  /** Trimming (onset detection) options; defaults: 1 s clip, 10 ms frames, log power. */
  trim?: TrimOptions;
  /** Worker threads, 0–64 (0 = in this thread); default min(2, cores). */
  workers?: number;
  /** Progress callback (`verify`, `render` phases). */
  onProgress?: ProgressCallback;
}

/** What a build did. */
export interface CorpusSummary {
  manifestPath: string;
  /** Clips in the manifest. */
  clips: number;
  /** Clips rendered in this run. */
  rendered: number;
  /** Clips reused from the cache (hash checked). */
  reused: number;
  /** Near-silent clips (kept in the manifest, excluded from splits). */
  silent: number;
  /** Notes that failed to render (listed, never fatal). */
  failed: SkippedFile[];
  /** Clips per class. */
  perClass: Record<string, number>;
  /** Clips per source font. */
  perSource: Record<string, number>;
  /** Wall time, seconds. */
  seconds: number;
  /** `'workers'` or `'in-process'`, and the worker count. */
  mode: string;
  workers: number;
  /** True when an existing manifest was reused as is (warm cache fast path). */
  cached: boolean;
}

/** A rendering variation: some vibrato, darker filters, shorter notes (measured; not the default). */
export const SUGGESTED_RENDER_VARIATION: Readonly<RenderVariation> = Object.freeze({
  modulation: 64,
  brightnessMin: 36,
  holdMinS: 0.4,
});

const RENDER_VERSION = 3; // 3: a fresh synthesizer per note (reproducible across workers and builds)
const SAMPLE_RATE = 44100;

async function fileSha256(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(path)) h.update(chunk as Buffer);
  return h.digest('hex');
}

function countBy(clips: readonly ClipRecord[], key: (c: ClipRecord) => string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const c of clips) out[key(c)] = (out[key(c)] ?? 0) + 1;
  return out;
}

/** sha256 of the PCM in one of our float WAV clips (bytes after the 44-byte header), or null. */
async function storedClipHash(path: string): Promise<string | null> {
  try {
    const bytes = await readFile(path);
    if (bytes.length <= 44 || bytes.readUInt32LE(40) !== bytes.length - 44) return null;
    return sha256Hex(bytes.subarray(44));
  } catch {
    return null;
  }
}

async function readRecordingSidecar(clipDir: string, id: string): Promise<RecordingSidecar | null> {
  try {
    const s = JSON.parse(await readFile(recordingSidecarPath(clipDir, id), 'utf8')) as RecordingSidecar;
    return Array.isArray(s.clips) && typeof s.planKey === 'string' ? s : null;
  } catch {
    return null;
  }
}

/**
 * Render the built-in corpus into the cache and write its manifest: isolated notes from the SoundFonts
 * (or your own fonts) and clips of the real recorded notes (the `tonejs-instrument-*` packages: each
 * recording at its own pitch, the neighbouring pitches within `recordingClips.maxShift` semitones made by
 * band-limited resampling, plus later 1-s windows of sustained notes; every clip records its recording,
 * shift and offset).
 * Resumable: every clip is written atomically with a sidecar holding its hash; clips whose file matches the
 * sidecar hash are reused, leftover `*.tmp` files are removed, and the manifest is written last
 * (atomically). With an intact manifest from an identical build, returns at once.
 * @throws {OptionError} bad options; {@link CorpusError} when a class cannot be filled.
 */
export async function buildCorpus(
  options: BuildCorpusOptions = {},
): Promise<{ manifest: LoadedManifest; summary: CorpusSummary }> {
  const t0 = performance.now();
  // 0. Resolve the options, the sources' hashes and the cache keys (render key: what a clip sounds like;
  //    selection key: which clips and split).
  const clipsPerClass = options.clipsPerClass ?? 320;
  if (!Number.isInteger(clipsPerClass) || clipsPerClass < 2)
    throw new OptionError('clipsPerClass', 'an integer ≥ 2', clipsPerClass);
  const names = options.instruments ?? INSTRUMENTS.map((i) => i.name);
  const instruments = names.map((n) => {
    const inst = INSTRUMENTS.find((i) => i.name === n);
    if (!inst)
      throw new OptionError('instruments', `names among ${INSTRUMENTS.map((i) => i.name).join(', ')}`, n);
    return inst;
  });
  const fonts = [...(options.soundFonts ?? builtinSoundFonts()), ...(options.extraSoundFonts ?? [])];
  const velocities = options.velocities ?? [40, 60, 80, 100, 120];
  const seed = options.seed ?? 0;
  const timing: Required<NoteTiming> = { preRollS: 0.25, holdS: 1.5, releaseS: 0.5, ...options.timing };
  const variation = options.variation || undefined;
  const trim: TrimOptions = { durationS: 1, frameMs: 10, power: 'log', ...options.trim };
  const train = Math.round(clipsPerClass * 0.625);
  const split: SplitOptions = {
    seed,
    trainPerClass: train,
    testPerClass: clipsPerClass - train,
    ...options.split,
  };
  if (options.split?.strategy && options.split.strategy !== 'random') {
    if (options.split.trainPerClass === undefined) delete split.trainPerClass;
    if (options.split.testPerClass === undefined) delete split.testPerClass;
  }

  const recordingClips = resolveRecordingClipOptions(options.recordingClips);
  const recordings = (options.recordings === false ? [] : (options.recordings ?? builtinRecordings())).filter(
    (r) => names.includes(r.label),
  );
  const recordingIds = await Promise.all(
    recordings.map(async (r) => ({ id: r.id, sha256: await fileSha256(r.path).catch(() => 'missing') })),
  );
  const missingRecording = recordingIds.find((r) => r.sha256 === 'missing');
  if (missingRecording) throw new OptionError('recordings', 'readable audio files', missingRecording.id);
  const fontIds = await Promise.all(
    fonts.map(async (f) => ({
      name: f.name,
      sourceGroup: f.sourceGroup,
      sha256: await fileSha256(f.path).catch(() => 'missing'),
    })),
  );
  const renderKey = sha256Hex(
    JSON.stringify({ v: RENDER_VERSION, sr: SAMPLE_RATE, fonts: fontIds, timing, trim, variation }),
  ).slice(0, 16);
  const params = {
    clipsPerClass,
    instruments: names,
    fonts: fontIds,
    velocities,
    altPrograms: options.altPrograms ?? true,
    seed,
    timing,
    trim,
    split,
    ...(variation ? { variation } : {}),
    ...(recordings.length > 0 ? { recordings: recordingIds, recordingClips } : {}),
  };
  const selKey = sha256Hex(JSON.stringify(params)).slice(0, 16);
  const root = await prepareCacheDir(join(resolveCacheDir(options.cacheDir), 'corpus', renderKey));
  const clipDir = join(root, 'clips');
  const manifestPath = join(root, `manifest-${selKey}.json`);
  await makeDirs(clipDir);
  await removeStaleTempFiles(clipDir);

  // 1. Verify the cache: an intact manifest of the same build is the answer.
  const cached = await intactManifest(manifestPath);
  if (cached)
    return {
      manifest: cached,
      summary: summarize(cached, 0, cached.clips.length, cached.skipped, t0, 'cached', 0, true),
    };

  const missingFont = fontIds.find((f) => f.sha256 === 'missing');
  if (missingFont) throw new OptionError('soundFonts', 'readable .sf2/.sf3 files', missingFont.name);
  const plan = planCorpus({
    instruments,
    fonts,
    velocities,
    clipsPerClass,
    altPrograms: options.altPrograms ?? true,
    seed,
    ...(variation ? { variation } : {}),
    holdS: timing.holdS,
  });

  // 2. Resume: reuse clips whose WAV matches the sidecar hash.
  const done = await verifiedNotes(plan, clipDir, options.onProgress);
  const reused = done.size;

  const todo = plan.filter((p) => !done.has(p.id));
  const groups = new Map<string, PlannedClip[]>();
  for (const p of todo) {
    const k = `${p.font.path}|${p.program}`;
    const g = groups.get(k) ?? [];
    g.push(p);
    groups.set(k, g);
  }
  const tasks: RenderTask[] = [];
  const CHUNK = 40;
  for (const g of groups.values()) {
    for (let i = 0; i < g.length; i += CHUNK) {
      tasks.push({
        kind: 'render',
        fontPath: g[0]!.font.path,
        clipDir,
        sampleRate: SAMPLE_RATE,
        timing,
        trim,
        notes: g.slice(i, i + CHUNK).map(({ font: _font, ...note }) => note),
      });
    }
  }
  // Recorded notes: reuse a recording's clips when its sidecar matches the file, the plan and every clip.
  const recPlans = planRecordingClips(recordings, instruments, recordingClips);
  const recTaskBase = { clipDir, sampleRate: SAMPLE_RATE, trim, clipOptions: recordingClips };
  const { recDone, recTodo } = await verifiedRecordings(
    recPlans,
    recTaskBase,
    (r) => recordingIds[recordings.indexOf(r)]?.sha256,
  );
  const REC_CHUNK = 4;
  const recTasks: RecordingTask[] = [];
  for (let i = 0; i < recTodo.length; i += REC_CHUNK)
    recTasks.push({ kind: 'recording', ...recTaskBase, plans: recTodo.slice(i, i + REC_CHUNK) });

  // 3. Render what is missing (notes and recordings), on the worker pool.
  const { failed, mode, workers } = await renderMissing(tasks, recTasks, done, recDone, {
    total: todo.length + recTodo.length,
    ...(options.workers !== undefined ? { workers: options.workers } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });

  // 4. Assemble: every clip in plan order, the split, the manifest (written last, atomically).
  const clips = assembleClips(plan, done, recPlans, recDone);
  failed.sort((a, b) => a.file.localeCompare(b.file));
  const { clips: splitClips, info } = assignSplits(clips, split);
  const manifest: Manifest = {
    format: 'timbre-manifest',
    version: 1,
    kind: 'soundfont',
    sampleRate: SAMPLE_RATE,
    clipSeconds: trim.durationS ?? 1,
    labels: [...names],
    clips: splitClips,
    split: info,
    skipped: failed,
    params,
  };
  const written = await writeManifest(manifestPath, manifest);
  return {
    manifest: written,
    summary: summarize(
      written,
      todo.length + recTodo.length - failed.length,
      reused,
      failed,
      t0,
      mode,
      workers,
      false,
    ),
  };
}

/** The manifest at `path` when it and every clip it names exist, else undefined. */
async function intactManifest(path: string): Promise<LoadedManifest | undefined> {
  try {
    const m = await readManifest(path);
    const present = await Promise.all(
      m.clips.map((c) =>
        stat(clipPath(m, c)).then(
          () => true,
          () => false,
        ),
      ),
    );
    return present.every(Boolean) ? m : undefined;
  } catch {
    return undefined; // no usable manifest: build
  }
}

/** The planned notes already rendered: their WAV matches the hash in their sidecar. */
async function verifiedNotes(
  plan: readonly PlannedClip[],
  clipDir: string,
  onProgress: ProgressCallback | undefined,
): Promise<Map<string, RenderedClip>> {
  const done = new Map<string, RenderedClip>();
  const verify = new ProgressTracker('verify', plan.length, onProgress);
  const BATCH = 64;
  for (let i = 0; i < plan.length; i += BATCH) {
    const part = plan.slice(i, i + BATCH);
    await Promise.all(
      part.map(async (p) => {
        const side = await readSidecar(clipDir, p.id);
        if (!side) return;
        const h = await storedClipHash(join(clipDir, `${p.id}.wav`));
        if (h === side.sha256) done.set(p.id, side);
      }),
    );
    verify.add(part.length);
  }
  return done;
}

/**
 * Splits the recordings' plans into those whose clips are all in the cache (sidecar matching the source file's
 * hash, the plan and every clip's hash) and those to make.
 */
async function verifiedRecordings(
  plans: readonly RecordingPlan[],
  base: Pick<RecordingTask, 'clipDir' | 'sampleRate' | 'trim' | 'clipOptions'>,
  sourceHash: (r: RecordingSource) => string | undefined,
): Promise<{ recDone: Map<string, RecordingClip[]>; recTodo: RecordingPlan[] }> {
  const recDone = new Map<string, RecordingClip[]>();
  const recTodo: RecordingPlan[] = [];
  for (const plan of plans) {
    const side = await readRecordingSidecar(base.clipDir, plan.recording.id);
    const ok =
      side !== null &&
      side.sourceSha256 === sourceHash(plan.recording) &&
      side.planKey === recordingPlanKey(plan, base) &&
      (await Promise.all(side.clips.map((c) => storedClipHash(join(base.clipDir, `${c.id}.wav`))))).every(
        (h, k) => h === side.clips[k]!.sha256,
      );
    if (ok) recDone.set(plan.recording.id, side.clips);
    else recTodo.push(plan);
  }
  return { recDone, recTodo };
}

/** Runs the render and recording tasks on the worker pool, filling `done` / `recDone`; failures are listed, not thrown. */
async function renderMissing(
  tasks: readonly RenderTask[],
  recTasks: readonly RecordingTask[],
  done: Map<string, RenderedClip>,
  recDone: Map<string, RecordingClip[]>,
  o: { total: number; workers?: number; onProgress?: ProgressCallback },
): Promise<{ failed: SkippedFile[]; mode: string; workers: number }> {
  const failed: SkippedFile[] = [];
  const executor = createExecutor(o.workers);
  const render = new ProgressTracker('render', o.total, o.onProgress);
  try {
    await Promise.all([
      ...recTasks.map(async (task) => {
        try {
          const r = await executor.run(task);
          for (const c of r.clips) recDone.set(c.recording, [...(recDone.get(c.recording) ?? []), c]);
          for (const f of r.failed) failed.push({ file: f.id, reason: 'decode-failed', message: f.message });
        } catch (err) {
          for (const p of task.plans)
            failed.push({ file: p.recording.id, reason: 'decode-failed', message: (err as Error).message });
        }
        render.add(task.plans.length);
      }),
      ...tasks.map(async (task) => {
        try {
          const r = await executor.run(task);
          for (const c of r.clips) done.set(c.id, c);
          for (const f of r.failed) failed.push({ file: f.id, reason: 'render-failed', message: f.message });
        } catch (err) {
          for (const n of task.notes)
            failed.push({ file: n.id, reason: 'render-failed', message: (err as Error).message });
        }
        render.add(task.notes.length);
      }),
    ]);
  } finally {
    await executor.close();
  }
  return { failed, mode: executor.mode, workers: executor.size };
}

/** The manifest's clips: rendered notes in plan order, then each recording's clips. */
function assembleClips(
  plan: readonly PlannedClip[],
  done: ReadonlyMap<string, RenderedClip>,
  recPlans: readonly RecordingPlan[],
  recDone: ReadonlyMap<string, RecordingClip[]>,
): ClipRecord[] {
  const clips: ClipRecord[] = [];
  for (const p of plan) {
    const meta = done.get(p.id);
    if (!meta) continue;
    clips.push({
      id: p.id,
      label: p.label,
      source: p.font.name,
      sourceGroup: p.font.sourceGroup,
      program: p.program,
      pitch: p.pitch,
      velocity: p.velocity,
      onsetS: meta.onsetS,
      silent: meta.silent,
      file: `clips/${p.id}.wav`,
      sha256: meta.sha256,
      split: 'unused',
      origin: null,
    });
  }
  for (const plan of recPlans) {
    const rec = plan.recording;
    for (const c of recDone.get(rec.id) ?? []) {
      clips.push({
        id: c.id,
        label: rec.label,
        source: rec.source,
        sourceGroup: rec.sourceGroup,
        program: null,
        pitch: c.pitch,
        velocity: null,
        onsetS: c.onsetS,
        silent: c.silent,
        file: `clips/${c.id}.wav`,
        sha256: c.sha256,
        split: 'unused',
        origin: null,
        recording: rec.id,
        shift: c.shift,
        offsetS: c.offsetS,
      });
    }
  }
  return clips;
}

function summarize(
  m: LoadedManifest,
  rendered: number,
  reused: number,
  failed: SkippedFile[],
  t0: number,
  mode: string,
  workers: number,
  cached: boolean,
): CorpusSummary {
  return {
    manifestPath: m.path,
    clips: m.clips.length,
    rendered,
    reused,
    silent: m.clips.filter((c) => c.silent).length,
    failed,
    perClass: countBy(m.clips, (c) => c.label),
    perSource: countBy(m.clips, (c) => c.source),
    seconds: (performance.now() - t0) / 1000,
    mode,
    workers,
    cached,
  };
}
