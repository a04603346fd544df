import { INSTRUMENT_NAMES } from '@timbre/dataset';
import { BACKEND_NAMES, PRESET_NAMES } from '@timbre/models';
import { describe, expect, it } from 'vitest';
import { BACKENDS, INSTRUMENTS, PRESETS } from './choices.js';

describe('CLI choices', () => {
  it('mirror the packages', () => {
    expect([...PRESETS]).toEqual([...PRESET_NAMES]);
    expect([...INSTRUMENTS]).toEqual([...INSTRUMENT_NAMES]);
    expect(BACKENDS.slice(1)).toEqual([...BACKEND_NAMES]);
  });
});
