import { describe, expect, it } from 'vitest';
import { DspInputError, DspOptionError } from './errors.js';
import { melFilterbank } from './mel-filterbank.js';
import { melPower } from './mel-power.js';
import { stftPower } from './stft-power.js';
import { fixtureSignal, melFixture, powerErrors } from './test-utils/fixtures.js';

/** float64 DFT power of one librosa frame (periodic Hann), the definition. */
function naiveFramePower(x: Float32Array, start: number, nFft: number): Float64Array {
  const out = new Float64Array(nFft / 2 + 1);
  for (let k = 0; k <= nFft / 2; k++) {
    let re = 0;
    let im = 0;
    for (let n = 0; n < nFft; n++) {
      const i = start + n;
      const v = i >= 0 && i < x.length ? x[i]! * (0.5 - 0.5 * Math.cos((2 * Math.PI * n) / nFft)) : 0;
      re += v * Math.cos((2 * Math.PI * k * n) / nFft);
      im -= v * Math.sin((2 * Math.PI * k * n) / nFft);
    }
    out[k] = re * re + im * im;
  }
  return out;
}

describe('stftPower', () => {
  for (const center of [true, false]) {
    it(`matches a float64 DFT of every frame (nFft 64, hop 24, center ${center})`, () => {
      const x = fixtureSignal('noise').subarray(0, 500);
      const s = stftPower(x, { nFft: 64, hop: 24, center });
      expect(s.frames).toBe(center ? 1 + Math.floor(500 / 24) : 1 + Math.floor((500 - 64) / 24));
      expect(s.bands).toBe(33);
      for (let t = 0; t < s.frames; t++) {
        const ref = naiveFramePower(x, t * 24 - (center ? 32 : 0), 64);
        for (let k = 0; k < 33; k++) expect(s.data[t * 33 + k]).toBeCloseTo(ref[k]!, 4);
      }
    });
  }

  it('frame counts follow librosa: 87 centred, 85 not, for 1 s at 44.1 kHz', () => {
    const x = fixtureSignal('sine440');
    expect(stftPower(x).frames).toBe(87);
    expect(stftPower(x, { center: false }).frames).toBe(85);
  });

  it('filterbank · stftPower reproduces librosa mel power (chirp, center true)', () => {
    const s = stftPower(fixtureSignal('chirp'));
    const fb = melFilterbank({ nMels: 64 });
    const mel = new Float32Array(s.frames * 64);
    for (let t = 0; t < s.frames; t++)
      for (let b = 0; b < 64; b++) {
        let acc = 0;
        for (let k = 0; k < 513; k++) acc += fb[b * 513 + k]! * s.data[t * 513 + k]!;
        mel[t * 64 + b] = acc;
      }
    const err = powerErrors(mel, melFixture('chirp', 64, true, 'power'));
    expect(err.maxRelAbove).toBeLessThanOrEqual(1e-4);
  });

  it('zero-pads a clip shorter than one frame (center false: one frame)', () => {
    const short = fixtureSignal('noise').subarray(0, 100);
    const padded = new Float32Array(1024);
    padded.set(short);
    const a = stftPower(short, { center: false });
    expect(a.frames).toBe(1);
    expect(a.data).toEqual(stftPower(padded, { center: false }).data);
  });

  it('melPower matches librosa for 128 bands, center false (clicks)', () => {
    const m = melPower(fixtureSignal('clicks'), { nMels: 128, center: false });
    expect(m.bands).toBe(128);
    const err = powerErrors(m.data, melFixture('clicks', 128, false, 'power'));
    expect(err.maxAbsOverMax).toBeLessThanOrEqual(1e-6);
    expect(err.maxRelAbove).toBeLessThanOrEqual(1e-4);
  });

  it('rejects bad options and input with typed errors', () => {
    const x = new Float32Array(2048);
    expect(() => stftPower(x, { nFft: 1000 })).toThrow(/nFft: 1000; expected a power of two/);
    expect(() => stftPower(x, { hop: 0 })).toThrow(/hop: 0; expected an integer ≥ 1/);
    expect(() => stftPower(x, { hop: -5 })).toThrow(DspOptionError);
    expect(() => stftPower(new Float32Array(0))).toThrow(DspInputError);
    x[7] = Number.NaN;
    expect(() => stftPower(x)).toThrow(/samples: NaN at index 7/);
    expect(() => melPower(x)).toThrow(DspInputError);
  });
});
