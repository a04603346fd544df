import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

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
