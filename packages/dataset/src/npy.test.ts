import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NpyError } from './errors.js';
import { decodeNpy, encodeNpy, readNpy, writeNpy } from './npy.js';

describe('npy', () => {
  it('writes a NumPy v1.0 header aligned to 64 bytes and round-trips', async () => {
    const data = Float32Array.from({ length: 2 * 3 * 4 }, (_, i) => i * 0.5 - 3);
    const bytes = encodeNpy(data, [2, 3, 4]);
    const headerLen = bytes[8]! | (bytes[9]! << 8);
    expect((10 + headerLen) % 64).toBe(0);
    const header = new TextDecoder().decode(bytes.subarray(10, 10 + headerLen));
    expect(header).toContain("'descr': '<f4'");
    expect(header).toContain("'shape': (2, 3, 4)");
    expect(header.endsWith('\n')).toBe(true);
    expect(new DataView(bytes.buffer).getFloat32(10 + headerLen + 4, true)).toBe(-2.5);
    const dir = await mkdtemp(join(tmpdir(), 'timbre-npy-'));
    await writeNpy(join(dir, 'x.npy'), data, [2, 3, 4]);
    const back = await readNpy(join(dir, 'x.npy'));
    expect(back.shape).toEqual([2, 3, 4]);
    expect(Array.from(back.data)).toEqual(Array.from(data));
    expect(decodeNpy(encodeNpy(new Float32Array(3), [3])).shape).toEqual([3]);
  });

  it('rejects shape mismatches, other dtypes and truncated bodies', () => {
    expect(() => encodeNpy(new Float32Array(5), [2, 3])).toThrow(NpyError);
    const bytes = encodeNpy(new Float32Array(6), [2, 3]);
    expect(() => decodeNpy(bytes.subarray(0, bytes.length - 4))).toThrow(/body holds/);
    const f8 = bytes.slice();
    const at = new TextDecoder().decode(f8).indexOf('<f4');
    f8[at + 2] = '8'.charCodeAt(0);
    expect(() => decodeNpy(f8)).toThrow(/float32/);
    expect(() => decodeNpy(new Uint8Array(20))).toThrow(/not a \.npy/);
  });
});
