import type {
  KernelBackend,
  KernelConfig,
  KernelFunc,
  NamedAttrMap,
  TensorInfo,
} from '@tensorflow/tfjs-core';
import { backend_util, getKernel, registerKernel } from '@tensorflow/tfjs-core';
import { BackendError } from './errors.js';

/** Attributes of the `Conv2DBackpropFilter` kernel (as tfjs-core passes them). */
interface BackpropFilterAttrs {
  strides: number | [number, number];
  pad: 'valid' | 'same' | number | backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  filterShape: [number, number, number, number];
}

function kernelOf(name: string, backendName: string): KernelFunc {
  const k = getKernel(name, backendName);
  if (!k)
    throw new BackendError(
      `backend '${backendName}' has no '${name}' kernel, needed by Conv2DBackpropFilter`,
    );
  return k.kernelFunc;
}

function single(out: TensorInfo | TensorInfo[]): TensorInfo {
  const t = Array.isArray(out) ? out[0] : out;
  if (!t) throw new BackendError('a kernel returned no output inside Conv2DBackpropFilter');
  return t;
}

/**
 * Makes a `Conv2DBackpropFilter` kernel (the gradient of conv2d with respect to its filter) built
 * only from the backend's own `Transpose`, `Conv2D` and `Slice` kernels.
 *
 * dW[r,c,i,o] = Σ_{b,y,x} xPadded[b, y·sH + r, x·sW + c, i] · dy[b, y, x, o]; with the batch as the
 * conv's input channels this is one conv2d of x transposed to [Ci, H, W, B] with dy transposed to
 * [Ho, Wo, B, Co] as the filter, dilated by the forward strides, the forward padding made explicit,
 * stride 1; the result [Ci, kh', kw', Co] is cropped to [Ci, kh, kw, Co] and transposed to
 * [kh, kw, Ci, Co]. Handles 'valid', 'same' and explicit padding and any strides; refuses
 * NCHW (`dataFormat`) with a {@link BackendError}. Forward dilations > 1 never reach this kernel
 * (tfjs-core's conv2d gradient rejects them).
 *
 * @param backendName The backend whose kernels are composed (e.g. 'wasm').
 */
export function makeConv2DBackpropFilterKernel(backendName: string): KernelConfig {
  const kernelFunc: KernelFunc = ({ inputs, backend, attrs }) => {
    const x = inputs['x'] as TensorInfo | undefined;
    const dy = inputs['dy'] as TensorInfo | undefined;
    if (!x || !dy) throw new BackendError('Conv2DBackpropFilter needs inputs x and dy');
    const a = attrs as unknown as BackpropFilterAttrs;
    if (a.dataFormat !== 'NHWC') {
      throw new BackendError(
        `Conv2DBackpropFilter on '${backendName}' supports dataFormat 'NHWC' only; got '${a.dataFormat}'`,
      );
    }
    const [kh, kw, ci, co] = a.filterShape;
    const info = backend_util.computeConv2DInfo(
      x.shape as [number, number, number, number],
      a.filterShape,
      a.strides,
      1,
      a.pad,
      a.dimRoundingMode,
      false,
      'channelsLast',
    );
    const { strideHeight: sh, strideWidth: sw, outHeight: ho, outWidth: wo, inHeight: h, inWidth: w } = info;
    const top = info.padInfo.top;
    const left = info.padInfo.left;
    // Only as much bottom/right padding as the last filter tap reaches; extra rows are cropped below.
    const bottom = Math.max(0, kh + (ho - 1) * sh - h - top);
    const right = Math.max(0, kw + (wo - 1) * sw - w - left);
    const transpose = kernelOf('Transpose', backendName);
    const conv2d = kernelOf('Conv2D', backendName);
    const b = backend as KernelBackend;
    const temps: TensorInfo[] = [];
    try {
      const xT = single(transpose({ inputs: { x }, backend, attrs: { perm: [3, 1, 2, 0] } }));
      temps.push(xT);
      const dyT = single(transpose({ inputs: { x: dy }, backend, attrs: { perm: [1, 2, 0, 3] } }));
      temps.push(dyT);
      const explicit: backend_util.ExplicitPadding = [
        [0, 0],
        [top, bottom],
        [left, right],
        [0, 0],
      ];
      const convAttrs: NamedAttrMap = {
        strides: [1, 1],
        pad: explicit as unknown as NamedAttrMap[string],
        dataFormat: 'NHWC',
        dilations: [sh, sw],
        dimRoundingMode: null as unknown as NamedAttrMap[string],
      };
      let r = single(conv2d({ inputs: { x: xT, filter: dyT }, backend, attrs: convAttrs }));
      temps.push(r);
      if (r.shape[1] !== kh || r.shape[2] !== kw) {
        const slice = kernelOf('Slice', backendName);
        r = single(
          slice({ inputs: { x: r }, backend, attrs: { begin: [0, 0, 0, 0], size: [ci, kh, kw, co] } }),
        );
        temps.push(r);
      }
      return single(transpose({ inputs: { x: r }, backend, attrs: { perm: [1, 2, 0, 3] } }));
    } finally {
      for (const t of temps) b.disposeData(t.dataId);
    }
  };
  return { kernelName: 'Conv2DBackpropFilter', backendName, kernelFunc };
}

/**
 * Registers {@link makeConv2DBackpropFilterKernel} for `backendName` unless that backend already has
 * a `Conv2DBackpropFilter` kernel (e.g. one registered by `@timbre/kernels`).
 *
 * @returns true when this call registered the kernel.
 */
export function registerConv2DBackpropFilter(backendName = 'wasm'): boolean {
  if (getKernel('Conv2DBackpropFilter', backendName)) return false;
  registerKernel(makeConv2DBackpropFilterKernel(backendName));
  return true;
}
