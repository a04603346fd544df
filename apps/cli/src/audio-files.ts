import { readdir, stat } from 'node:fs/promises';
import { extname, join, resolve } from 'node:path';

/** File extensions `timbre predict` picks up when walking folders. */
export const AUDIO_EXTENSIONS: ReadonlySet<string> = new Set([
  '.wav',
  '.wave',
  '.mp3',
  '.flac',
  '.ogg',
  '.oga',
]);

/** An input path that could not be expanded (missing). */
export interface MissingInput {
  path: string;
  reason: string;
}

/**
 * Expands files and folders (recursively, audio extensions only, sorted) into a list of files.
 * Files named explicitly are kept whatever their extension (the decoder checks the content).
 */
export async function expandAudioInputs(
  inputs: readonly string[],
): Promise<{ files: string[]; missing: MissingInput[] }> {
  const files: string[] = [];
  const missing: MissingInput[] = [];
  async function walk(dir: string): Promise<void> {
    const entries = await readdir(dir, { withFileTypes: true });
    entries.sort((a, b) => a.name.localeCompare(b.name));
    for (const e of entries) {
      const p = join(dir, e.name);
      if (e.isDirectory()) await walk(p);
      else if (e.isFile() && AUDIO_EXTENSIONS.has(extname(e.name).toLowerCase())) files.push(p);
    }
  }
  for (const input of inputs) {
    const p = resolve(input);
    const s = await stat(p).catch(() => null);
    if (!s) missing.push({ path: input, reason: 'no such file or directory' });
    else if (s.isDirectory()) await walk(p);
    else files.push(p);
  }
  return { files, missing };
}
