import { DecodeError } from './errors.js';

/** Raw decoded audio before downmixing and resampling: one Float32Array per channel, values in [-1, 1]. */
export interface DecodedChannels {
  /** One array per channel, all the same length. */
  channelData: Float32Array[];
  /** Sample rate in Hz. */
  sampleRate: number;
}

/** WAV format tags this decoder reads (others are refused, naming the tag). */
const PCM = 0x0001;
const FLOAT = 0x0003;
const EXTENSIBLE = 0xfffe;
/** Names of common tags we refuse, for the message. */
const KNOWN_TAGS: Record<number, string> = {
  0: 'unknown',
  2: 'MS ADPCM',
  6: 'A-law',
  7: 'µ-law',
  17: 'IMA ADPCM',
  49: 'GSM 6.10',
  80: 'MPEG',
  85: 'MPEG Layer 3',
  65535: 'experimental',
};

/** A WAV fmt chunk (format tag resolved through WAVE_FORMAT_EXTENSIBLE). */
export interface Fmt {
  tag: number;
  channels: number;
  sampleRate: number;
  blockAlign: number;
  bits: number;
}

const fourcc = (v: DataView, o: number) =>
  String.fromCharCode(v.getUint8(o), v.getUint8(o + 1), v.getUint8(o + 2), v.getUint8(o + 3));

/** Where a WAV file's samples lie and how they are stored. */
export interface WavLayout {
  fmt: Fmt;
  /** Byte offset of the first frame. */
  dataOffset: number;
  /** Whole frames in the data chunk (≥ 1). */
  frames: number;
}

/**
 * Parses and checks a RIFF or RF64 WAVE header: 8/16/24/32-bit integer PCM and 32/64-bit float, any channel
 * count and rate, plain or WAVE_FORMAT_EXTENSIBLE. Any other format tag (ADPCM, A-law, µ-law, MP3-in-WAV, 0,
 * 0xFFFF…) is refused naming the tag; so are a missing fmt/data chunk, a data chunk longer than the file
 * (truncation), an empty data chunk and an inconsistent fmt (block align, channels, rate).
 * @param head The file's first bytes (at least up to the data chunk's header).
 * @param fileLength The whole file's length in bytes.
 * @param file Name used in errors.
 * @returns The layout, or `undefined` when `head` ends before a data chunk header and the file is longer.
 * @throws {DecodeError} on malformed, truncated or unsupported input.
 */
export function parseWavHeader(head: Uint8Array, fileLength: number, file: string): WavLayout | undefined {
  const v = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const corrupt = (why: string) => new DecodeError(file, 'corrupt', `malformed WAV: ${why}`);
  if (fileLength < 12) throw corrupt(`${fileLength} bytes, shorter than a RIFF header`);
  const riff = fourcc(v, 0);
  if ((riff !== 'RIFF' && riff !== 'RF64') || fourcc(v, 8) !== 'WAVE')
    throw corrupt(`no RIFF/RF64 WAVE header (found '${riff}')`);
  let fmt: Fmt | undefined;
  let dataOffset = -1;
  let dataSize = 0;
  let rf64DataSize: number | undefined;
  let o = 12;
  for (; o + 8 <= head.length; ) {
    const id = fourcc(v, o);
    const size = v.getUint32(o + 4, true);
    const body = o + 8;
    if (id === 'ds64' && size >= 16) {
      if (body + 16 > head.length) break;
      rf64DataSize = v.getUint32(body + 8, true) + v.getUint32(body + 12, true) * 2 ** 32;
    } else if (id === 'fmt ') {
      if (size < 16 || body + 16 > fileLength) throw corrupt(`fmt chunk of ${size} bytes`);
      if (body + 16 > head.length) break;
      let tag = v.getUint16(body, true);
      const bits = v.getUint16(body + 14, true);
      if (tag === EXTENSIBLE) {
        if (size < 40 || body + 40 > fileLength) throw corrupt('WAVE_FORMAT_EXTENSIBLE fmt chunk too short');
        if (body + 40 > head.length) break;
        tag = v.getUint16(body + 24, true); // the sub-format GUID starts with the format tag
      }
      fmt = {
        tag,
        channels: v.getUint16(body + 2, true),
        sampleRate: v.getUint32(body + 4, true),
        blockAlign: v.getUint16(body + 12, true),
        bits,
      };
    } else if (id === 'data') {
      dataOffset = body;
      dataSize = riff === 'RF64' && size === 0xffffffff && rf64DataSize !== undefined ? rf64DataSize : size;
      break;
    }
    o = body + size + (size % 2);
  }
  if (dataOffset < 0 && head.length < fileLength && o + 8 > head.length) return undefined;
  if (!fmt) throw corrupt('no fmt chunk before the data');
  if (dataOffset < 0) throw corrupt('no data chunk');
  if (fmt.tag !== PCM && fmt.tag !== FLOAT) {
    const name = KNOWN_TAGS[fmt.tag];
    throw new DecodeError(
      file,
      'unsupported-codec',
      `WAV format tag 0x${fmt.tag.toString(16).padStart(4, '0')}${name ? ` (${name})` : ''} is not PCM or float; convert it to PCM WAV, FLAC, MP3 or Ogg Vorbis`,
    );
  }
  const okBits = fmt.tag === PCM ? [8, 16, 24, 32] : [32, 64];
  if (!okBits.includes(fmt.bits))
    throw new DecodeError(
      file,
      'unsupported-codec',
      `${fmt.bits}-bit ${fmt.tag === PCM ? 'integer PCM' : 'float'} WAV is not supported (${okBits.join('/')} bits are)`,
    );
  const bytesPer = fmt.bits / 8;
  if (fmt.channels < 1 || fmt.sampleRate < 1 || fmt.blockAlign !== bytesPer * fmt.channels)
    throw new DecodeError(
      file,
      'corrupt',
      `invalid fmt chunk (channels ${fmt.channels}, rate ${fmt.sampleRate}, block align ${fmt.blockAlign} for ${fmt.bits}-bit samples)`,
    );
  const available = fileLength - dataOffset;
  if (dataSize > available && dataSize !== 0xffffffff)
    throw new DecodeError(
      file,
      'truncated',
      `data chunk declares ${dataSize} bytes, file holds ${available}`,
    );
  const usable = Math.min(dataSize, available);
  const frames = Math.floor(usable / fmt.blockAlign);
  if (frames === 0) throw new DecodeError(file, 'empty', 'WAV data chunk holds no samples');
  return { fmt, dataOffset, frames };
}

/**
 * Converts `frames` whole frames stored at `bytes[0…]` (the data of a {@link WavLayout}) to one Float32Array
 * per channel, values in [-1, 1] for integers (float as stored).
 */
export function wavFramesToChannels(bytes: Uint8Array, fmt: Fmt, frames: number): Float32Array[] {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const bytesPer = fmt.bits / 8;
  const read = sampleReader(v, fmt);
  return Array.from({ length: fmt.channels }, (_, c) => {
    const out = new Float32Array(frames);
    for (let i = 0, o = c * bytesPer; i < frames; i++, o += fmt.blockAlign) out[i] = read(o);
    return out;
  });
}

/**
 * Decode a whole RIFF or RF64 WAVE file (see {@link parseWavHeader} for what is read and refused).
 * @param bytes The whole file.
 * @param file Name used in errors.
 * @throws {DecodeError} on malformed, truncated or unsupported input.
 */
export function decodeWav(bytes: Uint8Array, file: string): DecodedChannels {
  const layout = parseWavHeader(bytes, bytes.length, file)!;
  const { fmt, dataOffset, frames } = layout;
  return {
    channelData: wavFramesToChannels(bytes.subarray(dataOffset), fmt, frames),
    sampleRate: fmt.sampleRate,
  };
}

/** Reads one sample at a byte offset, scaled to [-1, 1) for integers (float as stored). */
function sampleReader(v: DataView, fmt: Fmt): (o: number) => number {
  if (fmt.tag === FLOAT) return fmt.bits === 32 ? (o) => v.getFloat32(o, true) : (o) => v.getFloat64(o, true);
  switch (fmt.bits) {
    case 8:
      return (o) => (v.getUint8(o) - 128) / 128;
    case 16:
      return (o) => v.getInt16(o, true) / 32768;
    case 24:
      return (o) => (v.getUint8(o) | (v.getUint8(o + 1) << 8) | (v.getInt8(o + 2) << 16)) / 8388608;
    default:
      return (o) => v.getInt32(o, true) / 2147483648;
  }
}
