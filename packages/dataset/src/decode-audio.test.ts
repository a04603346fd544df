import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeAudio, decodeAudioFile } from './decode-audio.js';
import { detectAudioFormat } from './detect-format.js';
import { downmix } from './downmix.js';
import { DecodeError } from './errors.js';
import { makeFlac, makeMp3, makeOgg, makeWav, sine } from './test-utils/encode.js';

/** Estimate frequency from zero crossings. */
function zeroCrossFreq(x: Float32Array, sampleRate: number): number {
  let n = 0;
  for (let i = 1; i < x.length; i++) if (x[i - 1]! < 0 && x[i]! >= 0) n++;
  return (n * sampleRate) / x.length;
}

function rms(x: Float32Array, from = 0, to = x.length): number {
  let s = 0;
  for (let i = from; i < to; i++) s += x[i]! * x[i]!;
  return Math.sqrt(s / (to - from));
}

describe('decodeAudio: WAV', () => {
  for (const bits of ['8', '16', '24', '32', '32f']) {
    it(`decodes ${bits}-bit mono at 44.1 kHz with correct scale`, async () => {
      const x = sine(441, 44100, 0.5, 0.5);
      const out = await decodeAudio(makeWav([x], 44100, bits));
      expect(out.format).toBe('wav');
      expect(out.sampleRate).toBe(44100);
      expect(out.sourceSampleRate).toBe(44100);
      expect(out.samples.length).toBe(x.length);
      const tol = bits === '8' ? 0.01 : 1e-4;
      let maxErr = 0;
      for (let i = 0; i < x.length; i++) maxErr = Math.max(maxErr, Math.abs(out.samples[i]! - x[i]!));
      expect(maxErr).toBeLessThan(tol);
    });
  }

  it('decodes 64-bit float and WAVE_FORMAT_EXTENSIBLE, skipping odd-sized chunks before fmt', async () => {
    const x = sine(441, 8000, 0.05, 0.5);
    const f64 = await decodeAudio(makeWav([x], 8000, '64'), { sampleRate: 8000 });
    for (let i = 0; i < x.length; i++) expect(f64.samples[i]).toBeCloseTo(x[i]!, 6);
    // Rewrite a 16-bit file as EXTENSIBLE (fmt 40 bytes, sub-format PCM) behind a 3-byte LIST chunk.
    const plain = makeWav([x], 8000, '16');
    const pv = new DataView(plain.buffer, plain.byteOffset, plain.byteLength);
    const data = plain.subarray(36); // 'data' chunk
    const fmt = new Uint8Array(48);
    const fv = new DataView(fmt.buffer);
    fmt.set([0x66, 0x6d, 0x74, 0x20]);
    fv.setUint32(4, 40, true);
    fv.setUint16(8, 0xfffe, true);
    for (const [o, len] of [
      [10, 2],
      [12, 4],
      [16, 4],
      [20, 2],
      [22, 2],
    ] as const)
      for (let k = 0; k < len; k++) fmt[o + k] = plain[o + 12 + k - 0]!; // channels, rate, byte rate, align, bits
    fv.setUint16(24, 22, true);
    fv.setUint16(26, 16, true);
    fv.setUint32(28, 0, true);
    fv.setUint16(32, 1, true); // sub-format GUID: PCM
    const list = new Uint8Array([0x4c, 0x49, 0x53, 0x54, 3, 0, 0, 0, 1, 2, 3, 0]);
    const out = new Uint8Array(12 + list.length + fmt.length + data.length);
    out.set(plain.subarray(0, 12));
    out.set(list, 12);
    out.set(fmt, 12 + list.length);
    out.set(data, 12 + list.length + fmt.length);
    new DataView(out.buffer).setUint32(4, out.length - 8, true);
    expect(pv.getUint16(20, true)).toBe(1);
    const ext = await decodeAudio(out, { sampleRate: 8000 });
    expect(Array.from(ext.samples)).toEqual(
      Array.from((await decodeAudio(plain, { sampleRate: 8000 })).samples),
    );
  });

  it('refuses WAV format tags that are not PCM or float, naming the tag', async () => {
    for (const [tag, name] of [
      [0x55, /0x0055 \(MPEG Layer 3\)/],
      [0, /0x0000/],
      [0xffff, /0xffff/],
      [0x11, /IMA ADPCM/],
    ] as const) {
      const w = makeWav([sine(440, 8000, 0.05)], 8000, '16');
      new DataView(w.buffer, w.byteOffset).setUint16(20, tag, true);
      const err = await decodeAudio(w, { file: 'x.wav' }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DecodeError);
      expect((err as DecodeError).reason).toBe('unsupported-codec');
      expect((err as Error).message).toMatch(name);
    }
  });

  it('downmixes 4 channels to their mean', async () => {
    const a = sine(300, 22050, 0.2, 0.4);
    const silent = new Float32Array(a.length);
    const out = await decodeAudio(makeWav([a, silent, a, silent], 44100, '16'));
    expect(out.channels).toBe(4);
    expect(rms(out.samples)).toBeCloseTo(rms(a) / 2, 3);
  });

  it('resamples 22.05 kHz and 48 kHz to 44.1 kHz keeping pitch and length', async () => {
    for (const rate of [22050, 48000]) {
      const out = await decodeAudio(makeWav([sine(1000, rate, 1, 0.5)], rate, '16'), { sampleRate: 44100 });
      expect(out.sourceSampleRate).toBe(rate);
      expect(Math.abs(out.samples.length - 44100)).toBeLessThanOrEqual(2);
      expect(out.durationS).toBeCloseTo(1, 2);
      expect(zeroCrossFreq(out.samples, 44100)).toBeCloseTo(1000, -1);
      expect(rms(out.samples, 2000, 42000)).toBeCloseTo(0.5 / Math.SQRT2, 2);
    }
  });
});

describe('decodeAudio: compressed formats', () => {
  it('decodes MP3 (stereo 44.1 kHz) to mono with the tone intact', async () => {
    const x = sine(440, 44100, 1, 0.5);
    const out = await decodeAudio(await makeMp3([x, x], 44100));
    expect(out.format).toBe('mp3');
    expect(out.channels).toBe(2);
    // LAME delay + padding stay in when the stream has no LAME header (streamed encode): < 2 frames.
    expect(Math.abs(out.samples.length - 44100)).toBeLessThan(2400);
    expect(zeroCrossFreq(out.samples.subarray(2000, 40000), 44100)).toBeCloseTo(440, -1);
    expect(rms(out.samples, 5000, 35000)).toBeCloseTo(0.5 / Math.SQRT2, 1);
  });

  it('decodes MP3 at 48 kHz and resamples', async () => {
    const out = await decodeAudio(await makeMp3([sine(440, 48000, 1)], 48000));
    expect(out.sourceSampleRate).toBe(48000);
    // LAME delay + padding stay in when the stream has no LAME header (streamed encode): < 2 frames.
    expect(Math.abs(out.samples.length - 44100)).toBeLessThan(2400);
  });

  it('decodes FLAC losslessly (16-bit)', async () => {
    const x = sine(440, 44100, 0.5, 0.5);
    const out = await decodeAudio(await makeFlac([x], 44100));
    expect(out.format).toBe('flac');
    expect(out.samples.length).toBe(x.length);
    let maxErr = 0;
    for (let i = 0; i < x.length; i++) maxErr = Math.max(maxErr, Math.abs(out.samples[i]! - x[i]!));
    expect(maxErr).toBeLessThan(1e-4);
  });

  it('decodes Ogg Vorbis', async () => {
    const x = sine(440, 44100, 1, 0.5);
    const out = await decodeAudio(await makeOgg([x, x], 44100));
    expect(out.format).toBe('ogg');
    expect(Math.abs(out.samples.length - 44100)).toBeLessThan(2048);
    expect(zeroCrossFreq(out.samples.subarray(2000, 40000), 44100)).toBeCloseTo(440, -1);
  });

  it('detects format by magic bytes, not extension', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'timbre-dec-'));
    const path = join(dir, 'actually-flac.wav');
    await writeFile(path, await makeFlac([sine(440, 44100, 0.2)], 44100));
    expect((await decodeAudioFile(path)).format).toBe('flac');
  });
});

describe('decodeAudio: bad input', () => {
  async function reasonOf(p: Promise<unknown>): Promise<string> {
    try {
      await p;
    } catch (err) {
      expect(err).toBeInstanceOf(DecodeError);
      return (err as DecodeError).reason;
    }
    throw new Error('expected a DecodeError');
  }

  it('rejects zero-length, unknown magic and unreadable paths with the file name', async () => {
    expect(await reasonOf(decodeAudio(new Uint8Array(0), { file: 'empty.wav' }))).toBe('empty');
    expect(await reasonOf(decodeAudio(new TextEncoder().encode('hello world, not audio')))).toBe(
      'unknown-format',
    );
    const err = await decodeAudioFile('/nonexistent/dir/x.wav').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DecodeError);
    expect((err as DecodeError).file).toBe('/nonexistent/dir/x.wav');
    expect((err as DecodeError).reason).toBe('unreadable');
    expect((err as DecodeError).message).toContain('/nonexistent/dir/x.wav');
  });

  it('rejects a truncated WAV', async () => {
    const full = makeWav([sine(440, 44100, 0.5)], 44100, '16');
    expect(await reasonOf(decodeAudio(full.subarray(0, 2000), { file: 't.wav' }))).toMatch(
      /truncated|corrupt/,
    );
  });

  it('rejects a float WAV with samples far beyond full scale (it would overflow the DSP)', async () => {
    const x = sine(440, 8000, 0.1).map((v) => v * 1e30);
    const err = await decodeAudio(makeWav([x], 8000, '32f'), { file: 'huge.wav', sampleRate: 8000 }).catch(
      (e: unknown) => e,
    );
    expect((err as DecodeError).reason).toBe('out-of-range');
    expect((err as Error).message).toMatch(/huge\.wav: .* must lie within ±1000000/);
  });

  it('rejects a WAV with NaN samples', async () => {
    const x = sine(440, 44100, 0.1);
    x[100] = Number.NaN;
    expect(await reasonOf(decodeAudio(makeWav([x], 44100, '32f')))).toBe('non-finite');
  });

  it('rejects a truncated FLAC and a garbage MP3 body', async () => {
    const flac = await makeFlac([sine(440, 44100, 0.5)], 44100);
    expect(await reasonOf(decodeAudio(flac.subarray(0, 30)))).toMatch(/corrupt|empty|truncated/);
    const junk = new Uint8Array(4000);
    junk.set([0x49, 0x44, 0x33, 3, 0, 0, 0, 0, 0, 0, 0xff, 0xfb, 0x90, 0x64]); // ID3 + one frame header, then zeros
    expect(await reasonOf(decodeAudio(junk))).toMatch(/corrupt|empty/);
    const zeros = new Uint8Array(4000);
    zeros.set([0x49, 0x44, 0x33, 3, 0, 0, 0, 0, 0, 0]); // ID3 tag followed by no MPEG frame at all
    expect(await reasonOf(decodeAudio(zeros))).toBe('unknown-format');
  });

  it('one rule for every format: a file cut short anywhere is refused as truncated, the whole file decodes', async () => {
    const x = sine(440, 44100, 1.5, 0.5);
    const files = {
      wav: makeWav([x], 44100, '16'),
      flac: await makeFlac([x], 44100),
      mp3: await makeMp3([x], 44100),
      ogg: await makeOgg([x], 44100),
    };
    for (const [format, whole] of Object.entries(files)) {
      expect((await decodeAudio(whole)).format, format).toBe(format);
      const reasons = new Set<string>();
      for (const f of [0.2, 0.35, 0.5, 0.65, 0.8, 0.95, 0.99]) {
        const cut = whole.subarray(0, Math.round(whole.length * f));
        reasons.add(`${await reasonOf(decodeAudio(cut, { file: `cut.${format}` }))}`);
      }
      expect([...reasons], format).toEqual(['truncated']);
    }
  });

  it('refuses source rates outside 1000–192000 Hz naming the range (below, libsamplerate would give 6 samples)', async () => {
    for (const rate of [100, 400000]) {
      const err = await decodeAudio(makeWav([sine(20, rate, 1)], rate, '16'), { file: `r${rate}.wav` }).catch(
        (e: unknown) => e,
      );
      expect((err as DecodeError).reason).toBe('unsupported-rate');
      expect((err as Error).message).toMatch(new RegExp(`${rate} Hz is outside the 1000–192000 Hz`));
    }
    expect((await decodeAudio(makeWav([sine(200, 1000, 1)], 1000, '16'))).samples.length).toBe(44100);
  });

  it('rejects Ogg streams that are not Vorbis', async () => {
    const ogg = await makeOgg([sine(440, 44100, 0.2)], 44100);
    const fake = ogg.slice();
    fake.set(new TextEncoder().encode('OpusHead'), 28);
    expect(await reasonOf(decodeAudio(fake))).toBe('unsupported-codec');
  });
});

describe('helpers', () => {
  it('detectAudioFormat recognises the four magics and nothing else', () => {
    const enc = (s: string) => new TextEncoder().encode(s);
    expect(detectAudioFormat(enc('RIFF\0\0\0\0WAVEfmt '))).toBe('wav');
    expect(detectAudioFormat(enc('fLaC\0\0\0\0'))).toBe('flac');
    expect(detectAudioFormat(enc('OggS\0\0\0\0'))).toBe('ogg');
    expect(detectAudioFormat(new Uint8Array([0xff, 0xfb, 0x90, 0x64]))).toBe('mp3');
    expect(detectAudioFormat(enc('RIFF\0\0\0\0AVI '))).toBeNull();
    expect(detectAudioFormat(new Uint8Array([0xff, 0xfb, 0xf0, 0x64]))).toBeNull();
  });

  it('downmix averages channels', () => {
    const out = downmix([new Float32Array([1, 0]), new Float32Array([0, 1])]);
    expect(Array.from(out)).toEqual([0.5, 0.5]);
  });
});
