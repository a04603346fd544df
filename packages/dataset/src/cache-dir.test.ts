import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { prepareCacheDir } from './cache-dir.js';
import { CorpusError } from './errors.js';

describe('prepareCacheDir', () => {
  it('creates a missing folder and refuses a cache that is a file, in one line naming it', async () => {
    const root = mkdtempSync(join(tmpdir(), 'timbre-cache-'));
    expect(await prepareCacheDir(join(root, 'a', 'b'))).toBe(join(root, 'a', 'b'));
    writeFileSync(join(root, 'file'), 'x');
    const err = await prepareCacheDir(join(root, 'file', 'corpus')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CorpusError);
    expect((err as Error).message).toMatch(
      /cache folder '.*file\/corpus' is not usable \(a file is in the way\); choose a writable directory with --cache-dir or TIMBRE_CACHE_DIR/,
    );
  });
});
