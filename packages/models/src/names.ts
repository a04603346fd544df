/**
 * `@timbre/models/names`: the names other tools offer as choices — network presets, training recipes and
 * backends — without loading TensorFlow.js (a CLI builds its option lists from these at start-up).
 *
 * @packageDocumentation
 */

export type { BackendChoice, BackendName, PresetName, TrainingEngine } from './presets.js';
export { BACKEND_NAMES, PAPER_PRESET_NAMES, PRESET_NAMES, TRAINING_ENGINES } from './presets.js';
export { RECIPES, RECOMMENDED_RECIPE, type TrainingRecipe } from './recipes.js';
