import { resolve } from 'node:path';
import type { LoadedManifest, SkippedFile, SplitOptions, SplitStrategy } from '@timbre/dataset/node';
import type { Command } from 'commander';
import { INSTRUMENTS } from '../choices.js';

import { UsageError } from '../errors.js';
import { table } from '../output.js';
import { numberIn, Option, outputFor, positiveInt, seedOption } from '../program.js';

interface DataBuildFlags {
  source: 'builtin' | 'philharmonia' | 'folder';
  from?: string;
  soundfont?: string[];
  split: SplitStrategy;
  trainPerClass?: number;
  testPerClass?: number;
  clipsPerClass?: number;
  instruments?: string;
  seed: number;
  workers?: number;
  mels: string;
  recordings: boolean;
  testGroups?: string;
}

/** `timbre data build`: builds the built-in corpus or imports a Philharmonia/label folder, then caches features. */
export function registerData(program: Command): void {
  const data = program
    .command('data')
    .description('build or import a dataset and cache its log-mel features');
  data
    .command('build')
    .description(
      'render the built-in SoundFont corpus (default) or import recordings, split them, cache features',
    )
    .addOption(
      new Option('--source <kind>', 'where clips come from')
        .choices(['builtin', 'philharmonia', 'folder'])
        .default('builtin'),
    )
    .option('--from <dir>', 'input folder for --source philharmonia|folder')
    .option('--soundfont <file...>', 'extra .sf2/.sf3 fonts to render (built-in source)')
    .option(
      '--no-recordings',
      'built-in source: leave out the real recordings (tonejs-instrument-* packages, 11 classes)',
    )
    .addOption(
      new Option('--split <strategy>', 'train/test split')
        .choices(['random', 'by-pitch', 'by-source', 'all'])
        .default('random'),
    )
    .option(
      '--test-groups <list>',
      'by-source: source groups held out for test, comma-separated (built-in: real, timgm, fluid; default real)',
    )
    .option('--train-per-class <n>', 'train clips per class (random: 200)', positiveInt('--train-per-class'))
    .option('--test-per-class <n>', 'test clips per class (random: 120)', positiveInt('--test-per-class'))
    .option(
      '--clips-per-class <n>',
      'clips rendered per class (built-in: 320)',
      positiveInt('--clips-per-class'),
    )
    .option('--instruments <list>', `comma-separated subset of: ${INSTRUMENTS.join(', ')}`)
    .option('--seed <n>', 'seed for note selection and split, 0–4294967295', seedOption(), 0)
    .option(
      '--workers <n>',
      'worker threads, 0–16 (default: min(2, cores); 0 renders in this thread)',
      numberIn('--workers', { min: 0, max: 16, integer: true }),
    )
    .option('--mels <list>', 'mel band counts to cache features for', '64,128')
    .addHelpText(
      'after',
      `
Examples:
  $ timbre data build                                   the paper's protocol: 14 classes × (200 train + 120 test)
  $ timbre data build --split by-source                 train on the SoundFonts, test on the real recordings
  $ timbre data build --split by-source --test-groups timgm   (the CLI holds out 'real' by default)
  $ timbre data build --source philharmonia --from ~/philharmonia
  $ timbre data build --source folder --from ./my-clips   (<dir>/<label>/*.wav|mp3|flac|ogg)`,
    )
    .action(async (flags: DataBuildFlags, cmd: Command) => {
      const { out, flags: g } = outputFor(cmd);
      const { buildCorpus, computeFeatures, importFolder, importPhilharmonia } = await import(
        '@timbre/dataset/node'
      );
      const { phaseProgress } = await import('../data-source.js');
      const split: SplitOptions = { strategy: flags.split, seed: flags.seed };
      if (flags.trainPerClass !== undefined) split.trainPerClass = flags.trainPerClass;
      if (flags.testPerClass !== undefined) split.testPerClass = flags.testPerClass;
      if (flags.testGroups !== undefined) {
        if (flags.split !== 'by-source') throw new UsageError('--test-groups applies to --split by-source');
        split.testGroups = flags.testGroups
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean);
      }
      const instruments = flags.instruments
        ?.split(',')
        .map((s) => s.trim())
        .filter(Boolean);
      const mels = flags.mels.split(',').map((s) => Number(s.trim()));
      if (mels.some((m) => !Number.isInteger(m) || m < 1 || m > 512))
        throw new UsageError(`--mels must list integers in 1–512, got '${flags.mels}'`);
      const progress = phaseProgress(out);
      let manifest: LoadedManifest;
      let skipped: readonly SkippedFile[];
      let summaryLine: string;
      try {
        if (flags.source === 'builtin') {
          if (flags.from) throw new UsageError('--from applies to --source philharmonia|folder, not builtin');
          const extra = (flags.soundfont ?? []).map((p, i) => ({
            name: `user${i + 1}-${(p.split('/').pop() ?? 'font').replace(/\.sf[23]$/i, '').replace(/[^A-Za-z0-9_-]/g, '_')}`,
            path: resolve(p),
            sourceGroup: `user${i + 1}`,
          }));
          const r = await buildCorpus({
            cacheDir: g.cacheDir,
            seed: flags.seed,
            split,
            ...(flags.clipsPerClass ? { clipsPerClass: flags.clipsPerClass } : {}),
            ...(instruments ? { instruments } : {}),
            ...(extra.length ? { extraSoundFonts: extra } : {}),
            ...(flags.recordings === false ? { recordings: false as const } : {}),
            ...(flags.workers !== undefined ? { workers: flags.workers } : {}),
            onProgress: progress.onProgress,
          });
          manifest = r.manifest;
          skipped = r.summary.failed;
          summaryLine = `${r.summary.clips} clips (${r.summary.rendered} rendered, ${r.summary.reused} reused, ${r.summary.silent} silent) in ${r.summary.seconds.toFixed(1)} s`;
        } else {
          if (!flags.from) throw new UsageError(`--source ${flags.source} needs --from <dir>`);
          if (flags.soundfont) throw new UsageError('--soundfont applies to the built-in source only');
          const opts = { cacheDir: g.cacheDir, split, onProgress: progress.onProgress };
          const r =
            flags.source === 'philharmonia'
              ? await importPhilharmonia(resolve(flags.from), {
                  ...opts,
                  ...(instruments ? { instruments } : {}),
                })
              : await importFolder(resolve(flags.from), opts);
          manifest = r.manifest;
          skipped = r.summary.skipped;
          summaryLine = `${r.summary.clips} clips (${r.summary.decoded} decoded, ${r.summary.reused} reused, ${r.summary.ignored} ignored, ${r.summary.silent} silent) in ${r.summary.seconds.toFixed(1)} s`;
        }
        const t0 = performance.now();
        const features = await computeFeatures(manifest, {
          nMels: mels,
          cacheDir: g.cacheDir,
          onProgress: progress.onProgress,
        });
        progress.stop();
        const featureSeconds = (performance.now() - t0) / 1000;
        const counts = new Map<string, { train: number; test: number; unused: number }>();
        for (const c of manifest.clips) {
          const row = counts.get(c.label) ?? { train: 0, test: 0, unused: 0 };
          row[c.split] += 1;
          counts.set(c.label, row);
        }
        out.json({
          manifest: manifest.path,
          kind: manifest.kind,
          split: manifest.split,
          classes: Object.fromEntries(counts),
          skipped,
          features: features.map((f) => ({ nMels: f.nMels, path: f.path, rows: f.rows, reused: f.reused })),
          featureSkipped: features[0]?.failed ?? [],
        });
        out.result(
          table(
            ['class', 'train', 'test', 'unused'],
            [...counts].map(([label, c]) => [label, String(c.train), String(c.test), String(c.unused)]),
          ),
        );
        out.result(`\n${summaryLine}; features ${mels.join('+')} mel in ${featureSeconds.toFixed(1)} s`);
        out.result(`split: ${manifest.split.strategy} (seed ${manifest.split.seed})`);
        if (skipped.length > 0) {
          out.result(`skipped ${skipped.length} file(s):`);
          for (const s of skipped.slice(0, 20)) out.result(`  ${s.file}: ${s.reason}`);
          if (skipped.length > 20) out.result(`  … and ${skipped.length - 20} more (see --json)`);
        }
        const featureSkipped = features[0]?.failed ?? [];
        if (featureSkipped.length > 0) {
          out.result(
            `features: skipped ${featureSkipped.length} clip(s) (left out of training and evaluation):`,
          );
          for (const s of featureSkipped.slice(0, 20)) out.result(`  ${s.id}: ${s.message}`);
          if (featureSkipped.length > 20)
            out.result(`  … and ${featureSkipped.length - 20} more (see --json)`);
        }
        out.result(`manifest: ${manifest.path}`);
      } finally {
        progress.stop();
      }
    });
}
