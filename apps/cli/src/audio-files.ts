import { stat } from 'node:fs/promises';
import { extname, resolve } from 'node:path';

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
  const { walkFiles } = await import('@timbre/dataset/node');
  const files: string[] = [];
  const missing: MissingInput[] = [];
  for (const input of inputs) {
    const p = resolve(input);
    const s = await stat(p).catch((e: { code?: string }) => e);
    if (s instanceof Error || !('isDirectory' in s)) {
      const code = (s as { code?: string }).code;
      missing.push({
        path: input,
        reason:
          code === 'ELOOP'
            ? 'a symbolic link loop'
            : 'no such file or directory (or a dangling symbolic link)',
      });
    } else if (s.isDirectory()) {
      const walked = await walkFiles(p, (name) => AUDIO_EXTENSIONS.has(extname(name).toLowerCase()));
      files.push(...walked.files);
      missing.push(...walked.unreadable);
    } else files.push(p); // the decoder refuses FIFOs, devices and oversized files by name
  }
  return { files, missing };
}
