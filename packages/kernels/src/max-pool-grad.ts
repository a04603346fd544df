import { backend_util, type MaxPoolGradAttrs, type TensorInfo } from '@tensorflow/tfjs-core';
import { asWasm, heapF32, heapOffset, type KernelArgs } from './backend-access.js';
import { simdKernelsFor } from './simd-module.js';

/**
 * MaxPoolGrad for the wasm backend with the cpu backend's tie-breaking: in each pooling window
 * the first maximum in row-major window order wins (strict `>`), windows whose values are all NaN or
 * -Infinity pass no gradient, and overlapping windows accumulate. Computed in one pass over the
 * windows with per-channel running maxima (channels innermost, NHWC), then a scatter of `dy`; in this
 * package's WebAssembly module when it is available (same loop), else in JS. Non-overlapping windows
 * (pool size = stride, no padding, ≥ 4 channels: LeNet's 2×2 pools) take a SIMD kernel that writes
 * `dx` directly, without the zero fill and the scatter.
 *
 * @param args - Kernel arguments: inputs `{dy, input, output}`, attrs as tfjs's `MaxPoolGradAttrs`.
 * @returns `dx` with the shape of `input`.
 */
export function maxPoolGradFast(args: KernelArgs): TensorInfo {
  const backend = asWasm(args.backend);
  const attrs = (args.attrs ?? {}) as unknown as MaxPoolGradAttrs;
  const input = args.inputs.input as TensorInfo;
  const dyInfo = args.inputs.dy as TensorInfo;
  const info = backend_util.computePool2DInfo(
    input.shape as [number, number, number, number],
    attrs.filterSize,
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
  );
  const { batchSize, inHeight, inWidth, inChannels: C, outHeight, outWidth } = info;
  const { strideHeight: sh, strideWidth: sw, dilationHeight: dh, dilationWidth: dw } = info;
  const fh = info.effectiveFilterHeight;
  const fw = info.effectiveFilterWidth;
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  const out = backend.makeOutput(input.shape, 'float32');
  const k = simdKernelsFor(backend);
  const tiled =
    fh === sh &&
    fw === sw &&
    dh === 1 &&
    dw === 1 &&
    top === 0 &&
    left === 0 &&
    C >= 4 &&
    outHeight * sh <= inHeight &&
    outWidth * sw <= inWidth;
  if (k !== null && tiled) {
    k.maxPoolGradTiled(
      heapOffset(backend, input),
      heapOffset(backend, dyInfo),
      heapOffset(backend, out),
      batchSize,
      inHeight,
      inWidth,
      C,
      outHeight,
      outWidth,
      fh,
      fw,
    );
    return out;
  }
  if (k !== null) {
    k.maxPoolGrad(
      heapOffset(backend, input),
      heapOffset(backend, dyInfo),
      heapOffset(backend, out),
      batchSize,
      inHeight,
      inWidth,
      C,
      outHeight,
      outWidth,
      sh,
      sw,
      fh,
      fw,
      dh,
      dw,
      top,
      left,
    );
    return out;
  }
  const dx = heapF32(backend, out);
  const x = heapF32(backend, input);
  const dy = heapF32(backend, dyInfo);
  dx.fill(0);
  const maxVal = new Float32Array(C);
  const maxPos = new Int32Array(C);
  for (let b = 0; b < batchSize; b++) {
    const xb = b * inHeight * inWidth * C;
    for (let yr = 0; yr < outHeight; yr++) {
      const r0 = yr * sh - top;
      for (let yc = 0; yc < outWidth; yc++) {
        const c0 = yc * sw - left;
        maxVal.fill(Number.NEGATIVE_INFINITY);
        maxPos.fill(-1);
        for (let wr = 0; wr < fh; wr += dh) {
          const r = r0 + wr;
          if (r < 0 || r >= inHeight) continue;
          for (let wc = 0; wc < fw; wc += dw) {
            const c = c0 + wc;
            if (c < 0 || c >= inWidth) continue;
            const o = xb + (r * inWidth + c) * C;
            for (let d = 0; d < C; d++) {
              const v = x[o + d] as number;
              if (v > (maxVal[d] as number)) {
                maxVal[d] = v;
                maxPos[d] = o + d;
              }
            }
          }
        }
        const yo = ((b * outHeight + yr) * outWidth + yc) * C;
        for (let d = 0; d < C; d++) {
          const p = maxPos[d] as number;
          if (p >= 0) dx[p] = (dx[p] as number) + (dy[yo + d] as number);
        }
      }
    }
  }
  return out;
}
