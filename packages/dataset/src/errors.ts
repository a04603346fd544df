import { describeValue, TimbreError, type TimbreErrorDetails } from '@timbre/core';

/** Base class of every error thrown by `@timbre/dataset` (a `@timbre/core` `TimbreError`). */
export class DatasetError extends TimbreError {
  constructor(message: string, details?: TimbreErrorDetails) {
    super(message, details);
  }
}

/**
 * An audio file or buffer could not be decoded: unreadable path, zero length, unknown magic bytes,
 * truncated or corrupt stream, unsupported codec variant, or non-finite samples.
 */
export class DecodeError extends DatasetError {
  /** The file (path or caller-supplied name) that failed. */
  readonly file: string;
  /** Short machine-readable reason, e.g. `'empty'`, `'unknown-format'`, `'truncated'`, `'non-finite'`. */
  readonly reason: string;
  constructor(file: string, reason: string, detail: string, cause?: unknown) {
    super(`${file}: cannot decode audio (${reason}): ${detail}`, { code: 'decode', parameter: file, cause });
    this.file = file;
    this.reason = reason;
  }
}

/** A split request that cannot be satisfied (too few clips in a class, fewer than two classes, …). */
export class SplitError extends DatasetError {}

/** Invalid option values (out of range, wrong type), naming the parameter and what was expected. */
export class OptionError extends DatasetError {
  /** The option that was rejected. */
  override readonly parameter: string;
  constructor(parameter: string, expected: string, got: unknown) {
    super(`option '${parameter}': expected ${expected}, got ${describeValue(got)}`, {
      code: 'invalid-option',
      parameter,
      value: got,
    });
    this.parameter = parameter;
  }
}

/** A manifest file is missing, unreadable or does not match the expected schema. */
export class ManifestError extends DatasetError {
  /** The manifest path. */
  readonly file: string;
  constructor(file: string, detail: string, cause?: unknown) {
    super(`${file}: invalid manifest: ${detail}`, { code: 'manifest', parameter: file, cause });
    this.file = file;
  }
}

/** A `.npy` file is malformed or not a float32 little-endian C-order array. */
export class NpyError extends DatasetError {}

/** A corpus render failed (SoundFont unreadable, program missing, worker crashed). */
export class CorpusError extends DatasetError {}

/** The `@timbre/core` `OptionFailure` of this package: an {@link OptionError}. */
export function invalidOption(parameter: string, valid: string, value: unknown): OptionError {
  return new OptionError(parameter, valid, value);
}

/** A folder cannot be created or used (`folder` names it). */
export class FolderError extends DatasetError {
  /** The folder. */
  readonly folder: string;
  /** Why, in words (`a file is in the way`, an errno code…). */
  readonly why: string;
  constructor(folder: string, why: string, cause?: unknown) {
    super(
      `cannot create the folder '${folder}' (${why}); choose another location`,
      cause ? { cause } : undefined,
    );
    this.folder = folder;
    this.why = why;
  }
}
