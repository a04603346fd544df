import type { AugmentOptions } from './augment.js';
import type { WaveAugmentOptions } from './augment-audio.js';
import type { DspParameters } from './model-metadata.js';
import type { PresetName } from './presets.js';

/**
 * Everything that makes a training run besides the data and the seed: network, features, optimiser
 * settings and augmentation. Recorded in a saved model's metadata (`recipe`).
 */
export interface TrainingRecipe {
  /** Short name (e.g. `paper`, `robust`). */
  readonly name: string;
  /** One line on what it is and how it was chosen. */
  readonly description: string;
  readonly preset: PresetName;
  /** Mel bands, integer 1–512. */
  readonly nMels: number;
  /** Log-mel options beyond the paper's defaults (`defaultDspParameters`), e.g. `{ topDb: 40 }`. */
  readonly dsp: Readonly<Partial<Omit<DspParameters, 'sampleRate' | 'nMels'>>>;
  /** Epochs, integer ≥ 1. */
  readonly epochs: number;
  /** Adam step size. */
  readonly learningRate: number;
  /** Samples per step. */
  readonly batchSize: number;
  /** Feature-level augmentation (see `AugmentOptions`); absent = none. */
  readonly augment?: Readonly<AugmentOptions>;
  /** Waveform augmentation before the DSP (see `WaveAugmentOptions`); absent = none. */
  readonly waveAugment?: Readonly<WaveAugmentOptions>;
  /** Dense weight averaging from this 1-based epoch on (`train`'s `averageWeightsFrom`); absent = none. */
  readonly averageWeightsFrom?: number;
}

/** The paper's protocol (Yun & Bi): LeNet 3×8 on 64-band log-mel with an 80 dB range, no augmentation. */
export const PAPER_RECIPE: TrainingRecipe = Object.freeze({
  name: 'paper',
  description:
    "the paper's network and features (LeNet 3×8, 64 mel, 80 dB range), Adam 1e-3, no augmentation",
  preset: 'lenet-3x8',
  nMels: 64,
  dsp: {},
  epochs: 20,
  learningRate: 1e-3,
  batchSize: 32,
});

/** The waveform augmentation of the `robust-wave` recipe (see `WaveAugmentOptions`). */
export const ROBUST_WAVE_AUGMENT: Readonly<WaveAugmentOptions> = Object.freeze({
  probability: 0.5,
  jitterS: 0.03,
  pitchSemitones: 1,
  eqDb: 9,
  tiltDb: 3,
  lowpassMinHz: 4000,
  reverbS: 1.2,
  noiseSnrDb: 25,
  clipDrive: 3,
});

/**
 * For recordings of sources never heard in training (chosen on leave-one-group-out, the mean over the
 * held-out groups; see the package README, "Recognising real recordings"): the paper's LeNet 3×8 on
 * 64-band log-mel with a 40 dB range instead of 80 (the detail below −40 dB re the peak — noise floor,
 * reverb tail, a font's digital silence — identifies the recording more than the instrument) and
 * Freq-MixStyle on 60 % of the batches.
 */
export const ROBUST_RECIPE: TrainingRecipe = Object.freeze({
  name: 'robust',
  description: 'LeNet 3×8, 64 mel with a 40 dB range, Freq-MixStyle (p 0.6), 15 epochs',
  preset: 'lenet-3x8',
  nMels: 64,
  dsp: Object.freeze({ topDb: 40 }),
  epochs: 15,
  learningRate: 1e-3,
  batchSize: 32,
  augment: Object.freeze({ freqMixStyle: 0.6 }),
});

/**
 * {@link ROBUST_RECIPE} plus waveform augmentation of every clip before the DSP (room, EQ, band limit,
 * noise, pitch ±1 semitone, onset jitter, soft clipping): measured about equal on the real recordings,
 * a little lower on the held-out SoundFonts, at 3× the epoch time.
 */
export const ROBUST_WAVE_RECIPE: TrainingRecipe = Object.freeze({
  ...ROBUST_RECIPE,
  name: 'robust-wave',
  description:
    'LeNet 3×8, 64 mel with a 40 dB range, Freq-MixStyle (p 0.6) and waveform augmentation before the DSP, 15 epochs',
  waveAugment: ROBUST_WAVE_AUGMENT,
});

/**
 * {@link ROBUST_RECIPE} with dense weight averaging (SWAD-style) from epoch 3: the model is the mean of the
 * weights after every step of epochs 3–15, a flatter optimum that moves less between seeds and epochs.
 */
export const ROBUST_SWAD_RECIPE: TrainingRecipe = Object.freeze({
  ...ROBUST_RECIPE,
  name: 'robust-swad',
  description:
    'LeNet 3×8, 64 mel with a 40 dB range, Freq-MixStyle (p 0.6), 15 epochs, weights averaged over every step from epoch 3',
  averageWeightsFrom: 3,
});

/**
 * {@link ROBUST_SWAD_RECIPE} with the waveform augmentation of {@link ROBUST_WAVE_RECIPE}: each clip through a
 * random room, EQ, band limit, noise, pitch ±1 semitone, onset jitter and soft clipping before the DSP, and
 * the weights averaged from epoch 3. Alone, waveform augmentation added nothing; with the averaging it is
 * better on every held-out group. An epoch costs ≈ 3× the plain one on one thread, ≈ 1.8× with the default
 * augmentation threads on two cores (`train({ augmentThreads })`).
 */
export const ROBUST_SWAD_WAVE_RECIPE: TrainingRecipe = Object.freeze({
  ...ROBUST_SWAD_RECIPE,
  name: 'robust-swad-wave',
  description:
    'LeNet 3×8, 64 mel with a 40 dB range, Freq-MixStyle (p 0.6), waveform augmentation before the DSP, 15 epochs, weights averaged over every step from epoch 3',
  waveAugment: ROBUST_WAVE_AUGMENT,
});

/** The named recipes (`timbre train --recipe <name>`). */
export const RECIPES: Readonly<
  Record<'paper' | 'robust' | 'robust-wave' | 'robust-swad' | 'robust-swad-wave', TrainingRecipe>
> = Object.freeze({
  paper: PAPER_RECIPE,
  robust: ROBUST_RECIPE,
  'robust-wave': ROBUST_WAVE_RECIPE,
  'robust-swad': ROBUST_SWAD_RECIPE,
  'robust-swad-wave': ROBUST_SWAD_WAVE_RECIPE,
});

/**
 * The recipe for recordings of sources never heard in training — the best mean over the held-out groups
 * measured so far; the shipped pretrained model and `timbre start`'s fonts → real run use it.
 */
export const RECOMMENDED_RECIPE: keyof typeof RECIPES = 'robust-swad-wave';
