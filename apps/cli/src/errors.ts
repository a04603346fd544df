import { isTimbreError, TimbreError } from '@timbre/core';

/**
 * Error classes the CLI turns into exit codes and one-line messages.
 * A {@link UsageError} exits with 2; any other {@link CliError} with 1.
 */
export class CliError extends TimbreError {
  /** Process exit code for this error: 1 for failures. */
  readonly exitCode: number = 1;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** A mistake in the command line itself (unknown option value, missing argument); exits with 2. */
export class UsageError extends CliError {
  override readonly exitCode = 2;
  constructor(message: string) {
    super(message);
  }
}

/**
 * Decides whether an error is a user mistake (bad file, bad option, missing run) that deserves one clear
 * line, as opposed to a bug that deserves a stack trace: every error the timbre packages throw on purpose
 * (`@timbre/core` `isTimbreError`), and Node's system errors (ENOENT, EACCES, … with a code and a syscall).
 */
export function isUserFacingError(err: unknown): err is Error {
  if (isTimbreError(err)) return true;
  if (!(err instanceof Error)) return false;
  const e = err as Error & { code?: unknown; syscall?: unknown };
  return typeof e.code === 'string' && /^E[A-Z]+$/.test(e.code) && typeof e.syscall === 'string';
}

/** A failure whose details were already printed (e.g. some inputs of a batch failed); exits 1 silently. */
export class ReportedFailure extends CliError {
  constructor(message: string) {
    super(message);
  }
}
