import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { removeStaleTempFiles, tempPathFor, writeFileAtomic } from './atomic.js';

describe('writeFileAtomic / removeStaleTempFiles', () => {
  it('writes through a temp file and leaves none behind', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'atomic-'));
    await writeFileAtomic(join(dir, 'a', 'x.json'), '{"a":1}');
    expect(readFileSync(join(dir, 'a', 'x.json'), 'utf8')).toBe('{"a":1}');
    expect(readdirSync(join(dir, 'a'))).toEqual(['x.json']);
  });

  it("removes a killed writer's temp file at once, keeps a live or unknown one until it is old", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'atomic-'));
    // The pid of a process that has exited.
    const deadPid = Number(
      spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout,
    );
    expect(deadPid).toBeGreaterThan(0);
    const dead = tempPathFor(join(dir, 'a.wav'), deadPid);
    const live = tempPathFor(join(dir, 'b.wav'));
    const unknown = join(dir, 'c.wav.0a1b2c3d4e5f.tmp'); // the naming of older releases: no owner
    for (const f of [dead, live, unknown]) writeFileSync(f, 'partial');
    writeFileSync(join(dir, 'kept.wav'), 'whole');
    expect(await removeStaleTempFiles(dir)).toBe(1);
    expect(readdirSync(dir).sort()).toEqual(
      [live, unknown, join(dir, 'kept.wav')].map((p) => basename(p)).sort(),
    );
    const past = new Date(Date.now() - 120_000);
    utimesSync(live, past, past);
    utimesSync(unknown, past, past);
    expect(await removeStaleTempFiles(dir)).toBe(2);
    expect(readdirSync(dir)).toEqual(['kept.wav']);
    expect(await removeStaleTempFiles(join(dir, 'missing'))).toBe(0);
  });
});
