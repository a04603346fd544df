const BRAND = Symbol.for('@timbre/core/error');

/** What a {@link TimbreError} carries besides its message. */
export interface TimbreErrorDetails {
  /** Machine-readable kind, e.g. `invalid-option`, `decode`, `checkpoint`; default the class name. */
  code?: string;
  /** The option, parameter or file the error is about. */
  parameter?: string;
  /** The value that was refused. */
  value?: unknown;
  /** The underlying error. */
  cause?: unknown;
}

/**
 * The root of every error the timbre packages throw on purpose (bad input, bad options, unreadable files,
 * failed work): each package's base class (`DspError`, `DatasetError`, `ModelError`, `KernelsError`,
 * `CliError`) extends it. Its message is one line naming the file or parameter, what was wrong and what is
 * valid — fit to show a user as is. `name` is the concrete class's name.
 */
export class TimbreError extends Error {
  /** Machine-readable kind (default: the class name). */
  readonly code: string;
  /** The option, parameter or file the error is about, when there is one. */
  readonly parameter: string | undefined;
  /** The refused value, when there is one. */
  readonly value: unknown;

  constructor(message: string, details: TimbreErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = new.target.name;
    this.code = details.code ?? new.target.name;
    this.parameter = details.parameter;
    this.value = details.value;
    Object.defineProperty(this, BRAND, { value: true });
  }
}

/**
 * True for an error thrown by a timbre package on purpose (a {@link TimbreError}, also one from another
 * copy of this package in the same process): what a CLI shows as one line, without a stack trace.
 */
export function isTimbreError(e: unknown): e is TimbreError {
  return typeof e === 'object' && e !== null && (e as Record<symbol, unknown>)[BRAND] === true;
}

/** A value for a message: strings quoted, objects as (short) JSON. */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value == null || typeof value === 'bigint')
    return String(value);
  try {
    const s = JSON.stringify(value) ?? String(value);
    return s.length > 80 ? `${s.slice(0, 77)}...` : s;
  } catch {
    return String(value);
  }
}
