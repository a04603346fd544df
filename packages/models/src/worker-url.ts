import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ModelError } from './errors.js';

/**
 * The URL of a worker-thread entry of this package, e.g. `'parallel-worker.js'`: beside the calling
 * module when built (`dist/`); from the TS sources (vitest), `src/` has no `.js` worker, so the built one.
 * @param what What needs it, for the error message (e.g. `'workers > 1'`).
 * @throws {ModelError} when the package is not built.
 */
export function builtWorkerUrl(file: string, what: string): URL {
  const here = new URL(`./${file}`, import.meta.url);
  if (existsSync(fileURLToPath(here))) return here;
  const built = new URL(`../dist/${file}`, import.meta.url);
  if (existsSync(fileURLToPath(built))) return built;
  throw new ModelError(
    `${what} needs the built worker script (${fileURLToPath(built)}): run pnpm --filter @timbre/models build`,
  );
}
