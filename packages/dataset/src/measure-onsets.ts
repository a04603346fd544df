import { INSTRUMENTS, type InstrumentInfo } from './instruments.js';
import { createRng, keyedSeed } from './prng.js';
import { SoundFontRenderer } from './render-soundfont.js';
import { builtinSoundFonts, type SoundFontSource } from './soundfonts.js';
import { findOnset, type PowerScale } from './trim.js';

/** Options of {@link measureOnsets}. */
export interface MeasureOnsetsOptions {
  /** Fonts to measure; default the three built-in fonts. */
  soundFonts?: readonly SoundFontSource[];
  /** Instruments; default all 14. */
  instruments?: readonly InstrumentInfo[];
  /** Notes per instrument per font (random pitch in range, velocity 40–120), ≥ 1; default 20. */
  notesPerInstrument?: number;
  /** A detection counts as correct within this many seconds of the note-on; default 0.05. */
  toleranceS?: number;
  /** Power frame size, ms; default 10. */
  frameMs?: number;
  /** Seed for the note draw; default 0. */
  seed?: number;
}

/** Accuracy of one power scale on one source. */
export interface OnsetScore {
  /** Fraction of notes whose detected onset is within the tolerance of the note-on (0–1). */
  withinTolerance: number;
  /** Fraction detected more than 0.25 s late (0–1). */
  lateOver250ms: number;
  /** Median |detected − note-on|, seconds. */
  medianErrorS: number;
}

/** Result per source font. */
export interface OnsetReport {
  source: string;
  notes: number;
  linear: OnsetScore;
  log: OnsetScore;
}

function score(errors: number[], tol: number): OnsetScore {
  const abs = errors.map(Math.abs).sort((a, b) => a - b);
  return {
    withinTolerance: abs.filter((e) => e <= tol).length / abs.length,
    lateOver250ms: errors.filter((e) => e > 0.25).length / errors.length,
    medianErrorS: abs[Math.floor(abs.length / 2)] ?? 0,
  };
}

/**
 * Render notes with a known note-on (0.25 s pre-roll) and report, per source, how often the maximum of the
 * derivative of linear vs log frame power lands within `toleranceS` of the note-on.
 */
export async function measureOnsets(options: MeasureOnsetsOptions = {}): Promise<OnsetReport[]> {
  const fonts = options.soundFonts ?? builtinSoundFonts();
  const instruments = options.instruments ?? INSTRUMENTS;
  const perInst = options.notesPerInstrument ?? 20;
  const tol = options.toleranceS ?? 0.05;
  const frameMs = options.frameMs ?? 10;
  const preRollS = 0.25;
  const out: OnsetReport[] = [];
  for (const font of fonts) {
    const r = await SoundFontRenderer.load(font.path);
    const errs: Record<PowerScale, number[]> = { linear: [], log: [] };
    for (const inst of instruments) {
      const rng = createRng(keyedSeed(options.seed ?? 0, `onsets|${font.name}|${inst.name}`));
      for (let k = 0; k < perInst; k++) {
        const pitch = inst.lo + rng.int(inst.hi - inst.lo + 1);
        const velocity = 40 + rng.int(81);
        const audio = r.renderNote({ program: inst.gm, pitch, velocity, preRollS });
        for (const power of ['linear', 'log'] as const) {
          errs[power].push(findOnset(audio, r.sampleRate, { power, frameMs }) / r.sampleRate - preRollS);
        }
      }
    }
    out.push({
      source: font.name,
      notes: errs.log.length,
      linear: score(errs.linear, tol),
      log: score(errs.log, tol),
    });
  }
  return out;
}
