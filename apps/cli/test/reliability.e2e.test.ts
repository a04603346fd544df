import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { makeOddInputs } from './odd-inputs.js';
import { runReliability } from './reliability.js';

// A sample of the reliability suite in CI; the full one (a few hundred inputs, counts printed):
// `pnpm --filter @timbre/cli run reliability` (TIMBRE_RELIABILITY=full).
const FULL = process.env.TIMBRE_RELIABILITY === 'full';
const BIN = fileURLToPath(new URL('../dist/bin.js', import.meta.url));
const MODEL = fileURLToPath(new URL('../pretrained', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'timbre-reliability-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('reliability suite (sample)', () => {
  it('classifies or refuses every odd input with one line: no crash, hang, stack trace or temp file', () => {
    const inputs = makeOddInputs(join(work, 'inputs'), FULL);
    expect(inputs.length).toBeGreaterThan(30);
    const r = runReliability(BIN, MODEL, inputs, work);
    console.log(`reliability: ${JSON.stringify({ ...r, wrong: r.wrong.length })}`);
    expect(r.wrong).toEqual([]);
    expect(r.exitCode).toBe(1); // some inputs fail → 1; the others are still classified
    expect(r.stackTraces).toBe(0);
    expect(r.tmpLeft).toEqual([]);
    expect(r.classified + r.refused).toBe(r.inputs);
    expect(r.seconds).toBeLessThan(FULL ? 300 : 60);
    expect(r.maxRssMb).toBeLessThan(1024);
  }, 600_000);
});
