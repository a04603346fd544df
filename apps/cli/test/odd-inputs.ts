// Generator of broken and odd audio inputs for the reliability suite (test/reliability.e2e.test.ts runs a
// sample in CI; `pnpm --filter @timbre/cli run reliability` runs all of them). Everything is made here,
// from a good WAV written in code and a real MP3 of the built-in recordings; nothing binary is committed.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { builtinRecordings } from '@timbre/dataset/node';

/** One generated input and what `timbre predict` must do with it. */
export interface OddInput {
  /** Path of the input. */
  path: string;
  /** Category, for the report. */
  kind: string;
  /** `ok`: classified (a prediction, maybe `silent`); `error`: refused with a one-line reason. */
  expect: 'ok' | 'error';
}

function wavBytes(
  samples: Float32Array,
  opts: { rate?: number; bits?: 16 | 32; tag?: number; channels?: number } = {},
) {
  const rate = opts.rate ?? 44100;
  const bits = opts.bits ?? 16;
  const ch = opts.channels ?? 1;
  const bps = bits / 8;
  const n = samples.length;
  const b = Buffer.alloc(44 + n * bps * ch);
  b.write('RIFF', 0);
  b.writeUInt32LE(36 + n * bps * ch, 4);
  b.write('WAVEfmt ', 8);
  b.writeUInt32LE(16, 16);
  b.writeUInt16LE(opts.tag ?? (bits === 32 ? 3 : 1), 20);
  b.writeUInt16LE(ch, 22);
  b.writeUInt32LE(rate, 24);
  b.writeUInt32LE(rate * bps * ch, 28);
  b.writeUInt16LE(bps * ch, 32);
  b.writeUInt16LE(bits, 34);
  b.write('data', 36);
  b.writeUInt32LE(n * bps * ch, 40);
  for (let i = 0; i < n; i++)
    for (let c = 0; c < ch; c++) {
      const o = 44 + (i * ch + c) * bps;
      if (bits === 32) b.writeFloatLE(samples[i]!, o);
      else b.writeInt16LE(Math.max(-32768, Math.min(32767, Math.round(samples[i]! * 32767))), o);
    }
  return b;
}

function note(seconds: number, rate = 44100, f0 = 330): Float32Array {
  const x = new Float32Array(Math.round(seconds * rate));
  for (let i = 0; i < x.length; i++) {
    const t = i / rate - 0.05;
    x[i] = t < 0 ? 0 : 0.4 * Math.exp(-t) * Math.min(1, t / 0.01) * Math.sin(2 * Math.PI * f0 * t);
  }
  return x;
}

/** A seeded byte generator (mulberry32), so the suite is the same every run. */
function bytes(n: number, seed: number): Buffer {
  let a = seed >>> 0;
  const out = Buffer.alloc(n);
  for (let i = 0; i < n; i++) {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = ((t ^ (t >>> 14)) >>> 0) & 0xff;
  }
  return out;
}

/**
 * Writes the odd inputs into `dir` and lists them. `full` adds truncations at many offsets and more random
 * files (a few hundred inputs); the CI sample is a few dozen.
 */
export function makeOddInputs(dir: string, full = false): OddInput[] {
  mkdirSync(dir, { recursive: true });
  const out: OddInput[] = [];
  const put = (name: string, data: Uint8Array | string, kind: string, expect: OddInput['expect']) => {
    const path = join(dir, name);
    writeFileSync(path, data);
    out.push({ path, kind, expect });
    return path;
  };
  const good = wavBytes(note(1.5));
  const goodPath = put('good.wav', good, 'good WAV', 'ok');
  put('stereo-48k.wav', wavBytes(note(1.2, 48000), { rate: 48000, channels: 2 }), 'stereo 48 kHz', 'ok');
  put('float.wav', wavBytes(note(1.2), { bits: 32 }), 'float WAV', 'ok');
  put('silence.wav', wavBytes(new Float32Array(44100 * 2)), 'digital silence', 'ok');
  put('one-sample.wav', wavBytes(Float32Array.of(0.5)), 'one sample', 'ok');
  put('empty.wav', '', 'zero bytes', 'error');
  put('header-only.wav', good.subarray(0, 44 - 8), 'header only', 'error');
  put(
    'nan.wav',
    wavBytes(
      Float32Array.from(note(0.5), (v, i) => (i === 100 ? Number.NaN : v)),
      { bits: 32 },
    ),
    'NaN sample',
    'error',
  );
  put(
    'huge-values.wav',
    wavBytes(
      Float32Array.from(note(0.5), (v) => v * 1e30),
      { bits: 32 },
    ),
    'samples ≈ 1e30',
    'error',
  );
  put('adpcm.wav', wavBytes(note(0.5), { tag: 0x11 }), 'IMA ADPCM tag', 'error');
  put('tag-zero.wav', wavBytes(note(0.5), { tag: 0 }), 'format tag 0', 'error');
  put('rate-100.wav', wavBytes(note(0.5, 100), { rate: 100 }), 'rate 100 Hz (outside 1000–192000)', 'error');
  put('rate-1000.wav', wavBytes(note(0.5, 1000, 200), { rate: 1000 }), 'rate 1000 Hz', 'ok');
  const lying = Buffer.from(good);
  lying.writeUInt32LE(0x7fffffff, 40);
  put('lying-size.wav', lying, 'data size beyond the file', 'error');
  put('text.wav', 'this is not audio\n'.repeat(50), 'text with .wav', 'error');
  put('name with spaces, comma and ünïcode.wav', good, 'odd name', 'ok');
  put('new\nline.wav', good, 'line feed in the name', 'ok');
  for (let k = 0; k < (full ? 60 : 6); k++)
    put(
      `random-${k}.${['wav', 'mp3', 'flac', 'ogg'][k % 4]}`,
      bytes(64 + 97 * k, 1000 + k),
      'random bytes',
      'error',
    );
  put('fake.flac', Buffer.concat([Buffer.from('fLaC'), bytes(500, 7)]), 'FLAC magic + garbage', 'error');
  put('fake.ogg', Buffer.concat([Buffer.from('OggS'), bytes(500, 8)]), 'Ogg magic + garbage', 'error');
  const offsets = full
    ? Array.from({ length: 40 }, (_, k) => Math.round(((k + 1) / 41) * good.length))
    : [60, 1000];
  for (const cut of offsets) put(`wav-cut-${cut}.wav`, good.subarray(0, cut), 'truncated WAV', 'error');
  const mp3 = builtinRecordings(['tuba']).find((r) => r.path.endsWith('.mp3'));
  if (mp3) {
    const data = readFileSync(mp3.path);
    put('real.mp3', data, 'real MP3', 'ok');
    for (const f of full ? [0.01, 0.05, 0.1, 0.3, 0.5, 0.7, 0.9] : [0.01])
      put(`mp3-cut-${f}.mp3`, data.subarray(0, Math.round(data.length * f)), 'truncated MP3', 'error'); // one rule: cut = refused
  }
  mkdirSync(join(dir, 'links'), { recursive: true });
  symlinkSync(goodPath, join(dir, 'links', 'to-good.wav'));
  out.push({ path: join(dir, 'links', 'to-good.wav'), kind: 'symlink', expect: 'ok' });
  symlinkSync(join(dir, 'nowhere.wav'), join(dir, 'links', 'dangling.wav'));
  out.push({ path: join(dir, 'links', 'dangling.wav'), kind: 'dangling symlink', expect: 'error' });
  symlinkSync('loop-b.wav', join(dir, 'links', 'loop-a.wav'));
  symlinkSync('loop-a.wav', join(dir, 'links', 'loop-b.wav'));
  out.push({ path: join(dir, 'links', 'loop-a.wav'), kind: 'symlink loop', expect: 'error' });
  out.push({ path: join(dir, 'links', 'loop-b.wav'), kind: 'symlink loop', expect: 'error' });
  execFileSync('mkfifo', [join(dir, 'fifo.wav')]);
  out.push({ path: join(dir, 'fifo.wav'), kind: 'FIFO', expect: 'error' });
  return out;
}
