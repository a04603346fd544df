/**
 * A conv layer's forward and backward passes with the bias and the ReLU fused in (LeNet's `conv → +b →
 * relu`). Stock tfjs runs Conv2D, Add and Relu forward and Step, Cast, Multiply, Sum backward, each a
 * pass over the activation (3.5 MB per LeNet batch at the first layer); here the forward is one SIMD
 * conv whose tiles get the bias and the max(·, 0) before they are stored, and the backward one pass that
 * masks `dy` by `y > 0` and sums the bias gradient, then the conv gradient kernels.
 */

import type { TensorInfo } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { heapOffset, type KernelArgs, sizeOf, type WasmBackendLike } from './backend-access.js';
import { MAX_PATTERN_FLOATS, patternFloats } from './channel-pattern.js';
import { BackendError, UnsupportedConfigError } from './errors.js';
import { type LazyGradients, runWithLazyGradients } from './lazy-gradients.js';
import { simdKernelsFor } from './simd-module.js';

/** Kernel name of the fused forward pass (inputs x, filter, bias; attrs strides, relu). */
export const CONV2D_BIAS_RELU = 'TimbreConv2DBiasRelu';
/** Kernel name of the fused ReLU-and-bias gradient (inputs dy, y; attrs relu): outputs dz, db. */
export const RELU_GRAD_BIAS_SUM = 'TimbreReluGradBiasSum';

/** The wasm backend with the SIMD module, or null. */
function simdWasm(backend: tf.KernelBackend | undefined) {
  const w = backend as Partial<WasmBackendLike> | undefined;
  if (w?.wasm === undefined || w.dataIdMap === undefined || typeof w.makeOutput !== 'function') return null;
  const wb = backend as WasmBackendLike;
  const k = simdKernelsFor(wb);
  return k === null ? null : { wb, k };
}

function requireSimd(backend: tf.KernelBackend, name: string) {
  const s = simdWasm(backend);
  if (s === null) throw new BackendError(`${name} needs the wasm backend with WebAssembly SIMD`);
  return s;
}

function conv2dBiasReluKernel(args: KernelArgs): TensorInfo {
  const { wb, k } = requireSimd(args.backend, CONV2D_BIAS_RELU);
  const x = args.inputs.x as TensorInfo;
  const filter = args.inputs.filter as TensorInfo;
  const bias = args.inputs.bias as TensorInfo;
  const strides = args.attrs?.strides as [number, number];
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    filter.shape as [number, number, number, number],
    strides,
    1,
    'valid',
  );
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, outChannels } = info;
  const K = info.filterHeight * info.filterWidth * inChannels;
  const out = wb.makeOutput(info.outShape, 'float32');
  const packed = wb.wasm._malloc(4 * Math.max(1, Math.ceil(outChannels / 8) * 8 * K));
  try {
    k.packPanels(heapOffset(wb, filter), outChannels, 1, K, outChannels, packed);
    k.conv2dForward(
      heapOffset(wb, x),
      packed,
      heapOffset(wb, out),
      batchSize,
      inHeight,
      inWidth,
      inChannels,
      outHeight,
      outWidth,
      outChannels,
      info.filterHeight,
      info.filterWidth,
      info.strideHeight,
      info.strideWidth,
      heapOffset(wb, bias),
      args.attrs?.relu ? 1 : 0,
    );
  } finally {
    wb.wasm._free(packed);
  }
  return out;
}

function reluGradBiasSumKernel(args: KernelArgs): TensorInfo[] {
  const { wb, k } = requireSimd(args.backend, RELU_GRAD_BIAS_SUM);
  const dy = args.inputs.dy as TensorInfo;
  const y = args.inputs.y as TensorInfo;
  const c = dy.shape.at(-1) as number;
  const p = patternFloats(c);
  const dz = wb.makeOutput(dy.shape.slice(), 'float32');
  const db = wb.makeOutput([c], 'float32');
  const scratch = wb.wasm._malloc(8 * p);
  try {
    k.reluGradBiasSum(
      heapOffset(wb, dy),
      heapOffset(wb, y),
      heapOffset(wb, dz),
      heapOffset(wb, db),
      sizeOf(dy.shape) / c,
      c,
      p,
      args.attrs?.relu ? 1 : 0,
      scratch,
    );
  } finally {
    wb.wasm._free(scratch);
  }
  return [dz, db];
}

let registered = false;

/** Registers {@link CONV2D_BIAS_RELU} and {@link RELU_GRAD_BIAS_SUM} for 'wasm' (idempotent). */
export function registerConvBiasReluKernels(): void {
  if (registered) return;
  registered = true;
  tf.registerKernel({
    kernelName: CONV2D_BIAS_RELU,
    backendName: 'wasm',
    kernelFunc: conv2dBiasReluKernel as never,
  });
  tf.registerKernel({
    kernelName: RELU_GRAD_BIAS_SUM,
    backendName: 'wasm',
    kernelFunc: reluGradBiasSumKernel as never,
  });
}

/** Options of {@link conv2dBiasRelu}. */
export interface Conv2dBiasReluOptions {
  /** Strides [height, width] or one for both; positive integers, default 1. */
  strides?: number | [number, number];
  /** Apply max(·, 0) after the bias (default true); false = a linear conv + bias. */
  relu?: boolean;
}

/**
 * `relu(conv2d(x, filter, strides, 'valid') + bias)` (NHWC, float32, undilated) as one differentiable op.
 * On the wasm backend with WebAssembly SIMD it runs the fused kernels described above; elsewhere the
 * same expression of stock ops. Values equal the stock ops' up to float summation order in the conv.
 *
 * @param x - Input [batch, height, width, inChannels].
 * @param filter - Filter [filterHeight, filterWidth, inChannels, outChannels].
 * @param bias - Bias [outChannels].
 * @param options - Strides and whether to apply the ReLU.
 * @returns [batch, outHeight, outWidth, outChannels].
 * @throws {@link UnsupportedConfigError} on inconsistent shapes or strides.
 */
export function conv2dBiasRelu(
  x: tf.Tensor4D,
  filter: tf.Tensor4D,
  bias: tf.Tensor1D,
  options: Conv2dBiasReluOptions = {},
): tf.Tensor4D {
  const s = options.strides ?? 1;
  const strides: [number, number] = Array.isArray(s) ? s : [s, s];
  const relu = options.relu ?? true;
  if (!strides.every((v) => Number.isInteger(v) && v >= 1))
    throw new UnsupportedConfigError(`strides must be positive integers, got [${strides}]`);
  if (x.rank !== 4 || filter.rank !== 4 || bias.rank !== 1)
    throw new UnsupportedConfigError(
      `conv2dBiasRelu needs x [b, h, w, c], filter [fh, fw, c, co], bias [co]; got [${x.shape}], [${filter.shape}], [${bias.shape}]`,
    );
  const [fh, fw, ci, co] = filter.shape;
  if (x.shape[3] !== ci || bias.shape[0] !== co || x.shape[1] < fh || x.shape[2] < fw)
    throw new UnsupportedConfigError(
      `inconsistent conv shapes: x [${x.shape}], filter [${filter.shape}], bias [${bias.shape}]`,
    );
  const fused =
    x.dtype === 'float32' && simdWasm(tf.backend()) !== null && patternFloats(co) <= MAX_PATTERN_FLOATS;
  if (!fused) {
    return tf.tidy(() => {
      const z = tf.add(tf.conv2d(x, filter, strides, 'valid'), bias) as tf.Tensor4D;
      return relu ? tf.relu(z) : z;
    });
  }
  registerConvBiasReluKernels();
  const convAttrs = { strides, pad: 'valid', dataFormat: 'NHWC', dilations: [1, 1] } as const;
  return runWithLazyGradients(
    ([xi, f, b], save) => {
      const y = tf.engine().runKernel(
        CONV2D_BIAS_RELU,
        { x: xi!, filter: f!, bias: b! },
        {
          strides,
          relu,
        },
      ) as tf.Tensor;
      save([xi!, f!, y]);
      return y;
    },
    (dy, saved): LazyGradients => {
      const [sx, sf, sy] = saved as [tf.Tensor4D, tf.Tensor4D, tf.Tensor4D];
      const [dz, db] = tf.engine().runKernel(RELU_GRAD_BIAS_SUM, { dy, y: sy }, { relu }) as [
        tf.Tensor4D,
        tf.Tensor1D,
      ];
      return [
        () =>
          tf.engine().runKernel(
            'Conv2DBackpropInput',
            { dy: dz, filter: sf },
            {
              ...convAttrs,
              inputShape: sx.shape,
            },
          ) as tf.Tensor,
        () =>
          tf.engine().runKernel(
            'Conv2DBackpropFilter',
            { x: sx, dy: dz },
            {
              ...convAttrs,
              filterShape: sf.shape,
            },
          ) as tf.Tensor,
        () => db,
      ];
    },
    [x, filter, bias],
  ) as tf.Tensor4D;
}
