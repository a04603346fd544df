import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { buildCnn } from './cnn.js';
import { engineLstmFactory, resolveEngine, type TrainingEngine } from './engine.js';
import { buildLeNet } from './lenet.js';
import { buildLstm, type LstmLayerFactory } from './lstm.js';
import type { ModelOptions } from './model-options.js';
import { resolveModelOptions } from './model-options.js';
import { PRESETS } from './presets.js';

/** How {@link createModel} builds the layers (not part of the model: the same options and seed give the same weights). */
export interface BuildOptions {
  /** Layer implementations: `fast` (default; `@timbre/kernels`' FastConv2D/FastLSTM on wasm and cpu) or `stock`. */
  engine?: TrainingEngine;
  /** Builds every LSTM layer instead of the engine's (a seam for another implementation; see {@link LstmLayerFactory}). */
  lstmLayerFactory?: LstmLayerFactory;
}

/**
 * Builds an uncompiled tfjs-layers model for a preset, its weights initialised from `seed`.
 * Call `initBackend()` first so the weights live on the intended backend.
 *
 * @param options - Preset, input shape, classes, seed and the paper's open choices.
 * @param build - Layer implementations (engine, LSTM factory).
 * @throws {ModelError} for invalid options (see {@link ModelOptions}).
 */
export function createModel(options: ModelOptions, build: BuildOptions = {}): tfl.Sequential {
  const o = resolveModelOptions(options);
  const engine = resolveEngine(build.engine);
  const lstm = build.lstmLayerFactory ?? engineLstmFactory(engine);
  const spec = PRESETS[o.preset];
  // tidy: tfjs-layers' LSTM bias initializer (unitForgetBias) leaks 4 intermediate tensors per layer.
  // Variables survive a tidy; only those intermediates are freed.
  let model: tfl.Sequential | undefined;
  tf.tidy(() => {
    model =
      spec.kind === 'lenet'
        ? buildLeNet(spec, o, engine)
        : spec.kind === 'cnn'
          ? buildCnn(spec, o, engine)
          : buildLstm(spec, o, lstm);
  });
  return model!;
}
