// Compiles assembly/kernels.ts (f32x4 SIMD, imported memory: the kernels run on the tfjs wasm backend's heap,
// passed in as env.memory) with the workspace's one WebAssembly build (@timbre/wasm-build), which checks its
// imports, that it has no data segment, and that its exports are exactly src/simd-module.ts's SimdKernels.
// There is no scalar build: without SIMD every kernel runs its previous (JS or XNNPACK) path.
// Usage: node scripts/build-wasm.mjs   (run by `pnpm build` before tsc)
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildWasm } from '@timbre/wasm-build';

buildWasm({
  root: join(dirname(fileURLToPath(import.meta.url)), '..'),
  entry: 'assembly/kernels.ts',
  name: 'kernels-simd',
  exportName: 'KERNELS_SIMD_BASE64',
  label: 'f32x4 SIMD kernels',
  // AS112: the v128 helpers shared between the op-family files are exported from their files, not the module.
  flags: [
    '-O3',
    '--runtime',
    'stub',
    '--noAssert',
    '--use',
    'abort=',
    '--importMemory',
    '--initialMemory',
    '0',
    '--enable',
    'simd',
    '--disableWarning',
    '112',
  ],
  imports: ['env.memory'],
  // asc re-exports the imported memory; the host never reads it.
  exports: { file: 'src/simd-module.ts', name: 'SimdKernels', extra: ['memory'] },
  noData: true,
});
