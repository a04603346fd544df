#!/usr/bin/env node
// Produces the pretrained model shipped in apps/cli/pretrained/: runs the main job (`timbre start`:
// LeNet 3×8, 64 mel, seed 0, 20 epochs on the random split + a leave-one-source-out run), then copies the
// random-split model here, recording both test accuracies in metadata.json → metrics.
// Usage: pnpm --filter @timbre/cli run make-pretrained [-- extra `timbre start` flags]
//        pnpm --filter @timbre/cli run make-pretrained -- --from runs/start   (reuse a finished `timbre start`)
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const cli = fileURLToPath(new URL('../dist/bin.js', import.meta.url));
const target = fileURLToPath(new URL('../pretrained', import.meta.url));
const args = process.argv.slice(2);
const fromIndex = args.indexOf('--from');
let work;
let out;
if (fromIndex >= 0) {
  work = args[fromIndex + 1];
  const run = (name) => JSON.parse(readFileSync(join(work, name, 'run.json'), 'utf8'));
  const bySource = JSON.parse(readFileSync(join(work, 'by-source', 'model', 'metadata.json'), 'utf8'));
  const manifest = JSON.parse(readFileSync(run('by-source').manifest, 'utf8'));
  out = {
    random: { accuracy: run('random').testAccuracy },
    bySource: {
      accuracy: run('by-source').testAccuracy,
      heldOut: (manifest.split.testGroups ?? []).join(', '),
    },
  };
  if (bySource.preset !== 'lenet-3x8') throw new Error(`${work} is not a \`timbre start\` folder`);
} else {
  work = mkdtempSync(join(tmpdir(), 'timbre-pretrained-'));
  out = JSON.parse(
    execFileSync(process.execPath, [cli, '--json', 'start', '--out', work, ...args], {
      stdio: ['ignore', 'pipe', 'inherit'],
      encoding: 'utf8',
    }),
  );
}
const staged = `${target}.tmp`;
rmSync(staged, { recursive: true, force: true });
cpSync(join(work, 'random', 'model'), staged, { recursive: true });
const metaPath = join(staged, 'metadata.json');
const meta = JSON.parse(readFileSync(metaPath, 'utf8'));
meta.metrics = {
  ...meta.metrics,
  randomSplitTestAccuracy: out.random.accuracy,
  leaveOneSourceOutTestAccuracy: out.bySource.accuracy,
};
meta.heldOutSourceForLeaveOneOut = out.bySource.heldOut;
delete meta.history; // keep the shipped file small; the curve is in the run folder
writeFileSync(metaPath, `${JSON.stringify(meta, null, 2)}\n`);
rmSync(target, { recursive: true, force: true });
renameSync(staged, target);
if (fromIndex < 0) rmSync(work, { recursive: true, force: true });
console.log(
  `pretrained model → ${target}\nrandom split ${(out.random.accuracy * 100).toFixed(1)}%, held-out ${out.bySource.heldOut} ${(out.bySource.accuracy * 100).toFixed(1)}%`,
);
