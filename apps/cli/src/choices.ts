/**
 * Option choices known when the command tree is built, taken from the packages' light entries
 * (`@timbre/models/names`, `@timbre/dataset`: no TensorFlow.js, no decoders), so they cannot drift.
 */
import { INSTRUMENT_NAMES } from '@timbre/dataset';
import { BACKEND_NAMES, PRESET_NAMES, RECIPES as RECIPE_TABLE } from '@timbre/models/names';

/** The network presets of `@timbre/models`. */
export const PRESETS = PRESET_NAMES;

/** The training recipes of `@timbre/models` (`RECIPES`). */
export const RECIPES = Object.keys(RECIPE_TABLE) as (keyof typeof RECIPE_TABLE)[];

/** The 14 built-in classes of `@timbre/dataset`. */
export const INSTRUMENTS = INSTRUMENT_NAMES;

/** tfjs backend choices: `'auto'` + the Node ladder's backends. */
export const BACKENDS = ['auto', ...BACKEND_NAMES] as const;
