import type { FileHandle } from 'node:fs/promises';
import { checkDuration, checkSampleRange, checkSourceRate } from './decode-audio.js';
import { parseWavHeader, type WavLayout, wavFramesToChannels } from './decode-wav.js';
import { downmix } from './downmix.js';
import { DecodeError } from './errors.js';
import { openInputFile } from './read-input.js';

/** Mono audio read piece by piece from a file: memory stays flat in the file's length. */
export interface AudioStream {
  /** The file (for messages). */
  readonly file: string;
  /** Samples per second of the file (no resampling is done). */
  readonly sampleRate: number;
  /** Channels in the file (read as their mean). */
  readonly channels: number;
  /** Frames (mono samples) in the file. */
  readonly length: number;
  /**
   * `count` mono samples from `start` (clamped to the file; fewer at the end), the same values a whole-file
   * decode gives (same conversion and downmix).
   * @throws {DecodeError} `non-finite` / `out-of-range` samples, or the file cannot be read.
   */
  read(start: number, count: number): Promise<Float32Array>;
  /** Closes the file. Idempotent. */
  close(): Promise<void>;
}

/** Header bytes read to find the data chunk (a WAV whose data starts later is decoded whole). */
const HEAD_BYTES = 1 << 20;

/**
 * Opens a WAV file as an {@link AudioStream}, with the checks of a whole-file decode (header, format, truncation,
 * `maxBytes`, `maxDurationS`; sample values as they are read).
 * @returns The stream, or `undefined` when the file is not a RIFF/RF64 WAVE file or its data chunk starts more
 *   than 1 MiB in (decode it whole instead).
 * @throws {DecodeError} as `decodeAudioFile` does.
 */
export async function openWavStream(
  path: string,
  options: { maxBytes?: number; maxDurationS?: number } = {},
): Promise<AudioStream | undefined> {
  const { handle, size } = await openInputFile(path, options.maxBytes);
  let layout: WavLayout | undefined;
  try {
    const head = new Uint8Array(Math.min(size, HEAD_BYTES));
    await readFully(handle, head, 0, path);
    const tag = String.fromCharCode(...head.subarray(0, 4));
    const wave = String.fromCharCode(...head.subarray(8, 12));
    if ((tag !== 'RIFF' && tag !== 'RF64') || wave !== 'WAVE') {
      await handle.close();
      return undefined;
    }
    layout = parseWavHeader(head, size, path);
  } catch (err) {
    await handle.close();
    throw err;
  }
  if (!layout) {
    await handle.close();
    return undefined;
  }
  const { fmt, dataOffset, frames } = layout;
  try {
    checkDuration(path, frames / fmt.sampleRate, options.maxDurationS);
    checkSourceRate(path, fmt.sampleRate);
  } catch (err) {
    await handle.close();
    throw err;
  }
  let closed = false;
  return {
    file: path,
    sampleRate: fmt.sampleRate,
    channels: fmt.channels,
    length: frames,
    async read(start, count) {
      const from = Math.max(0, Math.min(frames, Math.floor(start)));
      const n = Math.max(0, Math.min(frames - from, Math.floor(count)));
      if (n === 0) return new Float32Array(0);
      const bytes = new Uint8Array(n * fmt.blockAlign);
      await readFully(handle, bytes, dataOffset + from * fmt.blockAlign, path);
      const channels = wavFramesToChannels(bytes, fmt, n);
      checkSampleRange(channels, path, from);
      return downmix(channels);
    },
    async close() {
      if (closed) return;
      closed = true;
      await handle.close();
    },
  };
}

async function readFully(handle: FileHandle, buf: Uint8Array, position: number, path: string): Promise<void> {
  let done = 0;
  while (done < buf.length) {
    const { bytesRead } = await handle.read(buf, done, buf.length - done, position + done);
    if (bytesRead === 0)
      throw new DecodeError(path, 'truncated', `the file ended at byte ${position + done} while reading`);
    done += bytesRead;
  }
}
