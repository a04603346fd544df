import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { measureCoreSpeeds } from './core-speeds.js';

describe('measureCoreSpeeds', () => {
  it('measures every CPU in order (or nothing where taskset is missing)', () => {
    const cores = measureCoreSpeeds();
    if (cores.length === 0) return; // no taskset on this machine
    expect(cores.map((c) => c.cpu)).toEqual(Array.from({ length: availableParallelism() }, (_, i) => i));
    for (const c of cores) expect(c.iterationsPerSecond).toBeGreaterThan(10);
  });
});
