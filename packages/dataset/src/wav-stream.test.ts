import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openCompressedStream } from './compressed-stream.js';
import { decodeAudioFile } from './decode-audio.js';
import { DecodeError } from './errors.js';
import { makeFlac, makeMp3, makeOgg, makeWav, sine } from './test-utils/encode.js';
import { openWavStream } from './wav-stream.js';

describe('openWavStream', () => {
  const dir = mkdtempSync(join(tmpdir(), 'wavstream-'));

  it('reads any range with the values of a whole-file decode (16-bit stereo, 24-bit, float)', async () => {
    for (const bits of ['16', '24', '32f']) {
      const l = sine(440, 44100, 2.3, 0.6);
      const r = sine(660, 44100, 2.3, 0.3);
      const path = join(dir, `t${bits}.wav`);
      writeFileSync(path, makeWav([l, r], 44100, bits));
      const whole = (await decodeAudioFile(path)).samples;
      const s = (await openWavStream(path))!;
      expect(s.length).toBe(whole.length);
      expect([s.sampleRate, s.channels]).toEqual([44100, 2]);
      for (const [start, n] of [
        [0, 1000],
        [12345, 44100],
        [whole.length - 10, 100],
      ] as const) {
        const got = await s.read(start, n);
        expect(Array.from(got)).toEqual(Array.from(whole.subarray(start, start + n)));
      }
      await s.close();
      await s.close();
    }
  });

  it('answers undefined for other formats and refuses bad WAVs as the decoder does', async () => {
    const ogg = join(dir, 'x.ogg');
    writeFileSync(ogg, Buffer.from('OggS not a wav'));
    expect(await openWavStream(ogg)).toBeUndefined();
    const good = makeWav([sine(440, 44100, 1)], 44100, '16');
    const cut = join(dir, 'cut.wav');
    writeFileSync(cut, good.subarray(0, 5000));
    await expect(openWavStream(cut)).rejects.toMatchObject({ reason: 'truncated' });
    const long = join(dir, 'long.wav');
    writeFileSync(long, good);
    await expect(openWavStream(long, { maxDurationS: 0.5 })).rejects.toMatchObject({ reason: 'too-long' });
    const x = sine(440, 44100, 1);
    x[30000] = Number.NaN;
    const nan = join(dir, 'nan.wav');
    writeFileSync(nan, makeWav([x], 44100, '32f'));
    const s = (await openWavStream(nan))!;
    expect((await s.read(0, 1000)).length).toBe(1000);
    const err = await s.read(29000, 2000).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DecodeError);
    expect((err as DecodeError).message).toMatch(/sample 30000 is NaN/);
    await s.close();
  });
});

describe('openCompressedStream', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mp3stream-'));

  it('reads forward with the values of a whole-file decode (MP3 with and without a LAME header, FLAC, Ogg)', async () => {
    const { builtinRecordings } = await import('./recordings.js');
    const real = builtinRecordings(['tuba']).find((r) => r.path.endsWith('.mp3'))!.path;
    const x = sine(330, 44100, 3, 0.4);
    const made = {
      mp3: await makeMp3([x], 44100),
      flac: await makeFlac([x, x], 44100),
      ogg: await makeOgg([x], 44100),
    };
    const paths = [real];
    for (const [ext, bytes] of Object.entries(made)) {
      paths.push(join(dir, `made.${ext}`));
      writeFileSync(paths.at(-1)!, bytes);
    }
    for (const path of paths) {
      const whole = (await decodeAudioFile(path)).samples;
      const s = (await openCompressedStream(path))!;
      expect(s.length).toBe(whole.length);
      let at = 0;
      for (const n of [1000, 20000, 300000, 5]) {
        const got = await s.read(at, n);
        expect(Array.from(got)).toEqual(Array.from(whole.subarray(at, at + n)));
        at += Math.floor(n / 2);
      }
      await expect(s.read(0, 10)).rejects.toThrow(/reads forward only/);
      await s.close();
    }
    const wav = join(dir, 'x.wav');
    writeFileSync(wav, makeWav([sine(440, 44100, 0.2)], 44100, '16'));
    expect(await openCompressedStream(wav)).toBeUndefined();
    const cut = join(dir, 'cut.flac');
    writeFileSync(cut, made.flac.subarray(0, Math.round(made.flac.length * 0.6)));
    await expect(openCompressedStream(cut)).rejects.toMatchObject({ reason: 'truncated' });
  });
});
