/**
 * Error classes the CLI turns into exit codes and one-line messages.
 * A {@link UsageError} exits with 2; any other {@link CliError} with 1.
 */
export class CliError extends Error {
  /** Process exit code for this error: 1 for failures. */
  readonly exitCode: number = 1;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CliError';
  }
}

/** A mistake in the command line itself (unknown option value, missing argument); exits with 2. */
export class UsageError extends CliError {
  override readonly exitCode = 2;
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/**
 * Decides whether an error is a user mistake (bad file, bad option, missing run) that deserves one
 * clear line, as opposed to a bug that deserves a stack trace. Errors thrown by the timbre packages
 * are typed classes whose names end in `Error` and are not the built-in JS errors.
 */
export function isUserFacingError(err: unknown): err is Error {
  if (err instanceof CliError) return true;
  if (!(err instanceof Error)) return false;
  const builtins = new Set([
    'Error',
    'TypeError',
    'RangeError',
    'ReferenceError',
    'SyntaxError',
    'EvalError',
  ]);
  if (builtins.has(err.name) && !('code' in err)) return false;
  // Node fs errors (ENOENT, EACCES, ...) carry a code and a path: show them as one line too.
  return true;
}

/** A failure whose details were already printed (e.g. some inputs of a batch failed); exits 1 silently. */
export class ReportedFailure extends CliError {
  constructor(message: string) {
    super(message);
    this.name = 'ReportedFailure';
  }
}
