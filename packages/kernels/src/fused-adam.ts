/**
 * A fused Adam step: tfjs's `AdamOptimizer` issues about fourteen element-wise ops per variable per
 * step (each a kernel call, an allocation and, for the small ones, mostly dispatch overhead); this
 * module does the same arithmetic in one kernel call per variable. The kernel repeats tfjs's float32
 * operations in tfjs's order, so the weights and moments equal the stock optimizer's bit for bit (tested
 * on cpu and wasm).
 */
import {
  AdamOptimizer,
  engine,
  getBackend,
  type KernelBackend,
  mul,
  type NamedTensorMap,
  registerKernel,
  type Tensor,
  type TensorInfo,
  tidy,
  type Variable,
  zerosLike,
} from '@tensorflow/tfjs-core';
import { type CpuBackendLike, heapOffset, sizeOf, type WasmBackendLike } from './backend-access.js';
import { BackendError, KernelsError } from './errors.js';
import { simdKernelsFor } from './simd-module.js';

/** Kernel name of the fused Adam update (inputs value, gradient, firstMoment, secondMoment). */
export const ADAM_STEP = 'TimbreAdamStep';
/** Backends the fused Adam kernel is registered for. */
export const ADAM_BACKENDS = ['wasm', 'cpu'] as const;

/** Attributes of {@link ADAM_STEP}: the scalars of one step, each used as a float32. */
interface AdamStepAttrs {
  beta1: number;
  oneMinusBeta1: number;
  beta2: number;
  oneMinusBeta2: number;
  oneMinusAccBeta1: number;
  oneMinusAccBeta2: number;
  epsilon: number;
  negLearningRate: number;
}

const f = Math.fround;

/** The JS update over float32 arrays (cpu backend; wasm without SIMD): same rounding as the SIMD kernel. */
function adamJs(
  w: Float32Array,
  g: Float32Array,
  m: Float32Array,
  v: Float32Array,
  wOut: Float32Array,
  mOut: Float32Array,
  vOut: Float32Array,
  a: AdamStepAttrs,
): void {
  const b1 = f(a.beta1);
  const c1 = f(a.oneMinusBeta1);
  const b2 = f(a.beta2);
  const c2 = f(a.oneMinusBeta2);
  const a1 = f(a.oneMinusAccBeta1);
  const a2 = f(a.oneMinusAccBeta2);
  const ep = f(a.epsilon);
  const lr = f(a.negLearningRate);
  for (let i = 0; i < w.length; i++) {
    const gi = g[i] as number;
    const m1 = f(f((m[i] as number) * b1) + f(gi * c1));
    const v1 = f(f((v[i] as number) * b2) + f(f(gi * gi) * c2));
    const r = f(f(m1 / a1) / f(f(Math.sqrt(f(v1 / a2))) + ep));
    wOut[i] = f(r * lr) + (w[i] as number);
    mOut[i] = m1;
    vOut[i] = v1;
  }
}

function adamStepKernel(args: {
  inputs: Record<string, TensorInfo>;
  backend: KernelBackend;
  attrs?: Record<string, unknown>;
}): TensorInfo[] {
  const { value, gradient, firstMoment, secondMoment } = args.inputs as Record<string, TensorInfo>;
  if (!value || !gradient || !firstMoment || !secondMoment)
    throw new KernelsError(`${ADAM_STEP} needs inputs value, gradient, firstMoment and secondMoment`);
  const n = sizeOf(value.shape);
  for (const [name, t] of Object.entries({ gradient, firstMoment, secondMoment })) {
    if (sizeOf(t.shape) !== n || t.dtype !== 'float32')
      throw new KernelsError(
        `${ADAM_STEP}: ${name} must be float32 with ${n} elements like the variable; got ${t.dtype} [${t.shape.join(', ')}]`,
      );
  }
  const a = args.attrs as unknown as AdamStepAttrs;
  const shape = value.shape.slice();
  const w = args.backend as Partial<WasmBackendLike>;
  if (w.wasm !== undefined && w.dataIdMap !== undefined && typeof w.makeOutput === 'function') {
    const wb = args.backend as WasmBackendLike;
    const outs = [
      wb.makeOutput(shape, 'float32'),
      wb.makeOutput(shape, 'float32'),
      wb.makeOutput(shape, 'float32'),
    ];
    const k = simdKernelsFor(wb);
    if (k !== null) {
      k.adamStep(
        heapOffset(wb, value),
        heapOffset(wb, gradient),
        heapOffset(wb, firstMoment),
        heapOffset(wb, secondMoment),
        heapOffset(wb, outs[0]!),
        heapOffset(wb, outs[1]!),
        heapOffset(wb, outs[2]!),
        n,
        a.beta1,
        a.oneMinusBeta1,
        a.beta2,
        a.oneMinusBeta2,
        a.oneMinusAccBeta1,
        a.oneMinusAccBeta2,
        a.epsilon,
        a.negLearningRate,
      );
    } else {
      const view = (t: TensorInfo) => new Float32Array(wb.wasm.HEAPU8.buffer, heapOffset(wb, t), n);
      adamJs(
        view(value),
        view(gradient),
        view(firstMoment),
        view(secondMoment),
        view(outs[0]!),
        view(outs[1]!),
        view(outs[2]!),
        a,
      );
    }
    return outs;
  }
  const c = args.backend as Partial<CpuBackendLike>;
  if (c.data !== undefined && typeof c.makeTensorInfo === 'function') {
    const cb = args.backend as CpuBackendLike;
    const data = (t: TensorInfo) => cb.data.get(t.dataId).values as Float32Array;
    const o = [new Float32Array(n), new Float32Array(n), new Float32Array(n)] as const;
    adamJs(data(value), data(gradient), data(firstMoment), data(secondMoment), o[0], o[1], o[2], a);
    return o.map((values) => cb.makeTensorInfo(shape, 'float32', values));
  }
  throw new BackendError(`${ADAM_STEP} supports the wasm and cpu backends only`);
}

let registered = false;

/** Registers {@link ADAM_STEP} for 'wasm' and 'cpu' (idempotent). */
export function registerAdamKernel(): void {
  if (registered) return;
  registered = true;
  for (const backendName of ADAM_BACKENDS) {
    registerKernel({ kernelName: ADAM_STEP, backendName, kernelFunc: adamStepKernel as never });
  }
}

/** tfjs `AdamOptimizer`'s private state, which the fused step reads and updates in place. */
interface AdamState {
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  accBeta1: Variable;
  accBeta2: Variable;
  accumulatedFirstMoment: ({ originalName: string; variable: Variable } | undefined)[];
  accumulatedSecondMoment: ({ originalName: string; variable: Variable } | undefined)[];
}

/**
 * Adam with one fused kernel call per variable on the 'wasm' and 'cpu' backends (elsewhere, e.g.
 * tfjs-node, the stock update runs). A drop-in `tf.AdamOptimizer`: same constructor, same class name
 * ('Adam'), same state variables and names (`<var>/m`, `<var>/v`), so `getWeights`/`setWeights`,
 * checkpoints and serialisation are unchanged, and the results equal the stock optimizer's bit for bit.
 */
export class FusedAdamOptimizer extends AdamOptimizer {
  /**
   * @param learningRate - Step size (> 0), e.g. 0.001.
   * @param beta1 - First-moment decay in [0, 1); default 0.9.
   * @param beta2 - Second-moment decay in [0, 1); default 0.999.
   * @param epsilon - Denominator guard (> 0); default the backend's epsilon (1e-7 on cpu and wasm).
   */
  constructor(learningRate: number, beta1 = 0.9, beta2 = 0.999, epsilon: number | null = null) {
    super(learningRate, beta1, beta2, epsilon ?? undefined);
    registerAdamKernel();
  }

  /**
   * Applies one Adam step. Same contract as `tf.AdamOptimizer.applyGradients`.
   * @param variableGradients - Gradients by variable name (or as a list), each shaped like its variable.
   */
  override applyGradients(variableGradients: Parameters<AdamOptimizer['applyGradients']>[0]): void {
    const backendName = getBackend();
    if (backendName !== 'wasm' && backendName !== 'cpu') {
      super.applyGradients(variableGradients);
      return;
    }
    const s = this as unknown as AdamState;
    const names = Array.isArray(variableGradients)
      ? variableGradients.map((v) => v.name)
      : Object.keys(variableGradients);
    const oneMinusAccBeta1 = f(1 - (s.accBeta1.dataSync()[0] as number));
    const oneMinusAccBeta2 = f(1 - (s.accBeta2.dataSync()[0] as number));
    const attrs: AdamStepAttrs = {
      beta1: s.beta1,
      oneMinusBeta1: 1 - s.beta1,
      beta2: s.beta2,
      oneMinusBeta2: 1 - s.beta2,
      oneMinusAccBeta1,
      oneMinusAccBeta2,
      epsilon: s.epsilon,
      negLearningRate: -s.learningRate,
    };
    tidy(() => {
      names.forEach((name, i) => {
        const value = engine().registeredVariables[name];
        if (value === undefined) throw new KernelsError(`applyGradients: no variable named '${name}'`);
        s.accumulatedFirstMoment[i] ??= {
          originalName: `${name}/m`,
          variable: tidy(() => zerosLike(value).variable(false)),
        };
        s.accumulatedSecondMoment[i] ??= {
          originalName: `${name}/v`,
          variable: tidy(() => zerosLike(value).variable(false)),
        };
        const gradient = Array.isArray(variableGradients)
          ? variableGradients[i]?.tensor
          : (variableGradients as NamedTensorMap)[name];
        if (gradient == null) return;
        const m = s.accumulatedFirstMoment[i]!.variable;
        const v = s.accumulatedSecondMoment[i]!.variable;
        const [w1, m1, v1] = engine().runKernel(
          ADAM_STEP,
          { value, gradient, firstMoment: m, secondMoment: v },
          attrs as unknown as Record<string, number>,
        ) as Tensor[];
        m.assign(m1!);
        v.assign(v1!);
        value.assign(w1!);
      });
      s.accBeta1.assign(mul(s.accBeta1, s.beta1));
      s.accBeta2.assign(mul(s.accBeta2, s.beta2));
    });
    this.incrementIterations();
  }
}
