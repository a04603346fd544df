import { backend_util, type Conv2DBackpropInputAttrs, type TensorInfo } from '@tensorflow/tfjs-core';
import { asWasm, call1, heapF32, heapOffset, type KernelArgs } from './backend-access.js';
import { conv2dFast } from './conv2d.js';
import { simdKernelsFor } from './simd-module.js';
import { stockWasm } from './stock-kernels.js';

/**
 * Conv2DBackpropInput (the input gradient of a conv2d) for the wasm backend.
 *
 * For stride 1, NHWC, any padding it is computed as a forward conv2d of `dy` with the
 * spatially flipped filter whose in/out channels are swapped, padded by `k - 1 - pad` on each side:
 * `dx[i] = Σ_k dy[i + padTop - k] · W[k]`: with WebAssembly SIMD, `dy` is copied into a zero border and
 * convolved by this package's SIMD 'valid' conv (XNNPACK is slow with few output channels, e.g. LeNet's
 * 6); without SIMD, XNNPACK's padded conv. An unpadded ('valid') forward conv with SIMD takes a third
 * path: per output row and filter row, the sgemm `dy·Wᵀ` scattered straight into `dx`, which computes
 * only the products the gradient needs (LeNet 3×8 conv2: 124 instead of 219 MFLOP). Other strides fall back to the stock kernel (correct,
 * slow); NCHW is refused by the stock kernel as before.
 *
 * @param args - Kernel arguments: inputs `{dy, filter}`, attrs as tfjs's `Conv2DBackpropInputAttrs`.
 * @returns `dx` with shape `attrs.inputShape`.
 */
export function conv2dBackpropInputFast(args: KernelArgs): TensorInfo {
  const backend = asWasm(args.backend);
  const attrs = (args.attrs ?? {}) as unknown as Conv2DBackpropInputAttrs;
  const dy = args.inputs.dy as TensorInfo;
  const filter = args.inputs.filter as TensorInfo;
  const dataFormat = backend_util.convertConv2DDataFormat(attrs.dataFormat);
  const info = backend_util.computeConv2DInfo(
    attrs.inputShape,
    filter.shape as [number, number, number, number],
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
    false,
    dataFormat,
  );
  const { filterHeight: kh, filterWidth: kw, padInfo } = info;
  const fast =
    info.strideHeight === 1 &&
    info.strideWidth === 1 &&
    dataFormat === 'channelsLast' &&
    padInfo.top <= kh - 1 &&
    padInfo.bottom <= kh - 1 &&
    padInfo.left <= kw - 1 &&
    padInfo.right <= kw - 1;
  if (!fast) return call1(stockWasm('Conv2DBackpropInput'), args.inputs, backend, args.attrs);

  const ci = info.inChannels;
  const co = info.outChannels;
  const k = dy.dtype === 'float32' ? simdKernelsFor(backend) : null;
  const unpadded = padInfo.top === 0 && padInfo.bottom === 0 && padInfo.left === 0 && padInfo.right === 0;
  if (k !== null && unpadded) {
    // 'valid' conv: scatter dy·Wᵀ per filter row straight into dx (no padded dy, no zero-border work).
    const R = kw * ci;
    const perKh = Math.ceil(R / 8) * 8 * co;
    const packed = backend.wasm._malloc(4 * Math.max(1, kh * perKh));
    const dx = backend.makeOutput(info.inShape.slice(), 'float32');
    try {
      const fOff = heapOffset(backend, filter);
      for (let r = 0; r < kh; r++) k.packPanels(fOff + 4 * r * R * co, 1, co, co, R, packed + 4 * r * perKh);
      k.conv2dBackpropInputValid(
        heapOffset(backend, dy),
        packed,
        heapOffset(backend, dx),
        info.batchSize,
        info.inHeight,
        info.inWidth,
        ci,
        info.outHeight,
        info.outWidth,
        co,
        kh,
        kw,
      );
    } finally {
      backend.wasm._free(packed);
    }
    return dx;
  }
  // Flipped, channel-swapped filter [kh, kw, co, ci] (tiny: computed in JS on the heap).
  const flipped = backend.makeOutput([kh, kw, co, ci], 'float32');
  const src = heapF32(backend, filter);
  const dst = heapF32(backend, flipped);
  for (let a = 0; a < kh; a++) {
    for (let b = 0; b < kw; b++) {
      const so = ((kh - 1 - a) * kw + (kw - 1 - b)) * ci * co;
      const dO = (a * kw + b) * co * ci;
      for (let i = 0; i < ci; i++) {
        for (let o = 0; o < co; o++) dst[dO + o * ci + i] = src[so + i * co + o] as number;
      }
    }
  }
  const pad = [
    [0, 0],
    [kh - 1 - padInfo.top, kh - 1 - padInfo.bottom],
    [kw - 1 - padInfo.left, kw - 1 - padInfo.right],
    [0, 0],
  ];
  if (k !== null) {
    // Zero-padded copy of dy, then the SIMD 'valid' conv (XNNPACK is slow with few output channels).
    const [B, OH, OW] = dy.shape as [number, number, number, number];
    const top = pad[1]![0]!;
    const left = pad[2]![0]!;
    const PH = OH + top + pad[1]![1]!;
    const PW = OW + left + pad[2]![1]!;
    const padded = backend.makeOutput([B, PH, PW, co], 'float32');
    const to = heapF32(backend, padded);
    const from = heapF32(backend, dy);
    to.fill(0);
    const row = OW * co;
    for (let b = 0; b < B; b++) {
      for (let y = 0; y < OH; y++) {
        const s0 = (b * OH + y) * row;
        to.set(from.subarray(s0, s0 + row), ((b * PH + y + top) * PW + left) * co);
      }
    }
    const dx = conv2dFast({
      inputs: { x: padded, filter: flipped },
      backend,
      attrs: { strides: [1, 1], pad: 'valid', dataFormat: 'NHWC', dilations: [1, 1] },
    });
    backend.disposeData(padded.dataId);
    backend.disposeData(flipped.dataId);
    return dx;
  }
  const dx = call1(stockWasm('Conv2D'), { x: dy, filter: flipped }, backend, {
    strides: [1, 1],
    pad: pad as unknown as 'valid',
    dataFormat: 'NHWC',
    dilations: [1, 1],
  });
  backend.disposeData(flipped.dataId);
  return dx;
}
