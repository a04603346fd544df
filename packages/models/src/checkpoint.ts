import { readFile } from 'node:fs/promises';
import { writeFileAtomic } from '@timbre/dataset/node';
import { CheckpointError } from './errors.js';

/** One tensor stored in a checkpoint. */
export interface StoredTensor {
  /** Weight name (model) or optimizer slot name. */
  name: string;
  shape: number[];
  dtype: 'float32' | 'int32';
  /** Values, row-major. */
  data: Float32Array | Int32Array;
}

/** Everything needed to continue a run exactly. */
export interface Checkpoint<S = unknown> {
  /** Run state (epoch, seed, config, history…), stored as JSON. */
  state: S;
  /** Model weights in `model.getWeights()` order. */
  model: StoredTensor[];
  /** Optimizer state in `optimizer.getWeights()` order (Adam: iterations, first and second moments). */
  optimizer: StoredTensor[];
}

const MAGIC = 'TMBRCKP1';

interface Header<S> {
  state: S;
  tensors: Array<{ group: 'model' | 'optimizer'; name: string; shape: number[]; dtype: 'float32' | 'int32' }>;
}

/**
 * Writes a checkpoint file atomically (temp file + rename). Layout: 8-byte magic `TMBRCKP1`,
 * u32 LE header length, UTF-8 JSON header, padding to 4 bytes, then the tensors' raw little-endian
 * 32-bit values in header order.
 */
export async function writeCheckpoint<S>(path: string, ckpt: Checkpoint<S>): Promise<void> {
  const all = [
    ...ckpt.model.map((t) => ({ group: 'model' as const, t })),
    ...ckpt.optimizer.map((t) => ({ group: 'optimizer' as const, t })),
  ];
  const header: Header<S> = {
    state: ckpt.state,
    tensors: all.map(({ group, t }) => ({ group, name: t.name, shape: t.shape, dtype: t.dtype })),
  };
  const json = new TextEncoder().encode(JSON.stringify(header));
  const headerEnd = 12 + json.length;
  const dataStart = Math.ceil(headerEnd / 4) * 4;
  const total = dataStart + all.reduce((s, { t }) => s + t.data.length * 4, 0);
  const buf = new Uint8Array(total);
  buf.set(new TextEncoder().encode(MAGIC), 0);
  new DataView(buf.buffer).setUint32(8, json.length, true);
  buf.set(json, 12);
  let off = dataStart;
  for (const { t } of all) {
    buf.set(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength), off);
    off += t.data.byteLength;
  }
  await writeFileAtomic(path, buf);
}

/**
 * Reads a checkpoint written by {@link writeCheckpoint}.
 *
 * @throws {CheckpointError} when the file is missing, not a checkpoint, or truncated.
 */
export async function readCheckpoint<S>(path: string): Promise<Checkpoint<S>> {
  let raw: Buffer;
  try {
    raw = await readFile(path);
  } catch (e) {
    throw new CheckpointError(`cannot read checkpoint '${path}': ${(e as Error).message}`, { cause: e });
  }
  const buf = new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength);
  if (buf.length < 12 || new TextDecoder().decode(buf.subarray(0, 8)) !== MAGIC) {
    throw new CheckpointError(`'${path}' is not a timbre checkpoint (magic ${MAGIC} missing)`);
  }
  const len = new DataView(buf.buffer, buf.byteOffset).getUint32(8, true);
  let header: Header<S>;
  try {
    header = JSON.parse(new TextDecoder().decode(buf.subarray(12, 12 + len))) as Header<S>;
  } catch (e) {
    throw new CheckpointError(`checkpoint '${path}' has a corrupt header`, { cause: e });
  }
  let off = Math.ceil((12 + len) / 4) * 4;
  const out: Checkpoint<S> = { state: header.state, model: [], optimizer: [] };
  for (const t of header.tensors) {
    const n = t.shape.reduce((a, b) => a * b, 1);
    if (off + n * 4 > buf.length)
      throw new CheckpointError(`checkpoint '${path}' is truncated at tensor '${t.name}'`);
    const bytes = buf.slice(off, off + n * 4);
    const data = t.dtype === 'int32' ? new Int32Array(bytes.buffer) : new Float32Array(bytes.buffer);
    out[t.group].push({ name: t.name, shape: t.shape, dtype: t.dtype, data });
    off += n * 4;
  }
  if (off !== buf.length)
    throw new CheckpointError(`checkpoint '${path}' has ${buf.length - off} trailing bytes`);
  return out;
}
