// Named recipes of the generalization study (see generalization-study.mjs).
// Fields: preset, nMels, epochs, train (extra train() options), transform(featureSet) → featureSet.

/** Raise the dB floor of 'db-range' features (80 dB range) to `floorDb` below the peak, renormalised to [0, 1]. */
export function floorTransform(floorDb) {
  const lo = 1 - floorDb / 80;
  return (set) => {
    const x = new Float32Array(set.x.length);
    for (let i = 0; i < x.length; i++) x[i] = Math.max(0, set.x[i] - lo) / (1 - lo);
    return { ...set, x   // Corpus without the rendering variation (the fonts as they play), for comparison.
  'novar-top40': { corpus: { variation: false }, dsp: { topDb: 40 } },
  top40: { dsp: { topDb: 40 } },
  'top40-wave': {
    dsp: { topDb: 40 },
    waveAugment: { probability: 0.5, jitterS: 0.03, pitchSemitones: 1, eqDb: 9, tiltDb: 3, lowpassMinHz: 4000, reverbS: 1.2, noiseSnrDb: 25, clipDrive: 3 },
  },
  'cnn-top40': { preset: 'cnn-robust', dsp: { topDb: 40 } },
};
    // Corpus without the rendering variation (the fonts as they play), for comparison.
  'novar-top40': { corpus: { variation: false }, dsp: { topDb: 40 } },
  top40: { dsp: { topDb: 40 } },
  'top40-wave': {
    dsp: { topDb: 40 },
    waveAugment: { probability: 0.5, jitterS: 0.03, pitchSemitones: 1, eqDb: 9, tiltDb: 3, lowpassMinHz: 4000, reverbS: 1.2, noiseSnrDb: 25, clipDrive: 3 },
  },
  'cnn-top40': { preset: 'cnn-robust', dsp: { topDb: 40 } },
};
}

export const CONFIGS = {
  baseline: {},
  cnn: { preset: 'cnn-robust' },
  floor60: { transform: floorTransform(60) },
  floor50: { transform: floorTransform(50) },
  floor40: { transform: floorTransform(40) },
  floor30: { transform: floorTransform(30) },
  floor20: { transform: floorTransform(20) },
  'cnn-floor50': { preset: 'cnn-robust', transform: floorTransform(50) },
  // Waveform augmentation screened offline: the training set + 2 augmented copies, 8 epochs (≈ 24 plain).
  wave: {
    epochs: 8,
    waveCopies: { probability: 0.5, jitterS: 0.03, pitchSemitones: 1, eqDb: 9, tiltDb: 3, lowpassMinHz: 4000, reverbS: 1.2, noiseSnrDb: 25, clipDrive: 3 },
  },
  'wave-noise': { epochs: 8, waveCopies: { probability: 0.7, noiseSnrDb: 20 } },
  'wave-reverb': { epochs: 8, waveCopies: { probability: 0.7, reverbS: 1.5 } },
  'wave-eq': { epochs: 8, waveCopies: { probability: 0.7, eqDb: 12, tiltDb: 4 } },
  // Corpus without the rendering variation (the fonts as they play), for comparison.
  'novar-top40': { corpus: { variation: false }, dsp: { topDb: 40 } },
  top40: { dsp: { topDb: 40 } },
  'top40-wave': {
    dsp: { topDb: 40 },
    waveAugment: { probability: 0.5, jitterS: 0.03, pitchSemitones: 1, eqDb: 9, tiltDb: 3, lowpassMinHz: 4000, reverbS: 1.2, noiseSnrDb: 25, clipDrive: 3 },
  },
  'cnn-top40': { preset: 'cnn-robust', dsp: { topDb: 40 } },
};
