import { decodeFlac, decodeMp3, decodeOggVorbis } from './decode-compressed.js';
import { type DecodedChannels, decodeWav } from './decode-wav.js';
import { type AudioFormat, detectAudioFormat } from './detect-format.js';
import { downmix } from './downmix.js';
import { DecodeError, OptionError } from './errors.js';
import { readInputFile } from './read-input.js';
import { type ResampleQuality, resampleMono } from './resample.js';

/** Options of {@link decodeAudio} / {@link decodeAudioFile}. */
export interface DecodeOptions {
  /** Output sample rate in Hz, integer 1–192000; default 44100. */
  sampleRate?: number;
  /** libsamplerate converter; default `'medium'`. */
  quality?: ResampleQuality;
  /** Files only: largest size read, bytes; default `MAX_INPUT_BYTES` (512 MiB). */
  maxBytes?: number;
  /** Longest audio decoded, seconds, > 0; default {@link MAX_INPUT_SECONDS} (1 h). */
  maxDurationS?: number;
}

/** Largest sample magnitude accepted (full scale is 1; float files may exceed it a little, not by 10^6). */
export const MAX_SAMPLE_MAGNITUDE = 1e6;

/** Default longest input, seconds (1 hour); raise it with `maxDurationS`. */
export const MAX_INPUT_SECONDS = 3600;

/**
 * Source sample rates (Hz) `decodeAudio` accepts: below 1 kHz nothing of an instrument is left (and
 * libsamplerate cannot upsample more than 256×); above 192 kHz the resampler refuses.
 */
export const SOURCE_RATE_RANGE: readonly [number, number] = [1000, 192000];

/** Mono audio at the requested rate. */
export interface DecodedAudio {
  /** Mono samples (mean of all channels), nominally in [-1, 1], always finite. */
  samples: Float32Array;
  /** Sample rate of `samples` in Hz. */
  sampleRate: number;
  /** Sample rate of the source in Hz. */
  sourceSampleRate: number;
  /** Channel count of the source (≥ 1). */
  channels: number;
  /** Duration in seconds (`samples.length / sampleRate`). */
  durationS: number;
  /** The container detected from magic bytes. */
  format: AudioFormat;
}

async function decodeByFormat(
  format: AudioFormat,
  bytes: Uint8Array,
  file: string,
): Promise<DecodedChannels> {
  switch (format) {
    case 'wav':
      return decodeWav(bytes, file);
    case 'mp3':
      return decodeMp3(bytes, file);
    case 'flac':
      return decodeFlac(bytes, file);
    case 'ogg':
      return decodeOggVorbis(bytes, file);
  }
}

/**
 * Refuses audio longer than `maxDurationS` (default {@link MAX_INPUT_SECONDS}) as `too-long`.
 * @param seconds The audio's length, or with `partial` the length read so far.
 * @throws {DecodeError}
 */
export function checkDuration(
  file: string,
  seconds: number,
  maxDurationS = MAX_INPUT_SECONDS,
  partial = false,
): void {
  if (seconds > maxDurationS)
    throw new DecodeError(
      file,
      'too-long',
      `${partial ? 'more than ' : ''}${(partial ? maxDurationS : seconds).toFixed(1)} s of audio is over the ${maxDurationS} s input limit (raise it with maxDurationS; timbre predict --max-input-s)`,
    );
}

/**
 * Refuses a source rate outside {@link SOURCE_RATE_RANGE} as `unsupported-rate`, naming the range.
 * @throws {DecodeError}
 */
export function checkSourceRate(file: string, sampleRate: number): void {
  const [lo, hi] = SOURCE_RATE_RANGE;
  if (sampleRate < lo || sampleRate > hi)
    throw new DecodeError(
      file,
      'unsupported-rate',
      `a sample rate of ${sampleRate} Hz is outside the ${lo}–${hi} Hz that can be read (resample it first)`,
    );
}

/**
 * Checks decoded samples: NaN or ±Infinity → `non-finite`, beyond ±{@link MAX_SAMPLE_MAGNITUDE} → `out-of-range`.
 * @param first Index of the first sample in the file (for the message).
 * @throws {DecodeError}
 */
export function checkSampleRange(channels: readonly Float32Array[], file: string, first = 0): void {
  for (const ch of channels) {
    for (let i = 0; i < ch.length; i++) {
      const v = ch[i]!;
      // One comparison pair catches NaN, ±Infinity and out-of-range values alike (NaN compares false).
      if (v <= MAX_SAMPLE_MAGNITUDE && v >= -MAX_SAMPLE_MAGNITUDE) continue;
      if (!Number.isFinite(v)) {
        throw new DecodeError(file, 'non-finite', `sample ${first + i} is ${v} (NaN/Infinity in the stream)`);
      }
      throw new DecodeError(
        file,
        'out-of-range',
        `sample ${first + i} is ${v.toExponential(2)}; audio samples must lie within ±${MAX_SAMPLE_MAGNITUDE} (full scale is ±1)`,
      );
    }
  }
}

/**
 * Decode an in-memory audio file (WAV, MP3, FLAC or Ogg Vorbis, detected by magic bytes), downmix to
 * mono and resample with libsamplerate.
 * @param bytes The complete file contents.
 * @param file Name used in error messages (e.g. the path); default `'<buffer>'`.
 * @throws {DecodeError} zero length, unknown magic, truncated/corrupt stream, unsupported codec, or
 *   non-finite samples.
 */
export async function decodeAudio(
  bytes: Uint8Array,
  options: DecodeOptions & { file?: string } = {},
): Promise<DecodedAudio> {
  const file = options.file ?? '<buffer>';
  const sampleRate = options.sampleRate ?? 44100;
  if (!Number.isInteger(sampleRate) || sampleRate < 1 || sampleRate > 192000) {
    throw new OptionError('sampleRate', 'an integer in 1..192000 Hz', sampleRate);
  }
  if (bytes.length === 0) throw new DecodeError(file, 'empty', 'file is zero bytes long');
  const format = detectAudioFormat(bytes);
  if (!format) {
    const magic = Array.from(bytes.subarray(0, 4), (b) => b.toString(16).padStart(2, '0')).join(' ');
    throw new DecodeError(file, 'unknown-format', `magic bytes ${magic} are not WAV, MP3, FLAC or Ogg`);
  }
  const decoded = await decodeByFormat(format, bytes, file);
  checkDuration(file, (decoded.channelData[0]?.length ?? 0) / decoded.sampleRate, options.maxDurationS);
  checkSampleRange(decoded.channelData, file);
  checkSourceRate(file, decoded.sampleRate);
  const mono = downmix(decoded.channelData);
  let samples: Float32Array;
  try {
    samples = await resampleMono(mono, decoded.sampleRate, sampleRate, options.quality);
  } catch (err) {
    throw new DecodeError(file, 'resample', `cannot resample from ${decoded.sampleRate} Hz`, err);
  }
  return {
    samples,
    sampleRate,
    sourceSampleRate: decoded.sampleRate,
    channels: decoded.channelData.length,
    durationS: samples.length / sampleRate,
    format,
  };
}

/**
 * Read and decode an audio file; see {@link decodeAudio}.
 * @param path File path.
 * @throws {DecodeError} also when the path cannot be read (`'unreadable'`), is not a regular file
 *   (`'not-a-file'`: FIFO, device, directory) or is over `maxBytes` (`'too-large'`).
 */
export async function decodeAudioFile(path: string, options: DecodeOptions = {}): Promise<DecodedAudio> {
  const bytes = await readInputFile(path, options.maxBytes);
  return decodeAudio(bytes, { ...options, file: path });
}
