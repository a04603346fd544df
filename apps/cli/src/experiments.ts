/**
 * The paper's experiments (Yun & Bi, section 3.4, figures 5–10) as data: which configurations each
 * compares, and how each of the paper's claims is checked against our curves.
 */

import type { PresetName } from '@timbre/models/node';

export type { PresetName };

/** One trained configuration: a preset at a mel-band count. */
export interface RunConfig {
  preset: PresetName;
  /** Mel bands: 64 or 128. */
  nMels: 64 | 128;
}

/** Per-epoch accuracy record of a finished run (1-based epochs). */
export interface EpochAccuracy {
  epoch: number;
  trainAccuracy: number;
  testAccuracy: number;
}

/** What the experiment runner knows of a finished configuration. */
export interface RunSummary {
  config: RunConfig;
  history: readonly EpochAccuracy[];
  /** Mean wall seconds per epoch. */
  secondsPerEpoch: number;
  /** tfjs backend the run trained on. */
  backend: string;
}

/** A claim of the paper, checked on our runs. */
export interface ClaimVerdict {
  claim: string;
  agrees: boolean;
  /** The numbers behind the verdict, in words. */
  evidence: string;
}

/** One experiment of section 3.4. */
export interface Experiment {
  /** CLI name, e.g. `kernel`. */
  id: ExperimentId;
  /** Paper section, e.g. `3.4.2`. */
  section: string;
  title: string;
  /** Configurations compared; `lenet-vs-lstm` resolves its two from earlier results. */
  configs(previous: readonly RunSummary[]): RunConfig[];
  /** The paper's claims for this comparison, checked on our summaries (same order as `configs`). */
  claims(runs: readonly RunSummary[]): ClaimVerdict[];
}

export type ExperimentId =
  | 'filterbank'
  | 'kernel'
  | 'lstm-units'
  | 'lstm-layers'
  | 'lstm-second-layer'
  | 'lenet-vs-lstm';

/** All experiment ids in paper order. */
export const EXPERIMENT_IDS: readonly ExperimentId[] = [
  'filterbank',
  'kernel',
  'lstm-units',
  'lstm-layers',
  'lstm-second-layer',
  'lenet-vs-lstm',
];

/** Human name of a configuration, e.g. `lenet-3x8 · 64 mel`. */
export function configName(c: RunConfig): string {
  return `${c.preset} · ${c.nMels} mel`;
}

/** Stable directory-safe key of a configuration, e.g. `lenet-3x8-m64`. */
export function configKey(c: RunConfig): string {
  return `${c.preset}-m${c.nMels}`;
}

/**
 * Final accuracy used by the claims: the mean test accuracy over the last `min(3, epochs)` epochs,
 * which is less noisy than the last epoch alone.
 */
export function finalAccuracy(run: RunSummary): number {
  const h = run.history;
  if (h.length === 0) return Number.NaN;
  const tail = h.slice(-Math.min(3, h.length));
  return tail.reduce((a, e) => a + e.testAccuracy, 0) / tail.length;
}

/** Test accuracy after the first epoch. */
export function firstEpochAccuracy(run: RunSummary): number {
  return run.history[0]?.testAccuracy ?? Number.NaN;
}

/** Best test accuracy and the (1-based) epoch it was reached. */
export function bestAccuracy(run: RunSummary): { accuracy: number; epoch: number } {
  let best = { accuracy: Number.NaN, epoch: 0 };
  for (const e of run.history) {
    if (!(e.testAccuracy <= best.accuracy)) best = { accuracy: e.testAccuracy, epoch: e.epoch };
  }
  return best;
}

/** Two accuracies within this many points count as "about equal". */
export const ABOUT_EQUAL_PP = 2;

const pp = (x: number) => `${(x * 100).toFixed(1)}%`;

function find(runs: readonly RunSummary[], preset: PresetName, nMels: number): RunSummary {
  const r = runs.find((x) => x.config.preset === preset && x.config.nMels === nMels);
  if (!r) throw new Error(`internal: run ${preset} at ${nMels} mel missing`);
  return r;
}

function better(claim: string, a: RunSummary, b: RunSummary): ClaimVerdict {
  const fa = finalAccuracy(a);
  const fb = finalAccuracy(b);
  return {
    claim,
    agrees: fa > fb,
    evidence: `${configName(a.config)} ${pp(fa)} vs ${configName(b.config)} ${pp(fb)} (final test accuracy, mean of last 3 epochs)`,
  };
}

const isLenet = (p: PresetName) => p.startsWith('lenet');

/** Picks the configuration with the highest final accuracy among those matching `family`. */
function bestOf(runs: readonly RunSummary[], family: 'lenet' | 'lstm'): RunConfig | undefined {
  let best: RunSummary | undefined;
  for (const r of runs) {
    if (isLenet(r.config.preset) !== (family === 'lenet')) continue;
    if (!best || finalAccuracy(r) > finalAccuracy(best)) best = r;
  }
  return best?.config;
}

/** The six experiments of section 3.4. */
export const EXPERIMENTS: Record<ExperimentId, Experiment> = {
  filterbank: {
    id: 'filterbank',
    section: '3.4.1',
    title: '64 vs 128 mel bands, for LeNet and LSTM',
    configs: () => [
      { preset: 'lenet-5x5', nMels: 64 },
      { preset: 'lenet-5x5', nMels: 128 },
      { preset: 'lstm-128', nMels: 64 },
      { preset: 'lstm-128', nMels: 128 },
    ],
    claims: (runs) => [
      better('128 mel bands help LeNet', find(runs, 'lenet-5x5', 128), find(runs, 'lenet-5x5', 64)),
      better('64 mel bands help the LSTM', find(runs, 'lstm-128', 64), find(runs, 'lstm-128', 128)),
    ],
  },
  kernel: {
    id: 'kernel',
    section: '3.4.2',
    title: 'LeNet kernels 5×5 vs 3×8 (64×80 input)',
    configs: () => [
      { preset: 'lenet-5x5', nMels: 64 },
      { preset: 'lenet-3x8', nMels: 64 },
    ],
    claims: (runs) => {
      const a = find(runs, 'lenet-3x8', 64);
      const b = find(runs, 'lenet-5x5', 64);
      const d = Math.abs(finalAccuracy(a) - finalAccuracy(b));
      return [
        {
          claim: '3×8 learns faster in the first epoch',
          agrees: firstEpochAccuracy(a) > firstEpochAccuracy(b),
          evidence: `epoch-1 test accuracy 3×8 ${pp(firstEpochAccuracy(a))} vs 5×5 ${pp(firstEpochAccuracy(b))}`,
        },
        {
          claim: '3×8 and 5×5 end about equal',
          agrees: d <= ABOUT_EQUAL_PP / 100,
          evidence: `final ${pp(finalAccuracy(a))} vs ${pp(finalAccuracy(b))}: ${(d * 100).toFixed(1)} points apart (≤ ${ABOUT_EQUAL_PP} counts as equal)`,
        },
      ];
    },
  },
  'lstm-units': {
    id: 'lstm-units',
    section: '3.4.3',
    title: 'LSTM with 64 vs 128 units (one layer, 64 mel)',
    configs: () => [
      { preset: 'lstm-64', nMels: 64 },
      { preset: 'lstm-128', nMels: 64 },
    ],
    // The paper draws no verdict here that we check; the report still tabulates both runs.
    claims: () => [],
  },
  'lstm-layers': {
    id: 'lstm-layers',
    section: '3.4.4',
    title: 'One LSTM layer (128) vs two (128-128, 128-64)',
    configs: () => [
      { preset: 'lstm-128', nMels: 64 },
      { preset: 'lstm-128-128', nMels: 64 },
      { preset: 'lstm-128-64', nMels: 64 },
    ],
    claims: (runs) => {
      const one = find(runs, 'lstm-128', 64);
      return [
        better('two layers (128-128) beat one', find(runs, 'lstm-128-128', 64), one),
        better('two layers (128-64) beat one', find(runs, 'lstm-128-64', 64), one),
      ];
    },
  },
  'lstm-second-layer': {
    id: 'lstm-second-layer',
    section: '3.4.5',
    title: 'Second LSTM layer of 128 vs 64 units',
    configs: () => [
      { preset: 'lstm-128-128', nMels: 64 },
      { preset: 'lstm-128-64', nMels: 64 },
    ],
    // The paper draws no verdict here that we check; the report still tabulates both runs.
    claims: () => [],
  },
  'lenet-vs-lstm': {
    id: 'lenet-vs-lstm',
    section: '3.4.6',
    title: 'Best LeNet vs best LSTM',
    configs: (previous) => [
      bestOf(previous, 'lenet') ?? { preset: 'lenet-3x8', nMels: 128 },
      bestOf(previous, 'lstm') ?? { preset: 'lstm-128-128', nMels: 64 },
    ],
    claims: (runs) => {
      const lenet = runs.find((r) => isLenet(r.config.preset));
      const lstm = runs.find((r) => !isLenet(r.config.preset));
      if (!lenet || !lstm) return [];
      return [
        {
          claim: 'LeNet learns faster than the LSTM',
          agrees: firstEpochAccuracy(lenet) > firstEpochAccuracy(lstm),
          evidence: `epoch-1 test accuracy ${configName(lenet.config)} ${pp(firstEpochAccuracy(lenet))} vs ${configName(lstm.config)} ${pp(firstEpochAccuracy(lstm))}`,
        },
        {
          claim: 'LeNet ends a little higher than the LSTM',
          agrees: finalAccuracy(lenet) >= finalAccuracy(lstm),
          evidence: `final ${pp(finalAccuracy(lenet))} vs ${pp(finalAccuracy(lstm))}`,
        },
      ];
    },
  },
};
