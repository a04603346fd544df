import { fileURLToPath } from 'node:url';
import { createLogMelExtractor } from '@timbre/dsp';
import { type Classifier, loadClassifier } from '@timbre/models';
import { afterAll, describe, expect, it } from 'vitest';
import { harmonicTone } from '../test/signals.js';
import { classify } from './classify.js';
import { predictorFor } from './engine.js';
import { parseMetadata } from './metadata.js';

// The page must classify exactly like the CLI (`@timbre/models` predictSamples) with the shipped model.
const PRETRAINED = fileURLToPath(new URL('../../cli/pretrained', import.meta.url));
const SR = 44100;

describe('parity with @timbre/models on the pretrained model (cpu backend)', async () => {
  const reference: Classifier = await loadClassifier(PRETRAINED, { backend: 'cpu' });
  const metadata = parseMetadata(reference.metadata);
  const extractor = await createLogMelExtractor(metadata.dsp);
  const predict = predictorFor(reference.model, metadata.labels.length);
  const padded = predictorFor(reference.model, metadata.labels.length, true);
  afterAll(() => {
    extractor.dispose();
    reference.dispose();
  });

  for (const [name, tone] of [
    ['a single note with an onset', { sampleRate: SR, durationS: 1.3, f0: 392, onsetS: 0.15 }],
    ['a 3-s recording (5 windows)', { sampleRate: SR, durationS: 3, f0: 147, harmonics: 12 }],
  ] as const) {
    it(`gives the CLI's probabilities for ${name}`, async () => {
      const x = harmonicTone(tone);
      const expected = await reference.predictSamples(x, SR);
      const got = await classify(x, SR, metadata, extractor, predict);
      expect(got.onsetS).toBe(expected.onsetS);
      expect(got.windows.map((w) => w.startS)).toEqual(expected.windows.map((w) => w.startS));
      for (let c = 0; c < metadata.labels.length; c++) {
        expect(got.probabilities[c]).toBeCloseTo(expected.probabilities[c]!, 5);
      }
      expect(got.top.map((t) => t.label)).toEqual(expected.top.map((t) => t.label));
      // Zero-padded fixed-size batches (WebGL) give the same probabilities.
      const same = await classify(x, SR, metadata, extractor, padded);
      for (let c = 0; c < metadata.labels.length; c++) {
        expect(same.probabilities[c]).toBeCloseTo(got.probabilities[c]!, 6);
      }
    });
  }
});
