import wavefile from 'wavefile';
import { DecodeError } from './errors.js';

/** Raw decoded audio before downmixing and resampling: one Float32Array per channel, values in [-1, 1]. */
export interface DecodedChannels {
  /** One array per channel, all the same length. */
  channelData: Float32Array[];
  /** Sample rate in Hz. */
  sampleRate: number;
}

interface WavFmt {
  numChannels: number;
  sampleRate: number;
}

interface WavData {
  chunkSize: number;
  samples: Uint8Array;
}

const SCALE: Record<string, (v: number) => number> = {
  '8': (v) => (v - 128) / 128,
  '16': (v) => v / 32768,
  '24': (v) => v / 8388608,
  '32': (v) => v / 2147483648,
  '32f': (v) => v,
  '64': (v) => v,
};

/**
 * Decode a RIFF/RF64 WAVE file with `wavefile`: 8/16/24/32-bit integer PCM, 32/64-bit float, any channel
 * count and sample rate (WAVE_FORMAT_EXTENSIBLE included). Compressed WAV codecs (ADPCM, a-law, µ-law)
 * are rejected as unsupported.
 * @param bytes The whole file.
 * @param file Name used in errors.
 * @throws {DecodeError} on malformed, truncated or unsupported input.
 */
export function decodeWav(bytes: Uint8Array, file: string): DecodedChannels {
  const wav = new wavefile.WaveFile();
  try {
    wav.fromBuffer(bytes);
  } catch (err) {
    throw new DecodeError(file, 'corrupt', `malformed WAV: ${(err as Error).message}`, err);
  }
  const fmt = wav.fmt as WavFmt;
  const data = wav.data as WavData;
  const scale = SCALE[wav.bitDepth];
  if (!scale)
    throw new DecodeError(
      file,
      'unsupported-codec',
      `WAV bit depth/codec '${wav.bitDepth}' is not PCM or float`,
    );
  if (!(fmt.numChannels >= 1) || !(fmt.sampleRate >= 1)) {
    throw new DecodeError(
      file,
      'corrupt',
      `invalid fmt chunk (channels ${fmt.numChannels}, rate ${fmt.sampleRate})`,
    );
  }
  if (data.samples.length < data.chunkSize) {
    throw new DecodeError(
      file,
      'truncated',
      `data chunk declares ${data.chunkSize} bytes, file holds ${data.samples.length}`,
    );
  }
  if (data.samples.length === 0) throw new DecodeError(file, 'empty', 'WAV data chunk holds no samples');
  let raw: Float64Array | Float64Array[];
  try {
    raw = wav.getSamples(false, Float64Array) as unknown as Float64Array | Float64Array[];
  } catch (err) {
    throw new DecodeError(file, 'corrupt', `cannot read WAV samples: ${(err as Error).message}`, err);
  }
  const channels = Array.isArray(raw) ? raw : [raw];
  const channelData = channels.map((ch) => {
    const out = new Float32Array(ch.length);
    for (let i = 0; i < ch.length; i++) out[i] = scale(ch[i]!);
    return out;
  });
  return { channelData, sampleRate: fmt.sampleRate };
}
