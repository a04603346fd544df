// Vitest global setup: (re)builds the embedded WASM modules when src/generated is missing or older than
// assembly/, so `vitest run` works in a fresh clone without `pnpm build` first.
import { execFileSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

export default function setup() {
  const generated = ['dsp-simd.wasm.ts', 'dsp-scalar.wasm.ts'].map((f) => join(root, 'src', 'generated', f));
  const source = statSync(join(root, 'assembly', 'index.ts')).mtimeMs;
  const stale = generated.some((f) => !existsSync(f) || statSync(f).mtimeMs < source);
  if (stale) execFileSync(process.execPath, [join(root, 'scripts', 'build-wasm.mjs')], { stdio: 'inherit' });
}
