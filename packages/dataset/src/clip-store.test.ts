import { mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { encodeFloatWav, readClip, writeClip } from './clip-store.js';
import { decodeWav } from './decode-wav.js';
import { DecodeError } from './errors.js';
import { makeWav } from './test-utils/encode.js';

describe('clip store', () => {
  const x = Float32Array.from({ length: 1000 }, (_, i) => Math.sin(i / 7) * 0.3);

  it('float WAV round-trips bit-exactly and is readable by wavefile', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'timbre-clip-'));
    await writeClip(join(dir, 'a.wav'), x, 44100);
    expect(await readdir(dir)).toEqual(['a.wav']);
    expect(Array.from(await readClip(join(dir, 'a.wav'), 44100))).toEqual(Array.from(x));
    const viaLib = decodeWav(encodeFloatWav(x, 44100), 'x');
    expect(viaLib.sampleRate).toBe(44100);
    expect(Array.from(viaLib.channelData[0]!)).toEqual(Array.from(x));
  });

  it('reads foreign mono WAVs through wavefile and rejects wrong rate or missing files', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'timbre-clip-'));
    await writeFile(join(dir, 'b.wav'), makeWav([x], 44100, '16'));
    expect((await readClip(join(dir, 'b.wav'), 44100)).length).toBe(1000);
    await expect(readClip(join(dir, 'b.wav'), 22050)).rejects.toThrow(DecodeError);
    await expect(readClip(join(dir, 'missing.wav'), 44100)).rejects.toThrow(/missing\.wav/);
  });
});
