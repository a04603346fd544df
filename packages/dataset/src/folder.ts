import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { OptionError } from './errors.js';
import { type ImportEntry, type ImportOptions, type ImportResult, importEntries } from './import-files.js';
import { walkFiles } from './read-input.js';

/**
 * Import `<root>/<label>/*.{wav,mp3,flac,ogg}`: one class per sub-folder (sorted names = class order).
 * Files are decoded by magic bytes, trimmed at the onset and stored as 1-s clips in the cache. Pitch is
 * unknown (`by-pitch` splits are refused); the source group is the folder name of `root`.
 */
export async function importFolder(root: string, options: ImportOptions = {}): Promise<ImportResult> {
  let dirs: string[];
  try {
    dirs = (await readdir(root, { withFileTypes: true }))
      .filter((e) => e.isDirectory())
      .map((e) => e.name)
      .sort();
  } catch (err) {
    throw new OptionError('root', 'a readable directory', `${root} (${(err as Error).message})`);
  }
  const entries: ImportEntry[] = [];
  let ignored = 0;
  for (const label of dirs) {
    const audio = (name: string) => /\.(wav|mp3|flac|ogg)$/i.test(name);
    const { files, unreadable } = await walkFiles(join(root, label), () => true);
    for (const path of [...files, ...unreadable.map((u) => u.path)].sort()) {
      if (!audio(path)) {
        ignored++;
        continue;
      }
      entries.push({
        path,
        label,
        pitch: null,
        source: 'folder',
        sourceGroup: 'folder',
      });
    }
  }
  const labels = dirs.filter((d) => entries.some((e) => e.label === d));
  const result = await importEntries(entries, { ...options, kind: 'folder', root, labels });
  result.summary.ignored += ignored;
  return result;
}
