/**
 * Option choices known when the command tree is built, taken from the packages' light entries
 * (`@timbre/models/names`, `@timbre/dataset`: no TensorFlow.js, no decoders), so they cannot drift.
 */
import { INSTRUMENT_NAMES } from '@timbre/dataset';
import { BACKEND_NAMES, PRESET_NAMES, RECIPES as RECIPE_TABLE, TRAINING_ENGINES } from '@timbre/models/names';
import { Option } from 'commander';

/** The network presets of `@timbre/models`. */
export const PRESETS = PRESET_NAMES;

/** The training recipes of `@timbre/models` (`RECIPES`). */
export const RECIPES = Object.keys(RECIPE_TABLE) as (keyof typeof RECIPE_TABLE)[];

/** The 14 built-in classes of `@timbre/dataset`. */
export const INSTRUMENTS = INSTRUMENT_NAMES;

/** tfjs backend choices: `'auto'` + the Node ladder's backends. */
export const BACKENDS = ['auto', ...BACKEND_NAMES] as const;

/** Training engines of `@timbre/models`: `fast` (`@timbre/kernels`) or `stock` (plain tfjs). */
export const ENGINES = TRAINING_ENGINES;

/** `--backend <name>`: a backend choice, else `$TIMBRE_BACKEND`, else `auto` (the environment is read here only). */
export function backendOption(): Option {
  return new Option('--backend <name>', 'tfjs backend')
    .choices([...BACKENDS])
    .env('TIMBRE_BACKEND')
    .default('auto');
}
