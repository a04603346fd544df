/**
 * Option choices known when the command tree is built. They mirror constants of the packages, which are
 * imported only when a command runs (loading tfjs, vega and the decoders costs seconds); `choices.test.ts`
 * checks that the lists stay equal.
 */

/** The network presets of `@timbre/models` (`PRESET_NAMES`). */
export const PRESETS = [
  'lenet-5x5',
  'lenet-3x8',
  'lstm-64',
  'lstm-128',
  'lstm-128-128',
  'lstm-128-64',
  'cnn-robust',
] as const;

/** The training recipes of `@timbre/models` (`RECIPES`). */
export const RECIPES = ['paper', 'robust', 'robust-wave'] as const;

/** The 14 built-in classes of `@timbre/dataset` (`INSTRUMENT_NAMES`). */
export const INSTRUMENTS = [
  'violin',
  'viola',
  'cello',
  'double-bass',
  'flute',
  'oboe',
  'cor-anglais',
  'clarinet',
  'bassoon',
  'saxophone',
  'trumpet',
  'french-horn',
  'trombone',
  'tuba',
] as const;

/** tfjs backend choices of `@timbre/models` (`'auto'` + `BACKEND_NAMES`). */
export const BACKENDS = ['auto', 'tensorflow', 'wasm', 'cpu'] as const;
