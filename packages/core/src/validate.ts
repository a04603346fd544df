/** The range a numeric option must lie in. */
export interface NumberRange {
  /** Lowest valid value (inclusive unless `minOpen`). */
  min: number;
  /** Highest valid value (inclusive). */
  max: number;
  /** Only integers are valid. */
  integer?: boolean;
  /** `min` itself is not valid (an open lower bound, e.g. a learning rate in (0, 1]). */
  minOpen?: boolean;
  /** Unit shown after the range in messages, e.g. `s`, `Hz`, `dB`. */
  unit?: string;
}

/** Makes the error for a refused value: `valid` says what would have been accepted, in words. */
export type OptionFailure = (parameter: string, valid: string, value: unknown) => Error;

/** "an integer in [1, 8]", "a number in (0, 1] s": what a {@link NumberRange} accepts, in words. */
export function describeRange(r: NumberRange): string {
  return `${r.integer ? 'an integer' : 'a number'} in ${r.minOpen ? '(' : '['}${r.min}, ${r.max}]${r.unit ? ` ${r.unit}` : ''}`;
}

/**
 * The one numeric option check of the timbre packages: returns `value` when it is a finite number in
 * `range`, else throws `fail(parameter, describeRange(range), value)` (each package makes its own typed
 * error, all {@link TimbreError}s).
 */
export function checkNumber(
  parameter: string,
  value: unknown,
  range: NumberRange,
  fail: OptionFailure,
): number {
  const ok =
    typeof value === 'number' &&
    Number.isFinite(value) &&
    (!range.integer || Number.isInteger(value)) &&
    (range.minOpen ? value > range.min : value >= range.min) &&
    value <= range.max;
  if (!ok) throw fail(parameter, describeRange(range), value);
  return value as number;
}

/** Returns `value` when it is one of `allowed`, else throws `fail(parameter, "one of a, b, c", value)`. */
export function checkOneOf<T>(
  parameter: string,
  value: unknown,
  allowed: readonly T[],
  fail: OptionFailure,
): T {
  if (!allowed.includes(value as T)) throw fail(parameter, `one of ${allowed.map(String).join(', ')}`, value);
  return value as T;
}
