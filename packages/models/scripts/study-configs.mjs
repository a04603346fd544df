// Named recipes of the generalization study (see generalization-study.mjs). Fields: preset, nMels, epochs,
// corpus (buildCorpus options), dsp (feature DSP options), train (extra train() options),
// waveAugment (on-the-fly waveform augmentation), waveCopies + copies (offline augmented copies),
// transform(featureSet) → featureSet (train and test).

import { createRng } from '@timbre/dataset';
import { hzToMel, melToHz } from '@timbre/dsp';
import { ROBUST_WAVE_AUGMENT } from '../dist/node.js';

/** Raise the dB floor of 'db-range' features (80 dB range) to `floorDb` below the peak, renormalised to [0, 1]. */
export function floorTransform(floorDb) {
  const lo = 1 - floorDb / 80;
  return (set) => {
    const x = new Float32Array(set.x.length);
    for (let i = 0; i < x.length; i++) x[i] = Math.max(0, set.x[i] - lo) / (1 - lo);
    return { ...set, x };
  };
}

const WAVE = ROBUST_WAVE_AUGMENT;
const NOVAR = { variation: false };

export const CONFIGS = {
  baseline: { corpus: NOVAR },
  cnn: { corpus: NOVAR, preset: 'cnn-robust' },
  floor60: { corpus: NOVAR, transform: floorTransform(60) },
  floor50: { corpus: NOVAR, transform: floorTransform(50) },
  floor40: { corpus: NOVAR, transform: floorTransform(40) },
  floor30: { corpus: NOVAR, transform: floorTransform(30) },
  floor20: { corpus: NOVAR, transform: floorTransform(20) },
  // Waveform augmentation screened offline: the training set + 2 augmented copies, 8 epochs (≈ 24 plain).
  wave: { corpus: NOVAR, epochs: 8, waveCopies: WAVE },
  'wave-noise': { corpus: NOVAR, epochs: 8, waveCopies: { probability: 0.7, noiseSnrDb: 20 } },
  'novar-top40': { corpus: NOVAR, dsp: { topDb: 40 } },
  // The corpus with the rendering variation (the default from here on).
  'var-baseline': {},
  top40: { dsp: { topDb: 40 } },
  'top40-wave': { dsp: { topDb: 40 }, waveAugment: WAVE },
  'cnn-top40': { preset: 'cnn-robust', dsp: { topDb: 40 } },
};
Object.assign(CONFIGS, {
  'novar-top40-fms': { corpus: NOVAR, dsp: { topDb: 40 }, train: { augment: { freqMixStyle: 0.6 } } },
  'novar-top40-wave': { corpus: NOVAR, dsp: { topDb: 40 }, waveAugment: WAVE },
  'novar-top40-m128': { corpus: NOVAR, nMels: 128, dsp: { topDb: 40 } },
  'novar-cnn-top40-lr3': {
    corpus: NOVAR,
    preset: 'cnn-robust',
    dsp: { topDb: 40 },
    train: { learningRate: 3e-3 },
  },
});
Object.assign(CONFIGS, {
  fms1: { corpus: NOVAR, dsp: { topDb: 40 }, train: { augment: { freqMixStyle: 1 } } },
  'fms-shift2': {
    corpus: NOVAR,
    dsp: { topDb: 40 },
    train: { augment: { freqMixStyle: 0.6, shiftBands: 2 } },
  },
  'fms-wave': {
    corpus: NOVAR,
    dsp: { topDb: 40 },
    train: { augment: { freqMixStyle: 0.6 } },
    waveAugment: WAVE,
  },
  'cnn-fms': {
    corpus: NOVAR,
    preset: 'cnn-robust',
    dsp: { topDb: 40 },
    train: { augment: { freqMixStyle: 0.6 }, learningRate: 3e-3 },
  },
});
Object.assign(CONFIGS, {
  // The recipes of @timbre/models RECIPES, for the reliance and ensemble studies.
  'recipe-paper': { corpus: NOVAR },
  'recipe-robust': { corpus: NOVAR, dsp: { topDb: 40 }, train: { augment: { freqMixStyle: 0.6 } } },
});
Object.assign(CONFIGS, {
  'robust-m128': { corpus: NOVAR, nMels: 128, dsp: { topDb: 40 }, train: { augment: { freqMixStyle: 0.6 } } },
});

/**
 * PCEN (Wang et al. 2017) of 'db-range' features (80 dB range): power re the clip's peak p = 10^((80v − 80)/10),
 * smoothed over frames M_t = (1 − s)·M_{t−1} + s·p_t, then (p/(ε + M)^α + δ)^r − δ^r, scaled to [0, 1] per clip.
 */
export function pcenTransform({ s = 0.15, alpha = 0.98, delta = 2, r = 0.5, gain = 1e4 } = {}) {
  return (set) => {
    const { nFrames: T, nMels: M } = set;
    const x = new Float32Array(set.x.length);
    const m = new Float64Array(M);
    for (let o = 0; o < x.length; o += T * M) {
      let peak = 0;
      for (let t = 0; t < T; t++)
        for (let b = 0; b < M; b++) {
          const p = gain * 10 ** ((80 * set.x[o + t * M + b] - 80) / 10);
          m[b] = t === 0 ? p : (1 - s) * m[b] + s * p;
          const v = (p / (1e-6 + m[b]) ** alpha + delta) ** r - delta ** r;
          x[o + t * M + b] = v;
          if (v > peak) peak = v;
        }
      if (peak > 0) for (let i = o; i < o + T * M; i++) x[i] /= peak;
    }
    return { ...set, x };
  };
}
Object.assign(CONFIGS, {
  pcen: { corpus: NOVAR, transform: pcenTransform() },
  'pcen-fms': { corpus: NOVAR, transform: pcenTransform(), train: { augment: { freqMixStyle: 0.6 } } },
});

/**
 * Relaxed instance frequency-wise normalisation (Kim et al. 2022): λ·x + (1 − λ)·(x − μ_band)/σ_band, with the
 * per-band mean and standard deviation over the clip's frames (train and test).
 */
export function rfnTransform(lambda = 0.5) {
  return (set) => {
    const { nFrames: T, nMels: M } = set;
    const x = new Float32Array(set.x.length);
    for (let o = 0; o < x.length; o += T * M)
      for (let b = 0; b < M; b++) {
        let mu = 0;
        for (let t = 0; t < T; t++) mu += set.x[o + t * M + b] / T;
        let v = 0;
        for (let t = 0; t < T; t++) v += (set.x[o + t * M + b] - mu) ** 2 / T;
        const sd = Math.sqrt(v + 1e-5);
        for (let t = 0; t < T; t++) {
          const i = o + t * M + b;
          x[i] = lambda * set.x[i] + (1 - lambda) * ((set.x[i] - mu) / sd);
        }
      }
    return { ...set, x };
  };
}
Object.assign(CONFIGS, {
  'rfn-top40': { corpus: NOVAR, dsp: { topDb: 40 }, transform: rfnTransform(0.5) },
});
Object.assign(CONFIGS, {
  'rfn-fms': {
    corpus: NOVAR,
    dsp: { topDb: 40 },
    transform: rfnTransform(0.5),
    train: { augment: { freqMixStyle: 0.6 } },
  },
});

/**
 * Balanced sampling across source groups: training rows of each (class, group) cell are repeated (cyclically,
 * in row order) up to the largest group's count of that class, so every group weighs the same per class.
 */
export function balanceGroups(set, manifest) {
  const byId = new Map(manifest.clips.map((c) => [c.id, c]));
  const cells = new Map();
  set.ids.forEach((id, i) => {
    const c = byId.get(id);
    const k = `${c.label}|${c.sourceGroup}`;
    if (!cells.has(k)) cells.set(k, []);
    cells.get(k).push(i);
  });
  const most = new Map();
  for (const [k, rows] of cells) {
    const label = k.split('|')[0];
    most.set(label, Math.max(most.get(label) ?? 0, rows.length));
  }
  const order = [];
  for (const [k, rows] of cells) {
    const want = most.get(k.split('|')[0]);
    for (let j = 0; j < want; j++) order.push(rows[j % rows.length]);
  }
  order.sort((a, b) => a - b);
  const per = set.nFrames * set.nMels;
  const x = new Float32Array(order.length * per);
  order.forEach((r, k) => {
    x.set(set.x.subarray(r * per, (r + 1) * per), k * per);
  });
  return { ...set, x, y: Int32Array.from(order, (r) => set.y[r]), ids: order.map((r) => set.ids[r]) };
}
Object.assign(CONFIGS, {
  'robust-balanced': {
    corpus: NOVAR,
    dsp: { topDb: 40 },
    train: { augment: { freqMixStyle: 0.6 } },
    trainTransform: balanceGroups,
  },
});

// Session 15 screening: additions on top of `robust` (40 dB + Freq-MixStyle 0.6).
const ROBUST = { corpus: NOVAR, dsp: { topDb: 40 } };
const fms = (more) => ({ augment: { freqMixStyle: 0.6, ...more } });
Object.assign(CONFIGS, {
  'fms-mixup': { ...ROBUST, train: fms({ mixup: 0.4 }) },
  'fms-specaug': {
    ...ROBUST,
    train: fms({ freqMasks: 2, freqMaskWidth: 8, timeMasks: 2, timeMaskWidth: 10 }),
  },
  'fms-eq': { ...ROBUST, train: fms({ eqDb: 6, eqOrder: 3 }) },
  'fms-env': { ...ROBUST, train: fms({ envDb: 6, envOrder: 3 }) },
  'fms-5x5': { ...ROBUST, preset: 'lenet-5x5', train: fms({}) },
  'fms-e30': { ...ROBUST, epochs: 30, train: fms({}) },
});
Object.assign(CONFIGS, {
  'fms-m32': { ...ROBUST, nMels: 32, train: fms({}) },
  'fms-m40': { ...ROBUST, nMels: 40, train: fms({}) },
  'fms-top30': { corpus: NOVAR, dsp: { topDb: 30 }, train: fms({}) },
  'fms-top50': { corpus: NOVAR, dsp: { topDb: 50 }, train: fms({}) },
  'fms-p04': { ...ROBUST, train: { augment: { freqMixStyle: 0.4 } } },
  'fms-p08': { ...ROBUST, train: { augment: { freqMixStyle: 0.8 } } },
});

/**
 * Cepstral liftering of the log-mel image: per frame, the orthonormal DCT-II over the bands, coefficients
 * ≥ `keep` zeroed, inverse DCT — the spectral envelope without the resolved harmonics (train and test).
 * With `cmn`, each band's mean over the clip's frames is subtracted too (cepstral mean normalisation).
 */
export function lifterTransform(keep, { cmn = false } = {}) {
  return (set) => {
    const { nFrames: T, nMels: M } = set;
    const basis = new Float64Array(M * M); // basis[k*M + b]
    for (let k = 0; k < M; k++)
      for (let b = 0; b < M; b++)
        basis[k * M + b] = Math.sqrt((k === 0 ? 1 : 2) / M) * Math.cos((Math.PI * k * (b + 0.5)) / M);
    const x = new Float32Array(set.x.length);
    const c = new Float64Array(M);
    const mu = new Float64Array(M);
    for (let o = 0; o < x.length; o += T * M) {
      for (let t = 0; t < T; t++) {
        const f = o + t * M;
        for (let k = 0; k < keep; k++) {
          let s = 0;
          for (let b = 0; b < M; b++) s += basis[k * M + b] * set.x[f + b];
          c[k] = s;
        }
        for (let b = 0; b < M; b++) {
          let s = 0;
          for (let k = 0; k < keep; k++) s += basis[k * M + b] * c[k];
          x[f + b] = s;
        }
      }
      if (cmn) {
        mu.fill(0);
        for (let t = 0; t < T; t++) for (let b = 0; b < M; b++) mu[b] += x[o + t * M + b] / T;
        for (let t = 0; t < T; t++) for (let b = 0; b < M; b++) x[o + t * M + b] -= mu[b];
      }
    }
    return { ...set, x };
  };
}
Object.assign(CONFIGS, {
  'fms-lifter20': { ...ROBUST, transform: lifterTransform(20), train: fms({}) },
  'fms-lifter12': { ...ROBUST, transform: lifterTransform(12), train: fms({}) },
  lifter20: { ...ROBUST, transform: lifterTransform(20) },
  'fms-cmn': { ...ROBUST, transform: lifterTransform(64, { cmn: true }), train: fms({}) },
});
Object.assign(CONFIGS, {
  'fms-swad3': { ...ROBUST, train: { ...fms({}), averageWeightsFrom: 3 } },
  'fms-swad8': { ...ROBUST, train: { ...fms({}), averageWeightsFrom: 8 } },
  'fms-swad3-e30': { ...ROBUST, epochs: 30, train: { ...fms({}), averageWeightsFrom: 3 } },
});

/**
 * Source-level band normalisation (label-free, transductive): every training source group's per-band mean
 * (over all its clips and frames) is replaced by the training set's overall per-band mean, and the test
 * set's own per-band mean likewise — the average colouring of a recording setup is removed, the
 * differences between the clips of one setup are kept. `sd` also equalises the per-band spread.
 */
export function sourceNormPair({ sd = false } = {}) {
  const stats = (set, rows) => {
    const { nFrames: T, nMels: M } = set;
    const mu = new Float64Array(M);
    const sq = new Float64Array(M);
    for (const r of rows)
      for (let t = 0; t < T; t++)
        for (let b = 0; b < M; b++) {
          const v = set.x[r * T * M + t * M + b];
          mu[b] += v;
          sq[b] += v * v;
        }
    const n = rows.length * T;
    for (let b = 0; b < M; b++) {
      mu[b] /= n;
      sq[b] = Math.sqrt(Math.max(1e-8, sq[b] / n - mu[b] ** 2));
    }
    return { mu, sdv: sq };
  };
  const apply = (set, x, rows, from, to) => {
    const { nFrames: T, nMels: M } = set;
    for (const r of rows)
      for (let t = 0; t < T; t++)
        for (let b = 0; b < M; b++) {
          const i = r * T * M + t * M + b;
          x[i] = sd
            ? ((set.x[i] - from.mu[b]) / from.sdv[b]) * to.sdv[b] + to.mu[b]
            : set.x[i] - from.mu[b] + to.mu[b];
        }
  };
  return (tr, te, manifest) => {
    const byId = new Map(manifest.clips.map((c) => [c.id, c]));
    const all = tr.ids.map((_, i) => i);
    const target = stats(tr, all);
    const groups = new Map();
    tr.ids.forEach((id, i) => {
      const g = byId.get(id).sourceGroup;
      if (!groups.has(g)) groups.set(g, []);
      groups.get(g).push(i);
    });
    const xtr = new Float32Array(tr.x.length);
    for (const rows of groups.values()) apply(tr, xtr, rows, stats(tr, rows), target);
    const teRows = te.ids.map((_, i) => i);
    const xte = new Float32Array(te.x.length);
    apply(te, xte, teRows, stats(te, teRows), target);
    return [
      { ...tr, x: xtr },
      { ...te, x: xte },
    ];
  };
}
Object.assign(CONFIGS, {
  'fms-srcnorm': { ...ROBUST, pairTransform: sourceNormPair(), train: fms({}) },
  srcnorm: { ...ROBUST, pairTransform: sourceNormPair() },
  'fms-srcnorm-sd': { ...ROBUST, pairTransform: sourceNormPair({ sd: true }), train: fms({}) },
});
Object.assign(CONFIGS, {
  'fms-wave-e30': { ...ROBUST, epochs: 30, train: fms({}), waveAugment: WAVE },
  'fms-wave-e30-swad': {
    ...ROBUST,
    epochs: 30,
    train: { ...fms({}), averageWeightsFrom: 6 },
    waveAugment: WAVE,
  },
});
// Round 2 on top of robust-swad (averaging from epoch 3).
const swad = (more = {}, train = {}) => ({
  ...ROBUST,
  train: { ...fms(more), averageWeightsFrom: 3, ...train },
});
Object.assign(CONFIGS, {
  'swad-e30': { ...swad(), epochs: 30 },
  'swad-lr2': swad({}, { learningRate: 2e-3 }),
  'swad-mixup': swad({ mixup: 0.4 }),
  'swad-env': swad({ envDb: 6, envOrder: 3 }),
  'swad-p04': { ...ROBUST, train: { augment: { freqMixStyle: 0.4 }, averageWeightsFrom: 3 } },
  'swad-from1': { ...ROBUST, train: { ...fms({}), averageWeightsFrom: 1 } },
});
Object.assign(CONFIGS, {
  'swad-wave': { ...swad(), waveAugment: WAVE },
});
// Round 3: the band layout. 64 Slaney bands over 0–22 050 Hz put a third of the image above 5 kHz, where the
// sources differ by their sample rate and codec more than by instrument, and ~67 Hz per band at the bottom.
const swadDsp = (dsp, more = {}) => ({ ...swad(), ...more, dsp: { topDb: 40, ...dsp } });
Object.assign(CONFIGS, {
  'swad-fmax11k': swadDsp({ fMax: 11025 }),
  'swad-fmax8k': swadDsp({ fMax: 8000 }),
  'swad-fmax5k': swadDsp({ fMax: 5000 }),
  'swad-fmax8k-nfft2048': swadDsp({ fMax: 8000, nFft: 2048 }),
  'swad-htk-fmax8k': swadDsp({ fMax: 8000, melScale: 'htk' }),
});

// Round 3b: soft dynamics. The real brass and reeds are far darker than the fonts' (mean spectral centroid,
// 64-band 40 dB features: trombone 8.5 bands vs 15–16 in every font, french horn 7.9 vs 10.5–11.4, trumpet
// 16 vs 22): played softer, fewer harmonics. `darkCopies` appends `copies` copies of the training set with a
// random spectral slope above a pitch-relative knee: −s dB per octave above f0 · 2^u (s ∈ [sMin, sMax] dB/oct,
// u ∈ [uMin, uMax] octaves), in the 40 dB feature domain (v = (dB − peak + 40) / 40, clipped at 0).
/**
 * The training set followed by `copies` copies in which every row (its [T × M] features, a row index and a
 * seeded random number generator) went through `change(dst, src, row, rng)`.
 */
function copiesOf(set, copies, seed, change) {
  const n = set.y.length;
  const per = set.nFrames * set.nMels;
  const x = new Float32Array(n * per * (copies + 1));
  x.set(set.x);
  const rng = createRng(seed);
  for (let k = 1; k <= copies; k++)
    for (let r = 0; r < n; r++)
      change(
        x.subarray((k * n + r) * per, (k * n + r + 1) * per),
        set.x.subarray(r * per, (r + 1) * per),
        r,
        rng,
      );
  const y = new Int32Array(n * (copies + 1));
  for (let k = 0; k <= copies; k++) y.set(set.y, k * n);
  return { ...set, x, y, ids: Array.from({ length: copies + 1 }, () => set.ids).flat() };
}

export function darkCopies({
  copies = 1,
  sMin = 3,
  sMax = 15,
  uMin = 0.5,
  uMax = 3,
  rangeDb = 40,
  seed = 7,
} = {}) {
  return (set, manifest) => {
    const { nFrames: T, nMels: M } = set;
    const top = hzToMel(22050);
    const centres = Array.from({ length: M }, (_, b) => melToHz(((b + 1) * top) / (M + 1)));
    const byId = new Map(manifest.clips.map((c) => [c.id, c]));
    const att = new Float32Array(M);
    return copiesOf(set, copies, seed, (dst, src, r, rng) => {
      const f0 = 440 * 2 ** ((byId.get(set.ids[r]).pitch - 69) / 12);
      const slope = sMin + (sMax - sMin) * rng.next();
      const knee = f0 * 2 ** (uMin + (uMax - uMin) * rng.next());
      for (let b = 0; b < M; b++)
        att[b] = centres[b] > knee ? (slope * Math.log2(centres[b] / knee)) / rangeDb : 0;
      for (let t = 0; t < T; t++)
        for (let b = 0; b < M; b++) dst[t * M + b] = Math.max(0, src[t * M + b] - att[b]);
    });
  };
}
Object.assign(CONFIGS, {
  'swad-dark1': {
    ...ROBUST,
    epochs: 8,
    train: { ...fms({}), averageWeightsFrom: 2 },
    trainTransform: darkCopies(),
  },
  'swad-dark1-strong': {
    ...ROBUST,
    epochs: 8,
    train: { ...fms({}), averageWeightsFrom: 2 },
    trainTransform: darkCopies({ sMin: 6, sMax: 24, uMin: 0, uMax: 2.5 }),
  },
  // The same schedule without the copies' darkening (two plain copies), the control of the two above.
  'swad-copy1': {
    ...ROBUST,
    epochs: 8,
    train: { ...fms({}), averageWeightsFrom: 2 },
    trainTransform: darkCopies({ sMin: 0, sMax: 0 }),
  },
});

// Round 3c: the beyond-the-paper CNN (batch norm, pooling over time) with weight averaging at Adam's default step
// (its earlier screening at lr 3e-3 swung ±15 points between epochs and stopped at 70–80 % train accuracy).
Object.assign(CONFIGS, {
  'cnn-swad': { ...ROBUST, preset: 'cnn-robust', train: { averageWeightsFrom: 3 } },
  'cnn-swad-fms': { ...ROBUST, preset: 'cnn-robust', train: { ...fms({}), averageWeightsFrom: 3 } },
  'cnn-swad-e30': { ...ROBUST, preset: 'cnn-robust', epochs: 30, train: { averageWeightsFrom: 5 } },
});

// Round 3d: slow onsets. The real brass and reeds swell into the note (mean level of real trombone clips still
// rising over the whole second; every font's flat from the first frames). `swellCopies` appends copies of the
// training set with a fade-in: −A dB at the onset rising linearly to 0 dB at T seconds (A ∈ [aMin, aMax],
// T ∈ [tMin, tMax]), in the 40 dB feature domain; 86.1 frames per second (hop 512 at 44.1 kHz).
export function swellCopies({
  copies = 1,
  aMin = 6,
  aMax = 24,
  tMin = 0.1,
  tMax = 0.8,
  rangeDb = 40,
  seed = 11,
} = {}) {
  return (set) => {
    const { nFrames: T, nMels: M } = set;
    return copiesOf(set, copies, seed, (dst, src, _r, rng) => {
      const a = aMin + (aMax - aMin) * rng.next();
      const frames = (tMin + (tMax - tMin) * rng.next()) * 86.13;
      for (let t = 0; t < T; t++) {
        const att = t < frames ? (a * (1 - t / frames)) / rangeDb : 0;
        for (let b = 0; b < M; b++) dst[t * M + b] = Math.max(0, src[t * M + b] - att);
      }
    });
  };
}
Object.assign(CONFIGS, {
  'swad-swell1': {
    ...ROBUST,
    epochs: 8,
    train: { ...fms({}), averageWeightsFrom: 2 },
    trainTransform: swellCopies(),
  },
});

/** Copies made by `darkCopies` then `swellCopies` on the same rows (soft playing: darker and swelling). */
export function softCopies(opts = {}) {
  const dark = darkCopies({ copies: 1, ...opts.dark });
  const swell = swellCopies({ copies: 1, ...opts.swell });
  return (set, manifest) => {
    const d = dark(set, manifest); // [orig; dark]
    const n = set.y.length;
    const per = set.nFrames * set.nMels;
    const darkOnly = { ...set, x: d.x.subarray(n * per), y: set.y, ids: set.ids };
    const s = swell(darkOnly); // [dark; dark+swell]
    const x = new Float32Array(2 * n * per);
    x.set(set.x);
    x.set(s.x.subarray(n * per), n * per);
    const y = new Int32Array(2 * n);
    y.set(set.y);
    y.set(set.y, n);
    return { ...set, x, y, ids: [...set.ids, ...set.ids] };
  };
}
Object.assign(CONFIGS, {
  'swad-soft1': {
    ...ROBUST,
    epochs: 8,
    train: { ...fms({}), averageWeightsFrom: 2 },
    trainTransform: softCopies({ dark: { sMin: 6, sMax: 24, uMin: 0, uMax: 2.5 } }),
  },
});

// Round 3e: between the makers. Each copy row is the log-domain mix λ·x_A + (1 − λ)·x_B (λ ~ U(0, 1)) of a clip
// and a clip of the same class, pitch and velocity from another source group (a font of another maker; the
// row is copied unchanged when there is none): timbres between the sample sets the corpus has.
export function makerMixCopies({ copies = 1, seed = 13 } = {}) {
  return (set, manifest) => {
    const byId = new Map(manifest.clips.map((c) => [c.id, c]));
    const rowsByKey = new Map();
    set.ids.forEach((id, r) => {
      const c = byId.get(id);
      const key = `${c.label}|${c.pitch}|${c.velocity}`;
      if (!rowsByKey.has(key)) rowsByKey.set(key, []);
      rowsByKey.get(key).push(r);
    });
    const per = set.nFrames * set.nMels;
    return copiesOf(set, copies, seed, (dst, src, r, rng) => {
      const c = byId.get(set.ids[r]);
      const others = rowsByKey
        .get(`${c.label}|${c.pitch}|${c.velocity}`)
        .filter((o) => byId.get(set.ids[o]).sourceGroup !== c.sourceGroup);
      if (others.length === 0) {
        dst.set(src);
        return;
      }
      const o = others[Math.floor(rng.next() * others.length)];
      const lam = rng.next();
      const other = set.x.subarray(o * per, (o + 1) * per);
      for (let i = 0; i < per; i++) dst[i] = lam * src[i] + (1 - lam) * other[i];
    });
  };
}
Object.assign(CONFIGS, {
  'swad-makermix1': {
    ...ROBUST,
    epochs: 8,
    train: { ...fms({}), averageWeightsFrom: 2 },
    trainTransform: makerMixCopies(),
  },
});
// Session 17: the strength of the waveform augmentation (never tuned: picked once), on top of `swad-wave`
// (= the shipped robust-swad-wave), judged on the mean over the three held-out groups.
Object.assign(CONFIGS, {
  'swad-wave-pitch3': { ...swad(), waveAugment: { ...WAVE, pitchSemitones: 3 } },
  'swad-wave-p08': { ...swad(), waveAugment: { ...WAVE, probability: 0.8 } },
  'swad-wave-strong': {
    ...swad(),
    waveAugment: { ...WAVE, eqDb: 15, tiltDb: 6, lowpassMinHz: 3000, reverbS: 2, noiseSnrDb: 15 },
  },
});
Object.assign(CONFIGS, {
  'swad-wave-p03': { ...swad(), waveAugment: { ...WAVE, probability: 0.3 } },
});
// The same with the augmentation on the main thread (timing comparisons; same weights).
Object.assign(CONFIGS, {
  'swad-wave-inline': {
    ...CONFIGS['swad-wave'],
    train: { ...CONFIGS['swad-wave'].train, augmentThreads: 0 },
  },
});

// Session 17b: a random dB range. The 40 dB floor was the largest single step (+12 over 80 dB); a random range
// per training copy (features loaded at `from` dB and re-floored: v_r = max(0, (from·v − from + r) / r)) asks
// the network not to rely on where the floor falls. One plain 40 dB copy + one copy at r ~ U(lo, hi); the test
// set at 40 dB. Control: both copies at 40 dB (the same schedule as `swad-copy1`).
function rangeCopies({ lo = 30, hi = 50, from = 60, seed = 7 } = {}) {
  return (tr, te) => {
    const per = tr.nFrames * tr.nMels;
    const floorAt = (src, r, dst) => {
      for (let i = 0; i < src.length; i++) dst[i] = Math.max(0, (from * src[i] - from + r) / r);
    };
    const teX = new Float32Array(te.x.length);
    floorAt(te.x, 40, teX);
    const n = tr.y.length;
    const x = new Float32Array(2 * n * per);
    floorAt(tr.x, 40, x.subarray(0, n * per));
    const rng = createRng(seed);
    for (let r = 0; r < n; r++)
      floorAt(
        tr.x.subarray(r * per, (r + 1) * per),
        lo + (hi - lo) * rng.next(),
        x.subarray((n + r) * per, (n + r + 1) * per),
      );
    const y = new Int32Array(2 * n);
    y.set(tr.y);
    y.set(tr.y, n);
    return [
      { ...tr, x, y, ids: [...tr.ids, ...tr.ids] },
      { ...te, x: teX },
    ];
  };
}
const rangeCfg = (o) => ({
  ...ROBUST,
  dsp: { topDb: 60 },
  epochs: 8,
  train: { ...fms({}), averageWeightsFrom: 2 },
  pairTransform: rangeCopies(o),
});
Object.assign(CONFIGS, {
  'swad-range1': rangeCfg({ lo: 30, hi: 50 }),
  'swad-range1-control': rangeCfg({ lo: 40, hi: 40 }),
});
Object.assign(CONFIGS, {
  // Half Adam's default step (2e-3 was worse: 45.3 % on real without the waveform path).
  'swad-wave-lr5': { ...swad({}, { learningRate: 5e-4 }), waveAugment: WAVE },
});
