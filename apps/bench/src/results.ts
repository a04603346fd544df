import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** Directory for result files: $TIMBRE_BENCH_RESULTS, else `bench-results/` under the working directory. */
export function resultsDir(): string {
  return resolve(process.env['TIMBRE_BENCH_RESULTS'] ?? 'bench-results');
}

/**
 * Writes `data` as pretty JSON to `<resultsDir>/<name>` atomically (temporary file, then rename), so a reader
 * never sees a half-written file.
 *
 * @returns The absolute path written.
 */
export function writeResultJson(name: string, data: unknown): string {
  const dir = resultsDir();
  mkdirSync(dir, { recursive: true });
  const target = join(dir, name);
  const tmp = `${target}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(data, null, 2)}\n`);
  renameSync(tmp, target);
  return target;
}
