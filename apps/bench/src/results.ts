import { join, resolve } from 'node:path';
import { writeFileAtomic } from '@timbre/dataset/node';

/** Directory for result files: $TIMBRE_BENCH_RESULTS, else `bench-results/` under the working directory. */
export function resultsDir(): string {
  return resolve(process.env['TIMBRE_BENCH_RESULTS'] ?? 'bench-results');
}

/**
 * Writes `data` as pretty JSON to `<resultsDir>/<name>` atomically (`@timbre/dataset`'s temporary file, then
 * rename), so a reader never sees a half-written file.
 *
 * @param name File name, e.g. `'train.json'`.
 * @returns The absolute path written.
 */
export async function writeResultJson(name: string, data: unknown): Promise<string> {
  const target = join(resultsDir(), name);
  await writeFileAtomic(target, `${JSON.stringify(data, null, 2)}\n`);
  return target;
}
