import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { checkNumber } from '@timbre/core';
import { writeFileAtomic } from './atomic.js';
import { writeClip } from './clip-store.js';
import { decodeAudio } from './decode-audio.js';
import { invalidOption } from './errors.js';
import { sha256Hex } from './hash.js';
import type { InstrumentInfo } from './instruments.js';
import type { RecordingSource } from './recordings.js';
import { resampleMono } from './resample.js';
import { findOnset, type TrimOptions, trimClip } from './trim.js';

/** How clips are made from recorded notes (see {@link planRecordingClips}). */
export interface RecordingClipOptions {
  /**
   * Largest pitch shift in semitones, integer 0–12; default 3. Every pitch of an instrument's range within
   * this distance of a recording is made from the nearest recording by band-limited resampling, as a
   * sampler plays it (shifting changes the duration and the formants with the pitch).
   */
  maxShift?: number;
  /** Extra clips per note taken later in a sustained recording, integer 0–8; default 2. */
  maxOffsets?: number;
  /** Seconds between those clips' starts (after the onset), 0.1–5; default 0.5. */
  offsetStepS?: number;
  /**
   * A later clip is kept only while the note sustains: its RMS within this many dB of the onset clip's,
   * 1–80; default 20. Offsets that run past the recording's end are never taken.
   */
  sustainDb?: number;
}

/** Resolved {@link RecordingClipOptions}. */
export type ResolvedRecordingClipOptions = Required<RecordingClipOptions>;

/** Defaults of {@link RecordingClipOptions}. */
export const RECORDING_CLIP_DEFAULTS: ResolvedRecordingClipOptions = {
  maxShift: 3,
  maxOffsets: 2,
  offsetStepS: 0.5,
  sustainDb: 20,
};

function intIn(name: string, v: number, lo: number, hi: number): number {
  return checkNumber(name, v, { min: lo, max: hi, integer: true }, invalidOption);
}

function numIn(name: string, v: number, lo: number, hi: number): number {
  return checkNumber(name, v, { min: lo, max: hi }, invalidOption);
}

/** Validate and fill in {@link RecordingClipOptions}. */
export function resolveRecordingClipOptions(o: RecordingClipOptions = {}): ResolvedRecordingClipOptions {
  const r = { ...RECORDING_CLIP_DEFAULTS, ...o };
  intIn('recordingClips.maxShift', r.maxShift, 0, 12);
  intIn('recordingClips.maxOffsets', r.maxOffsets, 0, 8);
  numIn('recordingClips.offsetStepS', r.offsetStepS, 0.1, 5);
  numIn('recordingClips.sustainDb', r.sustainDb, 1, 80);
  return r;
}

/** One pitch to make from a recording. */
export interface RecordingTarget {
  /** MIDI pitch of the clip. */
  pitch: number;
  /** Semitones from the recording's own pitch (`pitch − recording.pitch`), 0 for the original. */
  shift: number;
}

/** A recording and the pitches to make from it. */
export interface RecordingPlan {
  recording: RecordingSource;
  targets: RecordingTarget[];
}

/**
 * Assign every pitch of each instrument's playable range to its nearest recording (ties go to the
 * recording above, i.e. shifting down, then to the first id), if it lies within `maxShift` semitones.
 * Every recording keeps its own pitch (shift 0) even outside the playable range. Deterministic.
 */
export function planRecordingClips(
  recordings: readonly RecordingSource[],
  instruments: readonly InstrumentInfo[],
  options: RecordingClipOptions = {},
): RecordingPlan[] {
  const { maxShift } = resolveRecordingClipOptions(options);
  const plans = new Map<string, RecordingPlan>();
  const sorted = [...recordings].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  for (const r of sorted) plans.set(r.id, { recording: r, targets: [{ pitch: r.pitch, shift: 0 }] });
  for (const inst of instruments) {
    const recs = sorted.filter((r) => r.label === inst.name);
    if (recs.length === 0) continue;
    const own = new Set(recs.map((r) => r.pitch));
    for (let p = inst.lo; p <= inst.hi; p++) {
      if (own.has(p)) continue;
      let best: RecordingSource | null = null;
      for (const r of recs) {
        const d = Math.abs(p - r.pitch);
        if (d > maxShift) continue;
        if (!best) best = r;
        else {
          const bd = Math.abs(p - best.pitch);
          if (d < bd || (d === bd && r.pitch > best.pitch)) best = r;
        }
      }
      if (best) plans.get(best.id)!.targets.push({ pitch: p, shift: p - best.pitch });
    }
  }
  for (const plan of plans.values()) plan.targets.sort((a, b) => a.pitch - b.pitch);
  return [...plans.values()];
}

/** Id of a clip made from a recording: `<label>.<source>.<stem>.s<shift>.o<offset ms>`. */
export function recordingClipId(recording: RecordingSource, shift: number, offsetS: number): string {
  return `${recording.id.replace(`${recording.source}.${recording.label}.`, `${recording.label}.${recording.source}.`)}.s${shift}.o${Math.round(offsetS * 1000)}`;
}

/** A batch of recordings turned into clips in a worker. */
export interface RecordingTask {
  kind: 'recording';
  clipDir: string;
  sampleRate: number;
  trim: TrimOptions;
  clipOptions: ResolvedRecordingClipOptions;
  plans: RecordingPlan[];
}

/** One clip made from a recording (also stored, per recording, in the `<recording id>.json` sidecar). */
export interface RecordingClip {
  id: string;
  /** Id of the recording it was made from. */
  recording: string;
  pitch: number;
  /** Pitch shift in semitones (0 = the recording as recorded). */
  shift: number;
  /** Seconds after the onset where the clip starts (0 = the onset clip). */
  offsetS: number;
  /** Onset in the (shifted) recording, seconds. */
  onsetS: number;
  sha256: string;
  silent: boolean;
}

/** Per-recording sidecar: the source file's hash and the clips made from it. */
export interface RecordingSidecar {
  sourceSha256: string;
  /** Hash of the plan and options that made the clips. */
  planKey: string;
  clips: RecordingClip[];
}

/** Result of a recording task. */
export interface RecordingTaskResult {
  kind: 'recording';
  clips: RecordingClip[];
  failed: { id: string; message: string }[];
}

/** Sidecar path of a recording's clips. */
export function recordingSidecarPath(clipDir: string, recordingId: string): string {
  return join(clipDir, `${recordingId}.recording.json`);
}

/** Key of a recording plan + options (changes when anything that shapes its clips changes). */
export function recordingPlanKey(plan: RecordingPlan, task: Omit<RecordingTask, 'plans' | 'kind'>): string {
  return sha256Hex(
    JSON.stringify({
      v: 1,
      targets: plan.targets,
      sr: task.sampleRate,
      trim: task.trim,
      o: task.clipOptions,
    }),
  ).slice(0, 16);
}

function rmsDb(x: Float32Array): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i]! * x[i]!;
  return 10 * Math.log10(s / Math.max(1, x.length));
}

/**
 * Shift a recording's pitch by `semitones` with band-limited resampling (libsamplerate): the signal is read
 * `2^(semitones/12)` times faster, so it is shorter (shift up) or longer (shift down), as in a sampler.
 * @param samples Mono signal at `sampleRate`.
 * @param semitones Shift, −24..24 (0 returns the input).
 * @param sampleRate Hz (integer).
 */
export async function pitchShiftByResampling(
  samples: Float32Array,
  semitones: number,
  sampleRate: number,
): Promise<Float32Array> {
  numIn('semitones', semitones, -24, 24);
  if (semitones === 0) return samples;
  const from = Math.round(sampleRate * 2 ** (semitones / 12));
  return resampleMono(samples, from, sampleRate, 'medium');
}

/** Cut the onset clip and the later sustained clips of one (shifted) recording. */
export function cutRecordingClips(
  audio: Float32Array,
  sampleRate: number,
  trim: TrimOptions,
  o: ResolvedRecordingClipOptions,
): { offsetS: number; onsetS: number; samples: Float32Array; silent: boolean }[] {
  const first = trimClip(audio, sampleRate, trim);
  const out = [{ offsetS: 0, onsetS: first.onsetS, samples: first.samples, silent: first.silent }];
  const n = first.samples.length;
  const onset = Math.round(first.onsetS * sampleRate);
  for (let k = 1; k <= o.maxOffsets && !first.silent; k++) {
    const offsetS = k * o.offsetStepS;
    const start = onset + Math.round(offsetS * sampleRate);
    if (start + n > audio.length) break;
    const samples = audio.slice(start, start + n);
    if (rmsDb(samples) < first.rmsDb - o.sustainDb) break;
    out.push({ offsetS, onsetS: first.onsetS, samples, silent: false });
  }
  return out;
}

/**
 * Decode each recording, shift it to each target pitch, cut its clips and store them: `<clipDir>/<id>.wav`
 * (atomic), then the recording's sidecar (atomic) listing them. A recording counts as done only when its
 * sidecar exists, so an interrupted task is redone cleanly.
 */
export async function runRecordingTask(task: RecordingTask): Promise<RecordingTaskResult> {
  const clips: RecordingClip[] = [];
  const failed: { id: string; message: string }[] = [];
  for (const plan of task.plans) {
    const rec = plan.recording;
    try {
      const bytes = await readFile(rec.path);
      const audio = await decodeAudio(bytes, { file: rec.path, sampleRate: task.sampleRate });
      const made: RecordingClip[] = [];
      // Only the part the clips need is resampled: from just before the onset to the last offset clip's end.
      const sr = task.sampleRate;
      const onset = findOnset(audio.samples, sr, task.trim);
      const clipS = task.trim.durationS ?? 1;
      const needS = clipS + task.clipOptions.maxOffsets * task.clipOptions.offsetStepS + 0.05;
      const from = Math.max(0, onset - Math.round(0.1 * sr));
      for (const t of plan.targets) {
        const end = Math.min(audio.samples.length, onset + Math.ceil(needS * 2 ** (t.shift / 12) * sr));
        const part = audio.samples.subarray(from, end);
        const shifted = await pitchShiftByResampling(part, t.shift, sr);
        for (const c of cutRecordingClips(shifted, task.sampleRate, task.trim, task.clipOptions)) {
          const id = recordingClipId(rec, t.shift, c.offsetS);
          const clip: RecordingClip = {
            id,
            recording: rec.id,
            pitch: t.pitch,
            shift: t.shift,
            offsetS: c.offsetS,
            onsetS: c.onsetS,
            sha256: sha256Hex(c.samples),
            silent: c.silent,
          };
          await writeClip(join(task.clipDir, `${id}.wav`), c.samples, task.sampleRate);
          made.push(clip);
        }
      }
      const side: RecordingSidecar = {
        sourceSha256: sha256Hex(bytes),
        planKey: recordingPlanKey(plan, task),
        clips: made,
      };
      await writeFileAtomic(recordingSidecarPath(task.clipDir, rec.id), JSON.stringify(side));
      clips.push(...made);
    } catch (err) {
      failed.push({ id: rec.id, message: (err as Error).message });
    }
  }
  return { kind: 'recording', clips, failed };
}
