import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCheckpoint, writeCheckpoint } from './checkpoint.js';
import { CheckpointError } from './errors.js';

describe('checkpoint file', () => {
  const ckpt = {
    state: { epoch: 3, note: 'ü' },
    model: [
      { name: 'w0', shape: [2, 3], dtype: 'float32' as const, data: new Float32Array([1, 2, 3, 4, 5, 6.5]) },
    ],
    optimizer: [
      { name: 'iter', shape: [], dtype: 'int32' as const, data: new Int32Array([42]) },
      { name: 'm', shape: [3], dtype: 'float32' as const, data: new Float32Array([-1, 0, 1e-30]) },
    ],
  };

  it('round-trips state and tensors exactly and leaves no temp file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'timbre-ckpt-'));
    const path = join(dir, 'checkpoint.bin');
    await writeCheckpoint(path, ckpt);
    await writeCheckpoint(path, ckpt); // replacing works
    expect(readdirSync(dir)).toEqual(['checkpoint.bin']);
    const back = await readCheckpoint(path);
    expect(back.state).toEqual(ckpt.state);
    expect(back.model.map((t) => [t.name, t.shape, t.dtype, Array.from(t.data)])).toEqual([
      ['w0', [2, 3], 'float32', [1, 2, 3, 4, 5, 6.5]],
    ]);
    expect(back.optimizer[0]!.data).toBeInstanceOf(Int32Array);
    expect(Array.from(back.optimizer[0]!.data)).toEqual([42]);
    expect(back.optimizer[1]!.data[2]).toBe(new Float32Array([1e-30])[0]);
  });

  it('names the file when it is missing, foreign or truncated', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'timbre-ckpt-'));
    const path = join(dir, 'c.bin');
    await expect(readCheckpoint(path)).rejects.toThrow(/cannot read checkpoint '.*c\.bin'/);
    writeFileSync(path, 'not a checkpoint at all');
    await expect(readCheckpoint(path)).rejects.toThrow(/is not a timbre checkpoint/);
    await writeCheckpoint(path, ckpt);
    const bytes = readFileSync(path);
    writeFileSync(path, bytes.subarray(0, bytes.length - 4));
    await expect(readCheckpoint(path)).rejects.toThrow(CheckpointError);
    await expect(readCheckpoint(path)).rejects.toThrow(/truncated at tensor 'm'/);
  });
});
