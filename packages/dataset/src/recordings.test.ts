import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildCorpus } from './build-corpus.js';
import { encodeFloatWav, readClip } from './clip-store.js';
import { INSTRUMENTS } from './instruments.js';
import { clipPath, isOriginalClip } from './manifest.js';
import {
  cutRecordingClips,
  pitchShiftByResampling,
  planRecordingClips,
  RECORDING_CLIP_DEFAULTS,
} from './recording-task.js';
import {
  builtinRecordings,
  listRecordingFolder,
  parseNoteName,
  REAL_RECORDING_CLASSES,
} from './recordings.js';
import { builtinSoundFonts } from './soundfonts.js';

const SR = 44100;

/** A decaying harmonic tone at MIDI `pitch`, after `preS` of silence. */
function tone(pitch: number, durationS: number, preS = 0.05, decayS = 1.5): Float32Array {
  const f0 = 440 * 2 ** ((pitch - 69) / 12);
  const out = new Float32Array(Math.round((preS + durationS) * SR));
  const start = Math.round(preS * SR);
  for (let i = start; i < out.length; i++) {
    const t = (i - start) / SR;
    const env = Math.min(1, t / 0.01) * Math.exp(-t / decayS);
    out[i] = 0.4 * env * (Math.sin(2 * Math.PI * f0 * t) + 0.3 * Math.sin(4 * Math.PI * f0 * t));
  }
  return out;
}

/** Fundamental frequency from the autocorrelation peak (Hz), searched in [fLo, fHi]. */
function measureF0(x: Float32Array, fLo: number, fHi: number): number {
  const n = Math.min(x.length, 8192);
  let best = 0;
  let bestLag = 0;
  for (let lag = Math.floor(SR / fHi); lag <= Math.ceil(SR / fLo); lag++) {
    let s = 0;
    for (let i = 0; i + lag < n; i++) s += x[i]! * x[i + lag]!;
    if (s > best) {
      best = s;
      bestLag = lag;
    }
  }
  // Parabolic refinement around the peak.
  const r = (lag: number) => {
    let s = 0;
    for (let i = 0; i + lag < n; i++) s += x[i]! * x[i + lag]!;
    return s;
  };
  const [a, b, c] = [r(bestLag - 1), r(bestLag), r(bestLag + 1)];
  const delta = (0.5 * (a - c)) / (a - 2 * b + c);
  return SR / (bestLag + delta);
}

describe('parseNoteName', () => {
  it('reads tonejs-instruments names (C4 = 60, s = sharp) and ignores suffixes', () => {
    expect(parseNoteName('C4')).toBe(60);
    expect(parseNoteName('A4')).toBe(69);
    expect(parseNoteName('As2')).toBe(46);
    expect(parseNoteName('Fs1')).toBe(30);
    expect(parseNoteName('C#4')).toBe(61);
    expect(parseNoteName('Bb3')).toBe(58);
    expect(parseNoteName('F2 v2')).toBe(41);
    expect(parseNoteName('C-1')).toBe(0);
    expect(parseNoteName('index')).toBeNull();
    expect(parseNoteName('H4')).toBeNull();
    expect(parseNoteName('C12')).toBeNull();
  });
});

describe('built-in real recordings', () => {
  it('lists the installed tonejs-instrument packages: 11 classes, every note parsed, ids unique', () => {
    const recs = builtinRecordings();
    expect(new Set(recs.map((r) => r.label))).toEqual(new Set(REAL_RECORDING_CLASSES));
    expect(REAL_RECORDING_CLASSES).not.toContain('viola');
    expect(REAL_RECORDING_CLASSES).not.toContain('oboe');
    expect(REAL_RECORDING_CLASSES).not.toContain('cor-anglais');
    expect(recs.length).toBe(175);
    expect(new Set(recs.map((r) => r.id)).size).toBe(recs.length);
    for (const r of recs) {
      expect(r.sourceGroup).toBe('real');
      expect(r.pitch).toBeGreaterThanOrEqual(21);
      expect(r.pitch).toBeLessThanOrEqual(108);
    }
    expect(recs.find((r) => r.id === 'tonejs.cello.F2-v2')?.pitch).toBe(41);
  });
});

describe('planRecordingClips', () => {
  const cello = INSTRUMENTS.find((i) => i.name === 'cello')!;
  const rec = (pitch: number, id = `p${pitch}`) => ({
    id: `tonejs.cello.${id}`,
    label: 'cello',
    pitch,
    path: '/x.wav',
    source: 'tonejs',
    sourceGroup: 'real',
  });

  it('maps every pitch of the range within maxShift to its nearest recording, originals kept', () => {
    const plans = planRecordingClips([rec(40), rec(48), rec(90)], [cello], { maxShift: 3 });
    const targets = new Map(plans.map((p) => [p.recording.pitch, p.targets]));
    // 90 is outside cello's range (36..76) but kept as recorded.
    expect(targets.get(90)).toEqual([{ pitch: 90, shift: 0 }]);
    expect(targets.get(40)!.map((t) => t.pitch)).toEqual([37, 38, 39, 40, 41, 42, 43]);
    // 44 is 4 from 40 and 48: tie goes to the recording above (a shift down).
    // 44 is 4 from both 40 and 48: beyond maxShift, so no clip.
    expect(targets.get(48)!.map((t) => [t.pitch, t.shift])).toEqual([
      [45, -3],
      [46, -2],
      [47, -1],
      [48, 0],
      [49, 1],
      [50, 2],
      [51, 3],
    ]);
    const tie = planRecordingClips([rec(40), rec(46)], [cello], { maxShift: 3 });
    expect(tie.find((p) => p.recording.pitch === 46)!.targets.map((t) => t.pitch)).toContain(43);
    const all = plans.flatMap((p) => p.targets);
    for (const t of all) expect(Math.abs(t.shift)).toBeLessThanOrEqual(3);
    expect(new Set(all.map((t) => t.pitch)).size).toBe(all.length);
    expect(() => planRecordingClips([rec(40)], [cello], { maxShift: 13 })).toThrow(/maxShift/);
  });
});

describe('pitchShiftByResampling', () => {
  it('moves a tone by the asked semitones (measured f0) and changes its length by the same ratio', async () => {
    const x = tone(57, 1.2, 0); // A3 = 220 Hz
    for (const semis of [3, -2, 1]) {
      const y = await pitchShiftByResampling(x, semis, SR);
      const f0 = measureF0(y.subarray(2000), 150, 400);
      const cents = 1200 * Math.log2(f0 / (220 * 2 ** (semis / 12)));
      expect(Math.abs(cents)).toBeLessThan(5);
      expect(Math.abs(y.length - x.length / 2 ** (semis / 12))).toBeLessThan(64);
    }
    expect(await pitchShiftByResampling(x, 0, SR)).toBe(x);
    await expect(pitchShiftByResampling(x, 30, SR)).rejects.toThrow(/semitones/);
  });
});

describe('cutRecordingClips', () => {
  it('takes the onset clip plus later windows while the note sustains and fits', () => {
    const o = { ...RECORDING_CLIP_DEFAULTS, maxOffsets: 4, offsetStepS: 0.5, sustainDb: 20 };
    // 3 s, slow decay: offsets 0.5, 1.0, 1.5 fit (1.5 + 1 ≤ 3 − pre), 2.0 does not.
    const long = cutRecordingClips(tone(60, 2.8, 0.2, 4), SR, { durationS: 1 }, o);
    expect(long.map((c) => c.offsetS)).toEqual([0, 0.5, 1, 1.5]);
    expect(long[0]!.onsetS).toBeCloseTo(0.2, 1);
    for (const c of long) expect(c.samples.length).toBe(SR);
    // Fast decay (τ 0.1 s ≈ 43 dB per 0.5 s): no later window is within 20 dB.
    const short = cutRecordingClips(tone(60, 2.8, 0.2, 0.1), SR, { durationS: 1 }, o);
    expect(short.map((c) => c.offsetS)).toEqual([0]);
  });
});

describe('buildCorpus with recordings', () => {
  it('adds a recording source: originals + shifted + offset clips, kept together by by-pitch, held out on originals', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'timbre-rec-'));
    for (const [name, pitch] of [
      ['C4', 60],
      ['E4', 64],
      ['G4 v2', 67],
    ] as const)
      await writeFile(join(dir, `${name}.wav`), encodeFloatWav(tone(pitch, 2.2, 0.1, 3), SR));
    const recordings = listRecordingFolder(dir, 'flute');
    expect(recordings.map((r) => r.id)).toEqual(['tonejs.flute.C4', 'tonejs.flute.E4', 'tonejs.flute.G4-v2']);
    const cacheDir = await mkdtemp(join(tmpdir(), 'timbre-corpus-'));
    const base = {
      cacheDir,
      instruments: ['flute', 'tuba'],
      clipsPerClass: 4,
      velocities: [64, 110],
      soundFonts: builtinSoundFonts().filter((f) => f.name === 'TimGM6mb'),
      recordings,
      recordingClips: { maxShift: 1, maxOffsets: 1 },
      workers: 0,
      timing: { preRollS: 0.1, holdS: 0.5, releaseS: 0.2 },
    };
    const { manifest: m, summary } = await buildCorpus({
      ...base,
      split: { strategy: 'by-source', testGroups: ['real'] },
    });
    const real = m.clips.filter((c) => c.sourceGroup === 'real');
    // flute range 60..96: C4 → 60,61; E4 → 63,64,65; G4 → 66,67,68 (1 s clips: 2.2 s notes take one offset).
    expect(new Set(real.map((c) => c.pitch))).toEqual(new Set([60, 61, 63, 64, 65, 66, 67, 68]));
    expect(real.filter((c) => c.offsetS === 0.5).length).toBeGreaterThan(0);
    expect(summary.perSource.tonejs).toBe(real.length);
    for (const c of real) {
      expect(c.recording).toMatch(/^tonejs\.flute\./);
      expect(c.id).toMatch(/^flute\.tonejs\./);
      expect((await readClip(clipPath(m, c), SR)).length).toBe(SR);
    }
    // Held out: only the three originals are scored; tuba has no real clips and no test clips.
    const test = m.clips.filter((c) => c.split === 'test');
    expect(test.map((c) => c.id).sort()).toEqual([
      'flute.tonejs.C4.s0.o0',
      'flute.tonejs.E4.s0.o0',
      'flute.tonejs.G4-v2.s0.o0',
    ]);
    expect(test.every(isOriginalClip)).toBe(true);
    expect(m.split.testCounts).toEqual({ flute: 3 });
    expect(real.filter((c) => c.split === 'train')).toHaveLength(0);

    // by-pitch: all clips of one recording land on one side.
    const byPitch = await buildCorpus({ ...base, split: { strategy: 'by-pitch', seed: 3 } });
    const side = new Map<string, Set<string>>();
    for (const c of byPitch.manifest.clips.filter((c) => c.recording))
      side.set(c.recording!, (side.get(c.recording!) ?? new Set()).add(c.split));
    for (const s of side.values()) expect(s.size).toBe(1);

    // Warm rebuild reuses every recording; same clips.
    const again = await buildCorpus({ ...base, split: { strategy: 'by-source', testGroups: ['real'] } });
    expect(again.manifest.clips).toEqual(m.clips);
  });
});
