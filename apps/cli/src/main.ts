import { CommanderError } from 'commander';
import { registerData } from './commands/data.js';
import { registerEval } from './commands/eval.js';
import { registerExperiment } from './commands/experiment.js';
import { registerInfo } from './commands/info.js';
import { registerPredict } from './commands/predict.js';
import { registerStart } from './commands/start.js';
import { registerTrain } from './commands/train.js';
import { isUserFacingError, ReportedFailure } from './errors.js';
import { colors } from './output.js';
import { buildProgram } from './program.js';

/**
 * Runs the `timbre` command line and returns the process exit code: 0 success, 1 failure, 2 usage error.
 * User mistakes print one line on stderr; `--verbose` adds the stack trace.
 * @param argv Full process argv (`node`, script, args…).
 */
export async function main(argv: readonly string[]): Promise<number> {
  const program = buildProgram([
    registerStart,
    registerData,
    registerTrain,
    registerEval,
    registerPredict,
    registerExperiment,
    registerInfo,
  ]);
  const verbose = argv.includes('--verbose');
  try {
    await program.parseAsync([...argv]);
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version exit through here with code 0; parse errors were already printed.
      return err.exitCode === 0 ? 0 : 2;
    }
    if (err instanceof ReportedFailure) return err.exitCode;
    const exitCode =
      typeof (err as { exitCode?: unknown }).exitCode === 'number'
        ? (err as { exitCode: number }).exitCode
        : 1;
    if (isUserFacingError(err) && !verbose) {
      // One line: the message, and the cause's first line when the message does not already hold it.
      const line = (s: string) => s.split('\n')[0]!.trim();
      const cause = err.cause instanceof Error && err.cause.message ? line(err.cause.message) : '';
      const text = line(err.message) + (cause && !err.message.includes(cause) ? ` (${cause})` : '');
      process.stderr.write(`${colors.red('error:')} ${text}\n`);
    } else {
      process.stderr.write(
        `${colors.red('error:')} ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
      );
      if (err instanceof Error && err.cause)
        process.stderr.write(`cause: ${String((err.cause as Error).stack ?? err.cause)}\n`);
    }
    return exitCode;
  }
}
