/** A frame-major spectrogram: `data[t * bands + b]` is band (or FFT bin) b of frame t. */
export interface Spectrogram {
  /** Row-major `[frames][bands]` values. */
  readonly data: Float32Array;
  /** Number of frames (rows). */
  readonly frames: number;
  /** Number of bands per frame: nFft/2 + 1 FFT bins, or nMels mel bands. */
  readonly bands: number;
}
