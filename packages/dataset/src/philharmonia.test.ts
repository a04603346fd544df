import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readClip } from './clip-store.js';
import { importFolder } from './folder.js';
import { sha256Hex } from './hash.js';
import { clipPath } from './manifest.js';
import { importPhilharmonia, parsePhilharmoniaName, philharmoniaNoteToMidi } from './philharmonia.js';
import { makeFlac, makeMp3, makeOgg, makeWav, sine } from './test-utils/encode.js';

/** Silence then a tone: onset at `onsetS`. */
function note(freq: number, onsetS = 0.2, totalS = 1.2): Float32Array {
  const x = sine(freq, 44100, totalS, 0.4);
  x.fill(0, 0, Math.round(onsetS * 44100));
  return x;
}

describe('parsePhilharmoniaName', () => {
  it('parses the documented examples', () => {
    expect(parsePhilharmoniaName('violin_A4_1_forte_arco-normal.mp3')).toEqual({
      instrument: 'violin',
      note: 'A4',
      pitch: 69,
      duration: '1',
      dynamic: 'forte',
      articulation: 'arco-normal',
    });
    expect(parsePhilharmoniaName('/x/flute/flute_Gs6_05_piano_normal.mp3')).toMatchObject({
      instrument: 'flute',
      note: 'Gs6',
      pitch: 92,
      duration: '05',
    });
    expect(parsePhilharmoniaName('french-horn_C2_very-long_mezzo-forte_normal.mp3')).toMatchObject({
      instrument: 'french-horn',
      pitch: 36,
      duration: 'very-long',
    });
    expect(parsePhilharmoniaName('snare-drum__025_forte_with-snares.mp3')).toEqual({
      instrument: 'snare-drum',
      note: null,
      pitch: null,
      duration: '025',
      dynamic: 'forte',
      articulation: 'with-snares',
    });
  });

  it('rejects names outside the convention', () => {
    expect(parsePhilharmoniaName('readme.txt')).toBeNull();
    expect(parsePhilharmoniaName('violin_H4_1_forte_arco-normal.mp3')).toBeNull();
    expect(parsePhilharmoniaName('violin_A4_1_forte.mp3')).toBeNull();
    expect(philharmoniaNoteToMidi('C4')).toBe(60);
    expect(philharmoniaNoteToMidi('As2')).toBe(46);
    expect(philharmoniaNoteToMidi('Bb4')).toBeNull();
  });
});

describe('importPhilharmonia', () => {
  it('imports the 14 by default, dedupes by content, skips bad files and lists them', async () => {
    const root = await mkdtemp(join(tmpdir(), 'timbre-phil-'));
    const cacheDir = join(root, '.cache');
    await mkdir(join(root, 'violin'));
    await mkdir(join(root, 'flute'));
    await mkdir(join(root, 'cello'));
    await mkdir(join(root, 'viola'));
    await mkdir(join(root, 'percussion'));
    const notes = ['A4', 'B4', 'Cs5', 'D5'];
    for (const [i, n] of notes.entries()) {
      await writeFile(
        join(root, 'violin', `violin_${n}_1_forte_arco-normal.mp3`),
        await makeMp3([note(440 + 40 * i)], 44100),
      );
      // A WAV with an .mp3 name: detected by magic bytes.
      await writeFile(
        join(root, 'flute', `flute_${n}_05_piano_normal.mp3`),
        makeWav([note(880 + 40 * i)], 44100, '16'),
      );
    }
    const dupe = await makeMp3([note(200)], 44100);
    await writeFile(join(root, 'cello', 'cello_G3_1_forte_arco-normal.mp3'), dupe);
    await writeFile(join(root, 'viola', 'viola_G3_1_forte_arco-normal.mp3'), dupe);
    await writeFile(
      join(root, 'violin', 'violin_E5_1_forte_arco-normal.mp3'),
      await makeMp3([note(460)], 44100),
    );
    await writeFile(
      join(root, 'violin', 'violin_E5_15_forte_arco-normal.mp3'),
      await makeMp3([note(460)], 44100),
    );
    await writeFile(join(root, 'violin', 'violin_F5_1_forte_arco-normal.mp3'), new Uint8Array(0));
    await writeFile(
      join(root, 'flute', 'flute_E5_1_forte_normal.mp3'),
      makeWav([note(700)], 44100, '16').subarray(0, 3000),
    );
    await writeFile(
      join(root, 'percussion', 'snare-drum__025_forte_with-snares.mp3'),
      await makeMp3([note(100)], 44100),
    );
    await writeFile(join(root, 'flute', 'notes.txt'), 'hello');

    const events: number[] = [];
    const { manifest, summary } = await importPhilharmonia(root, {
      cacheDir,
      onProgress: (e) => events.push(e.done),
    });
    expect(summary.perClass).toEqual({ violin: 5, flute: 4 });
    expect(summary.ignored).toBe(1); // snare drum (not among the 14); .txt is not audio
    const reasons = Object.fromEntries(summary.skipped.map((s) => [s.file.split('/').pop(), s.reason]));
    expect(reasons).toEqual({
      'cello_G3_1_forte_arco-normal.mp3': 'duplicate-conflicting-labels',
      'viola_G3_1_forte_arco-normal.mp3': 'duplicate-conflicting-labels',
      'violin_E5_1_forte_arco-normal.mp3': 'duplicate', // the copy sorting first (E5_15) is kept
      'violin_F5_1_forte_arco-normal.mp3': 'empty',
      'flute_E5_1_forte_normal.mp3': 'truncated',
    });
    expect(manifest.skipped).toHaveLength(5);
    expect(events.at(-1)).toBe(14);
    expect(manifest.kind).toBe('philharmonia');
    expect(manifest.labels).toEqual(['violin', 'flute']);
    const violinA4 = manifest.clips.find((c) => c.id === 'violin.violin_A4_1_forte_arco-normal')!;
    expect(violinA4.pitch).toBe(69);
    expect(violinA4.onsetS).toBeGreaterThan(0.15);
    expect(violinA4.onsetS).toBeLessThan(0.25);
    const pcm = await readClip(clipPath(manifest, violinA4), 44100);
    expect(pcm.length).toBe(44100);
    expect(sha256Hex(pcm)).toBe(violinA4.sha256);
    // Balanced default split: smallest class 4 → 3 train + 1 test per class.
    expect(manifest.split.trainCounts).toEqual({ violin: 3, flute: 3 });
    expect(manifest.split.testCounts).toEqual({ violin: 1, flute: 1 });

    const again = await importPhilharmonia(root, { cacheDir });
    expect(again.summary.reused).toBe(9);
    expect(again.summary.decoded).toBe(0);
    expect(again.manifest.clips).toEqual(manifest.clips);

    await expect(
      importPhilharmonia(root, {
        cacheDir,
        instruments: ['violin', 'snare-drum'],
        split: { strategy: 'by-pitch' },
      }),
    ).rejects.toThrow(/snare-drum.*has no pitch/);
    const byPitch = await importPhilharmonia(root, {
      cacheDir,
      instruments: ['violin', 'flute'],
      split: { strategy: 'by-pitch' },
    });
    expect(byPitch.manifest.split.strategy).toBe('by-pitch');
    expect(byPitch.summary.perClass).toEqual({ violin: 5, flute: 4 });
  }, 120_000);
});

describe('importFolder', () => {
  it('imports <root>/<label>/* in WAV, MP3, FLAC and Ogg', async () => {
    const root = await mkdtemp(join(tmpdir(), 'timbre-folder-'));
    await mkdir(join(root, 'bells'));
    await mkdir(join(root, 'drone'));
    await writeFile(join(root, 'bells', 'a.wav'), makeWav([note(1000), note(1000)], 48000, '24'));
    await writeFile(join(root, 'bells', 'b.flac'), await makeFlac([note(1100)], 44100));
    await writeFile(join(root, 'drone', 'c.ogg'), await makeOgg([note(100)], 44100));
    await writeFile(join(root, 'drone', 'd.mp3'), await makeMp3([note(120)], 44100));
    await writeFile(join(root, 'drone', 'e.mp3'), new TextEncoder().encode('not audio at all'));
    const { manifest, summary } = await importFolder(root, { cacheDir: join(root, '.cache') });
    expect(manifest.labels).toEqual(['bells', 'drone']);
    expect(summary.perClass).toEqual({ bells: 2, drone: 2 });
    expect(summary.skipped.map((s) => [s.file.split('/').pop(), s.reason])).toEqual([
      ['e.mp3', 'unknown-format'],
    ]);
    expect(manifest.clips.every((c) => c.split !== 'unused')).toBe(true);
    await expect(importFolder(join(root, 'missing'))).rejects.toThrow(/root/);
  }, 120_000);
});
