import { describe, expect, it } from 'vitest';
import { type GroupRun, generalizationTable, meanSd, pctMeanSd } from './generalization.js';

const run = (recipe: string, group: string, seed: number, accuracy: number): GroupRun => ({
  recipe,
  group,
  seed,
  accuracy,
  classes: ['violin'],
  testClips: 10,
  trainClips: 100,
  recall: { violin: accuracy },
  secondsPerEpoch: 1,
  run: '/x',
});

describe('leave-one-group-out summary', () => {
  it('gives mean ± sample sd per recipe and group, and the mean over groups', () => {
    expect(meanSd([0.4, 0.5, 0.6])).toEqual({ mean: 0.5, sd: expect.closeTo(0.1, 10) });
    expect(meanSd([0.3])).toEqual({ mean: 0.3, sd: 0 });
    expect(pctMeanSd([0.4, 0.5, 0.6])).toBe('50.0 ± 10.0 %');
    const t = generalizationTable([
      run('paper', 'real', 0, 0.3),
      run('paper', 'real', 1, 0.4),
      run('paper', 'timgm', 0, 0.5),
      run('robust', 'real', 0, 0.6),
      run('robust', 'timgm', 0, 0.8),
    ]).split('\n');
    expect(t[0]).toBe('| recipe | held out: real | held out: timgm | mean over groups |');
    expect(t[2]).toBe('| paper | 35.0 ± 7.1 % | 50.0 ± 0.0 % | 42.5% |');
    expect(t[3]).toBe('| robust | 60.0 ± 0.0 % | 80.0 ± 0.0 % | 70.0% |');
    const withRandom = generalizationTable([run('paper', 'real', 0, 0.3)], { paper: 0.96 }).split('\n');
    expect(withRandom[0]).toBe(
      '| recipe | held out: real | mean over groups | random split (paper protocol, seed 0) |',
    );
    expect(withRandom[2]).toBe('| paper | 30.0 ± 0.0 % | 30.0% | 96.0% |');
  });
});
