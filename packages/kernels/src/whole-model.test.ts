import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerFastKernels } from './register.js';
import { expectClose, initBackends, randomValues, runOn } from './test-utils/backends.js';
import { buildSmallModel, type SmallModelSpec, sampleShape } from './test-utils/small-models.js';

// Whole-model tolerance (loss and every weight gradient): 1e-5 + 2e-3·|ref|.
const ATOL = 1e-5;
const RTOL = 2e-3;

beforeAll(async () => {
  await initBackends();
  registerFastKernels();
});

const specs: [string, SmallModelSpec][] = [
  [
    'LeNet 3×8 (conv6→pool→conv16→pool→120→84→5)',
    { kind: 'lenet', nMels: 16, nFrames: 40, kernel: [3, 8], nClasses: 5 },
  ],
  ['LeNet 5×5', { kind: 'lenet', nMels: 17, nFrames: 21, kernel: [5, 5], nClasses: 5 }],
  ['LSTM 12-8 → dense', { kind: 'lstm', nMels: 6, nFrames: 10, units: [12, 8], nClasses: 4 }],
];

/** Loss and gradients of every weight for one batch, with weights set from fixed values. */
function lossAndGrads(spec: SmallModelSpec, fast: boolean, batch: number): tf.Tensor[] {
  const model = buildSmallModel(spec, fast);
  model.setWeights(
    model.weights.map((w, i) =>
      tf.tensor(
        randomValues(w.shape.reduce((a, b) => (a ?? 1) * (b ?? 1), 1) as number, 100 + i, -0.3, 0.3),
        w.shape as number[],
      ),
    ),
  );
  // ReLU-heavy inputs with ties: rounded to 1/4.
  const x = tf.tensor(
    randomValues(batch * sampleShape(spec).reduce((a, b) => a * b, 1), 7, -1, 1).map(
      (v) => Math.round(v * 4) / 4,
    ),
    [batch, ...sampleShape(spec)],
  );
  const y = tf.oneHot(
    tf.tensor1d(
      Array.from({ length: batch }, (_, i) => i % spec.nClasses),
      'int32',
    ),
    spec.nClasses,
  );
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const { value, grads } = tf.variableGrads(
    () => tf.losses.softmaxCrossEntropy(y, model.apply(x, { training: true }) as tf.Tensor) as tf.Scalar,
    vars,
  );
  const out = [value, ...vars.map((v) => grads[v.name] as tf.Tensor)];
  model.dispose();
  return out;
}

describe('whole model: loss and gradients with fast kernels on wasm equal stock on cpu', () => {
  for (const [label, spec] of specs) {
    for (const batch of [1, 6]) {
      it(`${label}, batch ${batch}`, async () => {
        const want = await runOn('cpu', () => lossAndGrads(spec, false, batch));
        const got = await runOn('wasm', () => lossAndGrads(spec, true, batch));
        expect(got.length).toBe(want.length);
        expect(got.length).toBeGreaterThan(4);
        expectClose(got, want, ATOL, RTOL, label);
      });
    }
  }
});
