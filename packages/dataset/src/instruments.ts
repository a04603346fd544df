/**
 * The 14 classes of Yun & Bi (Philharmonia instruments with ≥ 320 samples, minus bass clarinet and
 * contrabassoon, which have no General MIDI program). Copied from the project's shared
 * `instruments.json`; ranges are sounding MIDI notes.
 */
export interface InstrumentInfo {
  /** Class name, also the Philharmonia archive name. */
  readonly name: string;
  /** General MIDI program, 0-based (0–127). */
  readonly gm: number;
  /** Lowest playable MIDI note (inclusive). */
  readonly lo: number;
  /** Highest playable MIDI note (inclusive). */
  readonly hi: number;
  /** Optional alternative GM programs (e.g. other saxophones). */
  readonly alt: readonly number[];
  /** The instrument field used in Philharmonia file names. */
  readonly philharmonia: string;
}

const RAW: ReadonlyArray<[string, number, number, number, readonly number[]]> = [
  ['violin', 40, 55, 93, []],
  ['viola', 41, 48, 84, []],
  ['cello', 42, 36, 76, []],
  ['double-bass', 43, 28, 60, []],
  ['flute', 73, 60, 96, []],
  ['oboe', 68, 58, 91, []],
  ['cor-anglais', 69, 52, 81, []],
  ['clarinet', 71, 50, 91, []],
  ['bassoon', 70, 34, 75, []],
  ['saxophone', 65, 49, 80, [64, 66]],
  ['trumpet', 56, 54, 84, []],
  ['french-horn', 60, 41, 77, []],
  ['trombone', 57, 40, 72, []],
  ['tuba', 58, 28, 58, []],
];

/** The 14 instruments in the canonical class order (index = class id). */
export const INSTRUMENTS: readonly InstrumentInfo[] = RAW.map(([name, gm, lo, hi, alt]) => ({
  name,
  gm,
  lo,
  hi,
  alt,
  philharmonia: name,
}));

/** The 14 class names in canonical order. */
export const INSTRUMENT_NAMES: readonly string[] = INSTRUMENTS.map((i) => i.name);

/** Look up an instrument by class name; `undefined` if unknown. */
export function getInstrument(name: string): InstrumentInfo | undefined {
  return INSTRUMENTS.find((i) => i.name === name);
}
