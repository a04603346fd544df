// Copies the shipped pretrained model (apps/cli/pretrained) into public/model/, which Vite serves in dev and
// copies into dist/model/ on build. public/model/ is git-ignored: the weights are committed once, in the CLI.
import { copyFileSync, mkdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const from = join(here, '../../cli/pretrained');
const to = join(here, '../public/model');
const FILES = ['model.json', 'weights.bin', 'metadata.json'];

mkdirSync(to, { recursive: true });
for (const name of FILES) {
  try {
    copyFileSync(join(from, name), join(to, name));
  } catch (e) {
    console.error(`copy-model: cannot copy ${join(from, name)}: ${e instanceof Error ? e.message : e}`);
    process.exit(1);
  }
}
const bytes = FILES.reduce((sum, name) => sum + statSync(join(to, name)).size, 0);
console.log(`copy-model: ${FILES.length} files (${(bytes / 1024).toFixed(0)} KiB) → public/model/`);
