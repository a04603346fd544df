import { describe, expect, it } from 'vitest';
import { OptionError } from './errors.js';
import { findOnset, trimClip } from './trim.js';

const SR = 44100;

/** Silence, then a tone burst starting at `onsetS` with an attack ramp of `attackS`. */
function burst(onsetS: number, totalS: number, attackS = 0, amp = 0.5): Float32Array {
  const x = new Float32Array(Math.round(totalS * SR));
  const start = Math.round(onsetS * SR);
  for (let i = start; i < x.length; i++) {
    const t = (i - start) / SR;
    const env = attackS > 0 ? Math.min(1, t / attackS) : 1;
    x[i] = amp * env * Math.sin(2 * Math.PI * 440 * t);
  }
  return x;
}

describe('findOnset', () => {
  it('finds a hard onset at 0.3 s within one frame, for both power scales', () => {
    const x = burst(0.3, 1.5);
    for (const power of ['linear', 'log'] as const) {
      const onset = findOnset(x, SR, { power, frameMs: 10 });
      expect(Math.abs(onset / SR - 0.3)).toBeLessThanOrEqual(0.01);
    }
  });

  it('log power finds a slow (400 ms, squared-in-power) attack at its start; linear power lands late', () => {
    const x = burst(0.3, 2, 0.4);
    const log = findOnset(x, SR, { power: 'log' }) / SR;
    const lin = findOnset(x, SR, { power: 'linear' }) / SR;
    expect(Math.abs(log - 0.3)).toBeLessThanOrEqual(0.02);
    expect(lin - 0.3).toBeGreaterThan(0.25);
  });

  it('ignores low-level noise before the note (log floor)', () => {
    const x = burst(0.5, 1.5);
    for (let i = 0; i < 0.5 * SR; i++) x[i] = 1e-6 * Math.sin(i * 0.37);
    expect(Math.abs(findOnset(x, SR) / SR - 0.5)).toBeLessThanOrEqual(0.01);
  });

  it('returns 0 for silence and for signals that start loud', () => {
    expect(findOnset(new Float32Array(SR), SR)).toBe(0);
    expect(findOnset(burst(0, 1), SR)).toBe(0);
  });

  it('frame size changes the resolution', () => {
    const x = burst(0.3037, 1);
    const onset = findOnset(x, SR, { frameMs: 50 });
    expect(onset % Math.round(0.05 * SR)).toBe(0);
    expect(onset / SR).toBeLessThanOrEqual(0.3037);
    expect(onset / SR).toBeGreaterThan(0.3037 - 0.05);
  });

  it('rejects out-of-range options naming the parameter', () => {
    expect(() => findOnset(new Float32Array(10), SR, { frameMs: 0 })).toThrow(OptionError);
    expect(() => findOnset(new Float32Array(10), SR, { frameMs: 0 })).toThrow(/frameMs/);
  });
});

describe('trimClip', () => {
  it('cuts 1 s starting at the onset', () => {
    const x = burst(0.3, 2);
    const clip = trimClip(x, SR);
    expect(clip.samples.length).toBe(SR);
    expect(clip.padded).toBe(false);
    expect(clip.silent).toBe(false);
    expect(clip.onsetS).toBeCloseTo(0.3, 1);
    const start = Math.round(clip.onsetS * SR);
    expect(clip.samples[100]).toBe(x[start + 100]);
  });

  it('zero-pads short audio', () => {
    const x = burst(0.1, 0.5);
    const clip = trimClip(x, SR);
    expect(clip.samples.length).toBe(SR);
    expect(clip.padded).toBe(true);
    expect(clip.samples[SR - 1]).toBe(0);
    expect(trimClip(new Float32Array(0), SR).samples.length).toBe(SR);
  });

  it('flags near-silent clips', () => {
    expect(trimClip(new Float32Array(2 * SR), SR).silent).toBe(true);
    expect(trimClip(burst(0.2, 2, 0, 1e-4), SR).silent).toBe(true);
    expect(trimClip(burst(0.2, 2, 0, 1e-4), SR, { silenceDb: -100 }).silent).toBe(false);
  });

  it('honours durationS', () => {
    expect(trimClip(burst(0.2, 2), SR, { durationS: 0.5 }).samples.length).toBe(SR / 2);
  });
});
