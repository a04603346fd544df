import * as tf from '@tensorflow/tfjs-core';
import { getKernel } from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { currentBackend, initBackend } from './backend.js';
import { BackendError } from './errors.js';

describe('initBackend', () => {
  it('auto falls back past an unavailable tfjs-node and reports why', async () => {
    const info = await initBackend('auto');
    expect(tf.getBackend()).toBe(info.name);
    expect(info.requested).toBe('auto');
    if (info.name !== 'tensorflow') {
      expect(info.attempts[0]).toMatchObject({ backend: 'tensorflow', ok: false });
      expect(info.reason).toMatch(/tensorflow unavailable/);
    }
    expect(currentBackend()).toBe(info);
  });

  it('switches on request, keeps the active backend for auto, completes the wasm kernels', async () => {
    const cpu = await initBackend('cpu');
    expect(cpu.name).toBe('cpu');
    expect(cpu.reason).toMatch(/explicitly/);
    expect((await initBackend('auto')).name).toBe('cpu');
    const wasm = await initBackend('wasm');
    expect(wasm.name).toBe('wasm');
    expect(wasm.threads).toBe(1);
    expect(getKernel('Conv2DBackpropFilter', 'wasm')).toBeDefined();
  });

  it('refuses unknown choices and an explicit backend it cannot start', async () => {
    await expect(initBackend('webgpu' as 'cpu')).rejects.toThrow(
      /backend must be one of auto, tensorflow, wasm, cpu/,
    );
    const r = initBackend('tensorflow');
    // tfjs-node is installed without its native library here; where it does load, this must succeed.
    await r.then(
      (info) => expect(info.name).toBe('tensorflow'),
      (e: unknown) => expect(e).toBeInstanceOf(BackendError),
    );
  });
});
