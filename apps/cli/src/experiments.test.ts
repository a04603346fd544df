import { describe, expect, it } from 'vitest';
import {
  EXPERIMENT_IDS,
  EXPERIMENTS,
  finalAccuracy,
  type RunConfig,
  type RunSummary,
} from './experiments.js';
import { experimentReport } from './report.js';

function run(config: RunConfig, test: number[]): RunSummary {
  return {
    config,
    history: test.map((t, i) => ({ epoch: i + 1, trainAccuracy: t, testAccuracy: t })),
    secondsPerEpoch: 1.5,
    backend: 'cpu',
  };
}

describe('experiments', () => {
  it('covers the six comparisons of section 3.4 in paper order', () => {
    expect(EXPERIMENT_IDS.map((id) => EXPERIMENTS[id].section)).toEqual([
      '3.4.1',
      '3.4.2',
      '3.4.3',
      '3.4.4',
      '3.4.5',
      '3.4.6',
    ]);
  });

  it('uses the mean of the last three epochs as the final accuracy', () => {
    expect(finalAccuracy(run({ preset: 'lstm-64', nMels: 64 }, [0.1, 0.5, 0.6, 0.7]))).toBeCloseTo(0.6, 10);
    expect(finalAccuracy(run({ preset: 'lstm-64', nMels: 64 }, [0.4]))).toBeCloseTo(0.4, 10);
  });

  it('checks the kernel claims: faster first epoch, about equal at the end', () => {
    const runs = [
      run({ preset: 'lenet-5x5', nMels: 64 }, [0.3, 0.8, 0.9, 0.95]),
      run({ preset: 'lenet-3x8', nMels: 64 }, [0.5, 0.85, 0.9, 0.94]),
    ];
    const v = EXPERIMENTS.kernel.claims(runs);
    expect(v.map((c) => c.agrees)).toEqual([true, true]);
    const w = EXPERIMENTS.kernel.claims([
      run({ preset: 'lenet-5x5', nMels: 64 }, [0.6, 0.9, 0.95, 0.96]),
      run({ preset: 'lenet-3x8', nMels: 64 }, [0.5, 0.8, 0.8, 0.8]),
    ]);
    expect(w.map((c) => c.agrees)).toEqual([false, false]);
  });

  it('resolves best LeNet vs best LSTM from earlier runs, with defaults when none ran', () => {
    const prev = [
      run({ preset: 'lenet-5x5', nMels: 64 }, [0.9]),
      run({ preset: 'lenet-3x8', nMels: 128 }, [0.95]),
      run({ preset: 'lstm-128', nMels: 64 }, [0.7]),
      run({ preset: 'lstm-128-64', nMels: 64 }, [0.8]),
    ];
    expect(EXPERIMENTS['lenet-vs-lstm'].configs(prev)).toEqual([
      { preset: 'lenet-3x8', nMels: 128 },
      { preset: 'lstm-128-64', nMels: 64 },
    ]);
    expect(EXPERIMENTS['lenet-vs-lstm'].configs([])).toHaveLength(2);
  });

  it('writes a report with a row per configuration and a verdict per claim', () => {
    const runs = [
      run({ preset: 'lstm-128', nMels: 64 }, [0.5, 0.6]),
      run({ preset: 'lstm-128-128', nMels: 64 }, [0.55, 0.7]),
      run({ preset: 'lstm-128-64', nMels: 64 }, [0.52, 0.58]),
    ];
    const md = experimentReport(EXPERIMENTS['lstm-layers'], runs, 'figure.svg', 2);
    expect(md).toContain('| lstm-128-128 · 64 mel | 62.5% |');
    expect(md).toContain('**two layers (128-128) beat one** — our run agrees');
    expect(md).toContain('**two layers (128-64) beat one** — our run disagrees');
  });
});
