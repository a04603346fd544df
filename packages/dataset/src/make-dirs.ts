import { mkdir, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { FolderError } from './errors.js';

/**
 * Creates `dir` and its missing parents, one level at a time (Node's own recursive mkdir never returns under
 * /proc or /sys: it retries ENOENT forever). An existing directory is fine.
 * @returns The absolute path.
 * @throws {FolderError} naming the folder that could not be created and why (a file in the way, read-only,
 *   a pseudo file system, permission).
 */
export async function makeDirs(dir: string): Promise<string> {
  const target = resolve(dir);
  const missing: string[] = [];
  for (let d = target; ; d = dirname(d)) {
    const s = await stat(d).catch((e: NodeJS.ErrnoException) => e);
    if (!(s instanceof Error)) {
      if (!s.isDirectory()) throw new FolderError(d, 'a file is in the way');
      break;
    }
    if (s.code !== 'ENOENT' && s.code !== 'ENOTDIR') throw new FolderError(d, s.code ?? s.message, s);
    missing.push(d);
    if (dirname(d) === d) break;
  }
  for (const d of missing.reverse()) {
    try {
      await mkdir(d);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (
        code === 'EEXIST' &&
        (await stat(d).then(
          (s) => s.isDirectory(),
          () => false,
        ))
      )
        continue;
      throw new FolderError(
        d,
        code === 'EEXIST'
          ? 'a file is in the way'
          : code === 'ENOENT'
            ? 'this file system does not hold folders'
            : (code ?? (e as Error).message),
        e,
      );
    }
  }
  return target;
}
