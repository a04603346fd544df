import { mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildCorpus } from './build-corpus.js';
import { readClip } from './clip-store.js';
import { sha256Hex } from './hash.js';
import { clipPath, readManifest } from './manifest.js';
import type { ProgressEvent } from './progress.js';
import { builtinSoundFonts } from './soundfonts.js';

const fonts = builtinSoundFonts().filter((f) => f.name === 'TimGM6mb');
const tiny = (cacheDir: string) => ({
  cacheDir,
  instruments: ['flute', 'tuba'],
  clipsPerClass: 6,
  velocities: [64, 110],
  soundFonts: fonts,
  recordings: false as const,
  workers: 0,
  timing: { preRollS: 0.1, holdS: 0.5, releaseS: 0.2 },
  split: { trainPerClass: 4, testPerClass: 2 },
});

describe('buildCorpus', () => {
  it('renders a tiny corpus with a valid manifest, then resumes after deletions and ignores .tmp leftovers', async () => {
    const cacheDir = await mkdtemp(join(tmpdir(), 'timbre-corpus-'));
    const events: ProgressEvent[] = [];
    const first = await buildCorpus({ ...tiny(cacheDir), onProgress: (e) => events.push(e) });
    const m = first.manifest;
    expect(first.summary.rendered).toBe(12);
    expect(first.summary.perClass).toEqual({ flute: 6, tuba: 6 });
    expect(first.summary.perSource).toEqual({ TimGM6mb: 12 });
    expect(events.at(-1)).toMatchObject({ phase: 'render', done: 12, total: 12 });
    expect(new Set(m.clips.map((c) => c.id)).size).toBe(12);
    for (const c of m.clips) {
      expect(c.silent).toBe(false);
      expect(c.onsetS).toBeGreaterThanOrEqual(0.09);
      expect(c.onsetS).toBeLessThanOrEqual(0.12);
      expect(c.sourceGroup).toBe('timgm');
      const pcm = await readClip(clipPath(m, c), 44100);
      expect(pcm.length).toBe(44100);
      expect(sha256Hex(pcm)).toBe(c.sha256);
    }
    expect(m.clips.filter((c) => c.split === 'train')).toHaveLength(8);
    expect(m.clips.filter((c) => c.split === 'test')).toHaveLength(4);
    // Same recording at different pitches must differ.
    expect(new Set(m.clips.map((c) => c.sha256)).size).toBe(12);

    // Warm: returns the manifest at once.
    const warm = await buildCorpus(tiny(cacheDir));
    expect(warm.summary.cached).toBe(true);
    expect(warm.manifest.clips).toEqual(m.clips);

    // Simulate a crash: manifest gone, two clips gone, one sidecar gone, one clip corrupted, tmp leftovers.
    const clipDir = join(dirname(m.path), 'clips');
    await rm(m.path);
    await rm(join(clipDir, `${m.clips[0]!.id}.wav`));
    await rm(join(clipDir, `${m.clips[5]!.id}.wav`));
    await rm(join(clipDir, `${m.clips[7]!.id}.json`));
    await writeFile(join(clipDir, `${m.clips[9]!.id}.wav`), new Uint8Array(100));
    await writeFile(join(clipDir, `${m.clips[3]!.id}.wav.abc123.tmp`), new Uint8Array(10));
    await writeFile(`${m.path}.ffff.tmp`, '{"half": ');
    // Leftovers of an interrupted run are old; a temp file of a build running beside this one is not.
    const longAgo = new Date(Date.now() - 3_600_000);
    await utimes(`${m.path}.ffff.tmp`, longAgo, longAgo);
    await utimes(join(clipDir, `${m.clips[3]!.id}.wav.abc123.tmp`), longAgo, longAgo);
    await writeFile(join(clipDir, 'fresh.wav.0000.tmp'), new Uint8Array(4));
    const again = await buildCorpus(tiny(cacheDir));
    expect(again.summary.cached).toBe(false);
    expect(again.summary.reused).toBe(8);
    expect(again.summary.rendered).toBe(4);
    expect(again.manifest.clips).toEqual(m.clips);
    expect((await readManifest(m.path)).clips).toEqual(m.clips);
    const names = await readdir(dirname(m.path));
    expect(names.filter((n) => n.startsWith('manifest-') && n.endsWith('.json'))).toHaveLength(1);
    expect(names.filter((n) => n.endsWith('.tmp'))).toEqual([]);
    expect((await readdir(clipDir)).filter((n) => n.endsWith('.tmp'))).toEqual(['fresh.wav.0000.tmp']);
  });

  it('is deterministic per seed and names bad options', async () => {
    const a = await mkdtemp(join(tmpdir(), 'timbre-corpus-'));
    const b = await mkdtemp(join(tmpdir(), 'timbre-corpus-'));
    const opts = {
      ...tiny(a),
      clipsPerClass: 3,
      instruments: ['oboe', 'cello'],
      split: { trainPerClass: 2, testPerClass: 1 },
    };
    const m1 = (await buildCorpus(opts)).manifest;
    const m2 = (await buildCorpus({ ...opts, cacheDir: b })).manifest;
    expect(m2.clips).toEqual(m1.clips);
    await expect(buildCorpus({ ...opts, instruments: ['kazoo'] })).rejects.toThrow(/instruments/);
    await expect(buildCorpus({ ...opts, clipsPerClass: 500 })).rejects.toThrow(/only \d+ .* combinations/);
  });

  it('gives byte-identical clips on 0, 1 or 2 workers (each note on a fresh synthesizer)', async () => {
    // 80 viola + cello notes of TimGM6mb: on one long-lived synthesizer the later ones differed by ~1e-6
    // (its clock changes the envelopes' rounding), so the corpus depended on how notes met the workers.
    const opts = (cacheDir: string, workers: number) => ({
      ...tiny(cacheDir),
      instruments: ['viola', 'cello'],
      clipsPerClass: 40,
      velocities: [40, 60, 80, 100, 120],
      timing: { preRollS: 0.25, holdS: 1.5, releaseS: 0.5 },
      split: { trainPerClass: 25, testPerClass: 15 },
      workers,
    });
    const hashes = async (workers: number) => {
      const dir = await mkdtemp(join(tmpdir(), 'timbre-corpus-'));
      const m = (await buildCorpus(opts(dir, workers))).manifest;
      return m.clips.map((c) => `${c.id} ${c.sha256}`);
    };
    const inline = await hashes(0);
    expect(inline).toHaveLength(80);
    expect(await hashes(1)).toEqual(inline);
    expect(await hashes(2)).toEqual(inline);
  }, 120_000);
});
