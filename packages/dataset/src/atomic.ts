import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/** Suffix of temporary files; leftovers from an interrupted run are ignored and may be deleted. */
export const TMP_SUFFIX = '.tmp';

/**
 * Write a file atomically: write `<path>.<random>.tmp` in the same directory, then rename over `path`.
 * A crash leaves either the old file or the new one, never a half-written file.
 */
export async function writeFileAtomic(path: string, data: Uint8Array | string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.${randomBytes(6).toString('hex')}${TMP_SUFFIX}`;
  try {
    await writeFile(tmp, data);
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}
