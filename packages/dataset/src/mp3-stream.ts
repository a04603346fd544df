import { MPEGDecoder } from 'mpg123-decoder';
import { mp3Truncation } from './container-length.js';
import { checkSampleRange, MAX_INPUT_SECONDS, SOURCE_RATE_RANGE } from './decode-audio.js';
import { detectAudioFormat } from './detect-format.js';
import { downmix } from './downmix.js';
import { DecodeError } from './errors.js';
import { readInputFile } from './read-input.js';
import type { AudioStream } from './wav-stream.js';

/** Compressed bytes fed to the decoder at a time. */
const CHUNK_BYTES = 1 << 18;

interface Decoded {
  channelData: Float32Array[];
  samplesDecoded: number;
  sampleRate: number;
  errors: ReadonlyArray<{ message: string }>;
}

/** An MPEG decoder fed chunk by chunk; each `next()` gives the mono samples of the next chunk (or null at the end). */
async function chunkDecoder(bytes: Uint8Array, file: string) {
  const decoder = new MPEGDecoder({ enableGapless: true });
  await decoder.ready;
  let pos = 0;
  return {
    /** The next chunk's mono samples and rate; null when the bytes are used up. */
    next(): { mono: Float32Array; sampleRate: number } | null {
      // mpg123-decoder also prints each stream error with console.error; they come back in `errors`.
      const consoleError = console.error;
      console.error = (...args: unknown[]) => {
        if (typeof args[0] === 'string' && args[0].startsWith('mpg123-decoder:')) return;
        consoleError(...args);
      };
      try {
        while (pos < bytes.length) {
          const r = decoder.decode(bytes.subarray(pos, pos + CHUNK_BYTES)) as Decoded;
          pos += CHUNK_BYTES;
          if (r.errors.length > 0)
            throw new DecodeError(
              file,
              'corrupt',
              `MP3: ${r.errors.length} frame error(s), first: ${r.errors[0]!.message}`,
            );
          if (r.samplesDecoded > 0)
            return {
              mono: downmix(r.channelData.map((c) => c.slice(0, r.samplesDecoded))),
              sampleRate: r.sampleRate,
            };
        }
        return null;
      } finally {
        console.error = consoleError;
      }
    },
    free: () => decoder.free(),
  };
}

/**
 * Opens an MP3 file as an {@link AudioStream}: the compressed bytes are held (bounded by `maxBytes`), the audio is
 * decoded chunk by chunk — once to count and check it (truncation, frame errors, sample values, rate, duration),
 * then again as it is read — so memory holds about one read's worth of samples instead of the whole recording.
 * Reads must move forward (each `start` at or after the previous one); the values equal a whole-file decode's.
 * @returns The stream, or `undefined` when the bytes are not MPEG audio.
 * @throws {DecodeError} as `decodeAudioFile` does.
 */
export async function openMp3Stream(
  path: string,
  options: { maxBytes?: number; maxDurationS?: number } = {},
): Promise<AudioStream | undefined> {
  const bytes = await readInputFile(path, options.maxBytes);
  if (detectAudioFormat(bytes) !== 'mp3') return undefined;
  const cut = mp3Truncation(bytes);
  if (cut) throw new DecodeError(path, 'truncated', cut);
  const maxS = options.maxDurationS ?? MAX_INPUT_SECONDS;
  let length = 0;
  let sampleRate = 0;
  const counter = await chunkDecoder(bytes, path);
  try {
    for (let c = counter.next(); c; c = counter.next()) {
      checkSampleRange([c.mono], path, length);
      sampleRate = c.sampleRate;
      length += c.mono.length;
      if (length / sampleRate > maxS)
        throw new DecodeError(
          path,
          'too-long',
          `over ${maxS} s of audio, the input limit (raise it with maxDurationS; timbre predict --max-input-s)`,
        );
    }
  } finally {
    counter.free();
  }
  if (length === 0) throw new DecodeError(path, 'empty', 'MP3: no audio frames found');
  const [lo, hi] = SOURCE_RATE_RANGE;
  if (sampleRate < lo || sampleRate > hi)
    throw new DecodeError(
      path,
      'unsupported-rate',
      `a sample rate of ${sampleRate} Hz is outside the ${lo}–${hi} Hz that can be read (resample it first)`,
    );
  const reader = await chunkDecoder(bytes, path);
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
        const c = reader.next();
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
