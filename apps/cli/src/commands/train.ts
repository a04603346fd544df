import type { BackendChoice, PresetName } from '@timbre/models';
import type { Command } from 'commander';
import { BACKENDS, PRESETS } from '../choices.js';

import { pct } from '../output.js';
import { Option, outputFor, positiveInt, positiveNumber } from '../program.js';

/** Flags shared by the commands that train (`train`, `experiment`). */
export interface TrainingFlags {
  batch: number;
  lr: number;
  seed: number;
  backend: BackendChoice;
  data?: string;
  workers: number;
  augment: boolean;
}

/** Adds the training flags shared by `train` and `experiment`. */
export function addTrainingOptions(cmd: Command): Command {
  return cmd
    .option('--batch <n>', 'batch size', positiveInt('--batch'), 32)
    .option('--lr <rate>', 'Adam learning rate', positiveNumber('--lr'), 1e-3)
    .option('--seed <n>', 'seed of weight init and shuffling', Number, 0)
    .addOption(new Option('--backend <name>', 'tfjs backend').choices([...BACKENDS]).default('auto'))
    .option('--data <manifest>', 'dataset manifest (or its folder); default: the built-in corpus')
    .option(
      '--workers <n>',
      'data-parallel replicas, 1–8 (2 uses both cores of an idle 2-core machine)',
      positiveInt('--workers'),
      1,
    )
    .option(
      '--augment',
      'seeded training-time augmentation for new recording sources (±2 mel-band shifts, RECOMMENDED_AUGMENT)',
      false,
    );
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
    .option('--epochs <n>', 'epochs (the paper: 100)', positiveInt('--epochs'), 20)
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
  $ timbre train --model lstm-128-128 --epochs 100 --out runs/lstm2 --resume
  $ timbre train --data ~/.cache/timbre/corpus/…/manifest-….json --backend cpu`,
    )
    .action(async (flags: TrainFlags, c: Command) => {
      const { out, flags: g } = outputFor(c);
      const { resolveManifest } = await import('../data-source.js');
      const { trainRun } = await import('../run-training.js');
      const nMels = Number(flags.mels);
      const manifest = await resolveManifest(out, flags.data, g.cacheDir);
      const r = await trainRun(out, {
        preset: flags.model,
        nMels,
        epochs: flags.epochs,
        batchSize: flags.batch,
        learningRate: flags.lr,
        seed: flags.seed,
        backend: flags.backend,
        outDir: flags.out ?? `runs/${flags.model}-m${nMels}`,
        manifest,
        resume: flags.resume,
        overwrite: flags.overwrite,
        cacheDir: g.cacheDir,
        workers: flags.workers,
        augment: flags.augment,
      });
      out.json({ run: r.record, pictures: r.pictures, model: r.modelDir });
      out.result(
        `test accuracy ${pct(r.record.testAccuracy)} after ${r.record.completedEpochs} epochs (${r.record.secondsPerEpoch.toFixed(2)} s/epoch on ${r.record.backend})`,
      );
      out.result(`model: ${r.modelDir}`);
      out.result(`pictures: ${r.pictures.filter((p) => p.endsWith('.png')).join(', ')}`);
    });
}
