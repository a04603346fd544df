import { describe, expect, it } from 'vitest';
import type { SpectralEngine } from './engine.js';
import { createSpectralPlan } from './fft-plan.js';
import { JsEngine } from './js-engine.js';
import { type DspImplementation, resolveMelFilterbankOptions, resolveStftOptions } from './options.js';
import { FIXTURE_SIGNALS, fixtureSignal, melFixture, powerErrors } from './test-utils/fixtures.js';
import { WasmEngine } from './wasm-engine.js';
import { availableImplementations } from './wasm-modules.js';

async function engine(
  impl: DspImplementation,
  nMels: number,
  center: boolean,
  nFft = 1024,
): Promise<SpectralEngine> {
  const stft = resolveStftOptions({ nFft, hop: nFft / 2, center });
  const plan = createSpectralPlan(stft, resolveMelFilterbankOptions({ nFft, nMels }));
  return impl === 'js' ? new JsEngine(plan, stft) : WasmEngine.create(impl, plan, stft);
}

const impls = availableImplementations();

describe.each(impls)('%s mel power vs librosa 0.11 (float32 tolerances)', (impl) => {
  for (const nMels of [64, 128] as const) {
    for (const center of [true, false]) {
      it(`${nMels} bands, center ${center}: every signal within abs 1e-6·max, rel 1e-4`, async () => {
        const e = await engine(impl, nMels, center);
        for (const name of FIXTURE_SIGNALS) {
          const expected = melFixture(name, nMels, center, 'power');
          const frames = center ? 87 : 85;
          const actual = e.melPower(fixtureSignal(name), frames);
          expect(actual.length).toBe(expected.length);
          const err = powerErrors(actual, expected);
          expect(err.maxAbsOverMax, `${name} abs/max`).toBeLessThanOrEqual(1e-6);
          expect(err.maxRelAbove, `${name} rel`).toBeLessThanOrEqual(1e-4);
        }
        e.dispose();
      });
    }
  }
});

describe.each(impls.filter((i) => i !== 'js'))('%s agrees with the js implementation', (impl) => {
  it('power spectrum of the chirp (all bins, both framings) within 1e-6·max', async () => {
    for (const center of [true, false]) {
      const w = await engine(impl, 64, center);
      const j = await engine('js', 64, center);
      const x = fixtureSignal('chirp');
      const frames = center ? 87 : 85;
      const err = powerErrors(w.stftPower(x, frames).slice(), j.stftPower(x, frames), 1e-6);
      expect(err.maxAbsOverMax).toBeLessThanOrEqual(1e-6);
      expect(err.maxRelAbove).toBeLessThanOrEqual(2e-4);
    }
  });

  it('small FFT sizes (nFft 16..256) agree with js', async () => {
    const x = fixtureSignal('noise').subarray(0, 3000);
    for (const nFft of [16, 32, 64, 256]) {
      const w = await engine(impl, 1, true, nFft);
      const j = await engine('js', 1, true, nFft);
      const frames = 1 + Math.floor(x.length / (nFft / 2));
      const err = powerErrors(w.stftPower(x, frames).slice(), j.stftPower(x, frames));
      expect(err.maxAbsOverMax, `nFft ${nFft}`).toBeLessThanOrEqual(1e-6);
      expect(err.maxRelAbove, `nFft ${nFft}`).toBeLessThanOrEqual(2e-4);
    }
  });
});
