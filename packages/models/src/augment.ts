import { createRng, deriveSeed, type Rng } from '@timbre/dataset';
import { ModelError } from './errors.js';

/**
 * On-the-fly training augmentation of log-mel clips (see {@link augmentBatch}), for generalising to
 * recordings of an unseen source. Every field is optional; a field left out (or 0) disables that
 * transform. Values are the `@timbre/dsp` `'db-range'` features: dB re the clip's peak over an 80 dB
 * range mapped to [0, 1].
 */
export interface AugmentOptions {
  /**
   * Random smooth EQ: a curve `Σ_{k=1..eqOrder} a_k·cos(πk(m+½)/nMels)` in dB across the mel bands m,
   * with `a_k` uniform in [−eqDb/eqOrder, eqDb/eqOrder] (so |curve| ≤ eqDb), added to every frame's
   * non-floor bands; the clip is then shifted so its peak stays where it was, and clipped to [0, 1].
   * Number in [0, 60] dB; default 0 (off).
   */
  eqDb?: number;
  /** Cosine terms of the EQ curve (1 = a spectral tilt), integer in [1, 16]; default 4. */
  eqOrder?: number;
  /**
   * Random smooth envelope: like `eqDb` but along time — a curve `Σ_{k=1..envOrder} b_k·cos(πk(t+½)/nFrames)`
   * in dB over the frames t, `b_k` uniform in [−envDb/envOrder, envDb/envOrder], added to every band of
   * frame t (non-floor values), peak kept, clipped to [0, 1]: other attack/decay/tremolo shapes.
   * Number in [0, 60] dB; default 0 (off).
   */
  envDb?: number;
  /** Cosine terms of the envelope curve, integer in [1, 16]; default 4. */
  envOrder?: number;
  /**
   * Random frequency shift: the whole mel image moves by an integer number of bands drawn uniformly in
   * [−shiftBands, shiftBands] (edge bands repeated), a crude pitch/formant shift. Integer in [0, 16];
   * default 0 (off).
   */
  shiftBands?: number;
  /** SpecAugment frequency masks per clip, integer in [0, 8]; default 0 (off). */
  freqMasks?: number;
  /** Widest frequency mask in bands (width uniform in [0, freqMaskWidth]), integer in [1, 64]; default 8. */
  freqMaskWidth?: number;
  /** SpecAugment time masks per clip, integer in [0, 8]; default 0 (off). */
  timeMasks?: number;
  /** Widest time mask in frames (width uniform in [0, timeMaskWidth]), integer in [1, 64]; default 10. */
  timeMaskWidth?: number;
  /**
   * Mixup: each clip is mixed with another clip of the batch, x = λ·x_i + (1 − λ)·x_j with
   * λ = max(u, 1 − u), u ~ Beta(mixup, mixup), and the loss is the same mixture of the two labels'
   * cross-entropies. Beta parameter in [0, 10]; default 0 (off).
   */
  mixup?: number;
  /**
   * Freq-MixStyle (Kim et al. 2022; Schmid et al. 2022): with this probability per batch, each clip's
   * per-band mean and standard deviation over time are replaced by a mix λ·(own) + (1 − λ)·(another clip
   * of the batch's), λ ~ Beta(0.3, 0.3): the recording's colouring is shuffled, the band structure
   * inside each band kept. Probability in [0, 1]; default 0 (off).
   */
  freqMixStyle?: number;
}

/** {@link AugmentOptions} with every default filled in (recorded in `TrainingConfig.augment`). */
export type ResolvedAugmentOptions = Required<AugmentOptions>;

/** Defaults of {@link AugmentOptions} (every transform off). */
export const AUGMENT_DEFAULTS: ResolvedAugmentOptions = {
  eqDb: 0,
  eqOrder: 4,
  envDb: 0,
  envOrder: 4,
  shiftBands: 0,
  freqMasks: 0,
  freqMaskWidth: 8,
  timeMasks: 0,
  timeMaskWidth: 10,
  mixup: 0,
  freqMixStyle: 0,
};

/**
 * The recipe measured best for leave-one-source-out generalisation: a random shift of ±2 mel bands
 * (LeNet 3×8, 64 mel, 10 epochs, 4 seeds: 34.6 → 37.8 % mean of the last 3 epochs; see the package
 * README, "Generalising to new recordings"). Pass it as `train({ augment: RECOMMENDED_AUGMENT })`.
 */
export const RECOMMENDED_AUGMENT: Readonly<AugmentOptions> = Object.freeze({ shiftBands: 2 });

const KEYS = Object.keys(AUGMENT_DEFAULTS) as Array<keyof AugmentOptions>;

const RANGES: Record<keyof AugmentOptions, readonly [number, number, boolean]> = {
  eqDb: [0, 60, false],
  eqOrder: [1, 16, true],
  envDb: [0, 60, false],
  envOrder: [1, 16, true],
  shiftBands: [0, 16, true],
  freqMasks: [0, 8, true],
  freqMaskWidth: [1, 64, true],
  timeMasks: [0, 8, true],
  timeMaskWidth: [1, 64, true],
  mixup: [0, 10, false],
  freqMixStyle: [0, 1, false],
};

/**
 * Validates augmentation options and fills in {@link AUGMENT_DEFAULTS}.
 *
 * @returns The resolved options, or `undefined` when `options` is `undefined`/`false` or every
 * transform is off (training is then exactly the plain path).
 * @throws {ModelError} naming the first invalid or unknown field and its valid range.
 */
export function resolveAugmentOptions(
  options: AugmentOptions | false | undefined,
): ResolvedAugmentOptions | undefined {
  if (options === undefined || options === false) return undefined;
  if (typeof options !== 'object' || options === null) {
    throw new ModelError(`augment must be an AugmentOptions object or false; got ${String(options)}`);
  }
  for (const k of Object.keys(options)) {
    if (!KEYS.includes(k as keyof AugmentOptions)) {
      throw new ModelError(`augment.${k} is not an augmentation option (valid: ${KEYS.join(', ')})`);
    }
  }
  const r = { ...AUGMENT_DEFAULTS };
  for (const k of KEYS) {
    const v = options[k];
    if (v === undefined) continue;
    const [lo, hi, integer] = RANGES[k];
    if (
      typeof v !== 'number' ||
      !Number.isFinite(v) ||
      (integer && !Number.isInteger(v)) ||
      v < lo ||
      v > hi
    ) {
      throw new ModelError(
        `augment.${k} must be ${integer ? 'an integer' : 'a number'} in [${lo}, ${hi}]; got ${String(v)}`,
      );
    }
    r[k] = v;
  }
  const on =
    r.eqDb > 0 ||
    r.envDb > 0 ||
    r.shiftBands > 0 ||
    r.freqMasks > 0 ||
    r.timeMasks > 0 ||
    r.mixup > 0 ||
    r.freqMixStyle > 0;
  return on ? r : undefined;
}

/** The seed of the augmentation of one batch: a function of (run seed, epoch, batch) only. */
export function augmentSeed(seed: number, epoch: number, batch: number): number {
  return deriveSeed(seed, 0xa09, epoch, batch);
}

/** An augmented batch: compact frame-major features and labels in batch order. */
export interface AugmentedBatch {
  /** [b][nFrames][nMels] augmented features. */
  x: Float32Array;
  /** [b] labels (the dominant label of a mixup pair). */
  y: Int32Array;
  /** With mixup: [b] the partner labels and [b] their weights λ in [0.5, 1] (of `y`). */
  mix?: { y2: Int32Array; lambda: Float32Array };
}

/** Gamma(a, 1) by Marsaglia–Tsang (with the a < 1 boost), from uniforms of `rng`. */
function gamma(a: number, rng: Rng): number {
  if (a < 1) return gamma(a + 1, rng) * (1 - rng.next()) ** (1 / a);
  const d = a - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      // Box–Muller normal
      const u1 = 1 - rng.next();
      const u2 = rng.next();
      x = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = 1 - rng.next();
    if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
  }
}

/**
 * Fills `out` (length n) with `Σ_{k=1..K} a_k·cos(πk(j+½)/n)`, a_k uniform in [−db/K, db/K], in feature
 * units (db / 80).
 */
function randomCurve(n: number, db: number, K: number, rng: Rng, out: Float32Array): Float32Array {
  const amp = db / K / 80; // dB → feature units (80 dB range)
  out.fill(0);
  for (let k = 1; k <= K; k++) {
    const a = (2 * rng.next() - 1) * amp;
    for (let j = 0; j < n; j++) out[j]! += a * Math.cos((Math.PI * k * (j + 0.5)) / n);
  }
  return out;
}

/**
 * Adds `band[m]` (when given) and `frame[t]` (when given) to every non-floor value of the clip
 * c = [nFrames][nMels], then shifts the clip so its peak stays where it was and clips to [0, 1] (floor
 * values stay 0).
 */
function addCurves(
  c: Float32Array,
  nFrames: number,
  nMels: number,
  band: Float32Array | undefined,
  frame: Float32Array | undefined,
): void {
  let peak = 0;
  let newPeak = Number.NEGATIVE_INFINITY;
  for (let t = 0; t < nFrames; t++) {
    const ft = frame ? frame[t]! : 0;
    const row = t * nMels;
    for (let m = 0; m < nMels; m++) {
      const v = c[row + m]!;
      if (v > peak) peak = v;
      if (v > 0) {
        const w = band ? v + band[m]! + ft : v + ft;
        c[row + m] = w;
        if (w > newPeak) newPeak = w;
      }
    }
  }
  if (peak <= 0) return;
  const shift = newPeak - peak;
  for (let i = 0; i < c.length; i++) {
    const v = c[i]!;
    if (v !== 0) c[i] = Math.min(1, Math.max(0, v - shift));
  }
}

/** Augments one clip in place (`c` = [nFrames][nMels]); `tmp` is scratch of nMels floats. */
function augmentClip(
  c: Float32Array,
  nFrames: number,
  nMels: number,
  o: ResolvedAugmentOptions,
  rng: Rng,
  tmp: Float32Array,
  tmpFrames: Float32Array,
): void {
  if (o.shiftBands > 0) {
    const s = rng.int(2 * o.shiftBands + 1) - o.shiftBands;
    const k = Math.min(Math.abs(s), nMels);
    for (let t = 0; s !== 0 && t < nFrames; t++) {
      const o0 = t * nMels;
      const o1 = o0 + nMels;
      if (s > 0) {
        const edge = c[o0]!;
        c.copyWithin(o0 + k, o0, o1 - k);
        c.fill(edge, o0, o0 + k);
      } else {
        const edge = c[o1 - 1]!;
        c.copyWithin(o0, o0 + k, o1);
        c.fill(edge, o1 - k, o1);
      }
    }
  }
  const band = o.eqDb > 0 ? randomCurve(nMels, o.eqDb, o.eqOrder, rng, tmp) : undefined;
  const frame = o.envDb > 0 ? randomCurve(nFrames, o.envDb, o.envOrder, rng, tmpFrames) : undefined;
  if (band || frame) addCurves(c, nFrames, nMels, band, frame);
  for (let j = 0; j < o.freqMasks; j++) {
    const w = rng.int(Math.min(o.freqMaskWidth, nMels) + 1);
    const f0 = rng.int(nMels - w + 1);
    for (let t = 0; t < nFrames; t++) c.fill(0, t * nMels + f0, t * nMels + f0 + w);
  }
  for (let j = 0; j < o.timeMasks; j++) {
    const w = rng.int(Math.min(o.timeMaskWidth, nFrames) + 1);
    const t0 = rng.int(nFrames - w + 1);
    c.fill(0, t0 * nMels, (t0 + w) * nMels);
  }
}

/** A seeded Fisher–Yates permutation of 0..b-1: each clip's partner in the batch. */
function shuffledIndices(b: number, rng: Rng): Uint32Array {
  const out = new Uint32Array(b);
  for (let k = 0; k < b; k++) out[k] = k;
  for (let k = b - 1; k > 0; k--) {
    const j = rng.int(k + 1);
    const t = out[k]!;
    out[k] = out[j]!;
    out[j] = t;
  }
  return out;
}

/** Freq-MixStyle in place over a compact batch `x` [b][nFrames][nMels] (see `AugmentOptions.freqMixStyle`). */
function freqMixStyle(x: Float32Array, b: number, nFrames: number, nMels: number, rng: Rng): void {
  const per = nFrames * nMels;
  const mean = new Float64Array(b * nMels);
  const sd = new Float64Array(b * nMels);
  for (let k = 0; k < b; k++) {
    for (let t = 0; t < nFrames; t++)
      for (let m = 0; m < nMels; m++) {
        const j = k * nMels + m;
        mean[j] = mean[j]! + x[k * per + t * nMels + m]!;
      }
    for (let m = 0; m < nMels; m++) mean[k * nMels + m]! /= nFrames;
    for (let t = 0; t < nFrames; t++)
      for (let m = 0; m < nMels; m++) {
        const d = x[k * per + t * nMels + m]! - mean[k * nMels + m]!;
        sd[k * nMels + m]! += d * d;
      }
    for (let m = 0; m < nMels; m++) sd[k * nMels + m] = Math.sqrt(sd[k * nMels + m]! / nFrames + 1e-6);
  }
  const partner = shuffledIndices(b, rng);
  for (let k = 0; k < b; k++) {
    const g1 = gamma(0.3, rng);
    const g2 = gamma(0.3, rng);
    const lam = g1 + g2 > 0 ? g1 / (g1 + g2) : 0.5;
    const p = partner[k]!;
    for (let m = 0; m < nMels; m++) {
      const mu = mean[k * nMels + m]!;
      const s = sd[k * nMels + m]!;
      const mu2 = lam * mu + (1 - lam) * mean[p * nMels + m]!;
      const s2 = lam * s + (1 - lam) * sd[p * nMels + m]!;
      const a = s2 / s;
      for (let t = 0; t < nFrames; t++) {
        const i = k * per + t * nMels + m;
        x[i] = Math.min(1, Math.max(0, (x[i]! - mu) * a + mu2));
      }
    }
  }
}

/**
 * Augments the samples `idx` of frame-major features `x` (labels `y`) into a new compact batch,
 * deterministically from `seed` (use {@link augmentSeed}(run seed, epoch, batch) so a resumed run sees
 * the same batches). Per clip, in order: frequency shift, EQ, frequency masks, time masks; then mixup
 * pairs each augmented clip with another of the batch (a seeded permutation). `x` is not modified.
 *
 * @param o Resolved options (see {@link resolveAugmentOptions}).
 */
export function augmentBatch(
  x: Float32Array,
  y: Int32Array,
  idx: ArrayLike<number>,
  nFrames: number,
  nMels: number,
  o: ResolvedAugmentOptions,
  seed: number,
): AugmentedBatch {
  const b = idx.length;
  const per = nFrames * nMels;
  const rng = createRng(seed);
  const out = new Float32Array(b * per);
  const yb = new Int32Array(b);
  const tmp = new Float32Array(nMels);
  const tmpFrames = new Float32Array(nFrames);
  for (let k = 0; k < b; k++) {
    const i = idx[k]!;
    yb[k] = y[i]!;
    const c = out.subarray(k * per, (k + 1) * per);
    c.set(x.subarray(i * per, (i + 1) * per));
    augmentClip(c, nFrames, nMels, o, rng, tmp, tmpFrames);
  }
  if (o.freqMixStyle > 0 && b >= 2 && rng.next() < o.freqMixStyle) freqMixStyle(out, b, nFrames, nMels, rng);
  if (o.mixup <= 0 || b < 2) return { x: out, y: yb };
  const partner = shuffledIndices(b, rng);
  const lambda = new Float32Array(b);
  const y2 = new Int32Array(b);
  const mixed = new Float32Array(b * per);
  for (let k = 0; k < b; k++) {
    const g1 = gamma(o.mixup, rng);
    const g2 = gamma(o.mixup, rng);
    const u = g1 + g2 > 0 ? g1 / (g1 + g2) : 0.5;
    const lam = Math.max(u, 1 - u);
    lambda[k] = lam;
    const p = partner[k]!;
    y2[k] = yb[p]!;
    const a = k * per;
    const q = p * per;
    for (let i = 0; i < per; i++) mixed[a + i] = lam * out[a + i]! + (1 - lam) * out[q + i]!;
  }
  return { x: mixed, y: yb, mix: { y2, lambda } };
}
