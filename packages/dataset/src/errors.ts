/** Base class of every error thrown by `@timbre/dataset`. */
export class DatasetError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
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
    super(`${file}: cannot decode audio (${reason}): ${detail}`, cause === undefined ? undefined : { cause });
    this.file = file;
    this.reason = reason;
  }
}

/** A split request that cannot be satisfied (too few clips in a class, fewer than two classes, …). */
export class SplitError extends DatasetError {}

/** Invalid option values (out of range, wrong type), naming the parameter and what was expected. */
export class OptionError extends DatasetError {
  /** The option that was rejected. */
  readonly parameter: string;
  constructor(parameter: string, expected: string, got: unknown) {
    super(`option '${parameter}': expected ${expected}, got ${JSON.stringify(got)}`);
    this.parameter = parameter;
  }
}

/** A manifest file is missing, unreadable or does not match the expected schema. */
export class ManifestError extends DatasetError {
  /** The manifest path. */
  readonly file: string;
  constructor(file: string, detail: string, cause?: unknown) {
    super(`${file}: invalid manifest: ${detail}`, cause === undefined ? undefined : { cause });
    this.file = file;
  }
}

/** A `.npy` file is malformed or not a float32 little-endian C-order array. */
export class NpyError extends DatasetError {}

/** A corpus render failed (SoundFont unreadable, program missing, worker crashed). */
export class CorpusError extends DatasetError {}
