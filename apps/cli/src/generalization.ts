import { join, resolve } from 'node:path';
import type { LoadedManifest } from '@timbre/dataset/node';
import { writeFileAtomic } from '@timbre/dataset/node';
import type { TrainingEngine, TrainingRecipe } from '@timbre/models/node';
import { type Output, pct } from './output.js';
import { readRunRecord } from './run-store.js';
import type { TrainJob } from './training-pool.js';

/** The independent recording groups of the built-in corpus, in the order they are held out. */
export const SOURCE_GROUPS = ['real', 'timgm', 'fluid'] as const;

/** What a held-out group is, in words. */
export const GROUP_NAMES: Readonly<Record<string, string>> = {
  real: 'real recordings (tonejs-instruments, VSCO 2; 11 classes)',
  timgm: 'TimGM6mb SoundFont',
  fluid: 'FluidR3Mono + MuseScore_General_Lite SoundFonts',
};

/** One training with one group held out. */
export interface GroupRun {
  recipe: string;
  group: string;
  seed: number;
  /** Accuracy on the held-out group's original clips, in [0, 1]. */
  accuracy: number;
  /** Classes scored (present in the held-out group). */
  classes: string[];
  /** Held-out clips scored. */
  testClips: number;
  trainClips: number;
  /** Recall per class present, in [0, 1]. */
  recall: Record<string, number>;
  secondsPerEpoch: number;
  run: string;
}

/** Mean and sample standard deviation (0 for one value). */
export function meanSd(v: readonly number[]): { mean: number; sd: number } {
  const mean = v.reduce((a, b) => a + b, 0) / Math.max(1, v.length);
  const sd = v.length > 1 ? Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / (v.length - 1)) : 0;
  return { mean, sd };
}

/** `mean ± sd %` of accuracies in [0, 1]. */
export function pctMeanSd(v: readonly number[]): string {
  const { mean, sd } = meanSd(v);
  return `${(100 * mean).toFixed(1)} ± ${(100 * sd).toFixed(1)} %`;
}

/** Options of {@link runGeneralization}. */
export interface GeneralizationOptions {
  recipes: readonly TrainingRecipe[];
  groups: readonly string[];
  seeds: readonly number[];
  /** Epochs per training; default each recipe's own. */
  epochs?: number;
  out: string;
  cacheDir: string | undefined;
  backend: 'auto' | 'tensorflow' | 'wasm' | 'cpu';
  /** Training engine. */
  engine: TrainingEngine;
  /** Threads that augment the next batches of the waveform recipes, 0–8; absent = `train`'s default. */
  augmentThreads?: number;
  /** Also train each recipe once on the paper's random split (seed 0), for comparison. */
  randomSplit?: boolean;
  /** Trainings at once, ≥ 1 (one per core by default; see `defaultConcurrency`). */
  concurrency?: number;
}

/** What {@link runGeneralization} measured. */
export interface GeneralizationResult {
  runs: GroupRun[];
  /** recipe name → test accuracy on the paper's random split, when asked for. */
  randomSplit?: Record<string, number>;
}

/**
 * Leave-one-group-out: for every recipe, held-out group and seed, trains on the other groups of the
 * built-in corpus and scores the held-out group's original clips of the classes it has (the model still
 * chooses among all 14); with `randomSplit`, each recipe once on the paper's random split too. The
 * corpora are built first, then the trainings run `concurrency` at a time (same seeds → same weights
 * whatever the concurrency). Finished trainings are reused, interrupted ones resume.
 */
export async function runGeneralization(
  out: Output,
  o: GeneralizationOptions,
): Promise<GeneralizationResult> {
  const { builtinCorpus } = await import('./data-source.js');
  const { recipeRunOptions } = await import('./run-training.js');
  const { defaultConcurrency, runTrainJobs } = await import('./training-pool.js');
  const jobs: TrainJob[] = [];
  const meta: { recipe: string; group?: string; seed: number; trainClips: number }[] = [];
  const add = async (
    manifest: LoadedManifest,
    recipe: TrainingRecipe,
    seed: number,
    name: string,
    label: string,
  ) => {
    const dir = join(resolve(o.out), 'runs', name);
    const existing = await readRunRecord(dir);
    const same = existing && existing.seed === seed && existing.manifest === manifest.path;
    jobs.push({
      ...recipeRunOptions(recipe),
      ...(o.epochs ? { epochs: o.epochs } : {}),
      seed,
      backend: o.backend,
      engine: o.engine,
      outDir: dir,
      manifestPath: manifest.path,
      resume: !existing || Boolean(same),
      overwrite: Boolean(existing && !same),
      cacheDir: o.cacheDir,
      workers: 1,
      ...(o.augmentThreads !== undefined ? { augmentThreads: o.augmentThreads } : {}),
      label,
    });
  };
  for (const group of o.groups) {
    const { manifest } = await builtinCorpus(out, 'by-source', 0, o.cacheDir, [group]);
    const trainClips = Object.values(manifest.split.trainCounts).reduce((a, b) => a + b, 0);
    for (const recipe of o.recipes)
      for (const seed of o.seeds) {
        await add(
          manifest,
          recipe,
          seed,
          `${recipe.name}-holdout-${group}-s${seed}`,
          `${recipe.name} · held-out ${group} · seed ${seed}`,
        );
        meta.push({ recipe: recipe.name, group, seed, trainClips });
      }
  }
  if (o.randomSplit) {
    const { manifest } = await builtinCorpus(out, 'random', 0, o.cacheDir);
    for (const recipe of o.recipes) {
      await add(manifest, recipe, 0, `${recipe.name}-random-s0`, `${recipe.name} · random split · seed 0`);
      meta.push({ recipe: recipe.name, seed: 0, trainClips: 0 });
    }
  }
  const results = await runTrainJobs(out, jobs, o.concurrency ?? defaultConcurrency(jobs.length));
  const runs: GroupRun[] = [];
  const randomSplit: Record<string, number> = {};
  results.forEach((r, i) => {
    const m = meta[i]!;
    if (m.group === undefined) {
      randomSplit[m.recipe] = r.record.testAccuracy;
      return;
    }
    const ev = r.evaluation!;
    const present = ev.perClass.filter((k) => k.support > 0);
    runs.push({
      recipe: m.recipe,
      group: m.group,
      seed: m.seed,
      accuracy: ev.accuracy,
      classes: present.map((k) => k.label),
      testClips: ev.n,
      trainClips: m.trainClips,
      recall: Object.fromEntries(present.map((k) => [k.label, k.recall])),
      secondsPerEpoch: r.record.secondsPerEpoch,
      run: jobs[i]!.outDir,
    });
  });
  return { runs, ...(o.randomSplit ? { randomSplit } : {}) };
}

/**
 * The leave-one-group-out table (markdown): mean ± sd per recipe and held-out group, and their mean; with
 * `randomSplit` (recipe → accuracy), a last column with the paper's random split for comparison.
 */
export function generalizationTable(
  runs: readonly GroupRun[],
  randomSplit?: Readonly<Record<string, number>>,
): string {
  const recipes = [...new Set(runs.map((r) => r.recipe))];
  const groups = [...new Set(runs.map((r) => r.group))];
  const extra = randomSplit ? ' random split (paper protocol, seed 0) |' : '';
  const lines = [
    `| recipe | ${groups.map((g) => `held out: ${g}`).join(' | ')} | mean over groups |${extra}`,
    `|---|${groups.map(() => '---:').join('|')}|---:|${randomSplit ? '---:|' : ''}`,
  ];
  for (const rec of recipes) {
    const cells = groups.map((g) => {
      const v = runs.filter((r) => r.recipe === rec && r.group === g).map((r) => r.accuracy);
      return v.length ? pctMeanSd(v) : '—';
    });
    const means = groups.map(
      (g) => meanSd(runs.filter((r) => r.recipe === rec && r.group === g).map((r) => r.accuracy)).mean,
    );
    const random = randomSplit ? ` ${randomSplit[rec] === undefined ? '—' : pct(randomSplit[rec])} |` : '';
    lines.push(
      `| ${rec} | ${cells.join(' | ')} | ${pct(means.reduce((a, b) => a + b, 0) / means.length)} |${random}`,
    );
  }
  return lines.join('\n');
}

/** Writes `generalization.json`, `report.md` and the figure; prints the table. */
export async function writeGeneralizationReport(
  out: Output,
  runs: readonly GroupRun[],
  outDir: string,
  minutes: number,
  randomSplit?: Readonly<Record<string, number>>,
): Promise<{ report: string; json: string; figure: string }> {
  const { groupBarSpec, writeChart } = await import('./plot.js');
  const dir = resolve(outDir);
  const fig = await writeChart(
    groupBarSpec(
      runs.map((r) => ({ group: r.group, recipe: r.recipe, accuracy: r.accuracy })),
      'Leave-one-group-out accuracy',
    ),
    join(dir, 'generalization'),
  );
  const json = join(dir, 'generalization.json');
  await writeFileAtomic(json, JSON.stringify({ minutes, runs, randomSplit: randomSplit ?? null }, null, 2));
  const groups = [...new Set(runs.map((r) => r.group))];
  const seeds = [...new Set(runs.map((r) => r.seed))];
  const tableMd = generalizationTable(runs, randomSplit);
  const report = [
    '# Leave-one-group-out generalization',
    '',
    `Each training holds one independent recording group out and is scored on that group's original clips`,
    `(one onset clip per recording, no pitch-shifted or offset copies), on the classes the group has; the`,
    `model still chooses among all 14. Seeds ${seeds.join(', ')}; mean ± sample sd. Wall time ${minutes.toFixed(1)} min.`,
    '',
    ...groups.map((g) => `- **${g}**: ${GROUP_NAMES[g] ?? g}`),
    '',
    tableMd,
    '',
    '![leave-one-group-out](generalization.svg)',
    '',
    '## Per-class recall on the held-out group (mean over seeds)',
    '',
    ...[...new Set(runs.map((r) => `${r.recipe}|${r.group}`))].flatMap((k) => {
      const [rec, g] = k.split('|') as [string, string];
      const rs = runs.filter((r) => r.recipe === rec && r.group === g);
      const classes = rs[0]?.classes ?? [];
      return [
        `**${rec}, held out ${g}** (${rs[0]?.testClips ?? 0} clips): ${classes
          .map((c) => `${c} ${pct(meanSd(rs.map((r) => r.recall[c] ?? 0)).mean)}`)
          .join(', ')}`,
        '',
      ];
    }),
  ].join('\n');
  const reportPath = join(dir, 'report.md');
  await writeFileAtomic(reportPath, `${report}\n`);
  out.result(`\n${tableMd}`);
  out.result(`\nreport: ${reportPath}\nfigure: ${fig.png}\ndata:   ${json}`);
  return { report: reportPath, json, figure: fig.png };
}
