import { createRequire } from 'node:module';
import { createMp3Encoder, createOggEncoder } from 'wasm-media-encoders';
import wavefile from 'wavefile';

/** A sine tone, amplitude `amp`, `durationS` long. */
export function sine(freq: number, sampleRate: number, durationS: number, amp = 0.5): Float32Array {
  const n = Math.round(sampleRate * durationS);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = amp * Math.sin((2 * Math.PI * freq * i) / sampleRate);
  return out;
}

/** Encode channels into a WAV with the given wavefile bit depth code ('8','16','24','32','32f'). */
export function makeWav(channels: Float32Array[], sampleRate: number, bitDepth: string): Uint8Array {
  const wav = new wavefile.WaveFile();
  const toInt = (v: number, bits: number): number => {
    const max = 2 ** (bits - 1);
    return Math.max(-max, Math.min(max - 1, Math.round(v * max)));
  };
  const data = channels.map((ch) =>
    Array.from(ch, (v) => {
      if (bitDepth === '32f' || bitDepth === '64') return v;
      if (bitDepth === '8') return Math.round(v * 127) + 128;
      return toInt(v, Number(bitDepth));
    }),
  );
  wav.fromScratch(channels.length, sampleRate, bitDepth, channels.length === 1 ? data[0]! : data);
  return wav.toBuffer();
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** Encode to MP3 with LAME (wasm-media-encoders), VBR quality 2. */
export async function makeMp3(channels: Float32Array[], sampleRate: number): Promise<Uint8Array> {
  const enc = await createMp3Encoder();
  enc.configure({ sampleRate, channels: channels.length as 1 | 2, vbrQuality: 2 });
  return concat([enc.encode(channels).slice(), enc.finalize().slice()]);
}

/** Encode to Ogg Vorbis (wasm-media-encoders), quality 5. */
export async function makeOgg(channels: Float32Array[], sampleRate: number): Promise<Uint8Array> {
  const enc = await createOggEncoder();
  enc.configure({ sampleRate, channels: channels.length as 1 | 2, vbrQuality: 5 });
  return concat([enc.encode(channels).slice(), enc.finalize().slice()]);
}

interface LibFlac {
  isReady(): boolean;
  on(event: string, cb: () => void): void;
  create_libflac_encoder(
    rate: number,
    ch: number,
    bps: number,
    level: number,
    total: number,
    verify: boolean,
  ): number;
  init_encoder_stream(enc: number, write: (data: Uint8Array) => void): number;
  FLAC__stream_encoder_process_interleaved(enc: number, buf: Int32Array, frames: number): boolean;
  FLAC__stream_encoder_finish(enc: number): boolean;
  FLAC__stream_encoder_delete(enc: number): void;
}

/** Encode to 16-bit FLAC with libflacjs. */
export async function makeFlac(channels: Float32Array[], sampleRate: number): Promise<Uint8Array> {
  const require = createRequire(import.meta.url);
  const Flac = require('libflacjs')() as LibFlac;
  if (!Flac.isReady()) await new Promise<void>((resolve) => Flac.on('ready', () => resolve()));
  const n = channels[0]!.length;
  const enc = Flac.create_libflac_encoder(sampleRate, channels.length, 16, 5, n, false);
  const parts: Uint8Array[] = [];
  Flac.init_encoder_stream(enc, (data) => parts.push(data.slice()));
  const inter = new Int32Array(n * channels.length);
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < channels.length; c++)
      inter[i * channels.length + c] = Math.round(channels[c]![i]! * 32767);
  }
  Flac.FLAC__stream_encoder_process_interleaved(enc, inter, n);
  Flac.FLAC__stream_encoder_finish(enc);
  Flac.FLAC__stream_encoder_delete(enc);
  return concat(parts);
}
