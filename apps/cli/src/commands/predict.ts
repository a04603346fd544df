import { relative } from 'node:path';
import type { Prediction } from '@timbre/models';
import type { Command } from 'commander';
import { expandAudioInputs } from '../audio-files.js';
import { backendOption } from '../choices.js';
import { CliError, ReportedFailure, UsageError } from '../errors.js';
import { resolveModelDir } from '../model-path.js';
import { colors, pct, table } from '../output.js';
import { numberIn, Option, outputFor, positiveInt } from '../program.js';

interface PredictFlags {
  model?: string;
  top: number;
  hop: number;
  csv: boolean;
  /** Unset: the library's 'auto' (trim clips under two windows, start longer recordings at 0 s). */
  trim?: boolean;
  aggregate: 'auto' | 'onset' | 'mean';
  backend: 'auto' | 'tensorflow' | 'wasm' | 'cpu';
  maxInputMb: number;
  maxInputS: number;
}

interface FileResult {
  file: string;
  prediction?: Prediction;
  error?: string;
}

const fmtTop = (p: { label: string; probability: number }[]) =>
  p.map((t) => `${t.label} ${pct(t.probability)}`).join(', ');

/** `silence`, `noise-like`, `low-confidence` or '' for a whole-file result (the CSV's flag column). */
const resultFlag = (p: Prediction) =>
  p.silent ? 'silence' : p.noiseLike ? 'noise-like' : p.lowConfidence ? 'low-confidence' : '';

/** A whole-file result for the table: the top classes, or what to make of them. */
const fmtResult = (p: Prediction) =>
  p.silent
    ? colors.dim('silence (nothing to classify)')
    : p.noiseLike
      ? `${fmtTop(p.top)} ${colors.yellow('(sounds like noise, not an instrument note: a guess)')}`
      : p.lowConfidence
        ? `${fmtTop(p.top)} ${colors.yellow('(low confidence)')}`
        : fmtTop(p.top);

/** One CSV field (RFC 4180): quoted when it holds a quote, comma, line feed or carriage return. */
export function csvCell(s: string): string {
  return /[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/** `timbre predict`: classifies audio files and folders; long files get a timeline of 1-s windows. */
export function registerPredict(program: Command): void {
  program
    .command('predict')
    .description('classify recordings (WAV, MP3, FLAC, Ogg; files or folders)')
    .argument('<inputs...>', 'audio files or folders')
    .option('--model <dir>', 'run or model folder (default: the shipped pretrained model)')
    .option(
      '--max-input-mb <n>',
      'refuse input files larger than this (MiB), 1–65536',
      numberIn('--max-input-mb', { min: 1, max: 65536 }),
      512,
    )
    .option(
      '--max-input-s <n>',
      'refuse audio longer than this (seconds), 1–86400',
      numberIn('--max-input-s', { min: 1, max: 86400 }),
      3600,
    )
    .option('--top <k>', "classes to show, 1 to the model's class count", positiveInt('--top'), 3)
    .option(
      '--hop <seconds>',
      'hop between 1-s windows of long files, 0.01–60',
      numberIn('--hop', { min: 0.01, max: 60 }),
      0.5,
    )
    .option('--csv', 'CSV on stdout: one row per window', false)
    .option(
      '--trim',
      'always start the first window at the detected onset (default: only for clips under two windows)',
    )
    .option('--no-trim', 'always start the first window at 0 s')
    .addOption(
      new Option(
        '--aggregate <how>',
        'the answer: the window from the strongest onset (onset), the mean of the windows (mean), or onset under 20 s and mean beyond (auto)',
      )
        .choices(['auto', 'onset', 'mean'])
        .default('auto'),
    )
    .addOption(backendOption())
    .addHelpText(
      'after',
      `
Examples:
  $ timbre predict violin.wav
  $ timbre predict recordings/ --top 1 --csv > labels.csv
  $ timbre predict concert.mp3 --hop 1 --json
  $ timbre predict take.flac --model runs/lenet-3x8-m64`,
    )
    .action(async (inputs: string[], flags: PredictFlags, c: Command) => {
      const { out, flags: g } = outputFor(c);
      const { loadClassifier } = await import('@timbre/models/node');
      const { files, missing } = await expandAudioInputs(inputs);
      if (files.length === 0 && missing.length === 0)
        throw new CliError('no audio files found in the given folders');
      const classifier = await loadClassifier(await resolveModelDir(flags.model), {
        backend: flags.backend,
        engine: g.engine,
      });
      if (flags.top > classifier.metadata.labels.length) {
        classifier.dispose();
        throw new UsageError(
          `--top ${flags.top}: the model has ${classifier.metadata.labels.length} classes; give 1–${classifier.metadata.labels.length}`,
        );
      }
      const results: FileResult[] = missing.map((m) => ({ file: m.path, error: m.reason }));
      try {
        for await (const r of classifier.predictFiles(files, {
          topK: flags.top,
          hopS: flags.hop,
          trimOnset: flags.trim ?? 'auto',
          aggregate: flags.aggregate,
          maxBytes: Math.round(flags.maxInputMb * 2 ** 20),
          maxDurationS: flags.maxInputS,
        })) {
          results.push(
            r.prediction
              ? { file: r.path, prediction: r.prediction }
              : { file: r.path, error: r.error?.message ?? '?' },
          );
        }
      } finally {
        classifier.dispose();
      }
      const failed = results.filter((r) => r.error);
      const name = (f: string) => {
        const rel = relative(process.cwd(), f);
        return rel.startsWith('..') ? f : rel;
      };
      if (out.options.json) {
        out.json({ model: classifier.metadata.preset, labels: classifier.metadata.labels, results });
      } else if (flags.csv) {
        const k = flags.top;
        const head = [
          'file',
          'start_s',
          'end_s',
          ...Array.from({ length: k }, (_, i) => [`label${i + 1}`, `p${i + 1}`]).flat(),
          'flag',
          'error',
        ];
        const lines = [head.join(',')];
        for (const r of results) {
          if (!r.prediction) {
            lines.push(
              [csvCell(name(r.file)), '', '', ...Array(2 * k).fill(''), '', csvCell(r.error ?? '')].join(','),
            );
            continue;
          }
          const p = r.prediction;
          const rows = [
            { startS: Number.NaN, endS: Number.NaN, top: p.top, flag: resultFlag(p) },
            ...(p.windows.length > 1
              ? p.windows.map((w) => ({ ...w, flag: w.skipped ? 'skipped' : '' }))
              : []),
          ];
          for (const w of rows) {
            const cells = w.top.flatMap((t) => [t.label, t.probability.toFixed(4)]);
            while (cells.length < 2 * k) cells.push('');
            lines.push(
              [
                csvCell(name(r.file)),
                Number.isNaN(w.startS) ? 'all' : w.startS.toFixed(2),
                Number.isNaN(w.endS) ? '' : w.endS.toFixed(2),
                ...cells.map(csvCell),
                w.flag,
                '',
              ].join(','),
            );
          }
        }
        process.stdout.write(`${lines.join('\n')}\n`);
      } else {
        out.result(
          table(
            ['file', 'prediction', 'windows'],
            results.map((r) => [
              name(r.file),
              r.prediction ? fmtResult(r.prediction) : colors.red(`error: ${r.error}`),
              r.prediction ? String(r.prediction.windows.length) : '',
            ]),
            ['l', 'l', 'r'],
          ),
        );
        for (const r of results) {
          if (!r.prediction || r.prediction.windows.length <= 1) continue;
          out.result(
            `\n${name(r.file)} — timeline (${r.prediction.durationS.toFixed(1)} s, onset ${r.prediction.onsetS.toFixed(2)} s):`,
          );
          out.result(
            table(
              ['window', 'top classes'],
              r.prediction.windows.map((w) => [
                `${w.startS.toFixed(1)}–${w.endS.toFixed(1)} s`,
                w.skipped ? colors.dim(`${fmtTop(w.top)} (quiet: not averaged)`) : fmtTop(w.top),
              ]),
              ['l', 'l'],
            ),
          );
        }
      }
      if (failed.length > 0) {
        out.warn(`${failed.length} of ${results.length} input(s) could not be classified`);
        throw new ReportedFailure(`${failed.length} input(s) failed`);
      }
    });
}
