import { describe, expect, it } from 'vitest';
import { DspDisposedError, DspInputError, DspOptionError } from './errors.js';
import { createLogMelExtractor } from './extractor.js';
import { SILENCE_PEAK_POWER } from './log-mel.js';
import { fixtureSignal, maxAbsDiff, melFixture } from './test-utils/fixtures.js';
import { availableImplementations } from './wasm-modules.js';

const impls = availableImplementations();
const AUDIBLE = ['sine440', 'chirp', 'noise', 'clicks', 'quiet_sine'] as const;

async function rejection(p: Promise<unknown>): Promise<DspOptionError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof DspOptionError) return e;
    throw e;
  }
  throw new Error('expected a DspOptionError');
}

describe.each(impls)('%s extractor vs librosa 0.11 dB (float32 tolerances)', (implementation) => {
  for (const nMels of [64, 128] as const) {
    for (const center of [true, false]) {
      it(`${nMels} bands, center ${center}: 'none' = db_top80 (5e-3 dB) and db_nolimit (0.5 dB); 'db-range' = (db+80)/80`, async () => {
        const opts = { implementation, nMels, center, frames: null, normalize: 'none' } as const;
        const top80 = await createLogMelExtractor({ ...opts, topDb: 80 });
        const nolimit = await createLogMelExtractor({ ...opts, topDb: null });
        const ranged = await createLogMelExtractor({ implementation, nMels, center });
        for (const name of AUDIBLE) {
          const x = fixtureSignal(name);
          const ref80 = melFixture(name, nMels, center, 'db_top80');
          const db = top80.compute(x);
          expect(db.length).toBe(nMels * (center ? 87 : 85));
          expect(maxAbsDiff(db, ref80), `${name} top80`).toBeLessThanOrEqual(5e-3);
          expect(
            maxAbsDiff(nolimit.compute(x), melFixture(name, nMels, center, 'db_nolimit')),
            name,
          ).toBeLessThan(0.5);
          const norm = ranged.compute(x);
          expect(norm.length).toBe(80 * nMels);
          const expected = ref80.subarray(0, 80 * nMels).map((v) => (v + 80) / 80);
          expect(maxAbsDiff(norm, expected), `${name} db-range`).toBeLessThanOrEqual(5e-3 / 80);
        }
      });
    }
  }

  it('silence maps to the floor (0 in db-range, −80 dB in none), unlike librosa’s 0 dB', async () => {
    const x = fixtureSignal('silence');
    const a = await createLogMelExtractor({ implementation });
    expect(a.compute(x).every((v) => v === 0)).toBe(true);
    const b = await createLogMelExtractor({ implementation, normalize: 'none', topDb: 60 });
    expect(b.compute(x).every((v) => v === -60)).toBe(true);
  });

  it('below-floor clips are silent; quiet_sine (−80 dBFS) is not and keeps librosa’s −50.2 dB floor', async () => {
    const e = await createLogMelExtractor({ implementation, frames: null });
    // 16-bit dither level noise: peak mel power below SILENCE_PEAK_POWER.
    const dither = fixtureSignal('noise').map((v) => v * 3e-5);
    expect(e.compute(dither).every((v) => v === 0)).toBe(true);
    const quiet = e.compute(fixtureSignal('quiet_sine'));
    const min = Math.min(...quiet);
    expect(min).toBeCloseTo(1 - 50.2 / 80, 2);
    expect(Math.max(...quiet)).toBeCloseTo(1, 4);
    expect(SILENCE_PEAK_POWER).toBe(1e-8);
  });

  it('frames: keeps the first N, pads past the clip with its floor value', async () => {
    const e = await createLogMelExtractor({ implementation, frames: 100 });
    const out = e.compute(fixtureSignal('sine440'));
    expect(out.length).toBe(100 * 64);
    expect(out.subarray(87 * 64).every((v) => v === 0)).toBe(true);
    const q = await createLogMelExtractor({ implementation, frames: 90, normalize: 'none', topDb: null });
    const quiet = q.compute(fixtureSignal('quiet_sine'));
    const floor = quiet[89 * 64]!;
    expect(floor).toBeCloseTo(-50.2, 1);
    expect(Math.min(...quiet.subarray(0, 87 * 64))).toBeGreaterThanOrEqual(floor - 1e-3);
  });

  it('zero-pads clips shorter than one frame', async () => {
    for (const center of [true, false]) {
      const e = await createLogMelExtractor({ implementation, center, frames: null });
      const short = fixtureSignal('noise').subarray(0, 100);
      const padded = new Float32Array(center ? 511 : 1024);
      padded.set(short);
      expect(e.frameCount(100)).toBe(1);
      const a = e.compute(short);
      expect(a.length).toBe(64);
      expect(a).toEqual(e.compute(padded));
    }
  });

  it('computeBatch equals stacked compute; out is reused', async () => {
    const e = await createLogMelExtractor({ implementation });
    const clips = [fixtureSignal('sine440'), fixtureSignal('noise'), fixtureSignal('silence')];
    const batch = e.computeBatch(clips);
    expect(batch.length).toBe(3 * 80 * 64);
    const out = new Float32Array(80 * 64);
    clips.forEach((c, i) => {
      expect(e.compute(c, out)).toBe(out);
      expect(batch.subarray(i * 5120, (i + 1) * 5120)).toEqual(out);
    });
  });

  it('rejects bad input with typed errors naming the parameter', async () => {
    const e = await createLogMelExtractor({ implementation });
    expect(() => e.compute(new Float32Array(0))).toThrow(DspInputError);
    const x = fixtureSignal('noise');
    x[123] = Number.POSITIVE_INFINITY;
    expect(() => e.compute(x)).toThrow(/samples: Infinity at index 123/);
    expect(() => e.computeBatch([fixtureSignal('noise'), x])).toThrow(/clips\[1\]: Infinity at index 123/);
    expect(() => e.compute(new Float32Array(10), new Float32Array(5))).toThrow(/out: length 5.*5120/);
    const all = await createLogMelExtractor({ implementation, frames: null });
    expect(() => all.computeBatch([new Float32Array(1000), new Float32Array(5000)])).toThrow(
      /equal frame count/,
    );
    expect(() => all.computeBatch([])).toThrow(DspInputError);
    e.dispose();
    e.dispose();
    expect(() => e.compute(new Float32Array(10))).toThrow(DspDisposedError);
  });
});

describe('implementations agree with each other', () => {
  it('wasm-simd, wasm and js give the same db-range output within 2e-5', async () => {
    const x = fixtureSignal('chirp');
    const ref = (await createLogMelExtractor({ implementation: 'js', nMels: 128 })).compute(x);
    for (const implementation of impls) {
      const out = (await createLogMelExtractor({ implementation, nMels: 128 })).compute(x);
      expect(maxAbsDiff(out, ref), implementation).toBeLessThanOrEqual(2e-5);
    }
  });
});

describe('createLogMelExtractor options', () => {
  it('resolves the paper defaults and picks the fastest implementation', async () => {
    const e = await createLogMelExtractor();
    expect(e.implementation).toBe(impls[0]);
    expect(e.options).toEqual({
      sampleRate: 44100,
      nFft: 1024,
      hop: 512,
      nMels: 64,
      fMin: 0,
      fMax: 22050,
      melScale: 'slaney',
      melNorm: 'slaney',
      center: true,
      topDb: 80,
      normalize: 'db-range',
      frames: 80,
      implementation: impls[0],
    });
    expect(e.frameCount(44100)).toBe(87);
  });

  it('throws DspOptionError naming the option, the value and what is valid', async () => {
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [{ nFft: 1000 }, 'nFft', /nFft: 1000; expected a power of two in \[16, 32768\]/],
      [{ hop: 0 }, 'hop', /hop: 0; expected an integer ≥ 1/],
      [{ hop: 2.5 }, 'hop', /hop: 2.5/],
      [{ fMax: 30000 }, 'fMax', /fMax: 30000; expected a frequency in \(0, 22050\]/],
      [{ nMels: 300 }, 'nMels', /nMels: 300; expected fewer bands/],
      [{ nMels: 0 }, 'nMels', /nMels: 0/],
      [{ sampleRate: -1 }, 'sampleRate', /sampleRate: -1/],
      [{ topDb: -3 }, 'topDb', /topDb: -3/],
      [{ frames: 0 }, 'frames', /frames: 0/],
      [{ normalize: 'z' }, 'normalize', /normalize: "z"/],
      [
        { implementation: 'gpu' },
        'implementation',
        /implementation: "gpu"; expected one of 'wasm-simd', 'wasm', 'js'/,
      ],
    ];
    for (const [opts, option, message] of cases) {
      const err = await rejection(createLogMelExtractor(opts));
      expect(err.option).toBe(option);
      expect(err.message).toMatch(message);
    }
  });
});
