import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import {
  FAST_KERNEL_NAMES,
  fastKernelsRegistered,
  registerFastKernels,
  restoreStockKernels,
  useKernelMode,
} from './register.js';
import { simdMode } from './simd-module.js';
import { initBackends } from './test-utils/backends.js';

describe('registerFastKernels', () => {
  it('works when called before the wasm backend starts (stock setup is chained), is idempotent, and restores', async () => {
    expect(registerFastKernels()).toEqual([...FAST_KERNEL_NAMES]);
    expect(registerFastKernels()).toEqual([...FAST_KERNEL_NAMES]);
    await initBackends();
    const y = tf.matMul(tf.tensor2d([1, 2, 3, 4], [2, 2]), tf.tensor2d([1, 0, 0, 1], [2, 2]), true, false);
    expect(Array.from(y.dataSync())).toEqual([1, 3, 2, 4]);
    restoreStockKernels();
    expect(fastKernelsRegistered()).toEqual([]);
    expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')).toBeUndefined();
    expect(tf.getKernel('BatchMatMul', 'wasm')).toBeDefined();
    const z = tf.matMul(tf.tensor2d([1, 2, 3, 4], [2, 2]), tf.tensor2d([1, 0, 0, 1], [2, 2]), true, false);
    expect(Array.from(z.dataSync())).toEqual([1, 3, 2, 4]);
    expect(registerFastKernels({ kernels: ['Conv2DBackpropFilter'] })).toEqual(['Conv2DBackpropFilter']);
  });

  it('useKernelMode puts the registry in one state whatever came before', async () => {
    await initBackends();
    registerFastKernels({ kernels: ['Slice'] });
    expect(useKernelMode('stock')).toEqual(['Conv2DBackpropFilter', 'MaxPoolGrad']);
    expect(fastKernelsRegistered()).toEqual(['Conv2DBackpropFilter', 'MaxPoolGrad']);
    expect(useKernelMode('fast')).toEqual([...FAST_KERNEL_NAMES]);
    expect(simdMode()).toBe('auto');
    expect(useKernelMode('fast-js')).toEqual([...FAST_KERNEL_NAMES]);
    expect(simdMode()).toBe('js');
    expect(useKernelMode('stock')).toEqual(['Conv2DBackpropFilter', 'MaxPoolGrad']);
    expect(simdMode()).toBe('auto');
    expect(() => useKernelMode('turbo' as never)).toThrow(/'stock', 'fast' or 'fast-js'/);
    useKernelMode('fast');
  });
});
