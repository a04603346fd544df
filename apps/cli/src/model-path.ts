import { stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CliError } from './errors.js';
import { RUN_FILES } from './run-store.js';

/** Folder of the pretrained model shipped with the CLI (`apps/cli/pretrained`). */
export const PRETRAINED_DIR: string = fileURLToPath(new URL('../pretrained/', import.meta.url));

/**
 * Resolves `--model`: a run folder (holding `model/`), a model folder (holding `model.json`), or the
 * shipped pretrained model when undefined.
 * @returns The model folder.
 */
export async function resolveModelDir(model: string | undefined): Promise<string> {
  const dir = model === undefined ? PRETRAINED_DIR : resolve(model);
  const isFile = async (p: string) => (await stat(p).catch(() => null))?.isFile() ?? false;
  if (await isFile(join(dir, 'model.json'))) return dir;
  if (await isFile(join(dir, RUN_FILES.model, 'model.json'))) return join(dir, RUN_FILES.model);
  if (model === undefined)
    throw new CliError(`the pretrained model is missing at ${dir}; pass --model <run folder>`);
  throw new CliError(
    `--model ${model}: no model.json there or in its model/ folder (expected a run or model folder)`,
  );
}
