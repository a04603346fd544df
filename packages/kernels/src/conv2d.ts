import { backend_util, type Conv2DAttrs, type TensorInfo } from '@tensorflow/tfjs-core';
import { asWasm, call1, heapOffset, type KernelArgs } from './backend-access.js';
import { simdKernelsFor } from './simd-module.js';
import { stockWasm } from './stock-kernels.js';

/**
 * Conv2D for the wasm backend. Unpadded, undilated NHWC float32 convolutions (LeNet's 'valid' convs, any
 * stride) run this package's f32x4 kernel: the sgemm micro-kernel with 4 consecutive output pixels as rows
 * read in place from `x` (no im2col buffer) and the filter packed in 8-column panels. Everything else,
 * and runtimes without WebAssembly SIMD, use the stock (XNNPACK) kernel.
 *
 * @param args - Kernel arguments: inputs `{x, filter}`, attrs as tfjs's `Conv2DAttrs`.
 * @returns The convolution, NHWC.
 */
export function conv2dFast(args: KernelArgs): TensorInfo {
  const backend = asWasm(args.backend);
  const attrs = (args.attrs ?? {}) as unknown as Conv2DAttrs;
  const x = args.inputs.x as TensorInfo;
  const filter = args.inputs.filter as TensorInfo;
  const dataFormat = backend_util.convertConv2DDataFormat(attrs.dataFormat);
  const k = x.dtype === 'float32' && dataFormat === 'channelsLast' ? simdKernelsFor(backend) : null;
  if (k !== null) {
    const info = backend_util.computeConv2DInfo(
      x.shape as [number, number, number, number],
      filter.shape as [number, number, number, number],
      attrs.strides,
      attrs.dilations,
      attrs.pad,
      attrs.dimRoundingMode,
      false,
      dataFormat,
    );
    const { padInfo } = info;
    const simple =
      padInfo.top === 0 &&
      padInfo.bottom === 0 &&
      padInfo.left === 0 &&
      padInfo.right === 0 &&
      info.dilationHeight === 1 &&
      info.dilationWidth === 1;
    if (simple) {
      const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, outChannels } = info;
      const K = info.filterHeight * info.filterWidth * inChannels;
      const out = backend.makeOutput(info.outShape, 'float32');
      const packed = backend.wasm._malloc(4 * Math.max(1, Math.ceil(outChannels / 8) * 8 * K));
      try {
        k.packPanels(heapOffset(backend, filter), outChannels, 1, K, outChannels, packed);
        k.conv2dForward(
          heapOffset(backend, x),
          packed,
          heapOffset(backend, out),
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
          0,
          0,
        );
      } finally {
        backend.wasm._free(packed);
      }
      return out;
    }
  }
  return call1(stockWasm('Conv2D'), { x, filter }, backend, args.attrs);
}
