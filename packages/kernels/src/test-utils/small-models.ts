// Small plain tfjs-layers networks for the whole-model gradient tests (test code only: the project's one
// model zoo is @timbre/models' presets, which depend on this package).
import * as tfl from '@tensorflow/tfjs-layers';
import { FastConv2D } from '../fast-conv2d-layer.js';
import { FastLSTM } from '../fast-lstm-layer.js';

/** conv(6) → pool 2×2/2 → conv(16) → pool → dense 120 → 84 → classes (ReLU, valid), or LSTMs → dense. */
export type SmallModelSpec =
  | { kind: 'lenet'; nMels: number; nFrames: number; kernel: [number, number]; nClasses: number }
  | { kind: 'lstm'; nMels: number; nFrames: number; units: number[]; nClasses: number };

/** The model of a spec, with this package's layers when `fast`, else the stock ones (same weights). */
export function buildSmallModel(spec: SmallModelSpec, fast: boolean): tfl.Sequential {
  const m = tfl.sequential();
  if (spec.kind === 'lenet') {
    const conv = (filters: number, first: boolean) => {
      const args = {
        ...(first ? { inputShape: [spec.nMels, spec.nFrames, 1] } : {}),
        filters,
        kernelSize: spec.kernel,
        activation: 'relu' as const,
      };
      return fast ? new FastConv2D(args) : tfl.layers.conv2d({ ...args, padding: 'valid' });
    };
    m.add(conv(6, true));
    m.add(tfl.layers.maxPooling2d({ poolSize: 2, strides: 2 }));
    m.add(conv(16, false));
    m.add(tfl.layers.maxPooling2d({ poolSize: 2, strides: 2 }));
    m.add(tfl.layers.flatten());
    for (const units of [120, 84]) m.add(tfl.layers.dense({ units, activation: 'relu' }));
  } else {
    spec.units.forEach((units, i) => {
      const args = {
        units,
        returnSequences: i < spec.units.length - 1,
        recurrentActivation: 'sigmoid' as const,
        recurrentInitializer: 'glorotUniform' as const,
        ...(i === 0 ? { inputShape: [spec.nFrames, spec.nMels] } : {}),
      };
      m.add(fast ? new FastLSTM(args) : tfl.layers.lstm(args));
    });
  }
  m.add(tfl.layers.dense({ units: spec.nClasses, activation: 'softmax' }));
  return m;
}

/** Input shape of one sample (no batch axis). */
export function sampleShape(spec: SmallModelSpec): number[] {
  return spec.kind === 'lenet' ? [spec.nMels, spec.nFrames, 1] : [spec.nFrames, spec.nMels];
}
