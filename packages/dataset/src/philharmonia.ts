import { basename } from 'node:path';
import { OptionError } from './errors.js';
import { type ImportEntry, type ImportOptions, type ImportResult, importEntries } from './import-files.js';
import { INSTRUMENT_NAMES } from './instruments.js';
import { walkFiles } from './read-input.js';

/** Fields of a Philharmonia sample file name. */
export interface PhilharmoniaName {
  /** Instrument field, e.g. `violin`, `french-horn`, `snare-drum`. */
  instrument: string;
  /** Note as written (`A4`, `Gs6`), or null for percussion (empty field). */
  note: string | null;
  /** MIDI pitch of `note` (C4 = 60, sharps written `s`), or null. */
  pitch: number | null;
  /** Duration field: `025`, `05`, `1`, `15`, `long`, `very-long`, `phrase` (others kept as written). */
  duration: string;
  /** Dynamic field, e.g. `forte`, `piano`, `mezzo-forte`. */
  dynamic: string;
  /** Articulation field, e.g. `normal`, `arco-normal`. */
  articulation: string;
}

const SEMITONE: Record<string, number> = { C: 0, D: 2, E: 4, F: 5, G: 7, A: 9, B: 11 };

/** MIDI pitch of a Philharmonia note (`A4` → 69, `Gs6` → 92, `Cs-1` → 1); null if malformed. */
export function philharmoniaNoteToMidi(note: string): number | null {
  const m = /^([A-G])(s?)(-?\d)$/.exec(note);
  if (!m) return null;
  const midi = (Number(m[3]) + 1) * 12 + SEMITONE[m[1]!]! + (m[2] ? 1 : 0);
  return midi >= 0 && midi <= 127 ? midi : null;
}

/**
 * Parse `instrument_note_duration_dynamic_articulation.mp3` (any extension). Percussion has an empty note
 * field (`snare-drum__025_forte_normal.mp3`).
 * @returns The fields, or null when the name does not follow the convention.
 */
export function parsePhilharmoniaName(fileName: string): PhilharmoniaName | null {
  const stem = basename(fileName).replace(/\.[A-Za-z0-9]+$/, '');
  const parts = stem.split('_');
  if (parts.length < 5) return null;
  const [instrument, note, duration, dynamic, ...rest] = parts as [
    string,
    string,
    string,
    string,
    ...string[],
  ];
  const articulation = rest.join('_');
  if (!/^[a-z][a-z-]*$/.test(instrument) || !duration || !dynamic || !articulation) return null;
  if (note === '') return { instrument, note: null, pitch: null, duration, dynamic, articulation };
  const pitch = philharmoniaNoteToMidi(note);
  if (pitch === null) return null;
  return { instrument, note, pitch, duration, dynamic, articulation };
}

async function walk(dir: string): Promise<string[]> {
  return (await walkFiles(dir)).files;
}

/** Options of {@link importPhilharmonia}. */
export interface PhilharmoniaOptions extends ImportOptions {
  /** Philharmonia instrument names to import; default the paper's 14 classes. */
  instruments?: readonly string[];
}

/**
 * Import the Philharmonia samples under `root` (the extracted archives, any folder depth): parse names,
 * keep the selected instruments, deduplicate byte-identical files, decode (mpg123), trim to 1 s at the onset
 * and write clips + manifest into the cache. Bad files are skipped and listed, never fatal.
 */
export async function importPhilharmonia(
  root: string,
  options: PhilharmoniaOptions = {},
): Promise<ImportResult> {
  const wanted = new Set(options.instruments ?? INSTRUMENT_NAMES);
  if (wanted.size === 0) throw new OptionError('instruments', 'at least one instrument', options.instruments);
  let files: string[];
  try {
    files = (await walk(root)).sort();
  } catch (err) {
    throw new OptionError('root', 'a readable directory', `${root} (${(err as Error).message})`);
  }
  const entries: ImportEntry[] = [];
  let ignored = 0;
  for (const path of files) {
    if (!/\.(mp3|wav|flac|ogg)$/i.test(path)) continue;
    const name = parsePhilharmoniaName(path);
    if (!name || !wanted.has(name.instrument)) {
      ignored++;
      continue;
    }
    entries.push({
      path,
      label: name.instrument,
      pitch: name.pitch,
      source: 'philharmonia',
      sourceGroup: 'philharmonia',
    });
  }
  const result = await importEntries(entries, {
    ...options,
    kind: 'philharmonia',
    root,
    labels: [...wanted].filter((l) => entries.some((e) => e.label === l)),
  });
  result.summary.ignored += ignored;
  return result;
}
