import { access, constants } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { removeStaleTempFiles } from './atomic.js';
import { CorpusError, FolderError } from './errors.js';
import { makeDirs } from './make-dirs.js';

/**
 * The cache root: `options.cacheDir` if given, else `$TIMBRE_CACHE_DIR`, else `~/.cache/timbre`.
 * @returns An absolute path (the directory may not exist yet).
 */
export function resolveCacheDir(cacheDir?: string): string {
  if (cacheDir) return resolve(cacheDir);
  const env = process.env['TIMBRE_CACHE_DIR'];
  if (env) return resolve(env);
  return join(homedir(), '.cache', 'timbre');
}

/**
 * Creates `dir` (a folder inside the cache) when missing and checks that it is a writable directory, so a
 * cache that is a file, read-only or on an odd mount fails at once with one line instead of later. Temp files
 * left in it by a killed run are removed ({@link removeStaleTempFiles}).
 * @throws {CorpusError} naming the folder, what is wrong and how to choose another.
 */
export async function prepareCacheDir(dir: string): Promise<string> {
  const fail = (why: string, cause?: unknown) =>
    new CorpusError(
      `cache folder '${dir}' is not usable (${why}); choose a writable directory with --cache-dir or TIMBRE_CACHE_DIR`,
      { cause },
    );
  try {
    await makeDirs(dir);
  } catch (e) {
    const why = e instanceof FolderError ? e.why : e instanceof Error ? e.message : String(e);
    throw fail(why);
  }
  try {
    await access(dir, constants.W_OK);
  } catch (e) {
    throw fail('not writable', e);
  }
  await removeStaleTempFiles(dir);
  return dir;
}
