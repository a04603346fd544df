import { CorpusError, OptionError } from './errors.js';
import type { InstrumentInfo } from './instruments.js';
import { createRng, deriveSeed, shuffled } from './prng.js';
import type { PlannedNote } from './render-task.js';
import type { SoundFontSource } from './soundfonts.js';

/** A planned note together with its source font. */
export interface PlannedClip extends PlannedNote {
  font: SoundFontSource;
}

/** Options of {@link planCorpus}. */
export interface PlanOptions {
  instruments: readonly InstrumentInfo[];
  fonts: readonly SoundFontSource[];
  /** MIDI velocities to draw from, each 1–127. */
  velocities: readonly number[];
  /** Clips per class, integer ≥ 1. */
  clipsPerClass: number;
  /** Include the instruments' alternative GM programs (e.g. alto/tenor sax). */
  altPrograms: boolean;
  seed: number;
}

/** Stable clip id: `label.font.pPROGRAM.nPITCH.vVELOCITY`. */
export function clipId(
  label: string,
  font: string,
  program: number,
  pitch: number,
  velocity: number,
): string {
  return `${label}.${font}.p${program}.n${pitch}.v${velocity}`;
}

/**
 * Choose the notes to render: per class, enumerate (font, program, pitch, velocity) in a fixed order,
 * shuffle each font's list with a seed derived from (seed, class, font), then take round-robin across
 * fonts so every font contributes about equally. Same options → same plan.
 * @throws {CorpusError} when a class has fewer combinations than `clipsPerClass`.
 */
export function planCorpus(opts: PlanOptions): PlannedClip[] {
  if (!Number.isInteger(opts.clipsPerClass) || opts.clipsPerClass < 1) {
    throw new OptionError('clipsPerClass', 'an integer ≥ 1', opts.clipsPerClass);
  }
  for (const v of opts.velocities) {
    if (!Number.isInteger(v) || v < 1 || v > 127)
      throw new OptionError('velocities', 'integers in 1..127', opts.velocities);
  }
  if (opts.velocities.length === 0)
    throw new OptionError('velocities', 'at least one velocity', opts.velocities);
  if (opts.fonts.length === 0) throw new OptionError('soundFonts', 'at least one SoundFont', []);
  const names = new Set<string>();
  for (const f of opts.fonts) {
    if (!/^[A-Za-z0-9_-]+$/.test(f.name) || names.has(f.name)) {
      throw new OptionError('soundFonts', 'unique names of letters, digits, - and _', f.name);
    }
    names.add(f.name);
  }
  const out: PlannedClip[] = [];
  for (const inst of opts.instruments) {
    const programs = opts.altPrograms ? [inst.gm, ...inst.alt] : [inst.gm];
    const perFont = opts.fonts.map((font) => {
      const combos: PlannedClip[] = [];
      for (const program of programs)
        for (let pitch = inst.lo; pitch <= inst.hi; pitch++)
          for (const velocity of opts.velocities)
            combos.push({
              id: clipId(inst.name, font.name, program, pitch, velocity),
              label: inst.name,
              program,
              pitch,
              velocity,
              font,
            });
      return shuffled(combos, createRng(deriveSeed(opts.seed, `${inst.name}|${font.name}`)));
    });
    const available = perFont.reduce((s, l) => s + l.length, 0);
    if (available < opts.clipsPerClass) {
      throw new CorpusError(
        `class '${inst.name}': only ${available} (font, program, pitch, velocity) combinations for ${opts.clipsPerClass} clips; add velocities or fonts`,
      );
    }
    const picked: PlannedClip[] = [];
    for (let i = 0; picked.length < opts.clipsPerClass; i++) {
      for (const list of perFont) {
        const c = list[i];
        if (c && picked.length < opts.clipsPerClass) picked.push(c);
      }
    }
    out.push(...picked);
  }
  return out;
}
