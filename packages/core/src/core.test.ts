import { describe, expect, it } from 'vitest';
import {
  checkNumber,
  checkOneOf,
  describeRange,
  describeValue,
  isTimbreError,
  TimbreError,
} from './index.js';

class PackageError extends TimbreError {}
class PackageOptionError extends PackageError {
  constructor(parameter: string, valid: string, value: unknown) {
    super(`${parameter} must be ${valid}; got ${describeValue(value)}`, {
      code: 'invalid-option',
      parameter,
      value,
    });
  }
}
const fail = (p: string, v: string, x: unknown) => new PackageOptionError(p, v, x);

describe('TimbreError', () => {
  it('carries code, parameter and value, names the concrete class, and is recognised', () => {
    const e = new PackageOptionError('hopS', 'a number in [0.01, 60]', 0);
    expect(e.name).toBe('PackageOptionError');
    expect(e.code).toBe('invalid-option');
    expect(e.parameter).toBe('hopS');
    expect(e.value).toBe(0);
    expect(e.message).toBe('hopS must be a number in [0.01, 60]; got 0');
    expect(isTimbreError(e)).toBe(true);
    expect(new PackageError('x').code).toBe('PackageError');
    expect(isTimbreError(new Error('x'))).toBe(false);
    expect(isTimbreError(Object.assign(new Error('x'), { code: 'ENOENT' }))).toBe(false);
    expect(isTimbreError(null)).toBe(false);
    const cause = new Error('inner');
    expect(new PackageError('outer', { cause }).cause).toBe(cause);
  });
});

describe('checkNumber / checkOneOf', () => {
  it('accepts values in range and refuses the rest with the range in words', () => {
    expect(checkNumber('workers', 2, { min: 1, max: 8, integer: true }, fail)).toBe(2);
    expect(checkNumber('lr', 1, { min: 0, max: 1, minOpen: true }, fail)).toBe(1);
    for (const bad of [0, 9, 2.5, Number.NaN, '3', undefined, Number.POSITIVE_INFINITY])
      expect(() => checkNumber('workers', bad, { min: 1, max: 8, integer: true }, fail)).toThrow(
        /^workers must be an integer in \[1, 8\]; got /,
      );
    expect(() => checkNumber('lr', 0, { min: 0, max: 1, minOpen: true }, fail)).toThrow('a number in (0, 1]');
    expect(describeRange({ min: 0.1, max: 10, unit: 's' })).toBe('a number in [0.1, 10] s');
    expect(checkOneOf('scale', 'htk', ['slaney', 'htk'], fail)).toBe('htk');
    expect(() => checkOneOf('scale', 'mel', ['slaney', 'htk'], fail)).toThrow(
      'scale must be one of slaney, htk; got "mel"',
    );
  });
});
