import { createRequire } from 'node:module';
import { checkNumber, type NumberRange } from '@timbre/core';
import type { TrainingEngine } from '@timbre/models/names';
import { Command, InvalidArgumentError, Option } from 'commander';
import { ENGINES } from './choices.js';
import { Output } from './output.js';

/** Global flags every command understands. */
export interface GlobalFlags {
  json: boolean;
  quiet: boolean;
  verbose: boolean;
  cacheDir?: string;
  /** The training engine of every training, evaluation and classification (`--engine` or `$TIMBRE_ENGINE`). */
  engine: TrainingEngine;
}

/** Parses a positive integer option, or fails with a usage error naming the option. */
export function positiveInt(name: string) {
  return (value: string): number => {
    const n = /^\s*\d+\s*$/.test(value) ? Number(value) : Number.NaN;
    if (!Number.isSafeInteger(n) || n <= 0)
      throw new InvalidArgumentError(`${name} must be a positive integer, got '${value}'`);
    return n;
  };
}

/** Parses a decimal number option in a range (the `@timbre/core` validator; no hex, no empty string). */
export function numberIn(name: string, range: NumberRange) {
  return (value: string): number => {
    const n = /^\s*[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?\s*$/i.test(value) ? Number(value) : Number.NaN;
    return checkNumber(
      name,
      n,
      range,
      (p, valid) => new InvalidArgumentError(`${p} must be ${valid}, got '${value}'`),
    );
  };
}

/** Reads the global flags from a command's root and makes the output writer. */
export function outputFor(cmd: Command): { out: Output; flags: GlobalFlags } {
  const flags = cmd.optsWithGlobals<GlobalFlags>();
  return {
    out: new Output({
      json: Boolean(flags.json),
      quiet: Boolean(flags.quiet),
      verbose: Boolean(flags.verbose),
    }),
    flags,
  };
}

/** Builds the `timbre` command tree (commands register themselves from ./commands). */
export function buildProgram(commands: readonly CommandRegistrar[]): Command {
  const program = new Command('timbre')
    .description(
      "Recognize orchestral instruments in audio: build data, train the paper's networks, evaluate, classify.",
    )
    .version(VERSION, '-V, --version')
    .option('--json', 'machine-readable JSON on stdout', false)
    .option('-q, --quiet', 'no progress or info lines', false)
    .option('--verbose', 'stack traces on errors', false)
    .option(
      '--cache-dir <dir>',
      'where corpora and features are cached (default $TIMBRE_CACHE_DIR or ~/.cache/timbre)',
    )
    .addOption(
      new Option('--engine <name>', 'training engine: fast (@timbre/kernels) or stock (plain tfjs)')
        .choices([...ENGINES])
        .env('TIMBRE_ENGINE')
        .default('fast'),
    )
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });
  for (const register of commands) register(program);
  program.addHelpText(
    'after',
    `
Examples:
  $ timbre start                         build data, train, evaluate, classify examples (the main job)
  $ timbre predict recording.wav         classify with the shipped pretrained model
  $ timbre data build --split by-pitch   build the built-in corpus with a pitch-disjoint split
  $ timbre train --model lenet-3x8 --mels 64 --epochs 20 --out runs/lenet
  $ timbre experiment kernel --epochs 10
  $ timbre info`,
  );
  return program;
}

/** A function that adds one command to the program. */
export type CommandRegistrar = (program: Command) => void;

/** The CLI package version, read from its package.json. */
export const VERSION: string = (createRequire(import.meta.url)('../package.json') as { version: string })
  .version;

export { Option };

/** Parses a seed: an integer in [0, 2^32 − 1] (no NaN, no empty string, no hex). */
export const seedOption = (name = '--seed') => numberIn(name, { min: 0, max: 4294967295, integer: true });
