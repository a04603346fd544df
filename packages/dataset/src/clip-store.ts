import { readFile } from 'node:fs/promises';
import { writeFileAtomic } from './atomic.js';
import { decodeWav } from './decode-wav.js';
import { DecodeError } from './errors.js';

const HEADER = 44;

/**
 * Encode mono float32 samples as a canonical 44-byte-header IEEE-float WAV (format tag 3, 32 bit).
 * Written by hand because `wavefile` takes ~100 ms per 1-s clip to encode (≈ 7 min for the corpus);
 * the output is read by our WAV reader, `wavefile`, sox, ffmpeg and browsers.
 */
export function encodeFloatWav(samples: Float32Array, sampleRate: number): Uint8Array {
  const bytes = new Uint8Array(HEADER + samples.length * 4);
  const v = new DataView(bytes.buffer);
  const tag = (o: number, s: string) => {
    for (let i = 0; i < 4; i++) bytes[o + i] = s.charCodeAt(i);
  };
  tag(0, 'RIFF');
  v.setUint32(4, bytes.length - 8, true);
  tag(8, 'WAVE');
  tag(12, 'fmt ');
  v.setUint32(16, 16, true);
  v.setUint16(20, 3, true); // WAVE_FORMAT_IEEE_FLOAT
  v.setUint16(22, 1, true); // mono
  v.setUint32(24, sampleRate, true);
  v.setUint32(28, sampleRate * 4, true);
  v.setUint16(32, 4, true);
  v.setUint16(34, 32, true);
  tag(36, 'data');
  v.setUint32(40, samples.length * 4, true);
  for (let i = 0; i < samples.length; i++) v.setFloat32(HEADER + i * 4, samples[i]!, true);
  return bytes;
}

/** Fast path for files written by {@link encodeFloatWav}; `null` if the header differs. */
function decodeOwnWav(bytes: Uint8Array, sampleRate: number): Float32Array | null {
  if (bytes.length < HEADER) return null;
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const ok =
    v.getUint32(0, false) === 0x52494646 && // RIFF
    v.getUint32(12, false) === 0x666d7420 && // 'fmt '
    v.getUint32(16, true) === 16 &&
    v.getUint16(20, true) === 3 &&
    v.getUint16(22, true) === 1 &&
    v.getUint32(24, true) === sampleRate &&
    v.getUint32(36, false) === 0x64617461 && // data
    v.getUint32(40, true) === bytes.length - HEADER;
  if (!ok) return null;
  const out = new Float32Array((bytes.length - HEADER) / 4);
  for (let i = 0; i < out.length; i++) out[i] = v.getFloat32(HEADER + i * 4, true);
  return out;
}

/** Write a clip atomically as mono float32 WAV. */
export async function writeClip(path: string, samples: Float32Array, sampleRate: number): Promise<void> {
  await writeFileAtomic(path, encodeFloatWav(samples, sampleRate));
}

/**
 * Read a stored clip (mono float32 WAV written by {@link writeClip}; other mono WAVs go through the general WAV reader).
 * @throws {DecodeError} if missing or not a mono WAV at `sampleRate`.
 */
export async function readClip(path: string, sampleRate: number): Promise<Float32Array> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (err) {
    throw new DecodeError(path, 'unreadable', (err as Error).message, err);
  }
  const fast = decodeOwnWav(bytes, sampleRate);
  if (fast) return fast;
  const dec = decodeWav(bytes, path);
  if (dec.channelData.length !== 1 || dec.sampleRate !== sampleRate) {
    throw new DecodeError(
      path,
      'corrupt',
      `expected a mono clip at ${sampleRate} Hz, got ${dec.channelData.length} ch at ${dec.sampleRate} Hz`,
    );
  }
  return dec.channelData[0]!;
}
