import { defineConfig, mergeConfig } from 'vitest/config';

/**
 * The timbre Vitest preset: tests live beside the code as `*.test.ts`, run in forked
 * processes (tfjs and WASM state stay per file), and write a JSON report to
 * `.vitest/results.json` that `.ci/run` sums into the final `N passed, N failed` line.
 *
 * @param {import('vitest/config').UserConfig} [overrides] Package-specific settings merged on top.
 * @returns {import('vitest/config').UserConfig}
 */
export function timbreVitestConfig(overrides = {}) {
  return mergeConfig(
    defineConfig({
      test: {
        include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
        pool: 'forks',
        testTimeout: 60_000,
        hookTimeout: 120_000,
        reporters: ['default', 'json'],
        outputFile: { json: '.vitest/results.json' },
      },
    }),
    overrides,
  );
}
