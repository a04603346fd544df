#!/usr/bin/env node
// Sums the Vitest JSON reports of every workspace package (`<pkg>/.vitest/results.json`)
// and prints `N passed, N failed` alone on the last line. Exits 1 when no test ran or one failed.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
let passed = 0;
let failed = 0;
let files = 0;
for (const group of ['packages', 'apps', 'tooling']) {
  const dir = join(root, group);
  if (!existsSync(dir)) continue;
  for (const name of readdirSync(dir)) {
    const report = join(dir, name, '.vitest', 'results.json');
    if (!existsSync(report)) continue;
    const r = JSON.parse(readFileSync(report, 'utf8'));
    files += 1;
    passed += r.numPassedTests ?? 0;
    failed += r.numFailedTests ?? 0;
    if (!r.success) failed += r.numFailedTests ? 0 : 1; // a suite that failed to load counts once
    console.log(
      `${group}/${name}: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests ?? 0} skipped`,
    );
  }
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(files === 0 || passed === 0 || failed > 0 ? 1 : 0);
