import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';

import type { Command } from 'commander';
import { PRETRAINED_DIR } from '../model-path.js';
import { table } from '../output.js';
import { outputFor, VERSION } from '../program.js';

const require = createRequire(import.meta.url);

function versionOf(pkg: string): string {
  try {
    return (require(`${pkg}/package.json`) as { version: string }).version;
  } catch {
    return 'not installed';
  }
}

/** `timbre info`: versions, the tfjs backend in use and why, SIMD, cache and model locations. */
export function registerInfo(program: Command): void {
  program
    .command('info')
    .description('versions, backend in use and why, SIMD availability, cache locations')
    .action(async (_flags: unknown, c: Command) => {
      const { out, flags: g } = outputFor(c);
      const { resolveCacheDir } = await import('@timbre/dataset/node');
      const { availableImplementations, detectSimd } = await import('@timbre/dsp');
      const { initBackend } = await import('@timbre/models/node');
      const backend = await initBackend('auto');
      const versions: Record<string, string> = {
        '@timbre/cli': VERSION,
        '@timbre/dsp': versionOf('@timbre/dsp'),
        '@timbre/dataset': versionOf('@timbre/dataset'),
        '@timbre/models': versionOf('@timbre/models'),
        '@timbre/core': versionOf('@timbre/core'),
        node: process.versions.node,
      };
      let pretrained: Record<string, unknown> | null = null;
      try {
        const meta = JSON.parse(await readFile(join(PRETRAINED_DIR, 'metadata.json'), 'utf8')) as {
          preset: string;
          nMels: number;
          labels: string[];
          metrics?: Record<string, number>;
        };
        pretrained = {
          path: PRETRAINED_DIR,
          preset: meta.preset,
          nMels: meta.nMels,
          classes: meta.labels.length,
          metrics: meta.metrics,
        };
      } catch {
        pretrained = null;
      }
      const info = {
        versions,
        backend: { name: backend.name, reason: backend.reason, attempts: backend.attempts },
        engine: g.engine,
        dsp: { simd: detectSimd(), implementations: availableImplementations() },
        cacheDir: resolveCacheDir(g.cacheDir),
        pretrained,
        cpus: (await import('node:os')).availableParallelism(),
      };
      out.json(info);
      out.result(table(['package', 'version'], Object.entries(versions)));
      out.result(`\ntfjs backend: ${backend.name} — ${backend.reason}`);
      out.result(`training engine: ${g.engine} (set --engine or TIMBRE_ENGINE: fast, stock)`);
      out.result(
        `dsp: WASM SIMD ${info.dsp.simd ? 'available' : 'unavailable'}; implementations ${info.dsp.implementations.join(', ')}`,
      );
      out.result(`cache: ${info.cacheDir} (set --cache-dir or TIMBRE_CACHE_DIR)`);
      out.result(
        pretrained
          ? `pretrained model: ${PRETRAINED_DIR} (${String(pretrained.preset)}, ${String(pretrained.nMels)} mel)`
          : `pretrained model: missing at ${PRETRAINED_DIR}`,
      );
    });
}
