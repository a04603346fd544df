import { randomBytes } from 'node:crypto';
import { readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { dirname, join } from 'node:path';
import { makeDirs } from './make-dirs.js';

/** Suffix of temporary files; leftovers from an interrupted run are ignored and may be deleted. */
export const TMP_SUFFIX = '.tmp';

/** A short tag for this machine, so that a temp file's process id is only trusted on the machine that wrote it. */
const HOST_TAG = Buffer.from(hostname()).toString('hex').slice(0, 8) || 'host';

/**
 * Write a file atomically: write `<path>.<host>-<pid>-<random>.tmp` in the same directory, then rename over
 * `path`. A crash leaves either the old file or the new one, never a half-written file; the temp file's
 * name says which process wrote it, so {@link removeStaleTempFiles} can sweep the leftovers of a killed run.
 */
export async function writeFileAtomic(path: string, data: Uint8Array | string): Promise<void> {
  await makeDirs(dirname(path));
  const tmp = tempPathFor(path);
  try {
    await writeFile(tmp, data);
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}

/**
 * The temp file name {@link writeFileAtomic} uses for `path` in process `pid` (default: this one):
 * `<path>.<host>-<pid>-<8 hex>.tmp`.
 */
export function tempPathFor(path: string, pid: number = process.pid): string {
  return `${path}.${HOST_TAG}-${pid}-${randomBytes(4).toString('hex')}${TMP_SUFFIX}`;
}

/** True when process `pid` on this machine is gone (`kill(pid, 0)` answers ESRCH). */
function processGone(pid: number): boolean {
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/**
 * Remove the `*.tmp` leftovers of interrupted runs in `dir` (not recursive): files written by
 * {@link writeFileAtomic} in a process of this machine that no longer exists, and any temp file older than
 * `maxAgeMs` (default 60 s; a live writer's temp file lives milliseconds). Temp files of running processes
 * stay, so two builds may share a cache. A missing `dir` is not an error.
 * @returns how many files were removed.
 */
export async function removeStaleTempFiles(dir: string, maxAgeMs = 60_000): Promise<number> {
  const names = await readdir(dir).catch(() => [] as string[]);
  const old = Date.now() - maxAgeMs;
  const owner = new RegExp(`\\.${HOST_TAG}-(\\d+)-[0-9a-f]+\\${TMP_SUFFIX}$`);
  const removed = await Promise.all(
    names
      .filter((n) => n.endsWith(TMP_SUFFIX))
      .map(async (n) => {
        const p = join(dir, n);
        const m = owner.exec(n);
        const dead = m !== null && processGone(Number(m[1]));
        if (!dead) {
          const st = await stat(p).catch(() => null);
          if (!st || st.mtimeMs >= old) return 0;
        }
        await rm(p, { force: true });
        return 1;
      }),
  );
  return removed.reduce<number>((a, b) => a + b, 0);
}
