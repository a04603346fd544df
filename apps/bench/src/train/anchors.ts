/**
 * Reference figures for `pnpm bench train`, measured on this 2-core machine (GUIDE §3): training cost per
 * sample and PyTorch 1.13 CPU seconds per epoch (2800 samples, batch 32, Adam).
 */
export interface TrainingAnchor {
  /** Our preset name and mel bands. */
  preset: 'lenet-5x5' | 'lenet-3x8' | 'lstm-64' | 'lstm-128' | 'lstm-128-128' | 'lstm-128-64';
  nMels: 64 | 128;
  /** The row's name: the preset and its mel bands (`lenet-3x8-64`); `--presets` takes these. */
  id: string;
  /** Training MFLOP per sample (forward + backward). */
  mflopPerSample: number;
  /** PyTorch 1.13 CPU, 1 thread, s/epoch: the target for our engine. */
  pytorch1Thread: number;
  /** Stock tfjs-wasm (+ Conv2DBackpropFilter) s/epoch measured earlier. */
  stockWasmReference: number;
}

/** The eight paper configurations with their anchors. */
export const TRAINING_ANCHORS: readonly TrainingAnchor[] = [
  {
    preset: 'lenet-3x8',
    nMels: 64,
    id: 'lenet-3x8-64',
    mflopPerSample: 17.9,
    pytorch1Thread: 2.0,
    stockWasmReference: 12.9,
  },
  {
    preset: 'lenet-5x5',
    nMels: 64,
    id: 'lenet-5x5-64',
    mflopPerSample: 19.4,
    pytorch1Thread: 2.2,
    stockWasmReference: 13.7,
  },
  {
    preset: 'lenet-3x8',
    nMels: 128,
    id: 'lenet-3x8-128',
    mflopPerSample: 37.3,
    pytorch1Thread: 4.1,
    stockWasmReference: 27.8,
  },
  {
    preset: 'lenet-5x5',
    nMels: 128,
    id: 'lenet-5x5-128',
    mflopPerSample: 42.6,
    pytorch1Thread: 4.2,
    stockWasmReference: 31.2,
  },
  {
    preset: 'lstm-64',
    nMels: 64,
    id: 'lstm-64',
    mflopPerSample: 15.7,
    pytorch1Thread: 1.3,
    stockWasmReference: 23.9,
  },
  {
    preset: 'lstm-128',
    nMels: 64,
    id: 'lstm-128',
    mflopPerSample: 47.2,
    pytorch1Thread: 2.8,
    stockWasmReference: 63,
  },
  {
    preset: 'lstm-128-128',
    nMels: 64,
    id: 'lstm-128-128',
    mflopPerSample: 110.1,
    pytorch1Thread: 6.3,
    stockWasmReference: 151,
  },
  {
    preset: 'lstm-128-64',
    nMels: 64,
    id: 'lstm-128-64',
    mflopPerSample: 70.8,
    pytorch1Thread: 4.6,
    stockWasmReference: 100,
  },
];

/** GFLOP/s of a training run: MFLOP per sample × samples / seconds / 1000. */
export function gflops(mflopPerSample: number, samples: number, seconds: number): number {
  return (mflopPerSample * samples) / seconds / 1000;
}
