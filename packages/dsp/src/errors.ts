/** Base class of every error thrown by `@timbre/dsp`. */
export class DspError extends Error {
  override readonly name: string = 'DspError';
}

/**
 * An option is outside its valid range.
 * The message names the option, the value received and what is valid.
 */
export class DspOptionError extends DspError {
  override readonly name = 'DspOptionError';
  /**
   * @param option - The option's name, e.g. `nFft`.
   * @param value - The value that was passed.
   * @param valid - What would have been accepted, in words.
   */
  constructor(
    readonly option: string,
    readonly value: unknown,
    readonly valid: string,
  ) {
    super(`Invalid option ${option}: ${describe(value)}; expected ${valid}.`);
  }
}

/**
 * An input (audio samples or an output buffer) cannot be processed: empty, non-finite or wrongly sized.
 * The message names the parameter, the offending value and what is valid.
 */
export class DspInputError extends DspError {
  override readonly name = 'DspInputError';
  /**
   * @param parameter - The parameter's name, e.g. `samples` or `out`.
   * @param value - A description of the offending value (e.g. `NaN at index 17`).
   * @param valid - What would have been accepted, in words.
   */
  constructor(
    readonly parameter: string,
    readonly value: string,
    readonly valid: string,
  ) {
    super(`Invalid ${parameter}: ${value}; expected ${valid}.`);
  }
}

/** The extractor was used after `dispose()`. */
export class DspDisposedError extends DspError {
  override readonly name = 'DspDisposedError';
  constructor() {
    super('This LogMelExtractor has been disposed; create a new one with createLogMelExtractor().');
  }
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null || value === undefined) {
    return String(value);
  }
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
