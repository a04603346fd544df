/**
 * Does a compressed file hold all the audio its container declares? One rule for every format (the WAV
 * reader applies it to the data chunk's size): a file cut short is refused as `truncated`, naming what it
 * declares and what it holds. Each check reads only the container's framing, never the codec payload; where a
 * format does not declare its length (an MP3 without a Xing/Info header cut exactly at a frame boundary) the
 * cut cannot be seen, and the file decodes as what it holds.
 */

/** MPEG audio bitrates (kbit/s) by [version group][layer][index]: group 0 = MPEG-1, 1 = MPEG-2/2.5. */
const BITRATES: readonly (readonly (readonly number[])[])[] = [
  [
    [0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448],
    [0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384],
    [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320],
  ],
  [
    [0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256],
    [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
    [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
  ],
];
const RATES: Record<number, readonly number[]> = {
  3: [44100, 48000, 32000],
  2: [22050, 24000, 16000],
  0: [11025, 12000, 8000],
};

interface MpegFrame {
  length: number;
  /** Offset of the Xing/Info tag inside the frame (after the side information). */
  sideInfoEnd: number;
}

/** The MPEG audio frame whose header starts at `p`, or undefined when there is none (or free format). */
function mpegFrame(b: Uint8Array, p: number): MpegFrame | undefined {
  if (p + 4 > b.length || b[p] !== 0xff || (b[p + 1]! & 0xe0) !== 0xe0) return undefined;
  const version = (b[p + 1]! >> 3) & 3; // 3 MPEG-1, 2 MPEG-2, 0 MPEG-2.5
  const layerBits = (b[p + 1]! >> 1) & 3; // 3 layer I, 2 layer II, 1 layer III
  const bitrateIndex = b[p + 2]! >> 4;
  const rateIndex = (b[p + 2]! >> 2) & 3;
  if (version === 1 || layerBits === 0 || bitrateIndex === 0 || bitrateIndex === 15 || rateIndex === 3)
    return undefined;
  const layer = 4 - layerBits;
  const rate = RATES[version]![rateIndex]!;
  const kbps = BITRATES[version === 3 ? 0 : 1]![layer - 1]![bitrateIndex]!;
  const padding = (b[p + 2]! >> 1) & 1;
  const length =
    layer === 1
      ? (Math.floor((12000 * kbps) / rate) + padding) * 4
      : Math.floor(((layer === 3 && version !== 3 ? 72000 : 144000) * kbps) / rate) + padding;
  const mono = b[p + 3]! >> 6 === 3;
  const side = version === 3 ? (mono ? 17 : 32) : mono ? 9 : 17;
  return { length, sideInfoEnd: p + 4 + side };
}

/** Where the audio frames of an MP3 start (after an ID3v2 tag). */
function mp3Start(b: Uint8Array): number {
  if (b.length >= 10 && b[0] === 0x49 && b[1] === 0x44 && b[2] === 0x33) {
    const size = ((b[6]! & 0x7f) << 21) | ((b[7]! & 0x7f) << 14) | ((b[8]! & 0x7f) << 7) | (b[9]! & 0x7f);
    return 10 + size + (b[5]! & 0x10 ? 10 : 0);
  }
  return 0;
}

function startsWith(b: Uint8Array, p: number, text: string): boolean {
  for (let i = 0; i < text.length; i++) if (b[p + i] !== text.charCodeAt(i)) return false;
  return true;
}

/**
 * Why an MP3 is cut short, or undefined: its last frame is shorter than its header says, or it holds fewer
 * frames than its Xing/Info header counts. Stops judging (undefined) at anything that is not a frame or a
 * trailing tag, which the decoder reports itself.
 */
export function mp3Truncation(b: Uint8Array): string | undefined {
  let p = mp3Start(b);
  // Find the first frame within a few kB (some files pad before it).
  const limit = Math.min(b.length, p + 8192);
  while (p < limit && !mpegFrame(b, p)) p++;
  const first = mpegFrame(b, p);
  if (!first) return undefined;
  let declared: number | undefined;
  const x = first.sideInfoEnd;
  if (startsWith(b, x, 'Xing') || startsWith(b, x, 'Info')) {
    const flags = ((b[x + 4]! << 24) | (b[x + 5]! << 16) | (b[x + 6]! << 8) | b[x + 7]!) >>> 0;
    if (flags & 1) declared = ((b[x + 8]! << 24) | (b[x + 9]! << 16) | (b[x + 10]! << 8) | b[x + 11]!) >>> 0;
    p += first.length; // the tag frame holds no audio
  }
  let frames = 0;
  while (p < b.length) {
    if (startsWith(b, p, 'TAG') || startsWith(b, p, 'APETAGEX') || startsWith(b, p, 'LYRICS')) break;
    const f = mpegFrame(b, p);
    if (!f) {
      if (b.length - p < 4) return `MP3: the file ends inside a frame header (${b.length - p} of 4 bytes)`;
      return undefined;
    }
    if (p + f.length > b.length)
      return `MP3: the last frame is cut (${b.length - p} of ${f.length} bytes) after ${frames} whole frames`;
    frames++;
    p += f.length;
  }
  if (declared !== undefined && frames < declared)
    return `MP3: ${frames} of the ${declared} frames its Xing/Info header declares`;
  return undefined;
}

/** Total samples a FLAC stream's STREAMINFO declares (0: unknown), or undefined when there is no STREAMINFO. */
export function flacDeclaredSamples(b: Uint8Array): number | undefined {
  // "fLaC", then a metadata block header (type 0 = STREAMINFO, 34 bytes); total samples: 36 bits at byte 21.
  if (b.length < 42 || !startsWith(b, 0, 'fLaC') || (b[4]! & 0x7f) !== 0) return undefined;
  const s = 8;
  const low = ((b[s + 14]! << 24) | (b[s + 15]! << 16) | (b[s + 16]! << 8) | b[s + 17]!) >>> 0;
  return (b[s + 13]! & 0x0f) * 2 ** 32 + low;
}

/**
 * Why an Ogg stream is cut short, or undefined: a page runs past the end of the file, or the last page is not
 * marked end-of-stream. Stops judging (undefined) at bytes that are not a page, which the decoder reports.
 */
export function oggTruncation(b: Uint8Array): string | undefined {
  let p = 0;
  let pages = 0;
  let lastFlags = 0;
  while (p < b.length) {
    if (!startsWith(b, p, 'OggS')) return undefined;
    if (p + 27 > b.length) return `Ogg: the file ends inside a page header after ${pages} pages`;
    const segments = b[p + 26]!;
    if (p + 27 + segments > b.length) return `Ogg: the file ends inside a page header after ${pages} pages`;
    let body = 0;
    for (let i = 0; i < segments; i++) body += b[p + 27 + i]!;
    const end = p + 27 + segments + body;
    if (end > b.length) return `Ogg: page ${pages + 1} is cut (${b.length - p} of ${end - p} bytes)`;
    lastFlags = b[p + 5]!;
    pages++;
    p = end;
  }
  if (pages > 0 && (lastFlags & 0x04) === 0)
    return `Ogg: no end-of-stream page after ${pages} pages (the file is cut at a page boundary)`;
  return undefined;
}
