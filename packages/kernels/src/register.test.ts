import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import {
  FAST_KERNEL_NAMES,
  fastKernelsRegistered,
  registerFastKernels,
  restoreStockKernels,
} from './register.js';
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
});
