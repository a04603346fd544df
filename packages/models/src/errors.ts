/**
 * Base class of every error thrown by `@timbre/models`. The message names the offending
 * parameter or file and says what is valid.
 */
export class ModelError extends Error {
  /** Creates an error; `name` is set to the concrete class name. */
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A backend could not be selected or initialised, or a kernel cannot handle its arguments. */
export class BackendError extends ModelError {}

/** A checkpoint is missing, corrupt, or does not match the run that tries to resume from it. */
export class CheckpointError extends ModelError {}

/** A saved model directory (model.json, weights.bin, metadata.json) is missing or invalid. */
export class SaveLoadError extends ModelError {}

/** Input data (features, labels, audio) does not have the shape or values the model needs. */
export class DataError extends ModelError {}
