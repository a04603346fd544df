import { describe, expect, it } from 'vitest';
import { createLogMelExtractor, wasmMemoryBytes } from './extractor.js';
import { fixtureSignal, maxAbsDiff } from './test-utils/fixtures.js';
import { availableImplementations } from './wasm-modules.js';

const wasm = availableImplementations().filter((i) => i !== 'js');

describe.each(wasm)('%s memory', (implementation) => {
  it('2000 consecutive calls do not grow WASM memory; longer clips grow it once, then views stay valid', async () => {
    const e = await createLogMelExtractor({ implementation });
    const engine = { memoryBytes: () => wasmMemoryBytes(e) };
    const x = fixtureSignal('noise').subarray(0, 22050);
    const out = new Float32Array(80 * 64);
    const first = e.compute(x, out).slice();
    const bytes = engine.memoryBytes();
    for (let i = 0; i < 2000; i++) e.compute(x, out);
    expect(engine.memoryBytes()).toBe(bytes);
    expect(out).toEqual(first);
    // 20 s clip: memory grows (old views detach); results must still be right.
    const long = new Float32Array(44100 * 20);
    long.set(x);
    const js = await createLogMelExtractor({ implementation: 'js' });
    expect(maxAbsDiff(e.compute(long), js.compute(long))).toBeLessThan(2e-5);
    expect(engine.memoryBytes()).toBeGreaterThan(bytes!);
    const grown = engine.memoryBytes();
    expect(e.compute(x, out)).toEqual(first);
    expect(engine.memoryBytes()).toBe(grown);
    e.dispose();
    expect(wasmMemoryBytes(e)).toBeNull();
    expect(wasmMemoryBytes(js)).toBeNull();
  });
});
