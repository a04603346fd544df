import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeAudioFile } from './decode-audio.js';
import { DecodeError } from './errors.js';
import { readInputFile, walkFiles } from './read-input.js';
import { makeWav, sine } from './test-utils/encode.js';

const dir = mkdtempSync(join(tmpdir(), 'timbre-input-'));
const wav = makeWav([sine(440, 8000, 0.2)], 8000, '16');
writeFileSync(join(dir, 'good.wav'), wav);
mkdirSync(join(dir, 'sub'));
symlinkSync('../good.wav', join(dir, 'sub', 'link.wav'));
symlinkSync('missing.wav', join(dir, 'dangling.wav'));
symlinkSync('b.wav', join(dir, 'a.wav'));
symlinkSync('a.wav', join(dir, 'b.wav'));
symlinkSync('..', join(dir, 'sub', 'up'));
execFileSync('mkfifo', [join(dir, 'pipe.wav')]);

const reason = (p: Promise<unknown>) =>
  p.then(
    () => 'ok',
    (e: unknown) => (e as DecodeError).reason,
  );

describe('bounded inputs', () => {
  it('reads regular files and symlinks to them; refuses FIFOs, devices, directories, loops and big files', async () => {
    expect((await readInputFile(join(dir, 'sub', 'link.wav'))).length).toBe(wav.length);
    expect(await reason(readInputFile(join(dir, 'pipe.wav')))).toBe('not-a-file'); // returns at once
    expect(await reason(readInputFile('/dev/zero'))).toBe('not-a-file');
    expect(await reason(readInputFile(dir))).toBe('not-a-file');
    expect(await reason(readInputFile(join(dir, 'a.wav')))).toBe('unreadable');
    await expect(readInputFile(join(dir, 'a.wav'))).rejects.toThrow(/symbolic link loop/);
    await expect(readInputFile(join(dir, 'good.wav'), 100)).rejects.toThrow(/over the 0 MiB input limit/);
    expect(await reason(decodeAudioFile(join(dir, 'good.wav'), { maxDurationS: 0.1 }))).toBe('too-long');
    expect((await decodeAudioFile(join(dir, 'sub', 'link.wav'), { sampleRate: 8000 })).durationS).toBeCloseTo(
      0.2,
      3,
    );
    await expect(readInputFile('/dev/zero')).rejects.toBeInstanceOf(DecodeError);
  });

  it('walks folders following symlinks, visiting each real folder once, and reports broken links', async () => {
    const { files, unreadable } = await walkFiles(dir, (n) => n.endsWith('.wav'));
    expect(files.map((f) => f.slice(dir.length + 1))).toEqual(['good.wav', 'sub/link.wav']);
    expect(unreadable.map((u) => [u.path.slice(dir.length + 1), u.reason])).toEqual([
      ['a.wav', 'a symbolic link loop'],
      ['b.wav', 'a symbolic link loop'],
      ['dangling.wav', 'a dangling symbolic link'],
    ]);
  });
});
