import { downmix } from '@timbre/dataset';

/** Mono audio at the model's sample rate. */
export interface DecodedAudio {
  samples: Float32Array;
  sampleRate: number;
  /** The file's own sample rate and channel count. */
  source: { sampleRate: number; channels: number; durationS: number };
  /** True when the audio was cut to `maxDurationS`. */
  truncated: boolean;
}

/** A file the browser could not decode as audio. */
export class DecodeError extends Error {
  override name = 'DecodeError';
}

/**
 * Decodes an audio file (any format the browser's `decodeAudioData` reads: WAV, MP3, FLAC, Ogg, WebM…),
 * mixes it to mono and resamples it to `sampleRate` with an `OfflineAudioContext`.
 *
 * @param maxDurationS Longer audio is cut to this many seconds (keeps memory bounded).
 * @throws {DecodeError} for empty or undecodable files.
 */
export async function decodeToMono(
  bytes: ArrayBuffer,
  sampleRate: number,
  maxDurationS = 600,
): Promise<DecodedAudio> {
  if (bytes.byteLength === 0) throw new DecodeError('the file is empty');
  // decodeAudioData resamples to its context's rate, so decoding on an OfflineAudioContext at the model's
  // rate resamples in the same step (the context itself is never rendered).
  const probe = new OfflineAudioContext(1, 1, sampleRate);
  let buffer: AudioBuffer;
  try {
    buffer = await probe.decodeAudioData(bytes);
  } catch (e) {
    const why = e instanceof Error && e.message ? ` (${e.message})` : '';
    throw new DecodeError(`the browser cannot decode it as audio${why}`);
  }
  if (buffer.length === 0) throw new DecodeError('the file holds no audio samples');
  const source = {
    sampleRate: buffer.sampleRate,
    channels: buffer.numberOfChannels,
    durationS: buffer.duration,
  };
  const mono =
    buffer.sampleRate === sampleRate
      ? downmix(Array.from({ length: buffer.numberOfChannels }, (_, c) => buffer.getChannelData(c)))
      : await renderMono(buffer, sampleRate);
  const max = Math.round(maxDurationS * sampleRate);
  return {
    samples: mono.length > max ? mono.slice(0, max) : mono,
    sampleRate,
    source,
    truncated: mono.length > max,
  };
}

/** Resamples every channel by rendering the buffer through an `OfflineAudioContext`, then mixes down. */
async function renderMono(buffer: AudioBuffer, sampleRate: number): Promise<Float32Array> {
  const numberOfChannels = buffer.numberOfChannels;
  const length = Math.max(1, Math.round(buffer.duration * sampleRate));
  const ctx = new OfflineAudioContext({ numberOfChannels, length, sampleRate });
  const node = new AudioBufferSourceNode(ctx, { buffer });
  node.connect(ctx.destination);
  node.start();
  const rendered = await ctx.startRendering();
  return downmix(Array.from({ length: numberOfChannels }, (_, c) => rendered.getChannelData(c)));
}
