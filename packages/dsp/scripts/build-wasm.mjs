// Compiles assembly/index.ts twice (f32x4 SIMD and scalar) with the workspace's one WebAssembly build
// (@timbre/wasm-build), which checks that each module imports nothing and exports exactly src/wasm-engine.ts's
// KernelExports, and embeds the bytes as base64 in src/generated/dsp-<variant>.wasm.ts.
// Usage: node scripts/build-wasm.mjs   (run by `pnpm build` before tsc)
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildWasm } from '@timbre/wasm-build';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const common = ['-O3', '--runtime', 'stub', '--noAssert', '--use', 'abort=', '--initialMemory', '1'];
for (const v of [
  {
    name: 'dsp-simd',
    exportName: 'WASM_SIMD_BASE64',
    flags: ['--enable', 'simd'],
    label: 'f32x4 SIMD kernel',
  },
  {
    name: 'dsp-scalar',
    exportName: 'WASM_SCALAR_BASE64',
    flags: ['--disable', 'simd'],
    label: 'scalar kernel',
  },
])
  buildWasm({
    root,
    entry: 'assembly/index.ts',
    name: v.name,
    exportName: v.exportName,
    label: v.label,
    flags: [...common, ...v.flags],
    imports: [],
    exports: { file: 'src/wasm-engine.ts', name: 'KernelExports' },
  });
