import { describe, expect, it } from 'vitest';
import { DspOptionError } from './errors.js';
import { melFilterbank, sparsifyMel } from './mel-filterbank.js';
import { hzToMel, melToHz } from './mel-scale.js';
import { readF32 } from './test-utils/fixtures.js';

describe('melFilterbank vs librosa 0.11 filters.mel', () => {
  for (const nMels of [64, 128]) {
    it(`${nMels} bands: nonzeros within rel 1e-6, librosa zeros < 1e-12`, () => {
      const expected = readF32(`filterbanks/mel${nMels}_sr44100_nfft1024_slaney.f32`);
      const actual = melFilterbank({ nMels });
      expect(actual.length).toBe(nMels * 513);
      let worstRel = 0;
      let worstZero = 0;
      for (let i = 0; i < expected.length; i++) {
        const e = expected[i]!;
        if (e === 0) worstZero = Math.max(worstZero, Math.abs(actual[i]!));
        else worstRel = Math.max(worstRel, Math.abs(actual[i]! - e) / e);
      }
      expect(worstRel).toBeLessThanOrEqual(1e-6);
      expect(worstZero).toBeLessThan(1e-12);
    });
  }

  it('the sparse form keeps exactly the 990 nonzero weights of 64 bands', () => {
    const dense = melFilterbank({ nMels: 64 });
    const sparse = sparsifyMel(dense, 64, 513);
    expect(sparse.nonzero).toBe(990);
    for (let b = 0; b < 64; b++) {
      expect(sparse.count[b]! % 4).toBe(0);
      for (let i = 0; i < sparse.count[b]!; i++) {
        const k = sparse.start[b]! + i;
        expect(sparse.weights[sparse.offset[b]! + i]).toBe(k < 513 ? dense[b * 513 + k] : 0);
      }
    }
  });

  it('htk scale and no norm: peak weight 1 at the band centre, triangles on the HTK mel points', () => {
    const fb = melFilterbank({ sampleRate: 16000, nFft: 512, nMels: 20, melScale: 'htk', melNorm: null });
    let max = 0;
    for (const w of fb) max = Math.max(max, w);
    expect(max).toBeLessThanOrEqual(1);
    expect(max).toBeGreaterThan(0.9);
    expect(hzToMel(1000, 'htk')).toBeCloseTo(999.985, 2);
    expect(melToHz(hzToMel(4321, 'htk'), 'htk')).toBeCloseTo(4321, 9);
  });

  it('slaney scale: linear below 1 kHz (15 mels at 1 kHz), logarithmic above, invertible', () => {
    expect(hzToMel(1000)).toBeCloseTo(15, 12);
    expect(hzToMel(500)).toBeCloseTo(7.5, 12);
    expect(melToHz(hzToMel(12345))).toBeCloseTo(12345, 8);
  });

  it('rejects too many bands for nFft (empty filters) naming nMels', () => {
    const err = (() => {
      try {
        melFilterbank({ nFft: 256, nMels: 100 });
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(DspOptionError);
    expect((err as DspOptionError).option).toBe('nMels');
    expect((err as DspOptionError).message).toMatch(/nMels: 100.*covers no FFT bin/);
  });

  it('rejects fMax above Nyquist and fMin ≥ fMax', () => {
    expect(() => melFilterbank({ fMax: 30000 })).toThrow(/fMax: 30000.*22050/);
    expect(() => melFilterbank({ fMin: 8000, fMax: 4000 })).toThrow(DspOptionError);
    expect(() => melFilterbank({ melScale: 'bark' as 'htk' })).toThrow(/melScale/);
  });
});
