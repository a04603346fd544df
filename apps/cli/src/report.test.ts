import { RECIPES } from '@timbre/models/names';
import { describe, expect, it } from 'vitest';
import { mainJobReport } from './report.js';
import type { TrainRunResult } from './run-training.js';

const run = (dir: string, accuracy: number, n: number, withConfusion = true): TrainRunResult =>
  ({
    record: { testAccuracy: accuracy, completedEpochs: 15, secondsPerEpoch: 2.5, backend: 'wasm' },
    evaluation: { n },
    history: [],
    modelDir: `${dir}/model`,
    pictures: {
      curve: { png: `${dir}/accuracy.png`, svg: `${dir}/accuracy.svg` },
      ...(withConfusion ? { confusion: { png: `${dir}/confusion.png`, svg: `${dir}/confusion.svg` } } : {}),
    },
  }) as unknown as TrainRunResult;

describe('mainJobReport', () => {
  it('puts each figure and picture where its name says, the fonts → real row in bold', () => {
    const md = mainJobReport({
      outDir: '/r',
      preset: 'lenet-3x8',
      nMels: 64,
      seed: 0,
      minutes: 2.5,
      recipe: RECIPES['robust-swad-wave'],
      realClasses: ['cello', 'tuba'],
      randomSplit: { run: run('/r/random', 0.935, 1792), trainClips: 2800 },
      fontsToReal: { run: run('/r/fonts-to-real', 0.52, 175), trainClips: 4480 },
      fontsToRealPaper: { run: run('/r/fonts-to-real-paper', 0.286, 175, false), trainClips: 4480 },
      examples: [{ clip: 'c1', truth: 'cello', predicted: 'cello', probability: 0.9, top: 'cello 90.0%' }],
    });
    expect(md).toContain("| random split (the paper's protocol) | paper | 2800 | 1792 | 15 | 93.5% | 2.50 |");
    expect(md).toContain(
      '| **train on the SoundFonts, test on the real recordings** | robust-swad-wave | 4480 | 175 | 15 | **52.0%** | 2.50 |',
    );
    expect(md).toContain("| same, the paper's recipe | paper | 4480 | 175 | 15 | 28.6% | 2.50 |");
    expect(md).toContain(
      '![fonts → real curve](fonts-to-real/accuracy.png) ![fonts → real confusion](fonts-to-real/confusion.png)',
    );
    expect(md).toContain('![random split curve](random/accuracy.png)');
    expect(md).toContain('cover 2 of the 14');
    expect(md).toContain('| c1 | cello | cello 90.0% |');
  });
});
