import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from './atomic.js';
import { writeClip } from './clip-store.js';
import { sha256Hex } from './hash.js';
import { type NoteTiming, SoundFontRenderer } from './render-soundfont.js';
import { type TrimOptions, trimClip } from './trim.js';

/** One note of a render task. */
export interface PlannedNote {
  id: string;
  label: string;
  program: number;
  pitch: number;
  velocity: number;
  /** Render variation of this note (see `RenderVariation`); absent = the font as is. */
  modulation?: number;
  brightness?: number;
  /** Hold of this note, seconds (overrides the task's timing). */
  holdS?: number;
}

/** A batch of notes from one SoundFont, run in a worker. */
export interface RenderTask {
  kind: 'render';
  fontPath: string;
  clipDir: string;
  sampleRate: number;
  timing: NoteTiming;
  trim: TrimOptions;
  notes: PlannedNote[];
}

/** Per-clip metadata, also stored as the `<id>.json` sidecar next to `<id>.wav`. */
export interface RenderedClip {
  id: string;
  sha256: string;
  onsetS: number;
  silent: boolean;
  rmsDb: number;
}

/** Result of a render task. */
export interface RenderTaskResult {
  kind: 'render';
  clips: RenderedClip[];
  failed: { id: string; message: string }[];
}

/** Sidecar JSON path of a clip. */
export function sidecarPath(clipDir: string, id: string): string {
  return join(clipDir, `${id}.json`);
}

/** Read a sidecar; null when absent or unreadable. */
export async function readSidecar(clipDir: string, id: string): Promise<RenderedClip | null> {
  try {
    const s = JSON.parse(await readFile(sidecarPath(clipDir, id), 'utf8')) as RenderedClip;
    return typeof s.sha256 === 'string' && s.id === id ? s : null;
  } catch {
    return null;
  }
}

/**
 * Render, trim and store each note: `<clipDir>/<id>.wav` (atomic), then `<id>.json` (atomic). A clip counts
 * as done only when its sidecar exists, so an interrupted task is redone cleanly.
 */
export async function runRenderTask(
  task: RenderTask,
  renderers: Map<string, SoundFontRenderer>,
): Promise<RenderTaskResult> {
  let renderer = renderers.get(task.fontPath);
  if (!renderer) {
    renderer = await SoundFontRenderer.load(task.fontPath, task.sampleRate);
    renderers.set(task.fontPath, renderer);
  }
  const clips: RenderedClip[] = [];
  const failed: { id: string; message: string }[] = [];
  for (const note of task.notes) {
    try {
      const audio = renderer.renderNote({
        ...task.timing,
        ...(note.holdS !== undefined ? { holdS: note.holdS } : {}),
        program: note.program,
        pitch: note.pitch,
        velocity: note.velocity,
        ...(note.modulation !== undefined ? { modulation: note.modulation } : {}),
        ...(note.brightness !== undefined ? { brightness: note.brightness } : {}),
      });
      const clip = trimClip(audio, task.sampleRate, task.trim);
      const meta: RenderedClip = {
        id: note.id,
        sha256: sha256Hex(clip.samples),
        onsetS: clip.onsetS,
        silent: clip.silent,
        rmsDb: Number.isFinite(clip.rmsDb) ? clip.rmsDb : -400,
      };
      await writeClip(join(task.clipDir, `${note.id}.wav`), clip.samples, task.sampleRate);
      await writeFileAtomic(sidecarPath(task.clipDir, note.id), JSON.stringify(meta));
      clips.push(meta);
    } catch (err) {
      failed.push({ id: note.id, message: (err as Error).message });
    }
  }
  return { kind: 'render', clips, failed };
}
