import { createRng, deriveSeed, type Rng } from '@timbre/dataset';
import { ModelError } from './errors.js';

/**
 * Waveform augmentation of training clips, applied before the DSP (see {@link augmentWaveform}). Each
 * transform is applied to a clip with probability `probability` and draws its parameters uniformly in
 * the given ranges; a field set to 0 turns its transform off. Order: onset jitter → pitch shift → EQ →
 * band limit → reverb → noise → soft clipping. Everything is seeded per clip; no state is carried.
 */
export interface WaveAugmentOptions {
  /** Probability of each enabled transform per clip, in [0, 1]; default 0.5. */
  probability?: number;
  /** Largest onset delay, seconds, [0, 0.2]; the clip starts later by U(0, jitterS). Default 0 (off). */
  jitterS?: number;
  /**
   * Largest pitch shift in semitones, [0, 4]: the clip is read 2^(s/12) times faster, s ~ U(−p, p),
   * by cubic (Catmull-Rom) interpolation, as a sampler plays a note off its root. Default 0 (off).
   */
  pitchSemitones?: number;
  /** Largest gain of each random peaking filter, dB, [0, 24] (gain ~ U(−eqDb, eqDb)); default 0 (off). */
  eqDb?: number;
  /** Peaking filters of the EQ, integer [1, 8], centre log-uniform in 80 Hz–12 kHz, Q ~ U(0.5, 2); default 3. */
  eqBands?: number;
  /** Largest spectral tilt, dB per decade around 1 kHz (a first-order shelf pair), [0, 12]; default 0 (off). */
  tiltDb?: number;
  /** Lowest cut-off of a random 4th-order low-pass (a lossy codec's band limit), Hz, 0 or [2000, 20000]; default 0 (off). */
  lowpassMinHz?: number;
  /**
   * Largest reverberation time RT60, seconds, 0 or [0.1, 3]: a random 4-line feedback-delay-network room
   * (delays 23–61 ms, RT60 ~ U(0.1 s, reverbS), damping, wet gain U(−18, 0) dB re dry). Default 0 (off).
   */
  reverbS?: number;
  /** Lowest signal-to-noise ratio of added white or pink noise, dB re the clip RMS, 0 or [0, 80] (SNR ~ U(snr, snr + 30)); default 0 (off). */
  noiseSnrDb?: number;
  /** Largest drive of tanh-shaped soft clipping, [0, 20] (drive ~ U(1, clipDrive)); default 0 (off). */
  clipDrive?: number;
}

/** {@link WaveAugmentOptions} with every default filled in. */
export type ResolvedWaveAugmentOptions = Required<WaveAugmentOptions>;

/** Defaults of {@link WaveAugmentOptions}: every transform off. */
export const WAVE_AUGMENT_DEFAULTS: ResolvedWaveAugmentOptions = {
  probability: 0.5,
  jitterS: 0,
  pitchSemitones: 0,
  eqDb: 0,
  eqBands: 3,
  tiltDb: 0,
  lowpassMinHz: 0,
  reverbS: 0,
  noiseSnrDb: 0,
  clipDrive: 0,
};

type Range = readonly [number, number, boolean];
const RANGES: Record<keyof WaveAugmentOptions, Range> = {
  probability: [0, 1, false],
  jitterS: [0, 0.2, false],
  pitchSemitones: [0, 4, false],
  eqDb: [0, 24, false],
  eqBands: [1, 8, true],
  tiltDb: [0, 12, false],
  lowpassMinHz: [2000, 20000, false],
  reverbS: [0.1, 3, false],
  noiseSnrDb: [0, 80, false],
  clipDrive: [0, 20, false],
};
const KEYS = Object.keys(WAVE_AUGMENT_DEFAULTS) as (keyof WaveAugmentOptions)[];
/** Fields where 0 means off and the range applies to the other values. */
const ZERO_OFF = new Set<keyof WaveAugmentOptions>(['lowpassMinHz', 'reverbS']);

/**
 * Validates waveform augmentation options and fills in {@link WAVE_AUGMENT_DEFAULTS}.
 * @returns The resolved options, or `undefined` when `options` is absent/false or every transform is off.
 * @throws {ModelError} naming the first unknown or out-of-range field and its valid range.
 */
export function resolveWaveAugmentOptions(
  options: WaveAugmentOptions | false | undefined,
): ResolvedWaveAugmentOptions | undefined {
  if (options === undefined || options === false) return undefined;
  if (typeof options !== 'object' || options === null)
    throw new ModelError(`waveAugment must be a WaveAugmentOptions object or false; got ${String(options)}`);
  const r = { ...WAVE_AUGMENT_DEFAULTS };
  for (const k of Object.keys(options)) {
    if (!KEYS.includes(k as keyof WaveAugmentOptions))
      throw new ModelError(
        `waveAugment.${k} is not a waveform augmentation option (valid: ${KEYS.join(', ')})`,
      );
  }
  for (const k of KEYS) {
    const v = options[k];
    if (v === undefined) continue;
    const [lo, hi, int] = RANGES[k];
    const ok =
      typeof v === 'number' &&
      Number.isFinite(v) &&
      (!int || Number.isInteger(v)) &&
      ((ZERO_OFF.has(k) && v === 0) || (v >= lo && v <= hi));
    if (!ok)
      throw new ModelError(
        `waveAugment.${k} must be ${ZERO_OFF.has(k) ? '0 (off) or ' : ''}${int ? 'an integer' : 'a number'} in [${lo}, ${hi}]; got ${String(v)}`,
      );
    r[k] = v;
  }
  const on =
    r.probability > 0 &&
    (r.jitterS > 0 ||
      r.pitchSemitones > 0 ||
      r.eqDb > 0 ||
      r.tiltDb > 0 ||
      r.lowpassMinHz > 0 ||
      r.reverbS > 0 ||
      r.noiseSnrDb > 0 ||
      r.clipDrive > 0);
  return on ? r : undefined;
}

/** The seed of one clip's waveform augmentation: a function of (run seed, epoch, clip index) only. */
export function waveAugmentSeed(seed: number, epoch: number, clip: number): number {
  return deriveSeed(seed, 0xa0d10, epoch, clip);
}

const uniform = (rng: Rng, lo: number, hi: number) => lo + (hi - lo) * rng.next();

/** Direct-form-I biquad in place (RBJ cookbook coefficients normalised by a0). */
function biquad(x: Float32Array, b0: number, b1: number, b2: number, a1: number, a2: number): void {
  let x1 = 0;
  let x2 = 0;
  let y1 = 0;
  let y2 = 0;
  for (let i = 0; i < x.length; i++) {
    const xi = x[i]!;
    const y = b0 * xi + b1 * x1 + b2 * x2 - a1 * y1 - a2 * y2;
    x2 = x1;
    x1 = xi;
    y2 = y1;
    y1 = y;
    x[i] = y;
  }
}

function peaking(x: Float32Array, sr: number, f0: number, q: number, gainDb: number): void {
  const A = 10 ** (gainDb / 40);
  const w = (2 * Math.PI * f0) / sr;
  const alpha = Math.sin(w) / (2 * q);
  const c = Math.cos(w);
  const a0 = 1 + alpha / A;
  biquad(x, (1 + alpha * A) / a0, (-2 * c) / a0, (1 - alpha * A) / a0, (-2 * c) / a0, (1 - alpha / A) / a0);
}

function lowpass(x: Float32Array, sr: number, f0: number, q: number): void {
  const w = (2 * Math.PI * Math.min(f0, 0.45 * sr)) / sr;
  const alpha = Math.sin(w) / (2 * q);
  const c = Math.cos(w);
  const a0 = 1 + alpha;
  biquad(x, (1 - c) / 2 / a0, (1 - c) / a0, (1 - c) / 2 / a0, (-2 * c) / a0, (1 - alpha) / a0);
}

/** First-order high shelf at 1 kHz with `gainDb` above (a tilt: −gainDb/2 below, +gainDb/2 above). */
function tilt(x: Float32Array, sr: number, gainDb: number): void {
  // Bilinear-transformed shelf H(s) = (s·G + ω) / (s + ω), scaled by 1/√G so the tilt is symmetric.
  const G = 10 ** (gainDb / 20);
  const k = Math.tan((Math.PI * 1000) / sr);
  const a0 = 1 + k;
  const s = 1 / Math.sqrt(G);
  const b0 = ((G + k) / a0) * s;
  const b1 = ((k - G) / a0) * s;
  const a1 = (k - 1) / a0;
  let x1 = 0;
  let y1 = 0;
  for (let i = 0; i < x.length; i++) {
    const xi = x[i]!;
    const y = b0 * xi + b1 * x1 - a1 * y1;
    x1 = xi;
    y1 = y;
    x[i] = y;
  }
}

/** Read `src` at rate `r` (> 0) from index 0 with Catmull-Rom interpolation into `dst` (zeros past the end). */
function resampleCubic(src: Float32Array, r: number, dst: Float32Array): void {
  const n = src.length;
  const at = (i: number) => (i >= 0 && i < n ? src[i]! : 0);
  for (let j = 0; j < dst.length; j++) {
    const p = j * r;
    const i = Math.floor(p);
    if (i >= n) {
      dst.fill(0, j);
      return;
    }
    const t = p - i;
    const y0 = at(i - 1);
    const y1 = at(i);
    const y2 = at(i + 1);
    const y3 = at(i + 2);
    dst[j] = y1 + 0.5 * t * (y2 - y0 + t * (2 * y0 - 5 * y1 + 4 * y2 - y3 + t * (3 * (y1 - y2) + y3 - y0)));
  }
}

let scratch = new Float32Array(0);
/** A reusable buffer of at least `n` samples (this thread's; used within one call only). */
function scratchOf(n: number): Float32Array {
  if (scratch.length < n) scratch = new Float32Array(n);
  return scratch.subarray(0, n);
}

const FDN_PRIMES = [1013, 1181, 1327, 1493, 1657, 1831, 1999, 2143, 2311, 2477, 2663];

/** A 4-line feedback delay network (Householder feedback, one-pole damping), wet added to `x` in place. */
function reverb(x: Float32Array, sr: number, rng: Rng, maxRt60: number): void {
  const rt60 = uniform(rng, 0.1, Math.max(0.1, maxRt60));
  const wet = 0.5 * 10 ** (uniform(rng, -18, 0) / 20);
  const damp = uniform(rng, 0.05, 0.6); // one-pole low-pass coefficient in the loop
  const keep = 1 - damp;
  const scale = sr / 44100;
  const len = (k: number) => Math.round(FDN_PRIMES[(k * 3 + rng.int(3)) % FDN_PRIMES.length]! * scale) + k;
  const [n0, n1, n2, n3] = [len(0), len(1), len(2), len(3)];
  const gain = (l: number) => 10 ** ((-3 * l) / (rt60 * sr));
  const [g0, g1, g2, g3] = [gain(n0), gain(n1), gain(n2), gain(n3)];
  const [d0, d1, d2, d3] = [n0, n1, n2, n3].map((l) => new Float32Array(l)) as [
    Float32Array,
    Float32Array,
    Float32Array,
    Float32Array,
  ];
  let [p0, p1, p2, p3] = [0, 0, 0, 0];
  let [s0, s1, s2, s3] = [0, 0, 0, 0];
  for (let i = 0; i < x.length; i++) {
    // One-pole low-pass of each line's output (damping), then its decay gain.
    s0 = keep * d0[p0]! + damp * s0;
    s1 = keep * d1[p1]! + damp * s1;
    s2 = keep * d2[p2]! + damp * s2;
    s3 = keep * d3[p3]! + damp * s3;
    const l0 = g0 * s0;
    const l1 = g1 * s1;
    const l2 = g2 * s2;
    const l3 = g3 * s3;
    const h = 0.5 * (l0 + l1 + l2 + l3); // Householder: y = o − (2/N)·Σo
    const xi = x[i]!;
    d0[p0] = xi + l0 - h;
    d1[p1] = xi + l1 - h;
    d2[p2] = xi + l2 - h;
    d3[p3] = xi + l3 - h;
    if (++p0 === n0) p0 = 0;
    if (++p1 === n1) p1 = 0;
    if (++p2 === n2) p2 = 0;
    if (++p3 === n3) p3 = 0;
    x[i] = xi + wet * (l0 + l1 + l2 + l3);
  }
}

function rms(x: Float32Array): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i]! * x[i]!;
  return Math.sqrt(s / Math.max(1, x.length));
}

/**
 * Augments one clip: returns a new array of the same length (the input is not changed), drawn from the
 * generator seeded with `seed` (e.g. {@link waveAugmentSeed}): same input + options + seed → same output.
 * The result is finite and its peak is at most the input's peak (soft clipping and renormalisation keep
 * it in range; the features are relative to the clip's peak anyway).
 *
 * @param samples Mono clip.
 * @param sampleRate Hz, ≥ 8000.
 * @param options Resolved options ({@link resolveWaveAugmentOptions}).
 * @param seed Any integer.
 * @param out Where to write the result (same length as `samples`, not `samples` itself); default a new array.
 * @returns `out`, or the new array.
 */
export function augmentWaveform(
  samples: Float32Array,
  sampleRate: number,
  options: ResolvedWaveAugmentOptions,
  seed: number,
  out?: Float32Array,
): Float32Array {
  const rng = createRng(seed);
  const o = options;
  const p = o.probability;
  const use = (on: boolean) => on && rng.next() < p;
  let peakIn = 0;
  for (let i = 0; i < samples.length; i++) peakIn = Math.max(peakIn, Math.abs(samples[i]!));
  // The result goes into `out` when given (no allocation per clip); the pitch shift reads a copy.
  if (out && (out.length !== samples.length || out === samples))
    throw new ModelError(`augmentWaveform: out must be a separate array of ${samples.length} samples`);
  const x = out ?? new Float32Array(samples.length);
  x.set(samples);
  if (use(o.jitterS > 0)) {
    const d = Math.floor(uniform(rng, 0, o.jitterS) * sampleRate);
    x.copyWithin(d, 0, x.length - d);
    x.fill(0, 0, d);
  }
  if (use(o.pitchSemitones > 0)) {
    const r = 2 ** (uniform(rng, -o.pitchSemitones, o.pitchSemitones) / 12);
    const src = scratchOf(x.length);
    src.set(x);
    resampleCubic(src, r, x);
  }
  if (use(o.eqDb > 0)) {
    for (let b = 0; b < o.eqBands; b++) {
      const f0 = 80 * (12000 / 80) ** rng.next();
      peaking(x, sampleRate, f0, uniform(rng, 0.5, 2), uniform(rng, -o.eqDb, o.eqDb));
    }
  }
  if (use(o.tiltDb > 0)) tilt(x, sampleRate, uniform(rng, -o.tiltDb, o.tiltDb) * 2);
  if (use(o.lowpassMinHz > 0)) {
    const fc = o.lowpassMinHz * (20000 / o.lowpassMinHz) ** rng.next();
    lowpass(x, sampleRate, fc, 0.5412); // 4th-order Butterworth as two sections
    lowpass(x, sampleRate, fc, 1.3066);
  }
  if (use(o.reverbS > 0)) reverb(x, sampleRate, rng, o.reverbS);
  if (use(o.noiseSnrDb > 0)) {
    const level = rms(x) * 10 ** (-uniform(rng, o.noiseSnrDb, o.noiseSnrDb + 30) / 20);
    const pink = rng.next() < 0.5;
    let state = deriveSeed(seed, 0x4015e) | 1; // xorshift32 for the noise samples
    // Pink: Paul Kellet's economy filter (−3 dB/octave within ±0.5 dB above 40 Hz at 44.1 kHz); gain ≈ unit RMS.
    let b0 = 0;
    let b1 = 0;
    let b2 = 0;
    const g = level * Math.sqrt(3) * (pink ? 0.18 : 1);
    for (let i = 0; i < x.length; i++) {
      state ^= state << 13;
      state ^= state >>> 17;
      state ^= state << 5;
      const w = (state | 0) / 2147483648;
      let v = w;
      if (pink) {
        b0 = 0.99765 * b0 + w * 0.099046;
        b1 = 0.963 * b1 + w * 0.2965164;
        b2 = 0.57 * b2 + w * 1.0526913;
        v = b0 + b1 + b2 + w * 0.1848;
      }
      x[i] = x[i]! + g * v;
    }
  }
  if (use(o.clipDrive > 0)) {
    const peak = Math.max(1e-12, peakOf(x));
    const drive = uniform(rng, 1, Math.max(1, o.clipDrive));
    const k = drive / peak;
    const norm = peak / softClip(drive);
    for (let i = 0; i < x.length; i++) x[i] = softClip(k * x[i]!) * norm;
  }
  // Keep the peak where it was (EQ, reverb and noise can raise it) and the samples finite.
  const peakOut = peakOf(x);
  // Never expected (every transform is bounded), but a non-finite result must not reach training.
  if (!Number.isFinite(peakOut)) {
    x.set(samples);
    return x;
  }
  if (peakOut > peakIn && peakOut > 0) {
    const s = peakIn / peakOut;
    for (let i = 0; i < x.length; i++) x[i] = x[i]! * s;
  }
  return x;
}

/**
 * A tanh-shaped soft clipper: the [3/2] Padé approximant x(27 + x²)/(27 + 9x²) of tanh, exact at 0,
 * within 2.5 % of tanh, odd, monotonic, reaching ±1 at |x| = 3 and held there (5× faster than Math.tanh).
 */
function softClip(v: number): number {
  if (v >= 3) return 1;
  if (v <= -3) return -1;
  const v2 = v * v;
  return (v * (27 + v2)) / (27 + 9 * v2);
}

/** Largest |x|; NaN if any sample is NaN, Infinity if any is infinite. */
function peakOf(x: Float32Array): number {
  let m = 0;
  for (let i = 0; i < x.length; i++) {
    const a = Math.abs(x[i]!);
    if (a > m) m = a;
    else if (Number.isNaN(a)) return Number.NaN;
  }
  return m;
}
