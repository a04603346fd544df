import { join, relative, resolve } from 'node:path';
import type { LoadedManifest } from '@timbre/dataset/node';
import { writeFileAtomic } from '@timbre/dataset/node';
import type { BackendChoice, PresetName } from '@timbre/models/node';
import type { Command } from 'commander';
import { backendOption } from '../choices.js';
import { colors, pct, table } from '../output.js';
import { outputFor, positiveInt, seedOption } from '../program.js';
import type { TrainRunResult } from '../run-training.js';
import type { TrainJob } from '../training-pool.js';

interface StartFlags {
  epochs: number;
  sourceEpochs?: number;
  out: string;
  seed: number;
  examples: number;
  workers: number;
  jobs?: number;
  backend: BackendChoice;
}

/** Clips over all classes of a split's counts. */
function sumCounts(counts: Record<string, number>): number {
  return Object.values(counts).reduce((a, b) => a + b, 0);
}

/** The default preset of the main job, and why (see README "Why LeNet 3×8"). */
export const MAIN_PRESET: PresetName = 'lenet-3x8';
/** Mel bands of the main job. */
export const MAIN_MELS = 64;

/** A few held-out clips, one per class in turn, for the example predictions. */
function exampleClips(manifest: LoadedManifest, n: number) {
  const byLabel = new Map<string, LoadedManifest['clips']>();
  for (const c of manifest.clips)
    if (c.split === 'test') byLabel.set(c.label, [...(byLabel.get(c.label) ?? []), c]);
  const picks: LoadedManifest['clips'] = [];
  const labels = [...byLabel.keys()];
  for (let i = 0; picks.length < n && i < labels.length * 4; i++) {
    const list = byLabel.get(labels[(i * 5) % labels.length] ?? '') ?? [];
    const c = list[(Math.floor(i / labels.length) * 7) % Math.max(1, list.length)];
    if (c && !picks.includes(c)) picks.push(c);
  }
  return picks;
}

/**
 * `timbre start`: the main job. Builds the built-in corpus if missing, trains the default preset on the
 * paper's random split, trains and tests it again with one recording family held out (the honest
 * number), draws curves and confusion matrices, writes a report and classifies a few held-out clips.
 */
export function registerStart(program: Command): void {
  program
    .command('start')
    .description(
      'the main job: build the corpus, train LeNet 3×8, evaluate (random split + fonts → real recordings), report',
    )
    .option('--epochs <n>', 'epochs on the random split', positiveInt('--epochs'), 20)
    .option(
      '--source-epochs <n>',
      "epochs of the fonts → real trainings (default: the recommended recipe's 15, the paper recipe's 10)",
      positiveInt('--source-epochs'),
    )
    .option('--out <dir>', 'output folder', 'runs/start')
    .option('--seed <n>', 'seed of data selection, split, init and shuffling, 0–4294967295', seedOption(), 0)
    .option('--examples <n>', 'held-out clips to classify at the end', positiveInt('--examples'), 6)
    .option(
      '--workers <n>',
      'data-parallel replicas (2 uses both cores of an idle machine)',
      positiveInt('--workers'),
      1,
    )
    .option(
      '--jobs <n>',
      'trainings at once (default: one per core, divided by --workers)',
      positiveInt('--jobs'),
    )
    .addOption(backendOption())
    .action(async (flags: StartFlags, c: Command) => {
      const { out, flags: g } = outputFor(c);
      const { clipPath } = await import('@timbre/dataset/node');
      const { loadClassifier } = await import('@timbre/models/node');
      const { pictureFiles, recipeRunOptions } = await import('../run-training.js');
      const { defaultConcurrency, runTrainJobs } = await import('../training-pool.js');
      const { builtinCorpus } = await import('../data-source.js');
      const t0 = performance.now();
      const outDir = resolve(flags.out);
      out.info(
        colors.bold(
          '1/3 built-in corpus (14 instruments × 320 clips from 3 SoundFonts + real recordings of 11)',
        ),
      );
      const random = await builtinCorpus(out, 'random', flags.seed, g.cacheDir);
      const source = await builtinCorpus(out, 'by-source', flags.seed, g.cacheDir);
      out.info(`    ${random.manifest.clips.length} clips, manifest ${random.manifest.path}`);

      const { RECIPES, RECOMMENDED_RECIPE } = await import('@timbre/models/node');
      const robust = RECIPES[RECOMMENDED_RECIPE];
      const common = {
        preset: MAIN_PRESET,
        nMels: MAIN_MELS,
        batchSize: 32,
        learningRate: 1e-3,
        seed: flags.seed,
        backend: flags.backend,
        engine: g.engine,
        resume: true,
        overwrite: false,
        cacheDir: g.cacheDir,
        workers: flags.workers,
      };
      const testGroups = source.manifest.split.testGroups?.join(', ') ?? '?';
      const realClasses = Object.keys(source.manifest.split.testCounts);
      const jobs: TrainJob[] = [
        {
          ...common,
          epochs: flags.epochs,
          outDir: join(outDir, 'random'),
          manifestPath: random.manifest.path,
          label: `${MAIN_PRESET} · random split`,
        },
        {
          ...common,
          ...recipeRunOptions(robust),
          ...(flags.sourceEpochs ? { epochs: flags.sourceEpochs } : {}),
          outDir: join(outDir, 'fonts-to-real'),
          manifestPath: source.manifest.path,
          label: `${robust.name} recipe · fonts → ${testGroups}`,
        },
        {
          ...common,
          epochs: flags.sourceEpochs ?? 10,
          outDir: join(outDir, 'fonts-to-real-paper'),
          manifestPath: source.manifest.path,
          label: `paper recipe · fonts → ${testGroups}`,
        },
      ];
      const concurrency = flags.jobs ?? defaultConcurrency(jobs.length, flags.workers);
      out.info(
        colors.bold(
          `\n2/3 train ${MAIN_PRESET} · ${MAIN_MELS} mel on the random split (the paper's protocol), and on the SoundFonts only to test on the real recordings (${realClasses.length} classes) with the '${robust.name}' recipe and the paper's — ${concurrency} at a time`,
        ),
      );
      const [main, loso, losoPaper] = (await runTrainJobs(out, jobs, concurrency)) as [
        TrainRunResult,
        TrainRunResult,
        TrainRunResult,
      ];

      out.info(colors.bold('\n3/3 classify held-out clips with the random-split model'));
      const classifier = await loadClassifier(main.modelDir, { backend: flags.backend, engine: g.engine });
      const examples: { clip: string; truth: string; predicted: string; probability: number; top: string }[] =
        [];
      try {
        for (const clip of exampleClips(random.manifest, flags.examples)) {
          const p = await classifier.predictFile(clipPath(random.manifest, clip), { topK: 3 });
          const top = p.top[0];
          examples.push({
            clip: clip.id,
            truth: clip.label,
            predicted: top?.label ?? '?',
            probability: top?.probability ?? Number.NaN,
            top: p.top.map((t) => `${t.label} ${pct(t.probability)}`).join(', '),
          });
        }
      } finally {
        classifier.dispose();
      }
      const minutes = (performance.now() - t0) / 60000;
      const { mainJobReport } = await import('../report.js');
      const report = mainJobReport({
        outDir,
        preset: MAIN_PRESET,
        nMels: MAIN_MELS,
        seed: flags.seed,
        minutes,
        recipe: robust,
        realClasses,
        randomSplit: { run: main, trainClips: sumCounts(random.manifest.split.trainCounts) },
        fontsToReal: { run: loso, trainClips: sumCounts(source.manifest.split.trainCounts) },
        fontsToRealPaper: { run: losoPaper, trainClips: sumCounts(source.manifest.split.trainCounts) },
        examples,
      });
      await writeFileAtomic(join(outDir, 'report.md'), report);
      out.json({
        minutes,
        random: { accuracy: main.record.testAccuracy, run: join(outDir, 'random') },
        fontsToReal: {
          accuracy: loso.record.testAccuracy,
          recipe: robust.name,
          paperRecipeAccuracy: losoPaper.record.testAccuracy,
          classes: realClasses,
          run: join(outDir, 'fonts-to-real'),
        },
        examples,
        report: join(outDir, 'report.md'),
      });
      out.result(
        `\n${table(
          ['clip', 'true', 'predicted'],
          examples.map((e) => [
            e.clip,
            e.truth,
            `${e.predicted} ${pct(e.probability)}${e.predicted === e.truth ? '' : '  ✗'}`,
          ]),
        )}`,
      );
      out.result(
        `\ntest accuracy, random split (paper's protocol):        ${pct(main.record.testAccuracy)}\n` +
          `fonts → real recordings (${realClasses.length} classes), ${robust.name} recipe: ${pct(loso.record.testAccuracy)}\n` +
          `fonts → real recordings, paper recipe:               ${pct(losoPaper.record.testAccuracy)}\n` +
          `wall time ${minutes.toFixed(1)} min\n\n` +
          `report:   ${join(outDir, 'report.md')}\n` +
          `pictures: ${[main, loso, losoPaper]
            .flatMap((r) => pictureFiles(r.pictures))
            .filter((p) => p.endsWith('.png'))
            .join('\n          ')}\n` +
          `models:   ${main.modelDir}\n          ${loso.modelDir}\n` +
          `next:     timbre predict <your recording> --model ${relative(process.cwd(), join(outDir, 'random')) || '.'}`,
      );
    });
}
