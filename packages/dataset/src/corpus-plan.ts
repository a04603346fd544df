import { CorpusError, OptionError } from './errors.js';
import type { InstrumentInfo } from './instruments.js';
import { createRng, keyedSeed, shuffled } from './prng.js';
import type { PlannedNote } from './render-task.js';
import type { SoundFontSource } from './soundfonts.js';

/** A planned note together with its source font. */
export interface PlannedClip extends PlannedNote {
  font: SoundFontSource;
}

/**
 * Per-note rendering variation of the SoundFont sources: each note draws its own controllers from a
 * generator seeded by (seed, clip id), so a note's variation does not depend on the rest of the plan.
 */
export interface RenderVariation {
  /** Largest modulation-wheel value (CC1, vibrato depth), integer 0–127; each note draws U{0..max}. Default 0 (off). */
  modulation?: number;
  /** Lowest brightness (CC74, filter cut-off; 64 = as the font), integer 0–64; each note draws U{min..64}. Default 64 (off). */
  brightnessMin?: number;
  /** Shortest hold, seconds, in [0.05, holdS]; each note holds U(min, holdS). Default: holdS (off). */
  holdMinS?: number;
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
  /** Per-note rendering variation; default none. */
  variation?: RenderVariation;
  /** The notes' hold, seconds (the upper end of `variation.holdMinS`); default 1.5. */
  holdS?: number;
}

/** Draw one note's variation (see {@link RenderVariation}); `{}` when it is off. */
export function drawVariation(
  v: RenderVariation | undefined,
  seed: number,
  id: string,
  holdS: number,
): { modulation?: number; brightness?: number; holdS?: number } {
  if (!v) return {};
  const rng = createRng(keyedSeed(seed, `variation|${id}`));
  const out: { modulation?: number; brightness?: number; holdS?: number } = {};
  const mod = v.modulation ?? 0;
  const bmin = v.brightnessMin ?? 64;
  if (!Number.isInteger(mod) || mod < 0 || mod > 127)
    throw new OptionError('variation.modulation', 'an integer in 0..127', mod);
  if (!Number.isInteger(bmin) || bmin < 0 || bmin > 64)
    throw new OptionError('variation.brightnessMin', 'an integer in 0..64', bmin);
  if (v.holdMinS !== undefined && !(v.holdMinS >= 0.05 && v.holdMinS <= holdS))
    throw new OptionError('variation.holdMinS', `a number in [0.05, ${holdS}] s`, v.holdMinS);
  if (mod > 0) out.modulation = rng.int(mod + 1);
  if (bmin < 64) out.brightness = bmin + rng.int(64 - bmin + 1);
  if (v.holdMinS !== undefined && v.holdMinS < holdS)
    out.holdS = Math.round((v.holdMinS + (holdS - v.holdMinS) * rng.next()) * 1000) / 1000;
  return out;
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
      for (const c of combos)
        Object.assign(c, drawVariation(opts.variation, opts.seed, c.id, opts.holdS ?? 1.5));
      return shuffled(combos, createRng(keyedSeed(opts.seed, `${inst.name}|${font.name}`)));
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
