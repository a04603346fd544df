// Named recipes of the generalization study (see generalization-study.mjs).
// Fields: preset, nMels, epochs, train (extra train() options), transform(featureSet, manifest) → featureSet.
export const CONFIGS = {
  baseline: {},
};
CONFIGS.cnn = { preset: 'cnn-robust' };
CONFIGS['cnn-shift2'] = { preset: 'cnn-robust', train: { augment: { shiftBands: 2 } } };
