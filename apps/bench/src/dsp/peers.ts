import { melFilterbank } from '@timbre/dsp';
import FFT from 'fft.js';
import * as meydaModule from 'meyda';

/** The part of meyda's mutable default export used here (its d.ts does not match its CJS build under NodeNext). */
interface MeydaLike {
  bufferSize: number;
  sampleRate: number;
  melBands: number;
  windowingFunction: string;
  extract(feature: 'melBands', signal: Float32Array): { melBands?: number[] } | null;
}
const Meyda = (meydaModule as unknown as { default: MeydaLike }).default;

/** A log-mel computation over one clip, returning its frame count. */
export type ClipFn = (clip: Float32Array) => number;

/**
 * A straightforward fft.js pipeline with librosa semantics: centred frames, periodic Hann, fft.js
 * `realTransform`, power, sparse slaney mel (same filterbank as ours), 10·log10 re peak, top_db 80.
 * Buffers are reused across calls; `onResult` (tests) sees the frame-major dB output.
 */
export function fftJsPipeline(
  nMels: number,
  nFft = 1024,
  hop = 512,
  onResult?: (logMel: Float32Array) => void,
): ClipFn {
  const fft = new FFT(nFft);
  const bins = nFft / 2 + 1;
  const window = new Float64Array(nFft).map((_, k) => 0.5 - 0.5 * Math.cos((2 * Math.PI * k) / nFft));
  const dense = melFilterbank({ nMels, nFft });
  const start: number[] = [];
  const weights: Float64Array[] = [];
  for (let b = 0; b < nMels; b++) {
    const row = dense.subarray(b * bins, (b + 1) * bins);
    const first = row.findIndex((w) => w > 0);
    let last = bins - 1;
    while (row[last] === 0) last--;
    start.push(first);
    weights.push(Float64Array.from(row.subarray(first, last + 1)));
  }
  const frameIn = new Array<number>(nFft).fill(0);
  const spectrum = fft.createComplexArray() as number[];
  const power = new Float64Array(bins);
  let padded = new Float32Array(0);
  let out = new Float32Array(0);
  return (clip) => {
    const frames = 1 + Math.floor(clip.length / hop);
    const length = clip.length + nFft;
    if (padded.length < length) padded = new Float32Array(length);
    padded.fill(0);
    padded.set(clip, nFft / 2);
    if (out.length < frames * nMels) out = new Float32Array(frames * nMels);
    let peak = 1e-10;
    for (let t = 0; t < frames; t++) {
      const from = t * hop;
      for (let n = 0; n < nFft; n++) frameIn[n] = padded[from + n]! * window[n]!;
      fft.realTransform(spectrum, frameIn);
      for (let k = 0; k < bins; k++) {
        const re = spectrum[2 * k]!;
        const im = spectrum[2 * k + 1]!;
        power[k] = re * re + im * im;
      }
      for (let b = 0; b < nMels; b++) {
        const w = weights[b]!;
        const s = start[b]!;
        let acc = 0;
        for (let i = 0; i < w.length; i++) acc += w[i]! * power[s + i]!;
        out[t * nMels + b] = acc;
        if (acc > peak) peak = acc;
      }
    }
    const refDb = 10 * Math.log10(peak);
    for (let i = 0; i < frames * nMels; i++) {
      out[i] = Math.max(10 * Math.log10(Math.max(1e-10, out[i]!)) - refDb, -80);
    }
    onResult?.(out.subarray(0, frames * nMels));
    return frames;
  };
}

/**
 * meyda 5 `melBands` per frame (its own mel: no slaney normalization, its own filter shapes and window
 * handling), then 10·log10 re peak. Not librosa-equivalent: speed reference only.
 */
export function meydaPipeline(nMels: number, nFft = 1024, hop = 512): ClipFn {
  Meyda.bufferSize = nFft;
  Meyda.sampleRate = 44100;
  Meyda.melBands = nMels;
  Meyda.windowingFunction = 'hanning';
  let padded = new Float32Array(0);
  const out: number[] = [];
  return (clip) => {
    const frames = 1 + Math.floor(clip.length / hop);
    const length = clip.length + nFft;
    if (padded.length < length) padded = new Float32Array(length);
    padded.fill(0);
    padded.set(clip, nFft / 2);
    out.length = 0;
    let peak = 1e-10;
    for (let t = 0; t < frames; t++) {
      const features = Meyda.extract('melBands', padded.subarray(t * hop, t * hop + nFft));
      const bands = features?.melBands ?? [];
      for (const v of bands) {
        out.push(v);
        if (v > peak) peak = v;
      }
    }
    const refDb = 10 * Math.log10(peak);
    for (let i = 0; i < out.length; i++)
      out[i] = Math.max(10 * Math.log10(Math.max(1e-10, out[i]!)) - refDb, -80);
    return frames;
  };
}
