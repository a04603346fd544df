import { describe, expect, it } from 'vitest';
import { decodeBase64 } from './base64.js';
import { WASM_SCALAR_BASE64 } from './generated/dsp-scalar.wasm.js';
import { WASM_SIMD_BASE64 } from './generated/dsp-simd.wasm.js';
import { wasmApi } from './wasm-api.js';
import { availableImplementations, detectSimd } from './wasm-modules.js';

describe('embedded WASM kernels', () => {
  it('Node 20 validates both kernels: all three implementations are available, fastest first', () => {
    expect(detectSimd()).toBe(true);
    expect(availableImplementations()).toEqual(['wasm-simd', 'wasm', 'js']);
  });

  it('the SIMD build uses v128 and the scalar build does not', async () => {
    for (const [b64, simd] of [
      [WASM_SIMD_BASE64, 1],
      [WASM_SCALAR_BASE64, 0],
    ] as const) {
      const bytes = decodeBase64(b64);
      expect(Array.from(bytes.subarray(0, 4))).toEqual([0, 0x61, 0x73, 0x6d]);
      // No imports: instantiating with an empty import object succeeds.
      const api = wasmApi()!;
      const instance = await api.instantiate(await api.compile(bytes), {});
      expect((instance.exports as { simd(): number }).simd()).toBe(simd);
    }
  });
});
