import { existsSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FolderError } from './errors.js';
import { makeDirs } from './make-dirs.js';

describe('makeDirs', () => {
  it('creates missing parents, accepts an existing folder, refuses a file in the way', async () => {
    const root = mkdtempSync(join(tmpdir(), 'mkdirs-'));
    const deep = join(root, 'a', 'b', 'c');
    expect(await makeDirs(deep)).toBe(deep);
    expect(statSync(deep).isDirectory()).toBe(true);
    expect(await makeDirs(deep)).toBe(deep);
    writeFileSync(join(root, 'file'), 'x');
    await expect(makeDirs(join(root, 'file', 'sub'))).rejects.toThrow(FolderError);
    await expect(makeDirs(join(root, 'file', 'sub'))).rejects.toThrow(/'.*file' \(a file is in the way\)/);
  });

  it.skipIf(!existsSync('/proc/self'))(
    'fails at once under /proc, where a recursive mkdir never returns',
    async () => {
      const t0 = performance.now();
      await expect(makeDirs('/proc/timbre-x/y')).rejects.toThrow(
        /cannot create the folder '\/proc\/timbre-x'/,
      );
      expect(performance.now() - t0).toBeLessThan(5000);
    },
  );
});
