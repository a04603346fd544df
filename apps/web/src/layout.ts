/**
 * How a network wants its input, as in `@timbre/models` (`metadata.inputLayout`): LeNet sees the spectrogram
 * as an image of nMels rows × nFrames columns × 1 channel; the LSTMs see nFrames steps of nMels features.
 */
export type InputLayout = 'mels-frames-channel' | 'frames-mels';

/** The layouts {@link toModelInput} knows. */
export const INPUT_LAYOUTS: readonly InputLayout[] = ['mels-frames-channel', 'frames-mels'];

/** A model-input batch: flat data and its tensor shape. */
export interface ModelInput {
  data: Float32Array;
  /** [b, nMels, nFrames, 1] or [b, nFrames, nMels]. */
  shape: number[];
}

/**
 * Reorders frame-major features into a model-input batch exactly like `@timbre/models`' `toInputTensor`
 * (with all samples, in order): for 'mels-frames-channel' each sample is transposed to [nMels][nFrames].
 *
 * @param x Frame-major features [b][nFrames][nMels].
 * @throws {RangeError} when `x` is not a whole number of samples.
 */
export function toModelInput(
  x: Float32Array,
  nFrames: number,
  nMels: number,
  layout: InputLayout,
): ModelInput {
  const per = nFrames * nMels;
  if (per <= 0 || x.length % per !== 0) {
    throw new RangeError(`features length ${x.length} is not a multiple of nFrames·nMels = ${per}`);
  }
  const b = x.length / per;
  if (layout === 'frames-mels') return { data: x.slice(), shape: [b, nFrames, nMels] };
  const out = new Float32Array(x.length);
  for (let k = 0; k < b; k++) {
    const base = k * per;
    for (let t = 0; t < nFrames; t++) {
      const row = base + t * nMels;
      for (let m = 0; m < nMels; m++) out[base + m * nFrames + t] = x[row + m]!;
    }
  }
  return { data: out, shape: [b, nMels, nFrames, 1] };
}
