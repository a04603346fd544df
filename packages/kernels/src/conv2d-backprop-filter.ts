import { backend_util, type Conv2DBackpropFilterAttrs, type TensorInfo } from '@tensorflow/tfjs-core';
import { asWasm, call1, heapF32, heapOffset, type KernelArgs, sizeOf } from './backend-access.js';
import { UnsupportedConfigError } from './errors.js';
import { simdKernelsFor } from './simd-module.js';
import { stockWasm } from './stock-kernels.js';

/**
 * Conv2DBackpropFilter (the filter gradient of a conv2d) for the wasm backend, which has none.
 *
 * Unpadded (any stride), with WebAssembly SIMD: this package's f32x4 kernel, tiles of 8 contiguous
 * (kw, ci) filter positions × 4 output channels read in place from `x` and `dy` (no im2col buffer), one
 * image's reduction in registers.
 * Otherwise, stride 1 (any padding): a forward conv2d over transposed tensors (XNNPACK): `x` [B,H,W,Ci] →
 * [Ci,H,W,B] as the batch, `dy` [B,Ho,Wo,Co] → [Ho,Wo,B,Co] as the filter, padded like the forward
 * conv, and the [Ci,kh,kw,Co] result transposed to [kh,kw,Ci,Co]. Other strides: a direct loop in
 * JS over the heap (correct, slower). NCHW is refused.
 *
 * @param args - Kernel arguments: inputs `{x, dy}`, attrs as tfjs's `Conv2DBackpropFilterAttrs`.
 * @returns `dW` with shape `attrs.filterShape`.
 * @throws {@link UnsupportedConfigError} for NCHW data.
 */
export function conv2dBackpropFilterFast(args: KernelArgs): TensorInfo {
  const backend = asWasm(args.backend);
  const attrs = (args.attrs ?? {}) as unknown as Conv2DBackpropFilterAttrs;
  const x = args.inputs.x as TensorInfo;
  const dy = args.inputs.dy as TensorInfo;
  const dataFormat = backend_util.convertConv2DDataFormat(attrs.dataFormat);
  if (dataFormat !== 'channelsLast') {
    throw new UnsupportedConfigError('Conv2DBackpropFilter: only NHWC (channelsLast) is supported');
  }
  const info = backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    attrs.filterShape,
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
    false,
    dataFormat,
  );
  const { padInfo } = info;
  const unpadded = padInfo.top === 0 && padInfo.bottom === 0 && padInfo.left === 0 && padInfo.right === 0;
  // The kernel's last tile may read up to 8 floats past x's end: they must be inside the heap.
  const inHeap = heapOffset(backend, x) + 4 * sizeOf(x.shape) + 32 <= backend.wasm.HEAPU8.byteLength;
  const k = unpadded && inHeap && x.dtype === 'float32' ? simdKernelsFor(backend) : null;
  if (k !== null) {
    const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, outChannels } = info;
    const out = backend.makeOutput([info.filterHeight, info.filterWidth, inChannels, outChannels], 'float32');
    k.conv2dBackpropFilter(
      heapOffset(backend, x),
      heapOffset(backend, dy),
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
    );
    return out;
  }
  if (info.strideHeight !== 1 || info.strideWidth !== 1) return filterGradLoop(backend, x, dy, info);

  const transpose = stockWasm('Transpose');
  const xt = call1(transpose, { x }, backend, { perm: [3, 1, 2, 0] });
  const dyt = call1(transpose, { x: dy }, backend, { perm: [1, 2, 0, 3] });
  const pad = [
    [0, 0],
    [padInfo.top, padInfo.bottom],
    [padInfo.left, padInfo.right],
    [0, 0],
  ];
  const conv = call1(stockWasm('Conv2D'), { x: xt, filter: dyt }, backend, {
    strides: [1, 1],
    pad: pad as unknown as 'valid',
    dataFormat: 'NHWC',
    dilations: [1, 1],
  });
  backend.disposeData(xt.dataId);
  backend.disposeData(dyt.dataId);
  const dw = call1(transpose, { x: conv }, backend, { perm: [1, 2, 0, 3] });
  backend.disposeData(conv.dataId);
  return dw;
}

function filterGradLoop(
  backend: ReturnType<typeof asWasm>,
  x: TensorInfo,
  dy: TensorInfo,
  info: backend_util.Conv2DInfo,
): TensorInfo {
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, outChannels } = info;
  const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw } = info;
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  const out = backend.makeOutput([kh, kw, inChannels, outChannels], 'float32');
  const dw = heapF32(backend, out);
  dw.fill(0);
  const xv = heapF32(backend, x);
  const dyv = heapF32(backend, dy);
  for (let a = 0; a < kh; a++) {
    for (let b = 0; b < kw; b++) {
      const wBase = (a * kw + b) * inChannels * outChannels;
      for (let n = 0; n < batchSize; n++) {
        for (let i = 0; i < outHeight; i++) {
          const r = i * sh + a - top;
          if (r < 0 || r >= inHeight) continue;
          for (let j = 0; j < outWidth; j++) {
            const c = j * sw + b - left;
            if (c < 0 || c >= inWidth) continue;
            const xo = ((n * inHeight + r) * inWidth + c) * inChannels;
            const dyo = ((n * outHeight + i) * outWidth + j) * outChannels;
            for (let ci = 0; ci < inChannels; ci++) {
              const xval = xv[xo + ci] as number;
              const wo = wBase + ci * outChannels;
              for (let co = 0; co < outChannels; co++) {
                dw[wo + co] = (dw[wo + co] as number) + xval * (dyv[dyo + co] as number);
              }
            }
          }
        }
      }
    }
  }
  return out;
}
