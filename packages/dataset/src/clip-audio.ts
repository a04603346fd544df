import { readClip } from './clip-store.js';
import { OptionError } from './errors.js';
import { clipPath, type LoadedManifest } from './manifest.js';

/** The audio of a list of clips, for training-time waveform augmentation (see `@timbre/models`' `TrainingAudio`). */
export interface ClipAudio {
  /** `[ids.length × clipSamples]` mono clips, in the order of `ids`, on a `SharedArrayBuffer`. */
  samples: Float32Array;
  /** Samples per clip (`round(clipSeconds × sampleRate)`). */
  clipSamples: number;
  /** Hz. */
  sampleRate: number;
}

/**
 * Read the clips `ids` of a manifest (e.g. a feature set's `ids`, to pair each feature row with its audio)
 * into one array on a `SharedArrayBuffer`. 1-s clips at 44.1 kHz take 176 kB each.
 * @throws {OptionError} naming an id the manifest does not hold; {@link DecodeError} for a damaged clip file.
 */
export async function loadClipAudio(manifest: LoadedManifest, ids: readonly string[]): Promise<ClipAudio> {
  const byId = new Map(manifest.clips.map((c) => [c.id, c]));
  const clipSamples = Math.round(manifest.clipSeconds * manifest.sampleRate);
  // On shared memory, so training threads (e.g. `@timbre/models`' augmentation threads) read it in place.
  const samples = new Float32Array(new SharedArrayBuffer(ids.length * clipSamples * 4));
  for (const [i, id] of ids.entries()) {
    const c = byId.get(id);
    if (!c) throw new OptionError('ids', `clip ids of ${manifest.path}`, id);
    const pcm = await readClip(clipPath(manifest, c), manifest.sampleRate);
    samples.set(pcm.subarray(0, clipSamples), i * clipSamples);
  }
  return { samples, clipSamples, sampleRate: manifest.sampleRate };
}
