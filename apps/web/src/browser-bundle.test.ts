import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'vite';
import { afterAll, describe, expect, it } from 'vitest';

// The packages' platform-neutral entries must bundle for the browser without any Node module: a Vite
// build of every export of each entry, with a plugin that records a `node:` (or bare builtin) import made
// by timbre's own code. Third-party modules are not counted: tfjs guards its Node paths at run time
// (tfjs-core's platform_node.js, the wasm backend's emscripten loader), which bundlers leave inert.
const NODE = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);
// Entry files live under this app's node_modules so that the workspace packages resolve from them.
const dir = mkdtempSync(
  join(fileURLToPath(new URL('..', import.meta.url)), 'node_modules', '.timbre-bundle-'),
);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function refuseNode(seen: string[]): Plugin {
  return {
    name: 'refuse-node',
    enforce: 'pre',
    resolveId(id, importer) {
      if (NODE.has(id) || id.startsWith('node:')) {
        if (importer && !importer.includes('/node_modules/')) seen.push(`${id} ← ${importer}`);
        return { id: '\0node-stub', moduleSideEffects: false };
      }
      return null;
    },
    load(id) {
      return id === '\0node-stub' ? 'export default {};' : null;
    },
  };
}

describe('browser entries', () => {
  for (const entry of ['@timbre/models', '@timbre/dataset', '@timbre/dsp']) {
    it(`${entry} bundles with no Node module`, async () => {
      const file = join(dir, `${entry.replace(/\W/g, '_')}.js`);
      writeFileSync(file, `import * as m from '${entry}';\nexport const names = Object.keys(m);\n`);
      const seen: string[] = [];
      await build({
        configFile: false,
        logLevel: 'silent',
        root: dir,
        resolve: { conditions: ['browser', 'import', 'module', 'default'] },
        plugins: [refuseNode(seen)],
        build: {
          write: false,
          target: 'es2022',
          lib: { entry: file, formats: ['es'], fileName: 'out' },
          rollupOptions: { treeshake: false },
        },
      });
      expect(seen, `Node modules reached from ${entry}`).toEqual([]);
    }, 120_000);
  }

  it('@timbre/models/node is refused (the check bites)', async () => {
    const file = join(dir, 'node-entry.js');
    writeFileSync(file, `import * as m from '@timbre/models/node';\nexport const names = Object.keys(m);\n`);
    const seen: string[] = [];
    await build({
      configFile: false,
      logLevel: 'silent',
      root: dir,
      plugins: [refuseNode(seen)],
      build: { write: false, target: 'es2022', lib: { entry: file, formats: ['es'], fileName: 'out' } },
    }).catch(() => undefined);
    expect(seen.length).toBeGreaterThan(0);
  }, 120_000);
});
