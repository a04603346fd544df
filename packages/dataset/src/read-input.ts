import { constants, type Stats } from 'node:fs';
import { type FileHandle, open, readdir, realpath, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { DecodeError } from './errors.js';

/** Default largest input file read, bytes (512 MiB); raise it with `maxBytes`. */
export const MAX_INPUT_BYTES = 512 * 1024 * 1024;

function kindOf(s: Stats): string {
  if (s.isDirectory()) return 'a directory';
  if (s.isFIFO()) return 'a FIFO (named pipe)';
  if (s.isCharacterDevice()) return 'a character device';
  if (s.isBlockDevice()) return 'a block device';
  if (s.isSocket()) return 'a socket';
  return 'not a regular file';
}

/**
 * Reads an input file's bytes, refusing what is not a bounded regular file: symlinks are followed (a loop
 * is reported as such), FIFOs, devices (`/dev/zero`), sockets and directories are refused without being
 * opened, and files over `maxBytes` are refused before they are read.
 * @param maxBytes Largest size read, integer ≥ 1; default {@link MAX_INPUT_BYTES}.
 * @throws {DecodeError} with reason `unreadable`, `not-a-file` or `too-large`, naming the file.
 */
export async function readInputFile(path: string, maxBytes = MAX_INPUT_BYTES): Promise<Uint8Array> {
  const { handle } = await openInputFile(path, maxBytes);
  try {
    return await handle.readFile();
  } catch (err) {
    throw new DecodeError(path, 'unreadable', (err as Error).message, err);
  } finally {
    await handle.close();
  }
}

/**
 * Opens an input file for reading with the checks of {@link readInputFile} (regular file, symlinks followed,
 * loops reported, at most `maxBytes`); the caller closes the handle.
 * @throws {DecodeError} `unreadable`, `not-a-file` or `too-large`.
 */
export async function openInputFile(
  path: string,
  maxBytes = MAX_INPUT_BYTES,
): Promise<{ handle: FileHandle; size: number }> {
  // One open (non-blocking, so a FIFO does not wait for a writer) + fstat: what readFile costs.
  let handle: FileHandle;
  try {
    handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (err) {
    const code = (err as { code?: string }).code;
    const why =
      code === 'ELOOP'
        ? 'a symbolic link loop'
        : code === 'ENOENT'
          ? 'no such file (or a dangling symbolic link)'
          : code === 'EISDIR'
            ? 'is a directory; only regular files are read'
            : (err as Error).message;
    throw new DecodeError(path, code === 'EISDIR' ? 'not-a-file' : 'unreadable', why, err);
  }
  try {
    const s = await handle.stat();
    if (!s.isFile())
      throw new DecodeError(path, 'not-a-file', `is ${kindOf(s)}; only regular files are read`);
    if (s.size > maxBytes)
      throw new DecodeError(
        path,
        'too-large',
        `${(s.size / 2 ** 20).toFixed(0)} MiB is over the ${(maxBytes / 2 ** 20).toFixed(0)} MiB input limit (raise it with maxBytes; timbre predict --max-input-mb)`,
      );
    return { handle, size: s.size };
  } catch (err) {
    await handle.close();
    if (err instanceof DecodeError) throw err;
    throw new DecodeError(path, 'unreadable', (err as Error).message, err);
  }
}

/**
 * Every file under `dir` (recursively, symlinks followed, each real directory visited once so loops end),
 * sorted by path, for which `accept(name)` holds. Entries that cannot be read (dangling links, permission)
 * are returned in `unreadable` with the reason.
 */
export async function walkFiles(
  dir: string,
  accept: (name: string) => boolean = () => true,
): Promise<{ files: string[]; unreadable: { path: string; reason: string }[] }> {
  const files: string[] = [];
  const unreadable: { path: string; reason: string }[] = [];
  const seen = new Set<string>();
  async function visit(d: string): Promise<void> {
    const real = await realpath(d);
    if (seen.has(real)) return;
    seen.add(real);
    const entries = await readdir(d, { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      const p = join(d, e.name);
      let isDir = e.isDirectory();
      let isFile = e.isFile();
      if (e.isSymbolicLink()) {
        const s = await stat(p).catch((err: { code?: string }) => err);
        if (s instanceof Error || !('isFile' in s)) {
          if (accept(e.name))
            unreadable.push({
              path: p,
              reason:
                (s as { code?: string }).code === 'ELOOP'
                  ? 'a symbolic link loop'
                  : 'a dangling symbolic link',
            });
          continue;
        }
        isDir = s.isDirectory();
        isFile = s.isFile();
      }
      if (isDir) await visit(p);
      else if (isFile && accept(e.name)) files.push(p);
    }
  }
  await visit(dir);
  return { files, unreadable };
}
