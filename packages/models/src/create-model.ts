import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { buildCnn } from './cnn.js';
import { buildLeNet } from './lenet.js';
import { buildLstm } from './lstm.js';
import type { ModelOptions } from './model-options.js';
import { resolveModelOptions } from './model-options.js';
import { PRESETS } from './presets.js';

/**
 * Builds an uncompiled tfjs-layers model for a preset, its weights initialised from `seed`.
 * Call `initBackend()` first so the weights live on the intended backend.
 *
 * @throws {ModelError} for invalid options (see {@link ModelOptions}).
 */
export function createModel(options: ModelOptions): tfl.Sequential {
  const o = resolveModelOptions(options);
  const spec = PRESETS[o.preset];
  // tidy: tfjs-layers' LSTM bias initializer (unitForgetBias) leaks 4 intermediate tensors per layer.
  // Variables survive a tidy; only those intermediates are freed.
  let model: tfl.Sequential | undefined;
  tf.tidy(() => {
    model =
      spec.kind === 'lenet'
        ? buildLeNet(spec, o)
        : spec.kind === 'cnn'
          ? buildCnn(spec, o)
          : buildLstm(spec, o);
  });
  return model!;
}
