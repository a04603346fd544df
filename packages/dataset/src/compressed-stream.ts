import { FLACDecoder } from '@wasm-audio-decoders/flac';
import { OggVorbisDecoder } from '@wasm-audio-decoders/ogg-vorbis';
import { MPEGDecoder } from 'mpg123-decoder';
import { flacDeclaredSamples, mp3Truncation, oggTruncation } from './container-length.js';
import { checkDuration, checkSampleRange, checkSourceRate } from './decode-audio.js';
import { checkVorbis, quietMpg123 } from './decode-compressed.js';
import { detectAudioFormat } from './detect-format.js';
import { downmix } from './downmix.js';
import { DecodeError } from './errors.js';
import { readInputFile } from './read-input.js';
import type { AudioStream } from './wav-stream.js';

/** Compressed bytes fed to the decoder at a time. */
const CHUNK_BYTES = 1 << 15;

interface Decoded {
  channelData: Float32Array[];
  samplesDecoded: number;
  sampleRate: number;
  errors: ReadonlyArray<{ message: string }>;
}

/** A decoder fed chunk by chunk: each `next()` gives the mono samples of the next chunk, null at the end. */
interface ChunkDecoder {
  next(): Promise<{ mono: Float32Array; sampleRate: number } | null>;
  free(): void;
}

/** The per-format streaming decoders (all from the wasm-audio-decoders family, as the whole-file decode). */
async function chunkDecoder(
  format: 'mp3' | 'flac' | 'ogg',
  bytes: Uint8Array,
  file: string,
): Promise<ChunkDecoder> {
  const codec = format === 'mp3' ? 'MP3' : format === 'flac' ? 'FLAC' : 'Ogg Vorbis';
  type Step = (chunk: Uint8Array) => Decoded | Promise<Decoded>;
  let step: Step;
  let flush: (() => Promise<Decoded>) | undefined;
  let free: () => void;
  if (format === 'mp3') {
    const d = new MPEGDecoder({ enableGapless: true });
    await d.ready;
    step = (c) => d.decode(c) as Decoded;
    free = () => d.free();
  } else if (format === 'flac') {
    const d = new FLACDecoder();
    await d.ready;
    step = (c) => d.decode(c) as Promise<Decoded>;
    flush = () => d.flush() as Promise<Decoded>;
    free = () => d.free();
  } else {
    const d = new OggVorbisDecoder();
    await d.ready;
    step = (c) => d.decode(c) as Promise<Decoded>;
    flush = () => d.flush() as Promise<Decoded>;
    free = () => d.free();
  }
  let pos = 0;
  let flushed = false;
  const take = (r: Decoded) => {
    if (r.errors.length > 0)
      throw new DecodeError(
        file,
        'corrupt',
        `${codec}: ${r.errors.length} frame error(s), first: ${r.errors[0]!.message}`,
      );
    return r.samplesDecoded > 0
      ? { mono: downmix(r.channelData.map((c) => c.slice(0, r.samplesDecoded))), sampleRate: r.sampleRate }
      : null;
  };
  return {
    async next() {
      return quietMpg123(async () => {
        while (pos < bytes.length) {
          const r = await step(bytes.subarray(pos, pos + CHUNK_BYTES));
          pos += CHUNK_BYTES;
          const out = take(r);
          if (out) return out;
        }
        if (flush && !flushed) {
          flushed = true;
          return take(await flush());
        }
        return null;
      });
    },
    free,
  };
}

/**
 * Opens an MP3, FLAC or Ogg Vorbis file as an {@link AudioStream}: the compressed bytes are held (bounded by
 * `maxBytes`), the audio is decoded chunk by chunk — once to count and check it (truncation, frame errors, sample
 * values, rate, duration), then again as it is read — so memory holds about one read's worth of samples instead of
 * the whole recording. Reads must move forward (each `start` at or after the previous one); the values equal a
 * whole-file decode's.
 * @returns The stream, or `undefined` for a WAV (see `openWavStream`) or unknown bytes.
 * @throws {DecodeError} as `decodeAudioFile` does.
 */
export async function openCompressedStream(
  path: string,
  options: { maxBytes?: number; maxDurationS?: number } = {},
): Promise<AudioStream | undefined> {
  const bytes = await readInputFile(path, options.maxBytes);
  const format = detectAudioFormat(bytes);
  if (format !== 'mp3' && format !== 'flac' && format !== 'ogg') return undefined;
  if (format === 'ogg') checkVorbis(bytes, path);
  const cut = format === 'mp3' ? mp3Truncation(bytes) : format === 'ogg' ? oggTruncation(bytes) : undefined;
  if (cut) throw new DecodeError(path, 'truncated', cut);
  let length = 0;
  let sampleRate = 0;
  const counter = await chunkDecoder(format, bytes, path);
  try {
    for (let c = await counter.next(); c; c = await counter.next()) {
      checkSampleRange([c.mono], path, length);
      sampleRate = c.sampleRate;
      length += c.mono.length;
      checkDuration(path, length / sampleRate, options.maxDurationS, true);
    }
  } finally {
    counter.free();
  }
  if (length === 0) throw new DecodeError(path, 'empty', 'no audio frames found');
  const declared = format === 'flac' ? (flacDeclaredSamples(bytes) ?? 0) : 0;
  if (declared > 0 && length < declared)
    throw new DecodeError(
      path,
      'truncated',
      `FLAC: ${length} of the ${declared} samples its STREAMINFO declares`,
    );
  checkSourceRate(path, sampleRate);
  const reader = await chunkDecoder(format, bytes, path);
  const chunks: Float32Array[] = [];
  let bufStart = 0; // file sample index of chunks[0][0]
  let bufEnd = 0; // file sample index after the last decoded chunk
  let lastStart = 0;
  let closed = false;
  return {
    file: path,
    sampleRate,
    channels: 1,
    length,
    async read(start, count) {
      const from = Math.max(0, Math.min(length, Math.floor(start)));
      const n = Math.max(0, Math.min(length - from, Math.floor(count)));
      if (from < lastStart)
        throw new DecodeError(
          path,
          'unreadable',
          `an MP3 stream reads forward only (${from} < ${lastStart})`,
        );
      lastStart = from;
      while (bufEnd < from + n) {
        const c = await reader.next();
        if (!c) break;
        chunks.push(c.mono);
        bufEnd += c.mono.length;
      }
      while (chunks.length > 0 && bufStart + chunks[0]!.length <= from) bufStart += chunks.shift()!.length;
      const out = new Float32Array(n);
      let o = 0;
      let pos = bufStart;
      for (const c of chunks) {
        if (o >= n) break;
        const a = from + o - pos;
        const take = Math.min(c.length - a, n - o);
        if (a >= 0 && take > 0) {
          out.set(c.subarray(a, a + take), o);
          o += take;
        }
        pos += c.length;
      }
      return out;
    },
    async close() {
      if (closed) return;
      closed = true;
      reader.free();
    },
  };
}
