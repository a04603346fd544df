import { describe, expect, it } from 'vitest';
import { displayLabel, duration, percent, seconds } from './format.js';

describe('format', () => {
  it('formats probabilities, durations and labels', () => {
    expect(percent(0.875)).toBe('87.5%');
    expect(percent(1.2)).toBe('100.0%');
    expect(duration(12.4)).toBe('12 ms');
    expect(duration(1234)).toBe('1.23 s');
    expect(seconds(1.25)).toBe('1.3 s');
    expect(displayLabel('french-horn')).toBe('French horn');
    expect(displayLabel('cor-anglais')).toBe('Cor anglais');
  });
});
