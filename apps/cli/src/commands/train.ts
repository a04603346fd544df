import type { BackendChoice, PresetName } from '@timbre/models/node';
import type { Command } from 'commander';
import { backendOption, PRESETS, RECIPES } from '../choices.js';
import { UsageError } from '../errors.js';
import { pct } from '../output.js';
import { numberIn, Option, outputFor, seedOption } from '../program.js';

/** Flags shared by the commands that train (`train`, `experiment`). */
export interface TrainingFlags {
  batch: number;
  lr: number;
  seed: number;
  backend: BackendChoice;
  data?: string;
  workers: number;
  /** `--augment-threads`; absent = the library's default. */
  augmentThreads?: number;
  augment: boolean;
  recipe: (typeof RECIPES)[number];
}

/** Adds the training flags shared by `train` and `experiment`. */
export function addTrainingOptions(cmd: Command): Command {
  return cmd
    .option(
      '--batch <n>',
      'batch size, 1–65536',
      numberIn('--batch', { min: 1, max: 65536, integer: true }),
      32,
    )
    .option(
      '--lr <rate>',
      'Adam learning rate, in (0, 1]',
      numberIn('--lr', { min: 0, max: 1, minOpen: true }),
      1e-3,
    )
    .option('--seed <n>', 'seed of weight init and shuffling, 0–4294967295', seedOption(), 0)
    .addOption(backendOption())
    .option('--data <manifest>', 'dataset manifest (or its folder); default: the built-in corpus')
    .option(
      '--workers <n>',
      'data-parallel replicas, 1–8 (2 uses both cores of an idle 2-core machine)',
      numberIn('--workers', { min: 1, max: 8, integer: true }),
      1,
    )
    .option(
      '--augment-threads <n>',
      'threads that augment the next batches of the waveform recipes, 0–8 (default: the cores + 1, up to 4; 0 = on the training thread); the weights are the same for every count',
      numberIn('--augment-threads', { min: 0, max: 8, integer: true }),
    )
    .option('--augment', 'add seeded feature augmentation (±2 mel-band shifts, RECOMMENDED_AUGMENT)', false)
    .addOption(
      new Option(
        '--recipe <name>',
        "training recipe: 'paper' (the paper's features, no augmentation), 'robust' (for recordings of new sources: 40 dB range, Freq-MixStyle) 'robust-wave' (robust + waveform augmentation, ≈ 2× slower on two cores) 'robust-swad' (robust + weights averaged over every step from epoch 3) or 'robust-swad-wave' (robust-swad + waveform augmentation; recommended, ≈ 2× slower on two cores); sets the network, bands and epochs unless given",
      )
        .choices([...RECIPES])
        .default('paper'),
    );
}

/**
 * The training options of a recipe, with the flags the user set explicitly taking precedence over the
 * recipe's network, bands and epochs.
 */
export async function recipeOptions(
  flags: TrainingFlags,
  c: Command,
  explicit: { model?: PresetName; mels?: number; epochs?: number },
) {
  const { RECIPES: table, RECOMMENDED_AUGMENT } = await import('@timbre/models/node');
  const { recipeRunOptions } = await import('../run-training.js');
  const given = (name: string) => c.getOptionValueSource(name) === 'cli';
  const base = recipeRunOptions(table[flags.recipe], flags.augment ? RECOMMENDED_AUGMENT : undefined);
  return {
    ...base,
    preset: given('model') && explicit.model ? explicit.model : base.preset,
    nMels: given('mels') && explicit.mels ? explicit.mels : base.nMels,
    epochs: given('epochs') && explicit.epochs ? explicit.epochs : base.epochs,
    learningRate: given('lr') ? flags.lr : base.learningRate,
    batchSize: given('batch') ? flags.batch : base.batchSize,
  };
}

interface TrainFlags extends TrainingFlags {
  model: PresetName;
  mels: string;
  epochs: number;
  out?: string;
  resume: boolean;
  overwrite: boolean;
}

/** `timbre train`: trains one preset and saves model, history, curve and confusion matrix in a run folder. */
export function registerTrain(program: Command): void {
  const cmd = program
    .command('train')
    .description("train one of the paper's networks on a dataset's train split")
    .addOption(new Option('--model <preset>', 'network preset').choices([...PRESETS]).default('lenet-3x8'))
    .addOption(new Option('--mels <n>', 'mel bands').choices(['64', '128']).default('64'))
    .option(
      '--epochs <n>',
      'epochs (the paper: 100), 1–100000',
      numberIn('--epochs', { min: 1, max: 100000, integer: true }),
      20,
    )
    .option('--out <dir>', 'run folder (default runs/<preset>-m<mels>)')
    .option('--resume', "continue from the run folder's last checkpoint", false)
    .option('--overwrite', 'replace an existing run in the folder', false);
  addTrainingOptions(cmd)
    .addHelpText(
      'after',
      `
Writes into the run folder: history.jsonl (one line per epoch, while training), checkpoint.bin (every
epoch), model/ (tfjs layers format + metadata.json), accuracy.svg/png, confusion.svg/png, run.json.

Examples:
  $ timbre train --model lenet-3x8 --mels 64 --epochs 20
  $ timbre train --recipe robust --data <manifest of a by-source split>
  $ timbre train --model lstm-128-128 --epochs 100 --out runs/lstm2 --resume
  $ timbre train --data ~/.cache/timbre/corpus/…/manifest-….json --backend cpu`,
    )
    .action(async (flags: TrainFlags, c: Command) => {
      const { out, flags: g } = outputFor(c);
      if (flags.resume && flags.overwrite)
        throw new UsageError(
          '--resume and --overwrite contradict each other: give one (continue the run, or replace it)',
        );
      const { resolveManifest } = await import('../data-source.js');
      const { pictureFiles, trainRun } = await import('../run-training.js');
      const manifest = await resolveManifest(out, flags.data, g.cacheDir);
      const r0 = await recipeOptions(flags, c, {
        model: flags.model,
        mels: Number(flags.mels),
        epochs: flags.epochs,
      });
      const nMels = r0.nMels;
      const outDir =
        flags.out ?? `runs/${r0.preset}-m${nMels}${flags.recipe === 'paper' ? '' : `-${flags.recipe}`}`;
      if (flags.resume) {
        const { existsSync } = await import('node:fs');
        const { join } = await import('node:path');
        if (!existsSync(join(outDir, 'checkpoint.bin')))
          out.warn(`--resume: no checkpoint in ${outDir}; starting a fresh run`);
      }
      const r = await trainRun(out, {
        ...r0,
        seed: flags.seed,
        backend: flags.backend,
        engine: g.engine,
        outDir,
        manifest,
        resume: flags.resume,
        overwrite: flags.overwrite,
        cacheDir: g.cacheDir,
        workers: flags.workers,
        ...(flags.augmentThreads !== undefined ? { augmentThreads: flags.augmentThreads } : {}),
      });
      out.json({ run: r.record, pictures: pictureFiles(r.pictures), model: r.modelDir });
      out.result(
        `test accuracy ${pct(r.record.testAccuracy)} after ${r.record.completedEpochs} epochs (${r.record.secondsPerEpoch.toFixed(2)} s/epoch on ${r.record.backend})`,
      );
      out.result(`model: ${r.modelDir}`);
      out.result(
        `pictures: ${pictureFiles(r.pictures)
          .filter((p) => p.endsWith('.png'))
          .join(', ')}`,
      );
    });
}
