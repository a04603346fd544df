/** Audio container formats recognised by magic bytes. */
export type AudioFormat = 'wav' | 'mp3' | 'flac' | 'ogg';

function ascii(bytes: Uint8Array, start: number, text: string): boolean {
  if (bytes.length < start + text.length) return false;
  for (let i = 0; i < text.length; i++) if (bytes[start + i] !== text.charCodeAt(i)) return false;
  return true;
}

/**
 * Detect the container from magic bytes (never the file extension).
 * WAV: `RIFF....WAVE` (or RF64); FLAC: `fLaC` (after an optional ID3v2 tag); Ogg: `OggS`;
 * MP3: ID3v2 tag or an MPEG audio frame sync (11 set bits, layer III/II/I, valid bitrate index).
 * @returns The format, or `null` if unrecognised.
 */
export function detectAudioFormat(bytes: Uint8Array): AudioFormat | null {
  if ((ascii(bytes, 0, 'RIFF') || ascii(bytes, 0, 'RF64')) && ascii(bytes, 8, 'WAVE')) return 'wav';
  if (ascii(bytes, 0, 'fLaC')) return 'flac';
  if (ascii(bytes, 0, 'OggS')) return 'ogg';
  let offset = 0;
  if (ascii(bytes, 0, 'ID3') && bytes.length >= 10) {
    const size =
      ((bytes[6]! & 0x7f) << 21) |
      ((bytes[7]! & 0x7f) << 14) |
      ((bytes[8]! & 0x7f) << 7) |
      (bytes[9]! & 0x7f);
    offset = 10 + size + ((bytes[5]! & 0x10) !== 0 ? 10 : 0);
    if (ascii(bytes, offset, 'fLaC')) return 'flac';
    if (bytes.length < offset + 4) return 'mp3'; // an ID3 tag with nothing after it: let the decoder report it
  }
  const b1 = bytes[offset + 1];
  const b2 = bytes[offset + 2];
  if (bytes[offset] === 0xff && b1 !== undefined && b2 !== undefined && (b1 & 0xe0) === 0xe0) {
    const layer = (b1 >> 1) & 0x3;
    const bitrate = b2 >> 4;
    const rate = (b2 >> 2) & 0x3;
    if (layer !== 0 && bitrate !== 0xf && rate !== 0x3) return 'mp3';
  }
  return null;
}
