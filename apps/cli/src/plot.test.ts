import { describe, expect, it } from 'vitest';
import { accuracyCurveSpec, confusionMatrixSpec, renderSvg, svgToPng } from './plot.js';

describe('plot', () => {
  it('renders an accuracy curve to SVG and PNG', async () => {
    const svg = await renderSvg(
      accuracyCurveSpec(
        [
          { config: 'a', epoch: 1, split: 'test', accuracy: 0.5 },
          { config: 'a', epoch: 2, split: 'test', accuracy: 0.75 },
          { config: 'a', epoch: 1, split: 'train', accuracy: 0.6 },
          { config: 'a', epoch: 2, split: 'train', accuracy: 0.8 },
        ],
        'curves',
      ),
    );
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('curves');
    const png = svgToPng(svg);
    expect([...png.subarray(0, 8)]).toEqual([137, 80, 78, 71, 13, 10, 26, 10]);
  });

  it('renders a confusion matrix with one labelled row per class', async () => {
    const svg = await renderSvg(
      confusionMatrixSpec(
        ['violin', 'flute'],
        [
          [9, 1],
          [0, 10],
        ],
        'cm',
      ),
    );
    expect(svg).toContain('violin');
    expect(svg).toContain('flute');
  });
});
