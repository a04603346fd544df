import * as tfl from '@tensorflow/tfjs-layers';
import { FastConv2D } from './fast-conv2d-layer.js';
import { FastLSTM } from './fast-lstm-layer.js';
import type { RecurrentActivation } from './lstm-sequence.js';

/** The paper's eight training presets as benchmarked here. */
export type BenchmarkPresetName =
  | 'lenet-3x8-64'
  | 'lenet-5x5-64'
  | 'lenet-3x8-128'
  | 'lenet-5x5-128'
  | 'lstm-64'
  | 'lstm-128'
  | 'lstm-128-128'
  | 'lstm-128-64';

/** Every {@link BenchmarkPresetName}. */
export const BENCHMARK_PRESETS: readonly BenchmarkPresetName[] = [
  'lenet-3x8-64',
  'lenet-5x5-64',
  'lenet-3x8-128',
  'lenet-5x5-128',
  'lstm-64',
  'lstm-128',
  'lstm-128-128',
  'lstm-128-64',
];

/** A LeNet spec: conv(6) → pool 2×2/2 → conv(16) → pool → dense 120 → 84 → classes (ReLU, valid padding). */
export interface LeNetSpec {
  kind: 'lenet';
  nMels: number;
  nFrames: number;
  kernel: [number, number];
  nClasses: number;
  /** Conv filters, default [6, 16]. */
  filters?: [number, number];
  /** Hidden dense widths, default [120, 84]. */
  dense?: number[];
}

/** An LSTM spec: LSTM(units[0]) → … → dense(classes, softmax); input [nFrames, nMels]. */
export interface LstmSpec {
  kind: 'lstm';
  nMels: number;
  nFrames: number;
  units: number[];
  nClasses: number;
  /** Gate activation of every LSTM layer; default 'sigmoid'. */
  recurrentActivation?: RecurrentActivation;
}

/** A model spec for {@link buildBenchmarkModel}. */
export type ModelSpec = LeNetSpec | LstmSpec;

/**
 * The spec of a named preset (64/128 mel × 80 frames, 14 classes).
 *
 * @param name - Preset name.
 * @returns Its spec.
 */
export function presetSpec(name: BenchmarkPresetName): ModelSpec {
  const [kind, a, b] = name.split('-') as [string, string, string | undefined];
  if (kind === 'lenet') {
    const k = (a === '3x8' ? [3, 8] : [5, 5]) as [number, number];
    return { kind: 'lenet', nMels: Number(b), nFrames: 80, kernel: k, nClasses: 14 };
  }
  const units = [Number(a), ...(b === undefined ? [] : [Number(b)])];
  return { kind: 'lstm', nMels: 64, nFrames: 80, units, nClasses: 14 };
}

/**
 * Builds the model of a spec with tfjs-layers. LSTM layers are {@link FastLSTM} when `fastLstm`,
 * else `tf.layers.lstm` (same weights, same math). Initializers are glorotUniform (no orthogonal: it
 * is slow on tfjs 4.22 and irrelevant to speed or equivalence).
 *
 * @param spec - The model spec.
 * @param fast - Use this package's layers: {@link FastLSTM} for LSTMs, {@link FastConv2D} for LeNet's convs.
 * @returns An un-compiled Sequential model whose last layer is softmax.
 */
export function buildBenchmarkModel(spec: ModelSpec, fast: boolean): tfl.Sequential {
  const m = tfl.sequential();
  if (spec.kind === 'lenet') {
    const [f1, f2] = spec.filters ?? [6, 16];
    const conv = (filters: number, first: boolean) => {
      const args = {
        ...(first ? { inputShape: [spec.nMels, spec.nFrames, 1] } : {}),
        filters,
        kernelSize: spec.kernel,
        activation: 'relu' as const,
      };
      return fast ? new FastConv2D(args) : tfl.layers.conv2d({ ...args, padding: 'valid' });
    };
    m.add(conv(f1, true));
    m.add(tfl.layers.maxPooling2d({ poolSize: 2, strides: 2 }));
    m.add(conv(f2, false));
    m.add(tfl.layers.maxPooling2d({ poolSize: 2, strides: 2 }));
    m.add(tfl.layers.flatten());
    for (const units of spec.dense ?? [120, 84]) m.add(tfl.layers.dense({ units, activation: 'relu' }));
  } else {
    const act = spec.recurrentActivation ?? 'sigmoid';
    spec.units.forEach((units, i) => {
      const args = {
        units,
        returnSequences: i < spec.units.length - 1,
        recurrentActivation: act,
        recurrentInitializer: 'glorotUniform' as const,
        ...(i === 0 ? { inputShape: [spec.nFrames, spec.nMels] } : {}),
      };
      m.add(fast ? new FastLSTM(args) : tfl.layers.lstm(args));
    });
  }
  m.add(tfl.layers.dense({ units: spec.nClasses, activation: 'softmax' }));
  return m;
}

/** Input shape of one sample of a spec (without the batch axis). */
export function sampleShape(spec: ModelSpec): number[] {
  return spec.kind === 'lenet' ? [spec.nMels, spec.nFrames, 1] : [spec.nFrames, spec.nMels];
}
