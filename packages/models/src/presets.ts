import { ModelError } from './errors.js';

/** Names of the network presets: the paper's six (Yun & Bi, section 3.3), then ours beyond the paper. */
export const PRESET_NAMES = [
  'lenet-5x5',
  'lenet-3x8',
  'lstm-64',
  'lstm-128',
  'lstm-128-128',
  'lstm-128-64',
  'cnn-robust',
] as const;

/** The paper's six networks (Yun & Bi, section 3.3): the presets the paper's experiments compare. */
export const PAPER_PRESET_NAMES = PRESET_NAMES.slice(0, 6) as readonly Exclude<PresetName, 'cnn-robust'>[];

/** One of {@link PRESET_NAMES}. */
export type PresetName = (typeof PRESET_NAMES)[number];

/** A LeNet-5-style CNN: two conv + 2×2/2 max-pool stages, then dense layers, then softmax. */
export interface LeNetSpec {
  readonly kind: 'lenet';
  /** Kernel size of both convolutions as [mel bands, frames]. */
  readonly kernel: readonly [number, number];
  /** Filters of the first and second convolution. */
  readonly filters: readonly [number, number];
  /** Hidden dense widths before the softmax layer. */
  readonly dense: readonly number[];
}

/** A stack of LSTM layers over time, the last one's final state feeding a dense softmax. */
export interface LstmSpec {
  readonly kind: 'lstm';
  /** Units of each LSTM layer, input side first. */
  readonly units: readonly number[];
}

/**
 * A small CNN built for robustness across recording sources (beyond the paper): per stage a 'valid'
 * conv (no activation) → 2×2/2 max-pool (none in the last stage) → batch normalisation → ReLU, then
 * average pooling over time (every frame), dropout and a dense softmax. Pooling over time makes the
 * prediction depend on what the note's spectrum holds, not on when in the clip it happens; the frequency
 * axis keeps its position (register and formants identify instruments).
 */
export interface CnnSpec {
  readonly kind: 'cnn';
  /** Kernel size of every convolution as [mel bands, frames]. */
  readonly kernel: readonly [number, number];
  /** Filters of each conv stage. */
  readonly filters: readonly number[];
  /** Dropout rate before each dense layer, in [0, 1). */
  readonly dropout: number;
  /** Hidden dense widths (ReLU) between the pooled features and the softmax layer. */
  readonly dense: readonly number[];
}

/** The architecture of a preset. */
export type PresetSpec = LeNetSpec | LstmSpec | CnnSpec;

/** The architectures of the named presets. */
export const PRESETS: Readonly<Record<PresetName, PresetSpec>> = {
  'lenet-5x5': { kind: 'lenet', kernel: [5, 5], filters: [6, 16], dense: [120, 84] },
  'lenet-3x8': { kind: 'lenet', kernel: [3, 8], filters: [6, 16], dense: [120, 84] },
  'lstm-64': { kind: 'lstm', units: [64] },
  'lstm-128': { kind: 'lstm', units: [128] },
  'lstm-128-128': { kind: 'lstm', units: [128, 128] },
  'lstm-128-64': { kind: 'lstm', units: [128, 64] },
  'cnn-robust': { kind: 'cnn', kernel: [3, 3], filters: [8, 16, 32], dropout: 0.3, dense: [64] },
};

/** True when `name` is one of {@link PRESET_NAMES}. */
export function isPresetName(name: string): name is PresetName {
  return (PRESET_NAMES as readonly string[]).includes(name);
}

/**
 * Looks up a preset.
 *
 * @throws {ModelError} when `name` is not one of {@link PRESET_NAMES}.
 */
export function getPreset(name: string): PresetSpec {
  if (!isPresetName(name)) {
    throw new ModelError(`preset must be one of ${PRESET_NAMES.join(', ')}; got '${name}'`);
  }
  return PRESETS[name];
}

/**
 * How a network wants its input. Features arrive FRAME-MAJOR ([frames][nMels]); LeNet sees the
 * spectrogram as an image of nMels rows × frames columns × 1 channel, the LSTMs see frames time
 * steps of nMels features.
 */
export type InputLayout = 'mels-frames-channel' | 'frames-mels';

/** The input layout of a preset's network. */
export function inputLayoutOf(name: PresetName): InputLayout {
  return PRESETS[name].kind === 'lstm' ? 'frames-mels' : 'mels-frames-channel';
}

/** A tfjs backend of the Node ladder (`initBackend`): tfjs-node, wasm, cpu. */
export type BackendName = 'tensorflow' | 'wasm' | 'cpu';

/** `'auto'` (the ladder, or `$TIMBRE_BACKEND`) or one backend. */
export type BackendChoice = 'auto' | BackendName;

/** The backends `initBackend` tries, in order. */
export const BACKEND_NAMES: readonly BackendName[] = ['tensorflow', 'wasm', 'cpu'];

/**
 * Which implementation trains and runs the networks on the wasm and cpu backends: `fast` (`@timbre/kernels`:
 * SIMD kernels, FastConv2D/FastLSTM layers, fused Adam; the default) or `stock` (plain tfjs). Passed to each
 * call (`train`, `createModel`, `loadClassifier`, benchmarks), never kept in a module.
 */
export type TrainingEngine = 'fast' | 'stock';

/** Every {@link TrainingEngine}. */
export const TRAINING_ENGINES: readonly TrainingEngine[] = ['fast', 'stock'];
