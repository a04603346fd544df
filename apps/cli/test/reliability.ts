// The reliability suite: every odd input through `timbre predict --json` in one process, then assertions
// that hold for each (see reliability.e2e.test.ts and scripts/reliability.mjs).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { OddInput } from './odd-inputs.js';

/** What the suite measured. */
export interface ReliabilityReport {
  inputs: number;
  classified: number;
  refused: number;
  /** Inputs whose outcome differs from the expected one. */
  wrong: { path: string; kind: string; expected: string; got: string }[];
  stackTraces: number;
  exitCode: number | null;
  seconds: number;
  maxRssMb: number;
  tmpLeft: string[];
}

/** Runs `timbre predict --json` on `inputs` (plus /dev/zero) with the given model and checks each result. */
export function runReliability(
  bin: string,
  model: string,
  inputs: readonly OddInput[],
  cwd: string,
): ReliabilityReport {
  const paths = [...inputs.map((i) => i.path), '/dev/zero'];
  const t0 = performance.now();
  const r = spawnSync(
    '/usr/bin/time',
    ['-f', '%M', process.execPath, bin, '--json', 'predict', ...paths, '--model', model],
    {
      cwd,
      encoding: 'utf8',
      timeout: 300_000,
      maxBuffer: 64 << 20,
      env: { ...process.env, NO_COLOR: '1' },
    },
  );
  const seconds = (performance.now() - t0) / 1000;
  const rssKb = Number((r.stderr.trim().split('\n').at(-1) ?? '').trim());
  const results = (
    JSON.parse(r.stdout || '{"results":[]}') as {
      results: { file: string; error?: string; prediction?: unknown }[];
    }
  ).results;
  const byPath = new Map(results.map((x) => [x.file, x]));
  const wrong: ReliabilityReport['wrong'] = [];
  for (const i of [...inputs, { path: '/dev/zero', kind: 'character device', expect: 'error' as const }]) {
    const got = byPath.get(i.path);
    const outcome = !got ? 'missing' : got.prediction ? 'ok' : 'error';
    if (outcome !== i.expect)
      wrong.push({ path: i.path, kind: i.kind, expected: i.expect, got: got?.error ?? outcome });
    if (got?.error && got.error.includes('\n'))
      wrong.push({ path: i.path, kind: i.kind, expected: 'one line', got: got.error });
  }
  const tmpLeft: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(d, e.name));
      else if (/\.tmp$|\.tmp-/.test(e.name)) tmpLeft.push(join(d, e.name));
    }
  };
  if (existsSync(cwd)) walk(cwd);
  return {
    inputs: paths.length,
    classified: results.filter((x) => x.prediction).length,
    refused: results.filter((x) => x.error).length,
    wrong,
    stackTraces: (r.stderr.match(/\n\s+at /g) ?? []).length,
    exitCode: r.status,
    seconds,
    maxRssMb: Number.isFinite(rssKb) ? rssKb / 1024 : Number.NaN,
    tmpLeft,
  };
}
