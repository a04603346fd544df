import { createRng } from '@timbre/dataset';
import type { BackendChoice, BackendInfo } from './backend.js';
import { startRuntime } from './backend.js';
import { createModel } from './create-model.js';
import type { TrainingEngine } from './engine.js';
import { ModelError } from './errors.js';
import { predictProbabilities } from './evaluate.js';
import { createExtractorFor } from './inference.js';
import { defaultDspParameters } from './model-metadata.js';
import type { PresetName } from './presets.js';
import { inputLayoutOf } from './presets.js';

/** Options of {@link benchmarkInference}. */
export interface BenchmarkInferenceOptions {
  preset: PresetName;
  /** Mel bands; default 64. */
  nMels?: number;
  /** Backend; default 'auto'. */
  backend?: BackendChoice;
  /** Engine: `fast` (default) or `stock`. */
  engine?: TrainingEngine;
  /** Timed clips, integer ≥ 1; default 20. */
  iterations?: number;
  /** Untimed warm-up clips, integer ≥ 0; default 3. */
  warmup?: number;
}

/** Result of {@link benchmarkInference}: latency per 1-s clip, one clip at a time. */
export interface InferenceBenchmark {
  preset: PresetName;
  nMels: number;
  /** Log-mel extraction, milliseconds per 1-s clip. */
  dspMs: number;
  /** Model forward pass (batch of 1, including tensor upload and download), milliseconds. */
  forwardMs: number;
  /** dspMs + forwardMs. */
  totalMs: number;
  /** 1000 / totalMs. */
  clipsPerSecond: number;
  iterations: number;
  /** `@timbre/dsp` implementation used. */
  dspImplementation: string;
  backend: BackendInfo;
}

/**
 * Measures DSP + forward latency for single 1-s clips (44.1 kHz noise) with an untrained model of the
 * preset (weights do not change the cost).
 */
export async function benchmarkInference(options: BenchmarkInferenceOptions): Promise<InferenceBenchmark> {
  const { backend, engine } = await startRuntime(options.backend, options.engine);
  const nMels = options.nMels ?? 64;
  const iterations = options.iterations ?? 20;
  const warmup = options.warmup ?? 3;
  if (!Number.isInteger(iterations) || iterations < 1)
    throw new ModelError(`iterations must be an integer ≥ 1; got ${iterations}`);
  if (!Number.isInteger(warmup) || warmup < 0)
    throw new ModelError(`warmup must be an integer ≥ 0; got ${warmup}`);
  const model = createModel({ preset: options.preset, nMels, nClasses: 14 }, { engine });
  const dsp = defaultDspParameters(nMels, 80);
  const extractor = await createExtractorFor(dsp);
  try {
    const rng = createRng(1);
    const clip = new Float32Array(dsp.sampleRate);
    for (let i = 0; i < clip.length; i++) clip[i] = rng.next() * 2 - 1;
    const layout = inputLayoutOf(options.preset);
    let dspT = 0;
    let fwdT = 0;
    for (let i = 0; i < warmup + iterations; i++) {
      const t0 = performance.now();
      const x = extractor.compute(clip);
      const t1 = performance.now();
      predictProbabilities(model, { x, nFrames: 80, nMels }, layout, 1);
      const t2 = performance.now();
      if (i >= warmup) {
        dspT += t1 - t0;
        fwdT += t2 - t1;
      }
    }
    const dspMs = dspT / iterations;
    const forwardMs = fwdT / iterations;
    return {
      preset: options.preset,
      nMels,
      dspMs,
      forwardMs,
      totalMs: dspMs + forwardMs,
      clipsPerSecond: 1000 / (dspMs + forwardMs),
      iterations,
      dspImplementation: extractor.implementation,
      backend,
    };
  } finally {
    extractor.dispose();
    model.dispose();
  }
}
