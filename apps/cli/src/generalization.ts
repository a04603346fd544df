import { join, resolve } from 'node:path';
import type { TrainingRecipe } from '@timbre/models';
import { writeFileAtomic } from './atomic-write.js';
import { type Output, pct } from './output.js';
import { readRunRecord } from './run-store.js';

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

/**
 * Each recipe once on the paper's random split of the built-in corpus (seed 0), for comparison beside the
 * leave-one-group-out numbers; finished runs are reused.
 * @returns recipe name → test accuracy.
 */
export async function runRandomSplit(
  out: Output,
  o: Omit<GeneralizationOptions, 'groups' | 'seeds'>,
): Promise<Record<string, number>> {
  const { builtinCorpus } = await import('./data-source.js');
  const { recipeRunOptions, trainRun } = await import('./run-training.js');
  const { manifest } = await builtinCorpus(out, 'random', 0, o.cacheDir);
  const result: Record<string, number> = {};
  for (const recipe of o.recipes) {
    const dir = join(resolve(o.out), 'runs', `${recipe.name}-random-s0`);
    const existing = await readRunRecord(dir);
    const same = existing && existing.seed === 0 && existing.manifest === manifest.path;
    const r = await trainRun(out, {
      ...recipeRunOptions(recipe),
      ...(o.epochs ? { epochs: o.epochs } : {}),
      seed: 0,
      backend: o.backend,
      outDir: dir,
      manifest,
      resume: !existing || Boolean(same),
      overwrite: Boolean(existing && !same),
      cacheDir: o.cacheDir,
      workers: 1,
      label: `${recipe.name} · random split · seed 0`,
    });
    result[recipe.name] = r.record.testAccuracy;
  }
  return result;
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
}

/**
 * Leave-one-group-out: for every recipe, held-out group and seed, trains on the other groups of the
 * built-in corpus and scores the held-out group's original clips of the classes it has (the model still
 * chooses among all 14). Finished trainings are reused, interrupted ones resume.
 */
export async function runGeneralization(out: Output, o: GeneralizationOptions): Promise<GroupRun[]> {
  const { builtinCorpus } = await import('./data-source.js');
  const { recipeRunOptions, trainRun } = await import('./run-training.js');
  const runs: GroupRun[] = [];
  for (const group of o.groups) {
    const { manifest } = await builtinCorpus(out, 'by-source', 0, o.cacheDir, [group]);
    for (const recipe of o.recipes) {
      for (const seed of o.seeds) {
        const dir = join(resolve(o.out), 'runs', `${recipe.name}-holdout-${group}-s${seed}`);
        const existing = await readRunRecord(dir);
        const same = existing && existing.seed === seed && existing.manifest === manifest.path;
        const r = await trainRun(out, {
          ...recipeRunOptions(recipe),
          ...(o.epochs ? { epochs: o.epochs } : {}),
          seed,
          backend: o.backend,
          outDir: dir,
          manifest,
          resume: !existing || Boolean(same),
          overwrite: Boolean(existing && !same),
          cacheDir: o.cacheDir,
          workers: 1,
          label: `${recipe.name} · held-out ${group} · seed ${seed}`,
        });
        const ev = r.evaluation!;
        const present = ev.perClass.filter((m) => m.support > 0);
        runs.push({
          recipe: recipe.name,
          group,
          seed,
          accuracy: ev.accuracy,
          classes: present.map((m) => m.label),
          testClips: ev.n,
          trainClips: Object.values(manifest.split.trainCounts).reduce((a, b) => a + b, 0),
          recall: Object.fromEntries(present.map((m) => [m.label, m.recall])),
          secondsPerEpoch: r.record.secondsPerEpoch,
          run: dir,
        });
      }
    }
  }
  return runs;
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
