import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const dist = fileURLToPath(new URL('../dist/node.js', import.meta.url));

// Vitest resolves tfjs' ESM entry points; plain Node resolves their CommonJS bundles, where gradient
// registration differs. This runs the built package in plain Node, as the CLI does (turbo builds first).
describe('built package in plain Node', () => {
  it('starts wasm and trains one step', () => {
    expect(existsSync(dist), `${dist} missing: run pnpm build first`).toBe(true);
    const script = `
      const m = await import(${JSON.stringify(dist)});
      const b = await m.initBackend('wasm');
      const r = await m.benchmarkTraining({ preset: 'lenet-3x8', nMels: 16, nFrames: 40, samples: 16, batchSize: 8, batches: 1, warmupBatches: 1 });
      console.log(JSON.stringify({ backend: b.name, s: r.secondsPerEpoch }));`;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    const last = JSON.parse(out.trim().split('\n').at(-1)!) as { backend: string; s: number };
    expect(last.backend).toBe('wasm');
    expect(last.s).toBeGreaterThan(0);
  });
});
