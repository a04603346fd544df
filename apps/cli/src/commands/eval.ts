import { join, resolve } from 'node:path';
import { writeFileAtomic } from '@timbre/dataset/node';
import type { DspParameters } from '@timbre/models/node';
import type { Command } from 'commander';
import { backendOption } from '../choices.js';

import { CliError } from '../errors.js';
import { resolveModelDir } from '../model-path.js';
import { pct, table } from '../output.js';
import { Option, outputFor } from '../program.js';
import { RUN_FILES, readRunRecord } from '../run-store.js';

/** The dataset's DSP options for a model's `metadata.dsp` (rate and band count are the dataset's own). */
function featureDsp(d: DspParameters): Omit<DspParameters, 'sampleRate' | 'nMels'> {
  const { sampleRate: _rate, nMels: _bands, ...rest } = d;
  return rest;
}

interface EvalFlags {
  data?: string;
  split: 'train' | 'test' | 'all';
  out?: string;
  backend: 'auto' | 'tensorflow' | 'wasm' | 'cpu';
}

/** `timbre eval <run>`: accuracy, per-class precision/recall/F1 and the confusion matrix (printed and drawn). */
export function registerEval(program: Command): void {
  program
    .command('eval')
    .description('evaluate a trained run on a split: accuracy, per-class table, confusion matrix')
    .argument('<run>', 'run folder written by `timbre train`, or a model folder (with --data)')
    .option('--data <manifest>', "dataset to evaluate on (default: the run's own)")
    .option(
      '--out <dir>',
      'where pictures and evaluation JSON go (default: the run folder, or ./eval for a model folder)',
    )
    .addOption(new Option('--split <name>', 'which clips').choices(['train', 'test', 'all']).default('test'))
    .addOption(backendOption())
    .addHelpText(
      'after',
      '\nExamples:\n  $ timbre eval runs/lenet-3x8-m64 --split test\n  $ timbre eval apps/cli/pretrained --data ~/.cache/timbre/corpus/<key>/manifest-<key>.json',
    )
    .action(async (runDir: string, flags: EvalFlags, c: Command) => {
      const { out, flags: g } = outputFor(c);
      const { loadFeatureSet } = await import('@timbre/dataset/node');
      const { alignLabels, applyEngine, DataError, evaluate, initBackend, inputLayoutOf, loadModel } =
        await import('@timbre/models/node');
      const { ensureFeatures, resolveManifest } = await import('../data-source.js');
      const { confusionMatrixSpec, writeChart } = await import('../plot.js');
      const dir = resolve(runDir);
      const record = await readRunRecord(dir);
      if (!record && !flags.data)
        throw new CliError(
          `${dir} has no run.json: pass a run folder written by \`timbre train\`, or --data`,
        );
      await initBackend(flags.backend);
      applyEngine(g.engine);
      const { model, metadata } = await loadModel(await resolveModelDir(dir));
      try {
        const manifest = await resolveManifest(out, flags.data ?? record?.manifest, g.cacheDir);
        await ensureFeatures(out, manifest, [metadata.nMels], g.cacheDir);
        const raw = await loadFeatureSet(manifest, {
          nMels: metadata.nMels,
          split: flags.split,
          cacheDir: g.cacheDir,
          dsp: featureDsp(metadata.dsp),
        });
        // A data set may hold only some of the model's classes: those present are scored, the model
        // still chooses among all of its classes; a label the model does not know is an error.
        let data: typeof raw;
        try {
          data = { ...raw, ...alignLabels(raw, metadata.labels) };
        } catch (err) {
          if (err instanceof DataError) throw new CliError(`${manifest.path}: ${err.message}`);
          throw err;
        }
        if (data.y.length === 0)
          throw new CliError(`${manifest.path}: the '${flags.split}' split has no clips to evaluate`);
        const ev = evaluate(model, data, { layout: inputLayoutOf(metadata.preset) });
        const present = ev.perClass.filter((m) => m.support > 0);
        const outDir = resolve(flags.out ?? (record ? dir : 'eval'));
        const base = join(outDir, `${RUN_FILES.confusion}-${flags.split}`);
        const pics = await writeChart(
          confusionMatrixSpec(
            ev.labels,
            ev.confusion,
            `${metadata.preset} · ${metadata.nMels} mel — ${flags.split} (${pct(ev.accuracy)})`,
          ),
          base,
        );
        await writeFileAtomic(`${base}.json`, JSON.stringify(ev, null, 2));
        out.json({ ...ev, pictures: pics });
        const subset =
          present.length < ev.labels.length
            ? ` (${present.length} of the model's ${ev.labels.length} classes present; scored on those)`
            : '';
        out.result(
          `${flags.split}: ${ev.n} clips, accuracy ${pct(ev.accuracy)}, macro F1 ${ev.macroF1.toFixed(3)}${subset}\n`,
        );
        out.result(
          table(
            ['class', 'precision', 'recall', 'F1', 'support'],
            present.map((m) => [
              m.label,
              m.precision.toFixed(3),
              m.recall.toFixed(3),
              m.f1.toFixed(3),
              String(m.support),
            ]),
          ),
        );
        const short = ev.labels.map((l) => l.slice(0, 4));
        out.result('\nconfusion (rows: true, columns: predicted)');
        out.result(
          table(
            ['', ...short],
            ev.confusion.map((row, i) => [ev.labels[i] ?? '', ...row.map(String)]),
          ),
        );
        out.result(`\npictures: ${pics.png}, ${pics.svg}`);
      } finally {
        model.dispose();
      }
    });
}
