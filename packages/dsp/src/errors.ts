import { describeValue, TimbreError } from '@timbre/core';

/** Base class of every error thrown by `@timbre/dsp` (a `@timbre/core` `TimbreError`). */
export class DspError extends TimbreError {}

/**
 * An option is outside its valid range.
 * The message names the option, the value received and what is valid.
 */
export class DspOptionError extends DspError {
  /**
   * @param option - The option's name, e.g. `nFft`.
   * @param value - The value that was passed.
   * @param valid - What would have been accepted, in words.
   */
  constructor(
    readonly option: string,
    override readonly value: unknown,
    readonly valid: string,
  ) {
    super(`Invalid option ${option}: ${describeValue(value)}; expected ${valid}.`, {
      code: 'invalid-option',
      parameter: option,
      value,
    });
  }
}

/**
 * An input (audio samples or an output buffer) cannot be processed: empty, non-finite or wrongly sized.
 * The message names the parameter, the offending value and what is valid.
 */
export class DspInputError extends DspError {
  /**
   * @param parameter - The parameter's name, e.g. `samples` or `out`.
   * @param value - A description of the offending value (e.g. `NaN at index 17`).
   * @param valid - What would have been accepted, in words.
   */
  constructor(
    override readonly parameter: string,
    override readonly value: string,
    readonly valid: string,
  ) {
    super(`Invalid ${parameter}: ${value}; expected ${valid}.`, { code: 'invalid-input', parameter, value });
  }
}

/** The extractor was used after `dispose()`. */
export class DspDisposedError extends DspError {
  constructor() {
    super('This LogMelExtractor has been disposed; create a new one with createLogMelExtractor().');
  }
}
