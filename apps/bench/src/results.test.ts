import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { writeResultJson } from './results.js';

describe('writeResultJson', () => {
  const dir = mkdtempSync(join(tmpdir(), 'timbre-bench-'));
  afterEach(() => {
    delete process.env['TIMBRE_BENCH_RESULTS'];
  });

  it('writes pretty JSON under $TIMBRE_BENCH_RESULTS, replacing the old file, leaving no temporary file', async () => {
    process.env['TIMBRE_BENCH_RESULTS'] = dir;
    await writeResultJson('dsp.json', { a: 1 });
    const path = await writeResultJson('dsp.json', { a: 2 });
    expect(path).toBe(join(dir, 'dsp.json'));
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual({ a: 2 });
    expect(readdirSync(dir)).toEqual(['dsp.json']);
    rmSync(dir, { recursive: true, force: true });
  });
});
