import { createHash } from 'node:crypto';

/** Lower-case hex sha256 of the raw bytes of `data` (for Float32Array: little-endian PCM). */
export function sha256Hex(data: ArrayBufferView | string): string {
  const h = createHash('sha256');
  if (typeof data === 'string') h.update(data);
  else h.update(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  return h.digest('hex');
}
