/**
 * `@timbre/core`: the shared foundation of the timbre packages — the error root (`TimbreError`,
 * `isTimbreError`) and the one option validator. Platform-neutral, no dependencies.
 *
 * @packageDocumentation
 */

export { describeValue, isTimbreError, TimbreError, type TimbreErrorDetails } from './errors.js';
export { checkNumber, checkOneOf, describeRange, type NumberRange, type OptionFailure } from './validate.js';
