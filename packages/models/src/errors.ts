import { describeValue, TimbreError, type TimbreErrorDetails } from '@timbre/core';

/**
 * Base class of every error thrown by `@timbre/models` (a `@timbre/core` `TimbreError`). The message
 * names the offending parameter or file and says what is valid.
 */
export class ModelError extends TimbreError {
  /** Creates an error; `name` is the concrete class name (`details.cause` as in `Error`). */
  constructor(message: string, details?: TimbreErrorDetails) {
    super(message, details);
  }
}

/**
 * A backend could not be selected or initialised, or a kernel cannot handle its arguments: the one
 * `BackendError` of the project, `@timbre/kernels`' (a `KernelsError`).
 */
export { BackendError } from '@timbre/kernels';

/** A checkpoint is missing, corrupt, or does not match the run that tries to resume from it. */
export class CheckpointError extends ModelError {}

/** A saved model directory (model.json, weights.bin, metadata.json) is missing or invalid. */
export class SaveLoadError extends ModelError {}

/** Input data (features, labels, audio) does not have the shape or values the model needs. */
export class DataError extends ModelError {}

/**
 * The `@timbre/core` `OptionFailure` of this package: a {@link ModelError} "`name` must be `valid`; got
 * `value`" with code `invalid-option`.
 */
export function invalidOption(parameter: string, valid: string, value: unknown): ModelError {
  return new ModelError(`${parameter} must be ${valid}; got ${describeValue(value)}`, {
    code: 'invalid-option',
    parameter,
    value,
  });
}
