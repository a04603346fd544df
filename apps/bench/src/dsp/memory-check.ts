import { createLogMelExtractor, type DspImplementation, wasmMemoryBytes } from '@timbre/dsp';

/** Result of many consecutive `compute` calls on one extractor. */
export interface MemoryCheck {
  implementation: DspImplementation;
  calls: number;
  wasmBytesBefore: number | null;
  wasmBytesAfter: number | null;
  heapBytesBefore: number;
  heapBytesAfter: number;
  heapDeltaBytes: number;
  gcExposed: boolean;
}

function collect(): boolean {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  return gc !== undefined;
}

/**
 * Calls `compute(clip, out)` `calls` times and reports WASM memory and JS heap before and after (after a
 * warm-up call, with a full GC around the measurements when node runs with --expose-gc).
 */
export async function memoryCheck(
  implementation: DspImplementation,
  clip: Float32Array,
  calls: number,
): Promise<MemoryCheck> {
  const extractor = await createLogMelExtractor({ implementation });
  const out = new Float32Array((extractor.options.frames ?? extractor.frameCount(clip.length)) * 64);
  extractor.compute(clip, out);
  const gcExposed = collect();
  const wasmBytesBefore = wasmMemoryBytes(extractor);
  const heapBytesBefore = process.memoryUsage().heapUsed;
  for (let i = 0; i < calls; i++) extractor.compute(clip, out);
  collect();
  const heapBytesAfter = process.memoryUsage().heapUsed;
  const wasmBytesAfter = wasmMemoryBytes(extractor);
  extractor.dispose();
  return {
    implementation,
    calls,
    wasmBytesBefore,
    wasmBytesAfter,
    heapBytesBefore,
    heapBytesAfter,
    heapDeltaBytes: heapBytesAfter - heapBytesBefore,
    gcExposed,
  };
}
