import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { createRng } from '@timbre/dataset';
import type { RecurrentInitializerName } from './model-options.js';

/** A tfjs-layers initializer instance. */
export type Initializer = ReturnType<typeof tfl.initializers.glorotUniform>;

// tfjs-layers does not export its Initializer base class by value; every initializer extends it.
const InitializerBase = Object.getPrototypeOf(
  tfl.initializers.zeros().constructor,
) as abstract new () => Initializer;

/**
 * A random orthogonal matrix (Saxe et al.; Keras' `Orthogonal`): QR of a seeded Gaussian matrix,
 * computed in float64 JS with modified Gram–Schmidt (columns of the taller orientation). Replaces
 * tfjs-layers' own `Orthogonal`, which on 4.22 needs the chained-op API, runs Gram–Schmidt as
 * hundreds of small tensor ops (seconds per LSTM on wasm) and leaks tensors. Serialises as class
 * `Orthogonal` so saved models load in plain TensorFlow.js.
 */
class SeededOrthogonal extends InitializerBase {
  static className = 'Orthogonal';
  constructor(
    readonly seed: number,
    readonly gain = 1,
  ) {
    super();
  }

  apply(shape: number[]): tf.Tensor {
    const [rows = 1, cols = 1] =
      shape.length === 2 ? shape : [shape.slice(0, -1).reduce((a, b) => a * b, 1), shape.at(-1)];
    const m = Math.max(rows, cols); // tall: m × n, orthonormal columns
    const n = Math.min(rows, cols);
    const rng = createRng(this.seed);
    const gauss = (): number => {
      const u = 1 - rng.next();
      return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.next());
    };
    const q = new Float64Array(m * n); // column-major: column j at [j*m, (j+1)*m)
    for (let i = 0; i < q.length; i++) q[i] = gauss();
    for (let j = 0; j < n; j++) {
      const cj = j * m;
      for (let k = 0; k < j; k++) {
        const ck = k * m;
        let dot = 0;
        for (let i = 0; i < m; i++) dot += q[ck + i]! * q[cj + i]!;
        for (let i = 0; i < m; i++) q[cj + i]! -= dot * q[ck + i]!;
      }
      let norm = 0;
      for (let i = 0; i < m; i++) norm += q[cj + i]! ** 2;
      norm = Math.sqrt(norm) || 1;
      for (let i = 0; i < m; i++) q[cj + i]! /= norm;
    }
    const out = new Float32Array(rows * cols);
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) {
        // rows ≥ cols: out[r][c] = Q[r][c]; otherwise out = Qᵀ: out[r][c] = Q[c][r]
        out[r * cols + c] = this.gain * (rows >= cols ? q[c * m + r]! : q[r * m + c]!);
      }
    }
    return tf.tensor(out, shape, 'float32');
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { seed: this.seed, gain: this.gain };
  }
}

/**
 * A seeded tfjs-layers initializer. Seeds are stored in the layer config, so a saved model.json
 * records them too.
 *
 * @param name Initializer name.
 * @param seed Non-negative 31-bit integer (see `deriveSeed`).
 */
export function makeInitializer(name: RecurrentInitializerName, seed: number): Initializer {
  switch (name) {
    case 'glorotUniform':
      return tfl.initializers.glorotUniform({ seed });
    case 'glorotNormal':
      return tfl.initializers.glorotNormal({ seed });
    case 'heUniform':
      return tfl.initializers.heUniform({ seed });
    case 'heNormal':
      return tfl.initializers.heNormal({ seed });
    case 'orthogonal':
      return new SeededOrthogonal(seed);
  }
}
