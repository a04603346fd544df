import { describe, expect, it } from 'vitest';
import { planCorpus } from './corpus-plan.js';
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
    expect(() => r.renderNote({ program: 73, pitch: 200, velocity: 100 })).toThrow(/pitch/);
    await expect(SoundFontRenderer.load('/nonexistent.sf2')).rejects.toThrow(/nonexistent\.sf2/);
  });
});
