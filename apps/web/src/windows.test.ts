import { describe, expect, it } from 'vitest';
import { harmonicTone } from '../test/signals.js';
import { planWindows, sliceWindow } from './windows.js';

const SR = 44100;

describe('planWindows', () => {
  it('starts a single short note at its onset (auto trim below two windows)', () => {
    const x = harmonicTone({ sampleRate: SR, durationS: 1.5, f0: 440, onsetS: 0.25 });
    const plan = planWindows(x, SR);
    expect(plan.length).toBe(SR);
    expect(plan.hop).toBe(SR / 2);
    expect(Math.abs(plan.onset - 0.25 * SR)).toBeLessThanOrEqual(441);
    expect(plan.starts).toEqual([plan.onset]);
  });

  it('gives one zero-padded window for audio shorter than a window', () => {
    const plan = planWindows(harmonicTone({ sampleRate: SR, durationS: 0.4, f0: 440, onsetS: 0.1 }), SR);
    expect(plan.starts).toHaveLength(1);
    expect(plan.starts[0]).toBe(plan.onset);
    expect(plan.onset).toBeGreaterThan(0);
  });

  it('cuts long audio from 0 into 1-s windows every 0.5 s (auto: no trim)', () => {
    const x = harmonicTone({ sampleRate: SR, durationS: 3, f0: 440, onsetS: 0.5 });
    const plan = planWindows(x, SR);
    expect(plan.onset).toBe(0);
    expect(plan.starts).toEqual([0, 0.5, 1, 1.5, 2].map((s) => s * SR));
  });

  it('trims long audio when asked, and never when told not to', () => {
    const x = harmonicTone({ sampleRate: SR, durationS: 3, f0: 440, onsetS: 0.5 });
    const trimmed = planWindows(x, SR, { trimOnset: true });
    expect(trimmed.onset).toBe(0.5 * SR);
    expect(trimmed.starts).toEqual([0.5, 1, 1.5, 2].map((s) => s * SR));
    const short = harmonicTone({ sampleRate: SR, durationS: 1, f0: 440, onsetS: 0.5 });
    expect(planWindows(short, SR, { trimOnset: false }).starts).toEqual([0]);
  });

  it('honours windowS and hopS, and handles empty audio', () => {
    const plan = planWindows(new Float32Array(1000), 100, { windowS: 2, hopS: 1, trimOnset: false });
    expect(plan.starts).toEqual([0, 100, 200, 300, 400, 500, 600, 700, 800]);
    expect(planWindows(new Float32Array(0), SR).starts).toEqual([0]);
  });

  it('rejects non-positive options', () => {
    expect(() => planWindows(new Float32Array(10), 0)).toThrow(RangeError);
    expect(() => planWindows(new Float32Array(10), SR, { hopS: 0 })).toThrow(/hopS/);
    expect(() => planWindows(new Float32Array(10), SR, { windowS: Number.NaN })).toThrow(/windowS/);
  });
});

describe('sliceWindow', () => {
  it('copies a window and zero-pads past the end, reusing `out`', () => {
    const x = Float32Array.from([1, 2, 3, 4, 5]);
    const out = new Float32Array(4).fill(9);
    expect(Array.from(sliceWindow(x, 3, 4, out))).toEqual([4, 5, 0, 0]);
    expect(Array.from(sliceWindow(x, 0, 3))).toEqual([1, 2, 3]);
    expect(Array.from(sliceWindow(x, 7, 2))).toEqual([0, 0]);
  });
});
