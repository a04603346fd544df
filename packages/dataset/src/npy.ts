import { readFile } from 'node:fs/promises';
import { writeFileAtomic } from './atomic.js';
import { NpyError } from './errors.js';

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

/**
 * Encode a float32 array as NumPy `.npy` v1.0 (`<f4`, C order). The header is padded so data starts on
 * a 64-byte boundary.
 * @param shape Dimensions; their product must equal `data.length`.
 * @throws {NpyError} on a shape mismatch.
 */
export function encodeNpy(data: Float32Array, shape: readonly number[]): Uint8Array {
  const count = shape.reduce((a, b) => a * b, 1);
  if (shape.some((d) => !Number.isInteger(d) || d < 0) || count !== data.length) {
    throw new NpyError(`shape [${shape.join(', ')}] does not match ${data.length} values`);
  }
  const shapeStr = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': ${shapeStr}, }`;
  const total = 10 + header.length + 1;
  header += `${' '.repeat((64 - (total % 64)) % 64)}\n`;
  const out = new Uint8Array(10 + header.length + data.length * 4);
  out.set(MAGIC, 0);
  out[6] = 1;
  out[7] = 0;
  out[8] = header.length & 0xff;
  out[9] = header.length >> 8;
  for (let i = 0; i < header.length; i++) out[10 + i] = header.charCodeAt(i);
  const body = new DataView(out.buffer, 10 + header.length);
  for (let i = 0; i < data.length; i++) body.setFloat32(i * 4, data[i]!, true);
  return out;
}

/**
 * Decode a `.npy` holding little-endian float32 in C order (v1.0–3.0 headers).
 * @throws {NpyError} for other dtypes, Fortran order, or a truncated body.
 */
export function decodeNpy(bytes: Uint8Array, name = '<npy>'): { data: Float32Array; shape: number[] } {
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b))
    throw new NpyError(`${name}: not a .npy file`);
  const major = bytes[6]!;
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLen = major === 1 ? v.getUint16(8, true) : v.getUint32(8, true);
  const start = major === 1 ? 10 : 12;
  const header = new TextDecoder('latin1').decode(bytes.subarray(start, start + headerLen));
  if (!/'descr':\s*'<f4'/.test(header))
    throw new NpyError(`${name}: dtype is not little-endian float32 ('<f4')`);
  if (!/'fortran_order':\s*False/.test(header)) throw new NpyError(`${name}: Fortran order is not supported`);
  const m = /'shape':\s*\(([^)]*)\)/.exec(header);
  if (!m) throw new NpyError(`${name}: header has no shape`);
  const shape = m[1]!
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
    .map(Number);
  const count = shape.reduce((a, b) => a * b, 1);
  const offset = start + headerLen;
  if (bytes.length - offset !== count * 4) {
    throw new NpyError(`${name}: body holds ${bytes.length - offset} bytes, shape needs ${count * 4}`);
  }
  const data = new Float32Array(count);
  const body = new DataView(bytes.buffer, bytes.byteOffset + offset, count * 4);
  for (let i = 0; i < count; i++) data[i] = body.getFloat32(i * 4, true);
  return { data, shape };
}

/** Write a `.npy` atomically. */
export async function writeNpy(path: string, data: Float32Array, shape: readonly number[]): Promise<void> {
  await writeFileAtomic(path, encodeNpy(data, shape));
}

/** Read a `.npy` (float32 little-endian, C order). */
export async function readNpy(path: string): Promise<{ data: Float32Array; shape: number[] }> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (err) {
    throw new NpyError(`${path}: cannot read: ${(err as Error).message}`, { cause: err });
  }
  return decodeNpy(bytes, path);
}
