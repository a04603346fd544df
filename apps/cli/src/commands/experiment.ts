import { join, resolve } from 'node:path';
import type { LoadedManifest } from '@timbre/dataset/node';
import { writeFileAtomic } from '@timbre/dataset/node';
import type { TrainingEngine } from '@timbre/models/names';
import type { Command } from 'commander';

import { UsageError } from '../errors.js';
import {
  configKey,
  configName,
  EXPERIMENT_IDS,
  EXPERIMENTS,
  type ExperimentId,
  finalAccuracy,
  type RunConfig,
  type RunSummary,
} from '../experiments.js';
import { type Output, pct, table } from '../output.js';

import { outputFor, positiveInt } from '../program.js';
import { claimLines, experimentReport } from '../report.js';
import { readRunRecord } from '../run-store.js';
import type { TrainJob } from '../training-pool.js';

import { addTrainingOptions, type TrainingFlags } from './train.js';

interface ExperimentFlags extends TrainingFlags {
  epochs: number;
  out: string;
  seeds: string;
  groups: string;
  recipes: string;
  randomSplit: boolean;
  jobs?: number;
  /** The global `--engine` (`$TIMBRE_ENGINE`), copied in by the action. */
  engine: TrainingEngine;
}

/** Parses a comma list against the valid values, or throws a usage error naming the flag. */
function commaList<T extends string>(flag: string, value: string, valid: readonly T[]): T[] {
  const items = value
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean);
  const bad = items.find((v) => !valid.includes(v as T));
  if (bad !== undefined || items.length === 0)
    throw new UsageError(
      `${flag}: '${bad ?? value}' is not valid; expected a comma list of ${valid.join(', ')}`,
    );
  return items as T[];
}

/** `timbre experiment generalization`: leave-one-group-out over the built-in corpus's recording groups. */
async function generalizationAction(flags: ExperimentFlags, c: Command): Promise<void> {
  const { out, flags: g } = outputFor(c);
  const { RECIPES } = await import('@timbre/models/node');
  const { runGeneralization, SOURCE_GROUPS, writeGeneralizationReport } = await import(
    '../generalization.js'
  );
  const recipes = commaList('--recipes', flags.recipes, Object.keys(RECIPES) as (keyof typeof RECIPES)[]);
  const groups = commaList('--groups', flags.groups, SOURCE_GROUPS);
  const seeds = flags.seeds.split(',').map((v) => {
    const n = Number(v);
    if (v.trim() === '' || !Number.isInteger(n) || n < 0)
      throw new UsageError(`--seeds: '${v}' is not a non-negative integer (e.g. --seeds 0,1,2)`);
    return n;
  });
  const t0 = performance.now();
  const common = {
    recipes: recipes.map((r) => RECIPES[r]),
    ...(c.getOptionValueSource('epochs') === 'cli' ? { epochs: flags.epochs } : {}),
    out: join(resolve(flags.out), 'generalization'),
    cacheDir: g.cacheDir,
    backend: flags.backend,
    engine: flags.engine,
    ...(flags.augmentThreads !== undefined ? { augmentThreads: flags.augmentThreads } : {}),
  };
  const { runs, randomSplit } = await runGeneralization(out, {
    ...common,
    groups,
    seeds,
    randomSplit: flags.randomSplit,
    ...(flags.jobs ? { concurrency: flags.jobs } : {}),
  });
  const files = await writeGeneralizationReport(
    out,
    runs,
    join(resolve(flags.out), 'generalization'),
    (performance.now() - t0) / 60000,
    randomSplit,
  );
  out.json({ runs, randomSplit: randomSplit ?? null, ...files });
}

/** A finished run of `config` in the experiment folder, or the training that makes (or resumes) it. */
async function planConfig(
  config: RunConfig,
  flags: ExperimentFlags,
  manifest: LoadedManifest,
  cacheDir: string | undefined,
): Promise<{ done: RunSummary; dir: string } | { job: TrainJob }> {
  const { recipeRunOptions } = await import('../run-training.js');
  const { RECIPES, RECOMMENDED_AUGMENT } = await import('@timbre/models/node');
  // The paper's comparisons fix network, bands and epochs; the recipe gives the features and augmentation.
  const { dsp, recipe, augment, waveAugment, averageWeightsFrom } = recipeRunOptions(
    RECIPES[flags.recipe],
    flags.augment ? RECOMMENDED_AUGMENT : undefined,
  );
  const dir = join(resolve(flags.out), 'runs', configKey(config));
  const existing = await readRunRecord(dir);
  if (
    existing &&
    existing.completedEpochs >= flags.epochs &&
    existing.epochs === flags.epochs &&
    existing.seed === flags.seed &&
    existing.manifest === manifest.path
  ) {
    return {
      dir,
      done: {
        config,
        history: existing.history,
        secondsPerEpoch: existing.secondsPerEpoch,
        backend: existing.backend,
      },
    };
  }
  // A matching interrupted run continues from its checkpoint; a different one is replaced.
  const same = Boolean(existing && existing.seed === flags.seed && existing.manifest === manifest.path);
  return {
    job: {
      preset: config.preset,
      nMels: config.nMels,
      epochs: flags.epochs,
      batchSize: flags.batch,
      learningRate: flags.lr,
      seed: flags.seed,
      backend: flags.backend,
      engine: flags.engine,
      outDir: dir,
      manifestPath: manifest.path,
      resume: !existing || same,
      overwrite: Boolean(existing && !same),
      cacheDir,
      workers: flags.workers,
      ...(flags.augmentThreads !== undefined ? { augmentThreads: flags.augmentThreads } : {}),
      dsp,
      recipe,
      ...(augment ? { augment } : {}),
      ...(waveAugment ? { waveAugment } : {}),
      ...(averageWeightsFrom !== undefined ? { averageWeightsFrom } : {}),
      label: configName(config),
    },
  };
}

/** Trains (or reuses, or resumes) one configuration of an experiment series and summarizes it. */
async function runConfig(
  out: Output,
  config: RunConfig,
  flags: ExperimentFlags,
  manifest: LoadedManifest,
  cacheDir: string | undefined,
): Promise<RunSummary> {
  const plan = await planConfig(config, flags, manifest, cacheDir);
  if ('done' in plan) {
    out.info(`${configName(config)}: reusing the finished run in ${plan.dir}`);
    return plan.done;
  }
  const { runTrainJobs } = await import('../training-pool.js');
  const [r] = await runTrainJobs(out, [plan.job], 1);
  return {
    config,
    history: r!.record.history,
    secondsPerEpoch: r!.record.secondsPerEpoch,
    backend: r!.record.backend,
  };
}

/**
 * Trains the configurations of `ids` that do not depend on earlier results (all but lenet-vs-lstm's),
 * `concurrency` at a time, so the series below finds them finished.
 */
async function prerunConfigs(
  out: Output,
  ids: readonly ExperimentId[],
  flags: ExperimentFlags,
  manifest: LoadedManifest,
  cacheDir: string | undefined,
  concurrency: number,
): Promise<void> {
  const keys = new Set<string>();
  const jobs: TrainJob[] = [];
  for (const id of ids) {
    if (id === 'lenet-vs-lstm') continue;
    for (const config of EXPERIMENTS[id].configs([])) {
      if (keys.has(configKey(config))) continue;
      keys.add(configKey(config));
      const plan = await planConfig(config, flags, manifest, cacheDir);
      if ('job' in plan) jobs.push(plan.job);
    }
  }
  if (jobs.length < 2) return;
  const { runTrainJobs } = await import('../training-pool.js');
  out.info(`${jobs.length} trainings, ${Math.min(concurrency, jobs.length)} at a time`);
  await runTrainJobs(out, jobs, concurrency);
}

/** `timbre experiment`: the paper's comparisons (section 3.4) with figures and a report per experiment. */
export function registerExperiment(program: Command): void {
  const cmd = program
    .command('experiment')
    .description("run the paper's comparisons (section 3.4): figures (SVG, PNG) and report.md per experiment")
    .argument('<which>', `${EXPERIMENT_IDS.join(' | ')} | all | generalization`)
    .option(
      '--epochs <n>',
      "epochs per configuration (the paper: 100; generalization: each recipe's own)",
      positiveInt('--epochs'),
      100,
    )
    .option('--out <dir>', 'output folder', 'runs/experiments')
    .option('--seeds <list>', 'generalization: seeds', '0,1,2')
    .option(
      '--groups <list>',
      'generalization: groups to hold out, of real, timgm, fluid',
      'real,timgm,fluid',
    )
    .option(
      '--jobs <n>',
      'independent trainings at once (default: one per core, divided by --workers)',
      positiveInt('--jobs'),
    )
    .option('--no-random-split', "generalization: skip each recipe's run on the paper's random split")
    .option(
      '--recipes <list>',
      'generalization: recipes to compare, of paper, robust, robust-wave, robust-swad, robust-swad-wave',
      'paper,robust,robust-wave',
    );
  addTrainingOptions(cmd)
    .addHelpText(
      'after',
      `
Configurations are shared between experiments and reused when finished; an interrupted run resumes
from its last checkpoint. Experiments: ${EXPERIMENT_IDS.map((id) => `${id} (${EXPERIMENTS[id].section})`).join(', ')}.

Examples:
  $ timbre experiment kernel --epochs 10
  $ timbre experiment all --epochs 100 --out runs/paper
  $ timbre experiment generalization --seeds 0,1,2            # leave-one-group-out, paper vs robust recipe
  $ timbre experiment generalization --groups real --recipes robust --seeds 0`,
    )
    .action(async (which: string, local: Omit<ExperimentFlags, 'engine'>, c: Command) => {
      const { out, flags: g } = outputFor(c);
      const flags: ExperimentFlags = { ...local, engine: g.engine };
      if (which === 'generalization') return generalizationAction(flags, c);
      const ids: ExperimentId[] =
        which === 'all'
          ? [...EXPERIMENT_IDS]
          : EXPERIMENT_IDS.includes(which as ExperimentId)
            ? [which as ExperimentId]
            : [];
      if (ids.length === 0)
        throw new UsageError(
          `unknown experiment '${which}': expected one of ${EXPERIMENT_IDS.join(', ')}, all, generalization`,
        );
      const { resolveManifest } = await import('../data-source.js');
      const { accuracyCurveSpec, writeChart } = await import('../plot.js');
      const manifest = await resolveManifest(out, flags.data, g.cacheDir);
      const t0 = performance.now();
      const { defaultConcurrency } = await import('../training-pool.js');
      const concurrency = flags.jobs ?? defaultConcurrency(Number.POSITIVE_INFINITY, flags.workers);
      if (concurrency > 1) await prerunConfigs(out, ids, flags, manifest, g.cacheDir, concurrency);
      const done = new Map<string, RunSummary>();
      const sections: string[] = [];
      const results: {
        id: ExperimentId;
        report: string;
        figure: string;
        claims: ReturnType<(typeof EXPERIMENTS)[ExperimentId]['claims']>;
      }[] = [];
      for (const id of ids) {
        const exp = EXPERIMENTS[id];
        out.info(`\n== ${exp.section} ${exp.title} ==`);
        // lenet-vs-lstm picks the best of what earlier experiments (in this folder) produced.
        const previous = [...done.values()];
        if (id === 'lenet-vs-lstm' && previous.length === 0) {
          for (const cfg of EXPERIMENT_IDS.flatMap((e) =>
            e === 'lenet-vs-lstm' ? [] : EXPERIMENTS[e].configs([]),
          )) {
            const rec = await readRunRecord(join(resolve(flags.out), 'runs', configKey(cfg)));
            if (rec && rec.completedEpochs >= flags.epochs && rec.seed === flags.seed)
              previous.push({
                config: cfg,
                history: rec.history,
                secondsPerEpoch: rec.secondsPerEpoch,
                backend: rec.backend,
              });
          }
        }
        const runs: RunSummary[] = [];
        for (const config of exp.configs(previous)) {
          const key = configKey(config);
          const summary = done.get(key) ?? (await runConfig(out, config, flags, manifest, g.cacheDir));
          done.set(key, summary);
          runs.push(summary);
        }
        const dir = join(resolve(flags.out), id);
        const fig = await writeChart(
          accuracyCurveSpec(
            runs.flatMap((r) =>
              r.history.flatMap((e) => [
                {
                  config: configName(r.config),
                  epoch: e.epoch,
                  split: 'test' as const,
                  accuracy: e.testAccuracy,
                },
                {
                  config: configName(r.config),
                  epoch: e.epoch,
                  split: 'train' as const,
                  accuracy: e.trainAccuracy,
                },
              ]),
            ),
            `${exp.section} ${exp.title}`,
          ),
          join(dir, 'accuracy'),
        );
        const report = experimentReport(exp, runs, 'accuracy.svg', flags.epochs);
        await writeFileAtomic(join(dir, 'report.md'), report);
        const claims = exp.claims(runs);
        results.push({ id, report: join(dir, 'report.md'), figure: fig.png, claims });
        sections.push(
          `## ${exp.section} ${exp.title}\n\n![](${id}/accuracy.svg)\n\n${claims.length ? claimLines(claims).join('\n') : 'No claim of the paper to check.'}\n`,
        );
        out.result(`\n${exp.section} ${exp.title}`);
        out.result(
          table(
            ['configuration', 'final test', 'best', 's/epoch'],
            runs.map((r) => [
              configName(r.config),
              pct(finalAccuracy(r)),
              pct(Math.max(...r.history.map((h) => h.testAccuracy))),
              r.secondsPerEpoch.toFixed(2),
            ]),
          ),
        );
        for (const cl of claims)
          out.result(`  ${cl.agrees ? 'agrees   ' : 'disagrees'}  ${cl.claim}: ${cl.evidence}`);
        out.result(`  figure: ${fig.png}\n  report: ${join(dir, 'report.md')}`);
      }
      const minutes = (performance.now() - t0) / 60000;
      if (ids.length > 1) {
        const summary = `# Paper experiments (section 3.4)\n\n${flags.epochs} epochs per configuration, seed ${flags.seed}, dataset ${manifest.path} (split ${manifest.split.strategy}). Wall time ${minutes.toFixed(1)} min.\n\n${sections.join('\n')}`;
        await writeFileAtomic(join(resolve(flags.out), 'report.md'), summary);
        out.result(`\nsummary: ${join(resolve(flags.out), 'report.md')} (${minutes.toFixed(1)} min)`);
      }
      out.json({ epochs: flags.epochs, minutes, experiments: results });
    });
}
