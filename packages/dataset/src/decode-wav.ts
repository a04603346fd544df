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

interface Fmt {
  tag: number;
  channels: number;
  sampleRate: number;
  blockAlign: number;
  bits: number;
}

const fourcc = (v: DataView, o: number) =>
  String.fromCharCode(v.getUint8(o), v.getUint8(o + 1), v.getUint8(o + 2), v.getUint8(o + 3));

/**
 * Decode a RIFF or RF64 WAVE file: 8/16/24/32-bit integer PCM and 32/64-bit float, any channel count
 * and rate, plain or WAVE_FORMAT_EXTENSIBLE. Any other format tag (ADPCM, A-law, µ-law, MP3-in-WAV, 0,
 * 0xFFFF…) is refused naming the tag; so are a missing fmt/data chunk, a data chunk longer than the file
 * (truncation), an empty data chunk and an inconsistent fmt (block align, channels, rate).
 * @param bytes The whole file.
 * @param file Name used in errors.
 * @throws {DecodeError} on malformed, truncated or unsupported input.
 */
export function decodeWav(bytes: Uint8Array, file: string): DecodedChannels {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const corrupt = (why: string) => new DecodeError(file, 'corrupt', `malformed WAV: ${why}`);
  if (bytes.length < 12) throw corrupt(`${bytes.length} bytes, shorter than a RIFF header`);
  const riff = fourcc(v, 0);
  if ((riff !== 'RIFF' && riff !== 'RF64') || fourcc(v, 8) !== 'WAVE')
    throw corrupt(`no RIFF/RF64 WAVE header (found '${riff}')`);
  let fmt: Fmt | undefined;
  let dataOffset = -1;
  let dataSize = 0;
  let rf64DataSize: number | undefined;
  for (let o = 12; o + 8 <= bytes.length; ) {
    const id = fourcc(v, o);
    const size = v.getUint32(o + 4, true);
    const body = o + 8;
    if (id === 'ds64' && size >= 16) {
      rf64DataSize = v.getUint32(body + 8, true) + v.getUint32(body + 12, true) * 2 ** 32;
    } else if (id === 'fmt ') {
      if (size < 16 || body + 16 > bytes.length) throw corrupt(`fmt chunk of ${size} bytes`);
      let tag = v.getUint16(body, true);
      const bits = v.getUint16(body + 14, true);
      if (tag === EXTENSIBLE) {
        if (size < 40 || body + 40 > bytes.length)
          throw corrupt('WAVE_FORMAT_EXTENSIBLE fmt chunk too short');
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
  const available = bytes.length - dataOffset;
  if (dataSize > available && dataSize !== 0xffffffff)
    throw new DecodeError(
      file,
      'truncated',
      `data chunk declares ${dataSize} bytes, file holds ${available}`,
    );
  const usable = Math.min(dataSize, available);
  const frames = Math.floor(usable / fmt.blockAlign);
  if (frames === 0) throw new DecodeError(file, 'empty', 'WAV data chunk holds no samples');
  const nc = fmt.channels;
  const channelData = Array.from({ length: nc }, () => new Float32Array(frames));
  const at = dataOffset;
  const read = sampleReader(v, fmt);
  for (let c = 0; c < nc; c++) {
    const out = channelData[c]!;
    for (let i = 0, o = at + c * bytesPer; i < frames; i++, o += fmt.blockAlign) out[i] = read(o);
  }
  return { channelData, sampleRate: fmt.sampleRate };
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
