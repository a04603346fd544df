import { describe, expect, it } from 'vitest';
import { harmonicTone } from '../test/signals.js';
import { findOnset } from './onset.js';

const SR = 44100;
const FRAME = 441; // 10 ms

describe('findOnset', () => {
  it('finds a note after silence within one 10 ms frame', () => {
    const x = harmonicTone({ sampleRate: SR, durationS: 1, f0: 440, onsetS: 0.3 });
    const onset = findOnset(x, SR);
    expect(onset % FRAME).toBe(0);
    expect(Math.abs(onset - 0.3 * SR)).toBeLessThanOrEqual(FRAME);
  });

  it('returns 0 for a note that starts at once', () => {
    expect(findOnset(harmonicTone({ sampleRate: SR, durationS: 0.5, f0: 220 }), SR)).toBe(0);
  });

  it('uses the derivative of LOG power: a jump from −60 dB beats the start of the quiet part', () => {
    const x = harmonicTone({ sampleRate: SR, durationS: 1, f0: 330 });
    const step = Math.round(0.6 * SR);
    for (let i = 0; i < step; i++) x[i]! *= 1e-3;
    expect(Math.abs(findOnset(x, SR) - step)).toBeLessThanOrEqual(FRAME);
  });

  it('returns 0 for silence, empty and sub-frame input', () => {
    expect(findOnset(new Float32Array(SR), SR)).toBe(0);
    expect(findOnset(new Float32Array(0), SR)).toBe(0);
    expect(findOnset(new Float32Array(500).fill(0.5), SR)).toBe(0);
  });

  it('honours frameMs', () => {
    const x = harmonicTone({ sampleRate: 1000, durationS: 1, f0: 50, onsetS: 0.5 });
    expect(findOnset(x, 1000, { frameMs: 50 })).toBe(500);
  });
});
