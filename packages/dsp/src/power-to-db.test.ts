import { describe, expect, it } from 'vitest';
import { DspInputError, DspOptionError } from './errors.js';
import { powerToDb } from './power-to-db.js';
import { FIXTURE_SIGNALS, maxAbsDiff, melFixture } from './test-utils/fixtures.js';

describe('powerToDb reproduces librosa power_to_db(ref=np.max) on librosa mel power', () => {
  for (const name of FIXTURE_SIGNALS) {
    it(`${name}: top_db 80 and None within 1e-4 dB`, () => {
      for (const nMels of [64, 128] as const) {
        for (const center of [true, false]) {
          const power = melFixture(name, nMels, center, 'power');
          const top80 = powerToDb(power, { ref: 'max', amin: 1e-10, topDb: 80 });
          expect(maxAbsDiff(top80, melFixture(name, nMels, center, 'db_top80'))).toBeLessThan(1e-4);
          const nolimit = powerToDb(power, { topDb: null });
          expect(maxAbsDiff(nolimit, melFixture(name, nMels, center, 'db_nolimit'))).toBeLessThan(1e-4);
        }
      }
    });
  }

  it('keeps librosa quirks: silence is 0 dB everywhere; quiet_sine bottoms out at about −50.2 dB', () => {
    expect(powerToDb(new Float32Array(10)).every((v) => v === 0)).toBe(true);
    const quiet = powerToDb(melFixture('quiet_sine', 64, true, 'power'));
    expect(Math.min(...quiet)).toBeCloseTo(-50.2, 1);
  });

  it('a numeric ref gives absolute dB', () => {
    expect(Array.from(powerToDb(new Float32Array([1, 10, 100]), { ref: 1, topDb: null }))).toEqual([
      0, 10, 20,
    ]);
    expect(Array.from(powerToDb(new Float32Array([1e-12, 1]), { ref: 1, topDb: 60 }))).toEqual([-60, 0]);
  });

  it('rejects invalid options and input', () => {
    const p = new Float32Array([1]);
    expect(() => powerToDb(p, { amin: 0 })).toThrow(/amin: 0/);
    expect(() => powerToDb(p, { ref: -1 })).toThrow(DspOptionError);
    expect(() => powerToDb(p, { topDb: 0 })).toThrow(/topDb: 0/);
    expect(() => powerToDb(new Float32Array(0))).toThrow(DspInputError);
    expect(() => powerToDb(new Float32Array([1, Number.POSITIVE_INFINITY]))).toThrow(/Infinity at index 1/);
  });
});
