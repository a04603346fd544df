/** A typed array's place in shared memory, as it crosses to a worker thread (`workerData`). */
export interface SharedView {
  buffer: SharedArrayBuffer;
  byteOffset: number;
  length: number;
}

/**
 * `a` on shared memory for worker threads: in place when it already is on a `SharedArrayBuffer`, else one
 * copy.
 */
export function toShared<T extends Float32Array | Int32Array>(a: T): SharedView {
  if (a.buffer instanceof SharedArrayBuffer)
    return { buffer: a.buffer, byteOffset: a.byteOffset, length: a.length };
  const sab = new SharedArrayBuffer(a.byteLength);
  new (a.constructor as { new (b: SharedArrayBuffer): T })(sab).set(a);
  return { buffer: sab, byteOffset: 0, length: a.length };
}
