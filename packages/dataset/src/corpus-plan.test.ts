import { describe, expect, it } from 'vitest';
import { drawVariation, planCorpus } from './corpus-plan.js';
import { CorpusError, OptionError } from './errors.js';
import { INSTRUMENTS } from './instruments.js';
import { SoundFontRenderer } from './render-soundfont.js';
import { builtinSoundFonts } from './soundfonts.js';

const fonts = [
  { name: 'A', path: '/a.sf2', sourceGroup: 'x' },
  { name: 'B', path: '/b.sf2', sourceGroup: 'x' },
  { name: 'C', path: '/c.sf2', sourceGroup: 'y' },
];
const base = {
  instruments: INSTRUMENTS,
  fonts,
  velocities: [40, 60, 80, 100, 120],
  clipsPerClass: 320,
  altPrograms: true,
  seed: 0,
};

describe('planCorpus', () => {
  it('picks clipsPerClass unique notes per class in range, balanced over fonts, deterministic per seed', () => {
    const plan = planCorpus(base);
    expect(plan).toHaveLength(14 * 320);
    expect(new Set(plan.map((p) => p.id)).size).toBe(plan.length);
    for (const inst of INSTRUMENTS) {
      const mine = plan.filter((p) => p.label === inst.name);
      expect(mine).toHaveLength(320);
      for (const p of mine) {
        expect(p.pitch).toBeGreaterThanOrEqual(inst.lo);
        expect(p.pitch).toBeLessThanOrEqual(inst.hi);
        expect([inst.gm, ...inst.alt]).toContain(p.program);
      }
      const perFont = fonts.map((f) => mine.filter((p) => p.font.name === f.name).length);
      expect(Math.max(...perFont) - Math.min(...perFont)).toBeLessThanOrEqual(1);
    }
    expect(planCorpus(base)).toEqual(plan);
    expect(planCorpus({ ...base, seed: 1 }).map((p) => p.id)).not.toEqual(plan.map((p) => p.id));
    expect(
      planCorpus({ ...base, altPrograms: false }).every(
        (p) => p.program === INSTRUMENTS.find((i) => i.name === p.label)!.gm,
      ),
    ).toBe(true);
  });

  it('refuses impossible sizes and bad options', () => {
    expect(() => planCorpus({ ...base, velocities: [100], clipsPerClass: 320 })).toThrow(CorpusError);
    expect(() => planCorpus({ ...base, velocities: [100], clipsPerClass: 320 })).toThrow(/class 'violin'/);
    expect(() => planCorpus({ ...base, velocities: [0] })).toThrow(OptionError);
    expect(() => planCorpus({ ...base, fonts: [fonts[0]!, fonts[0]!] })).toThrow(/unique names/);
  });
});

describe('drawVariation', () => {
  it('draws per-note controllers in range, from the clip id alone, and names bad options', () => {
    const v = { modulation: 64, brightnessMin: 36, holdMinS: 0.4 };
    const plan = planCorpus({ ...base, variation: v, holdS: 1.5 });
    for (const p of plan) {
      expect(p.modulation).toBeGreaterThanOrEqual(0);
      expect(p.modulation).toBeLessThanOrEqual(64);
      expect(p.brightness).toBeGreaterThanOrEqual(36);
      expect(p.brightness).toBeLessThanOrEqual(64);
      expect(p.holdS).toBeGreaterThanOrEqual(0.4);
      expect(p.holdS).toBeLessThanOrEqual(1.5);
    }
    expect(new Set(plan.map((p) => p.modulation)).size).toBeGreaterThan(30);
    // Same id + seed → same draw, whatever else is planned.
    const one = plan[17]!;
    expect(drawVariation(v, 0, one.id, 1.5)).toEqual({
      modulation: one.modulation,
      brightness: one.brightness,
      holdS: one.holdS,
    });
    expect(drawVariation(undefined, 0, one.id, 1.5)).toEqual({});
    expect(() => drawVariation({ modulation: 200 }, 0, 'x', 1.5)).toThrow(/variation.modulation/);
    expect(() => drawVariation({ holdMinS: 3 }, 0, 'x', 1.5)).toThrow(/variation.holdMinS/);
  });
});

describe('SoundFontRenderer', () => {
  it('renders pre-roll silence, then the note; refuses programs the font lacks', async () => {
    const r = await SoundFontRenderer.load(builtinSoundFonts()[0]!.path);
    const x = r.renderNote({
      program: 73,
      pitch: 72,
      velocity: 100,
      preRollS: 0.1,
      holdS: 0.3,
      releaseS: 0.1,
    });
    expect(x.length).toBe(Math.round(0.5 * 44100));
    expect(x.subarray(0, 4410).every((v) => v === 0)).toBe(true);
    expect(Math.max(...x.subarray(4410, 4410 + 8820).map(Math.abs))).toBeGreaterThan(0.01);
    expect(r.hasProgram(73)).toBe(true);
    // Controllers are set before every note: the same request renders the same samples after any other note.
    const req = {
      program: 42,
      pitch: 48,
      velocity: 90,
      holdS: 0.3,
      releaseS: 0.1,
      modulation: 80,
      brightness: 30,
    };
    const a = r.renderNote(req);
    r.renderNote({ program: 42, pitch: 48, velocity: 90, holdS: 0.3, modulation: 0, brightness: 64 });
    expect(r.renderNote(req)).toEqual(a);
    const plain = r.renderNote({ ...req, modulation: 0, brightness: 64 });
    expect(plain).not.toEqual(a);
    expect(() => r.renderNote({ program: 73, pitch: 200, velocity: 100 })).toThrow(/pitch/);
    await expect(SoundFontRenderer.load('/nonexistent.sf2')).rejects.toThrow(/nonexistent\.sf2/);
  });
});
