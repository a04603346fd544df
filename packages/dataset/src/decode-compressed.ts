import { FLACDecoder } from '@wasm-audio-decoders/flac';
import { OggVorbisDecoder } from '@wasm-audio-decoders/ogg-vorbis';
import { MPEGDecoder } from 'mpg123-decoder';
import { flacDeclaredSamples, mp3Truncation, oggTruncation } from './container-length.js';
import type { DecodedChannels } from './decode-wav.js';
import { DecodeError } from './errors.js';

interface WasmDecoded {
  channelData: Float32Array[];
  samplesDecoded: number;
  sampleRate: number;
  errors: ReadonlyArray<{ message: string }>;
}

function finish(result: WasmDecoded, file: string, codec: string): DecodedChannels {
  if (result.samplesDecoded === 0 || result.channelData.length === 0) {
    const why = result.errors[0]?.message ?? 'no audio frames found';
    throw new DecodeError(file, result.errors.length > 0 ? 'corrupt' : 'empty', `${codec}: ${why}`);
  }
  if (result.errors.length > 0) {
    throw new DecodeError(
      file,
      'corrupt',
      `${codec}: ${result.errors.length} frame error(s), first: ${result.errors[0]!.message}`,
    );
  }
  const channelData = result.channelData.map((c) => c.slice(0, result.samplesDecoded));
  return { channelData, sampleRate: result.sampleRate };
}

/**
 * Runs `fn` with mpg123-decoder's console copies of its stream errors dropped: they come back in the results'
 * `errors` (which the callers report), and the console copy reached stderr under --quiet.
 */
export async function quietMpg123<T>(fn: () => Promise<T>): Promise<T> {
  const consoleError = console.error;
  console.error = (...args: unknown[]) => {
    if (typeof args[0] === 'string' && args[0].startsWith('mpg123-decoder:')) return;
    consoleError(...args);
  };
  try {
    return await fn();
  } finally {
    console.error = consoleError;
  }
}

/**
 * Decode MP3 with `mpg123-decoder` (mpg123 compiled to WASM). Gapless mode is on, so the LAME encoder
 * delay and padding recorded in the Xing/LAME header are removed (one decoder, one delay convention).
 * A file cut short (last frame incomplete, or fewer frames than its Xing/Info header counts) is refused.
 * @throws {DecodeError} `truncated`, `corrupt` or `empty`.
 */
export async function decodeMp3(bytes: Uint8Array, file: string): Promise<DecodedChannels> {
  const cut = mp3Truncation(bytes);
  if (cut) throw new DecodeError(file, 'truncated', cut);
  const decoder = new MPEGDecoder({ enableGapless: true });
  await decoder.ready;
  try {
    return await quietMpg123(async () => finish(decoder.decode(bytes) as WasmDecoded, file, 'MP3'));
  } catch (err) {
    if (err instanceof DecodeError) throw err;
    throw new DecodeError(file, 'corrupt', `MP3: ${(err as Error).message}`, err);
  } finally {
    decoder.free();
  }
}

/**
 * Decode FLAC with `@wasm-audio-decoders/flac` (libFLAC in WASM); a stream that holds fewer samples than its
 * STREAMINFO declares is refused as truncated.
 * @throws {DecodeError} `truncated`, `corrupt` or `empty`.
 */
export async function decodeFlac(bytes: Uint8Array, file: string): Promise<DecodedChannels> {
  const decoder = new FLACDecoder();
  await decoder.ready;
  try {
    const out = finish((await decoder.decodeFile(bytes)) as WasmDecoded, file, 'FLAC');
    const declared = flacDeclaredSamples(bytes) ?? 0;
    const got = out.channelData[0]!.length;
    if (declared > 0 && got < declared)
      throw new DecodeError(
        file,
        'truncated',
        `FLAC: ${got} of the ${declared} samples its STREAMINFO declares (${(got / out.sampleRate).toFixed(2)} of ${(declared / out.sampleRate).toFixed(2)} s)`,
      );
    return out;
  } catch (err) {
    if (err instanceof DecodeError) throw err;
    throw new DecodeError(file, 'corrupt', `FLAC: ${(err as Error).message}`, err);
  } finally {
    decoder.free();
  }
}

/**
 * Refuses an Ogg stream that does not carry Vorbis (the first page's codec id packet, at byte 28).
 * @throws {DecodeError} `unsupported-codec`.
 */
export function checkVorbis(bytes: Uint8Array, file: string): void {
  const head = new TextDecoder('latin1').decode(bytes.subarray(28, 36));
  if (!head.includes('vorbis')) {
    const codec = head.includes('Opus') ? 'Opus' : head.includes('FLAC') ? 'FLAC' : 'unknown';
    throw new DecodeError(file, 'unsupported-codec', `Ogg stream carries ${codec}, only Vorbis is supported`);
  }
}

/**
 * Decode Ogg Vorbis with `@wasm-audio-decoders/ogg-vorbis` (libvorbis in WASM). Ogg Opus/FLAC/Speex are
 * rejected as unsupported codecs; a stream cut short (a page past the end, no end-of-stream page) as truncated.
 * @throws {DecodeError} `truncated`, `unsupported-codec`, `corrupt` or `empty`.
 */
export async function decodeOggVorbis(bytes: Uint8Array, file: string): Promise<DecodedChannels> {
  checkVorbis(bytes, file);
  const cut = oggTruncation(bytes);
  if (cut) throw new DecodeError(file, 'truncated', cut);
  const decoder = new OggVorbisDecoder();
  await decoder.ready;
  try {
    return finish((await decoder.decodeFile(bytes)) as WasmDecoded, file, 'Ogg Vorbis');
  } catch (err) {
    if (err instanceof DecodeError) throw err;
    throw new DecodeError(file, 'corrupt', `Ogg Vorbis: ${(err as Error).message}`, err);
  } finally {
    decoder.free();
  }
}
