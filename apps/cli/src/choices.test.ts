import { INSTRUMENT_NAMES } from '@timbre/dataset/node';
import { BACKEND_NAMES, PRESET_NAMES, RECIPES as RECIPE_TABLE } from '@timbre/models/node';
import { describe, expect, it } from 'vitest';
import { BACKENDS, INSTRUMENTS, PRESETS, RECIPES } from './choices.js';

describe('CLI choices', () => {
  it('mirror the packages', () => {
    expect([...PRESETS]).toEqual([...PRESET_NAMES]);
    expect([...INSTRUMENTS]).toEqual([...INSTRUMENT_NAMES]);
    expect(BACKENDS.slice(1)).toEqual([...BACKEND_NAMES]);
    expect([...RECIPES]).toEqual(Object.keys(RECIPE_TABLE));
  });
});
