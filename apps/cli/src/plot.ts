import { Resvg } from '@resvg/resvg-js';
import { writeFileAtomic } from '@timbre/dataset/node';
import { parse, View } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

/** One point of a training curve: accuracy of one configuration at one epoch on one split. */
export interface CurvePoint {
  /** Configuration name, e.g. `lenet-3x8 · 64 mel`. */
  config: string;
  /** Epoch number, 1-based. */
  epoch: number;
  /** `test` or `train`. */
  split: 'train' | 'test';
  /** Accuracy in [0, 1]. */
  accuracy: number;
}

const FONT = 'DejaVu Sans';
const baseConfig = {
  font: FONT,
  background: 'white',
  axis: { labelFontSize: 11, titleFontSize: 12 },
  legend: { labelFontSize: 11, titleFontSize: 12, labelLimit: 260 },
  title: { fontSize: 14 },
};

/** One bar of {@link groupBarSpec}: a recipe's accuracy on one held-out group (one value per seed). */
export interface GroupBar {
  /** Held-out group, e.g. `real`. */
  group: string;
  /** Recipe name. */
  recipe: string;
  /** Accuracy of one seed, in [0, 1]. */
  accuracy: number;
}

/**
 * Leave-one-group-out figure: per held-out group, the mean accuracy over seeds as a bar per recipe and
 * every seed as a dot.
 */
export function groupBarSpec(bars: readonly GroupBar[], title: string): TopLevelSpec {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: title, subtitle: 'bars: mean over seeds · dots: each seed' },
    width: 420,
    height: 280,
    config: baseConfig,
    data: { values: bars.map((b) => ({ ...b })) },
    encoding: {
      x: { field: 'group', type: 'nominal', title: 'held-out group', axis: { labelAngle: 0 } },
      xOffset: { field: 'recipe', type: 'nominal' },
      color: { field: 'recipe', type: 'nominal', title: 'recipe' },
    },
    layer: [
      {
        mark: { type: 'bar', opacity: 0.75 },
        encoding: {
          y: {
            aggregate: 'mean',
            field: 'accuracy',
            type: 'quantitative',
            title: 'accuracy on the held-out group',
            scale: { domain: [0, 1] },
          },
        },
      },
      {
        mark: { type: 'point', filled: true, size: 30, color: 'black' },
        encoding: { y: { field: 'accuracy', type: 'quantitative' } },
      },
    ],
  } as TopLevelSpec;
}

/**
 * The paper-style figure: accuracy per epoch, one color per configuration, solid for test and
 * dashed for train.
 * @param points Curve points of every configuration.
 * @param title Figure title.
 */
export function accuracyCurveSpec(points: readonly CurvePoint[], title: string): TopLevelSpec {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: title, subtitle: 'solid: test · dashed: train' },
    width: 560,
    height: 320,
    config: baseConfig,
    data: { values: points.map((p) => ({ ...p })) },
    mark: { type: 'line', point: points.length <= 400 ? { size: 18 } : false, strokeWidth: 1.8 },
    encoding: {
      x: { field: 'epoch', type: 'quantitative', title: 'epoch', axis: { tickMinStep: 1 } },
      y: { field: 'accuracy', type: 'quantitative', title: 'accuracy', scale: { domain: [0, 1] } },
      color: {
        field: 'config',
        type: 'nominal',
        title: 'configuration',
        legend: { symbolType: 'stroke', symbolStrokeWidth: 3, symbolSize: 300 },
      },
      strokeDash: {
        field: 'split',
        type: 'nominal',
        title: 'split',
        scale: {
          domain: ['test', 'train'],
          range: [
            [1, 0],
            [5, 3],
          ],
        },
      },
    },
  };
}

/**
 * A confusion-matrix heatmap: rows are true classes, columns predicted, cells the count, colored by the
 * fraction of the true class.
 * @param labels Class names in index order.
 * @param matrix `matrix[t][p]` = number of clips of true class t predicted as p.
 * @param title Figure title.
 */
export function confusionMatrixSpec(
  labels: readonly string[],
  matrix: readonly (readonly number[])[],
  title: string,
): TopLevelSpec {
  const values: { truth: string; predicted: string; count: number; fraction: number }[] = [];
  matrix.forEach((row, t) => {
    const total = row.reduce((a, b) => a + b, 0) || 1;
    row.forEach((count, p) => {
      values.push({
        truth: labels[t] ?? `${t}`,
        predicted: labels[p] ?? `${p}`,
        count,
        fraction: count / total,
      });
    });
  });
  const axisSort = [...labels];
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title,
    config: { ...baseConfig, axis: { ...baseConfig.axis, grid: false } },
    data: { values },
    width: { step: 34 },
    height: { step: 28 },
    encoding: {
      x: { field: 'predicted', type: 'nominal', sort: axisSort, axis: { labelAngle: -45 } },
      y: { field: 'truth', type: 'nominal', sort: axisSort, title: 'true class' },
    },
    layer: [
      {
        mark: 'rect',
        encoding: {
          color: {
            field: 'fraction',
            type: 'quantitative',
            scale: { scheme: 'blues', domain: [0, 1] },
            title: 'fraction of row',
          },
        },
      },
      {
        mark: { type: 'text', fontSize: 10 },
        encoding: {
          text: { field: 'count', type: 'quantitative' },
          color: { condition: { test: 'datum.fraction > 0.5', value: 'white' }, value: 'black' },
        },
      },
    ],
  };
}

/** Renders a Vega-Lite spec to SVG markup (headless, no canvas needed). */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const view = new View(parse(compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** Rasterizes SVG markup to PNG bytes at the given zoom (2 = retina). */
export function svgToPng(svg: string, zoom = 2): Uint8Array {
  const resvg = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: zoom },
    font: { loadSystemFonts: true, defaultFontFamily: FONT },
    background: 'white',
  });
  return resvg.render().asPng();
}

/**
 * Writes a chart as `<base>.svg` and `<base>.png` (atomically).
 * @returns The two file paths.
 */
export async function writeChart(spec: TopLevelSpec, base: string): Promise<{ svg: string; png: string }> {
  const svg = await renderSvg(spec);
  await writeFileAtomic(`${base}.svg`, svg);
  await writeFileAtomic(`${base}.png`, svgToPng(svg));
  return { svg: `${base}.svg`, png: `${base}.png` };
}
