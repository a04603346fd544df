import { mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeClip } from './clip-store.js';
import { computeFeatures, loadFeatureSet } from './feature-cache.js';
import { sha256Hex } from './hash.js';
import { type ClipRecord, type Manifest, writeManifest } from './manifest.js';
import { readNpy } from './npy.js';

async function tinyManifest(dir: string, freqs: number[]): Promise<Manifest & { path: string }> {
  const clips: ClipRecord[] = [];
  for (const [i, f] of freqs.entries()) {
    const x = Float32Array.from({ length: 44100 }, (_, n) =>
      f === 0 ? 0 : 0.5 * Math.sin((2 * Math.PI * f * n) / 44100),
    );
    const id = `c${i}`;
    await writeClip(join(dir, 'clips', `${id}.wav`), x, 44100);
    clips.push({
      id,
      label: f < 1000 ? 'low' : 'high',
      source: 't',
      sourceGroup: 't',
      program: null,
      pitch: null,
      velocity: null,
      onsetS: 0,
      silent: f === 0,
      file: `clips/${id}.wav`,
      sha256: sha256Hex(x),
      split: i % 2 === 0 ? 'train' : 'test',
      origin: null,
    });
  }
  return writeManifest(join(dir, 'manifest.json'), {
    format: 'timbre-manifest',
    version: 1,
    kind: 'folder',
    sampleRate: 44100,
    clipSeconds: 1,
    labels: ['low', 'high'],
    clips,
    split: { strategy: 'random', seed: 0, trainCounts: {}, testCounts: {}, testGroups: null },
    skipped: [],
    params: {},
  });
}

describe('feature cache', () => {
  it('computes [n, 80, nMels] log-mel for non-silent clips, caches as npy + json, and reuses it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'timbre-feat-'));
    const cacheDir = join(dir, 'cache');
    const m = await tinyManifest(dir, [220, 3000, 440, 5000, 0]);
    const first = await computeFeatures(m, { nMels: [64, 128], cacheDir, workers: 0 });
    expect(first.map((e) => [e.nMels, e.rows, e.frames, e.reused])).toEqual([
      [64, 4, 80, false],
      [128, 4, 80, false],
    ]);
    const npy = await readNpy(first[0]!.path);
    expect(npy.shape).toEqual([4, 80, 64]);
    expect((await readdir(join(cacheDir, 'features'))).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    const again = await computeFeatures(m, { nMels: [64, 128], cacheDir, workers: 0 });
    expect(again.every((e) => e.reused)).toBe(true);
    expect(again.map((e) => e.path)).toEqual(first.map((e) => e.path));

    const train = await loadFeatureSet(m, { nMels: 128, split: 'train', cacheDir, workers: 0 });
    expect(train.ids).toEqual(['c0', 'c2']);
    expect(Array.from(train.y)).toEqual([0, 0]);
    expect(train.x.length).toBe(2 * 80 * 128);
    expect(train.labels).toEqual(['low', 'high']);
    const test = await loadFeatureSet(m.path, { nMels: 64, split: 'test', cacheDir, workers: 0 });
    expect(test.ids).toEqual(['c1', 'c3']);
    expect(Array.from(test.y)).toEqual([1, 1]);
    // Frame-major layout: a 220 Hz tone peaks in a low band, a 3 kHz tone in a higher band.
    const peakBand = (fs: typeof train, row: number) => {
      const frame = fs.x.subarray(row * 80 * fs.nMels + 40 * fs.nMels, row * 80 * fs.nMels + 41 * fs.nMels);
      return frame.indexOf(Math.max(...frame));
    };
    expect(peakBand(test, 0)).toBeGreaterThan(
      peakBand(await loadFeatureSet(m, { split: 'train', cacheDir, workers: 0 }), 0),
    );
    for (const v of train.x) expect(v >= 0 && v <= 1).toBe(true);
  });

  it('changes the cache key when audio or DSP parameters change', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'timbre-feat-'));
    const cacheDir = join(dir, 'cache');
    const a = await computeFeatures(await tinyManifest(join(dir, 'a'), [220, 3000]), {
      nMels: 64,
      cacheDir,
      workers: 0,
    });
    const b = await computeFeatures(await tinyManifest(join(dir, 'b'), [230, 3000]), {
      nMels: 64,
      cacheDir,
      workers: 0,
    });
    const c = await computeFeatures(await tinyManifest(join(dir, 'a'), [220, 3000]), {
      nMels: 64,
      cacheDir,
      workers: 0,
      dsp: { topDb: 60 },
    });
    expect(new Set([a[0]!.key, b[0]!.key, c[0]!.key]).size).toBe(3);
    await expect(
      computeFeatures(await tinyManifest(join(dir, 'a'), [220]), { nMels: 0, cacheDir }),
    ).rejects.toThrow(/nMels/);
  });

  it('skips a clip whose features cannot be made (one left in a cache by an older release) and reports it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'feat-bad-'));
    const cacheDir = join(dir, 'cache');
    const m = await tinyManifest(dir, [200, 3000, 300, 4000, 500, 6000]);
    // c2 (train) holds samples near 1e30: the power overflows float32 and its features are not finite.
    await writeClip(join(dir, 'clips', 'c2.wav'), new Float32Array(44100).fill(1e30), 44100);
    const [entry] = await computeFeatures(m, { nMels: 16, cacheDir, workers: 0 });
    expect(entry!.failed.map((f) => f.id)).toEqual(['c2']);
    expect(entry!.failed[0]!.message).toMatch(/c2\.wav: .*overflows float32/);
    const train = await loadFeatureSet(m, { nMels: 16, split: 'train', cacheDir, workers: 0 });
    expect(train.ids).toEqual(['c0', 'c4']);
    expect(train.skipped.map((f) => f.id)).toEqual(['c2']);
    expect(Array.from(train.x).every(Number.isFinite)).toBe(true);
    const test = await loadFeatureSet(m, { nMels: 16, split: 'test', cacheDir, workers: 0 });
    expect([test.ids.length, test.skipped.length]).toEqual([3, 0]);
    // Reused from the cache with the same report.
    const [again] = await computeFeatures(m, { nMels: 16, cacheDir, workers: 0 });
    expect([again!.reused, again!.failed.map((f) => f.id)]).toEqual([true, ['c2']]);
  });
});
