import { describe, expect, it } from 'vitest';
import { SplitError } from './errors.js';
import type { ClipRecord } from './manifest.js';
import { assignSplits } from './split.js';

/** A synthetic corpus: labels × groups × pitches × velocities. */
function corpus(labels = ['a', 'b', 'c'], groups = ['g1', 'g2'], pitches = 10, velocities = 4): ClipRecord[] {
  const out: ClipRecord[] = [];
  for (const label of labels)
    for (const g of groups)
      for (let p = 0; p < pitches; p++)
        for (let v = 0; v < velocities; v++)
          out.push({
            id: `${label}.${g}.n${60 + p}.v${v}`,
            label,
            source: g,
            sourceGroup: g,
            program: 0,
            pitch: 60 + p,
            velocity: 30 + v * 20,
            onsetS: 0.25,
            silent: false,
            file: 'x.wav',
            sha256: '',
            split: 'unused',
            origin: null,
          });
  return out;
}

function sides(clips: ClipRecord[]) {
  return { train: clips.filter((c) => c.split === 'train'), test: clips.filter((c) => c.split === 'test') };
}

describe('assignSplits: random', () => {
  it('gives exact per-class sizes, disjoint sets, deterministic per seed, different across seeds', () => {
    const clips = corpus();
    const r = assignSplits(clips, { trainPerClass: 40, testPerClass: 20, seed: 7 });
    const { train, test } = sides(r.clips);
    for (const label of ['a', 'b', 'c']) {
      expect(train.filter((c) => c.label === label)).toHaveLength(40);
      expect(test.filter((c) => c.label === label)).toHaveLength(20);
    }
    expect(r.clips.filter((c) => c.split === 'unused')).toHaveLength(clips.length - 180);
    const trainIds = new Set(train.map((c) => c.id));
    expect(test.some((c) => trainIds.has(c.id))).toBe(false);
    expect(assignSplits(clips, { trainPerClass: 40, testPerClass: 20, seed: 7 }).clips).toEqual(r.clips);
    expect(
      assignSplits([...clips].reverse(), { trainPerClass: 40, testPerClass: 20, seed: 7 }).clips.reverse(),
    ).toEqual(r.clips);
    expect(assignSplits(clips, { trainPerClass: 40, testPerClass: 20, seed: 8 }).clips).not.toEqual(r.clips);
    expect(r.info.trainCounts).toEqual({ a: 40, b: 40, c: 40 });
  });

  it('defaults to the paper sizes and refuses a class that is too small, naming it', () => {
    expect(() => assignSplits(corpus())).toThrow(
      /class 'a' has 80 usable clips, fewer than 200 train \+ 120 test/,
    );
    const clips = corpus().filter((c) => !(c.label === 'b' && c.pitch! > 61));
    expect(() => assignSplits(clips, { trainPerClass: 40, testPerClass: 20 })).toThrow(SplitError);
    expect(() => assignSplits(clips, { trainPerClass: 40, testPerClass: 20 })).toThrow(/'b'/);
  });

  it('refuses fewer than 2 classes and bad sizes', () => {
    expect(() => assignSplits(corpus(['a']), { trainPerClass: 1, testPerClass: 1 })).toThrow(
      /at least 2 classes/,
    );
    expect(() => assignSplits(corpus(), { trainPerClass: 0 })).toThrow(/trainPerClass/);
  });

  it('never uses silent clips', () => {
    const clips = corpus().map((c, i) => (i % 3 === 0 ? { ...c, silent: true } : c));
    const r = assignSplits(clips, { trainPerClass: 30, testPerClass: 20 });
    expect(r.clips.filter((c) => c.silent).every((c) => c.split === 'unused')).toBe(true);
  });
});

describe('assignSplits: by-pitch', () => {
  it('never puts the same instrument+pitch in both sets', () => {
    for (const seed of [0, 1, 2, 3]) {
      const r = assignSplits(corpus(), { strategy: 'by-pitch', seed });
      const { train, test } = sides(r.clips);
      const trainKeys = new Set(train.map((c) => `${c.label}:${c.pitch}`));
      expect(test.some((c) => trainKeys.has(`${c.label}:${c.pitch}`))).toBe(false);
      for (const label of ['a', 'b', 'c']) {
        const n = test.filter((c) => c.label === label).length;
        expect(n).toBeGreaterThanOrEqual(30); // target 0.375 × 80 = 30, whole pitches of 8
        expect(n).toBeLessThanOrEqual(40);
        expect(train.filter((c) => c.label === label).length).toBe(80 - n);
      }
    }
  });

  it('honours explicit sizes and refuses impossible ones', () => {
    const r = assignSplits(corpus(), { strategy: 'by-pitch', trainPerClass: 40, testPerClass: 16 });
    expect(r.info.testCounts).toEqual({ a: 16, b: 16, c: 16 });
    expect(r.info.trainCounts).toEqual({ a: 40, b: 40, c: 40 });
    expect(() =>
      assignSplits(corpus(), { strategy: 'by-pitch', trainPerClass: 70, testPerClass: 16 }),
    ).toThrow(SplitError);
    const noPitch = corpus().map((c) => ({ ...c, pitch: null }));
    expect(() => assignSplits(noPitch, { strategy: 'by-pitch' })).toThrow(/has no pitch/);
  });
});

describe('assignSplits: by-source', () => {
  it('keeps each source group on one side; default holds out the smaller group', () => {
    const clips = corpus(['a', 'b'], ['big', 'small']).filter(
      (c) => !(c.sourceGroup === 'small' && c.pitch! > 64),
    );
    const r = assignSplits(clips, { strategy: 'by-source' });
    const { train, test } = sides(r.clips);
    expect(new Set(test.map((c) => c.sourceGroup))).toEqual(new Set(['small']));
    expect(new Set(train.map((c) => c.sourceGroup))).toEqual(new Set(['big']));
    expect(r.info.testGroups).toEqual(['small']);
    expect(train.length + test.length).toBe(clips.length);
  });

  it('accepts explicit groups and sizes, refuses unknown or single groups', () => {
    const clips = corpus(['a', 'b'], ['g1', 'g2', 'g3']);
    const r = assignSplits(clips, {
      strategy: 'by-source',
      testGroups: ['g2'],
      trainPerClass: 50,
      testPerClass: 30,
    });
    expect(sides(r.clips).test.every((c) => c.sourceGroup === 'g2')).toBe(true);
    expect(r.info.trainCounts).toEqual({ a: 50, b: 50 });
    expect(() => assignSplits(clips, { strategy: 'by-source' })).toThrow(/needs testGroups/);
    expect(() => assignSplits(clips, { strategy: 'by-source', testGroups: ['nope'] })).toThrow(
      /unknown source group/,
    );
    expect(() => assignSplits(corpus(['a', 'b'], ['only']), { strategy: 'by-source' })).toThrow(
      /at least 2 source groups/,
    );
    expect(() =>
      assignSplits(clips, { strategy: 'by-source', testGroups: ['g2'], testPerClass: 41 }),
    ).toThrow(/class 'a': test needs 41/);
  });

  it('scores a held-out group on the classes it has, and refuses one missing from training', () => {
    const clips = corpus(['a', 'b'], ['g1', 'g2']).filter(
      (c) => !(c.label === 'b' && c.sourceGroup === 'g2'),
    );
    const r = assignSplits(clips, { strategy: 'by-source', testGroups: ['g2'] });
    expect(r.info.testCounts).toEqual({ a: 40 });
    expect(r.info.trainCounts).toEqual({ a: 40, b: 40 });
    const noTrain = corpus(['a', 'b'], ['g1', 'g2']).filter(
      (c) => !(c.label === 'b' && c.sourceGroup === 'g1'),
    );
    expect(() => assignSplits(noTrain, { strategy: 'by-source', testGroups: ['g2'] })).toThrow(
      /class 'b' would have 0 train/,
    );
  });

  it("holds out 'real' by default and scores it on original clips only", () => {
    const clips = corpus(['a', 'b'], ['fonts', 'real', 'other']).map((c) =>
      c.sourceGroup === 'real'
        ? { ...c, recording: `r${c.pitch}`, shift: c.velocity === 30 ? 0 : 1, offsetS: 0 }
        : c,
    );
    const r = assignSplits(clips, { strategy: 'by-source' });
    expect(r.info.testGroups).toEqual(['real']);
    const test = sides(r.clips).test;
    expect(test.length).toBe(20);
    expect(test.every((c) => c.sourceGroup === 'real' && c.shift === 0)).toBe(true);
    expect(r.clips.filter((c) => c.sourceGroup === 'real' && c.split === 'train')).toHaveLength(0);
  });
});

describe('assignSplits: all', () => {
  it('puts every usable clip in train and none in test', () => {
    const clips = corpus(['a', 'b'], ['g1']);
    clips[0] = { ...clips[0]!, silent: true };
    const r = assignSplits(clips, { strategy: 'all' });
    expect(sides(r.clips).test).toHaveLength(0);
    expect(sides(r.clips).train).toHaveLength(clips.length - 1);
    expect(r.info.testCounts).toEqual({});
  });
});
