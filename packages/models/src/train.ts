import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { checkNumber } from '@timbre/core';
import type { AugmentedBatch, AugmentOptions, ResolvedAugmentOptions } from './augment.js';
import { augmentBatch, augmentSeed, resolveAugmentOptions } from './augment.js';
import {
  type ResolvedWaveAugmentOptions,
  resolveWaveAugmentOptions,
  type WaveAugmentOptions,
} from './augment-audio.js';
import type { BackendChoice, BackendInfo } from './backend.js';
import { startRuntime } from './backend.js';
import { createModel } from './create-model.js';
import { createAdam, type TrainingEngine } from './engine.js';
import { invalidOption, ModelError } from './errors.js';
import type { Evaluation } from './evaluate.js';
import { evaluate } from './evaluate.js';
import type { FeatureData } from './features.js';
import { validateFeatures } from './features.js';
import type { LstmLayerFactory } from './lstm.js';
import type { ModelOptions, ResolvedModelOptions } from './model-options.js';
import { resolveModelOptions } from './model-options.js';
import type { ParallelStep, ReplicaInfo } from './parallel.js';
import { checkWorkers, startParallelStep } from './parallel.js';
import type { InputLayout, PresetName } from './presets.js';
import { inputLayoutOf, PRESETS } from './presets.js';
import { setDropoutStep } from './seeded-dropout.js';
import { epochPermutation } from './seeded-random.js';
import { type RunFiles, type RunState, restoreRun, saveEpoch } from './train-resume.js';
import { makeTrainStep } from './train-step.js';
import { type BatchPlan, createInlineWaveFeed, type TrainingAudio, type WaveFeed } from './wave-batch.js';
import { createWaveBatchPool, defaultAugmentThreads, MAX_AUGMENT_THREADS } from './wave-batch-pool.js';
import { WeightAverage } from './weight-average.js';

/** Defaults of the training choices the paper leaves open. */
export const TRAINING_DEFAULTS = {
  /** Samples per gradient step. */
  batchSize: 32,
  /** Adam step size (Kingma & Ba's and Keras' default). */
  learningRate: 1e-3,
  /** Adam β1, β2, ε (Keras defaults). */
  beta1: 0.9,
  beta2: 0.999,
  epsilon: 1e-7,
  /** The paper trains 100 epochs. */
  epochs: 100,
} as const;

/** File names inside `outDir`. */
export const TRAINING_FILES = {
  /** One JSON {@link EpochRecord} per line, appended after every epoch. */
  history: 'history.jsonl',
  /** Latest checkpoint (see `writeCheckpoint`), replaced atomically after every epoch. */
  checkpoint: 'checkpoint.bin',
} as const;

/** Everything that determines a run's result (stored in checkpoints and model metadata). */
export interface TrainingConfig {
  preset: PresetName;
  model: ResolvedModelOptions;
  labels: readonly string[];
  epochs: number;
  batchSize: number;
  optimizer: { name: 'adam'; learningRate: number; beta1: number; beta2: number; epsilon: number };
  loss: 'categorical-crossentropy';
  /** Shuffle order of epoch e = seeded permutation from (seed, e): no RNG state to carry. */
  shuffle: 'permutation(seed, epoch)';
  seed: number;
  /**
   * Replicas of data-parallel training (main thread + worker threads), integer in [1, 8]; 1 = one
   * thread. Not part of the result's identity for resume: a run may resume with another count (the
   * result then differs from an uninterrupted run by float summation order). Absent in checkpoints
   * written before this field existed (= 1).
   */
  workers?: number;
  /**
   * On-the-fly augmentation of the training batches (see {@link TrainOptions.augment}); absent when
   * off (and in checkpoints written before this field existed).
   */
  augment?: ResolvedAugmentOptions;
  /** Waveform augmentation before the DSP (see {@link TrainOptions.waveAugment}); absent when off. */
  waveAugment?: ResolvedWaveAugmentOptions;
  /** Dense weight averaging from this 1-based epoch on (see {@link TrainOptions.averageWeightsFrom}). */
  averageWeightsFrom?: number;
}

/** Per-epoch metrics: one line of history.jsonl; the curves of the paper's figures 5–10. */
export interface EpochRecord {
  /** 1-based epoch number. */
  epoch: number;
  /** Mean training cross-entropy over the epoch's batches (sample-weighted), nats. */
  trainLoss: number;
  /** Fraction of training samples classified correctly during the epoch, in [0, 1]. */
  trainAccuracy: number;
  /** Test-set loss after the epoch (absent without a test set). */
  testLoss?: number;
  /** Test-set accuracy after the epoch, in [0, 1]. */
  testAccuracy?: number;
  /** Wall-clock seconds of the epoch's training steps (without test evaluation). */
  seconds: number;
  /** Training samples per second. */
  samplesPerSecond: number;
  /** Seconds spent evaluating the test set. */
  evalSeconds: number;
  /** Backend name. */
  backend: string;
  /** Replicas that trained the epoch (1 = single thread; see {@link TrainOptions.workers}). */
  workers?: number;
}

/** Passed to {@link TrainOptions.onEpoch} beside the record. */
export interface EpochContext {
  /** `tf.memory().numTensors` of every replica, main thread first (one round trip to each worker). */
  tensorsPerReplica(): Promise<number[]>;
}

/** Progress after one training batch. */
export interface BatchProgress {
  /** 1-based epoch. */
  epoch: number;
  /** 1-based batch within the epoch. */
  batch: number;
  /** Batches per epoch. */
  batches: number;
  /** This batch's loss. */
  loss: number;
  /** This batch's accuracy. */
  accuracy: number;
}

/** Options of {@link train}. */
export interface TrainOptions
  extends Partial<Omit<ModelOptions, 'preset' | 'nMels' | 'nFrames' | 'nClasses' | 'seed'>> {
  /** Network preset. */
  preset: PresetName;
  /** Training set; nMels/nFrames/labels define the model. */
  train: FeatureData;
  /** Test set evaluated after every epoch (same labels, nMels, nFrames). */
  test?: FeatureData;
  /** Total epochs, integer in [1, 100000]; a resumed run continues up to this number. */
  epochs: number;
  /** Batch size, integer in [1, 65536]; default 32. The last batch of an epoch may be smaller. */
  batchSize?: number;
  /** Adam learning rate, in (0, 1]; default 1e-3. */
  learningRate?: number;
  /** Seed of weight init and shuffling, integer; default 0. Same seed + backend → same weights. */
  seed?: number;
  /** Backend; default 'auto' (see `initBackend`). */
  backend?: BackendChoice;
  /**
   * Training engine, `fast` (default: `@timbre/kernels`) or `stock` (plain tfjs kernels and layers); the
   * wasm backend's kernels are put in this engine's state before the run (see `applyEngine`).
   */
  engine?: TrainingEngine;
  /** Builds the LSTM layers instead of the engine's (a seam; not with `workers` > 1). */
  lstmLayerFactory?: LstmLayerFactory;
  /** Directory for history.jsonl and checkpoint.bin; without it nothing is written. */
  outDir?: string;
  /** Continue from `outDir/checkpoint.bin` when it exists (else start fresh). Default false. */
  resume?: boolean;
  /** Start fresh even though `outDir` holds a checkpoint (it is replaced). Default false. */
  overwrite?: boolean;
  /**
   * Data-parallel replicas, integer in [1, 8]; default 1 (one thread, the plain path). With n > 1 the
   * main thread and n − 1 worker threads each hold a replica on their own tfjs instance (wasm or cpu
   * backend, same engine); every batch is split into n fixed contiguous shares (replica 0 takes the
   * first ⌈b/n⌉ samples), the shares' gradients are summed in replica order and one Adam step is
   * applied on the main thread. Same seed + workers + backend → same weights; against workers 1 the
   * result differs by float summation order only. Needs the built package (`dist/parallel-worker.js`);
   * kernel installers and a custom LSTM factory are not carried into the workers (the latter is refused).
   * Useful up to the number of free cores.
   */
  workers?: number;
  /**
   * Opt-in training-time augmentation (see {@link AugmentOptions}); default off (`undefined` or
   * `false`: the plain path, unchanged). Applied to every training batch on the fly, from a generator
   * seeded by (seed, epoch, batch): same seed + backend → same weights, and resume stays exact. The
   * test set is never augmented and nothing changes at inference. Works with `workers` > 1 (the main
   * thread augments each batch and shares it).
   * `RECOMMENDED_AUGMENT` is the measured best recipe for recordings of an unseen source.
   */
  augment?: AugmentOptions | false;
  /**
   * Opt-in waveform augmentation before the DSP (see {@link WaveAugmentOptions}); needs `audio`. Every
   * training clip of every batch is augmented (seeded by (seed, epoch, clip): same seed → same weights,
   * resume exact) and its log-mel recomputed with `audio.dsp`; `augment`, when also set, then applies to
   * those features. The test set is never augmented.
   */
  waveAugment?: WaveAugmentOptions | false;
  /** The training clips' audio in training-set row order, for `waveAugment`. */
  audio?: TrainingAudio;
  /**
   * Worker threads that augment and featurize the batches of `waveAugment` ahead of the training step,
   * integer in [0, 8]; 0 = on the main thread, when the batch is taken. Default: the cores + 1, up to 4
   * (0 on one core). Not part of the result: the batches, hence the weights, are the same for every count.
   * Needs the built package (`dist/wave-batch-worker.js`).
   */
  augmentThreads?: number;
  /**
   * Dense weight averaging (SWAD-style; Cha et al. 2021): from the start of this 1-based epoch on, the
   * running mean of the weights after every training step is kept, and the returned model carries that
   * mean (its final test evaluation too; the per-epoch history evaluates the raw weights). The mean is
   * saved in the checkpoint, so a resumed run equals an uninterrupted one. Integer in [1, epochs];
   * absent = off. Recorded in `TrainingConfig.averageWeightsFrom`.
   */
  averageWeightsFrom?: number;
  /** Called after each epoch (awaited) — for progress bars and logs. */
  onEpoch?: (record: EpochRecord, context: EpochContext) => void | Promise<void>;
  /** Called after each batch. */
  onBatch?: (progress: BatchProgress) => void;
  /** When aborted, training stops after the current epoch (checkpoint written) with `stopped: true`. */
  signal?: AbortSignal;
}

/** The outcome of {@link train}. */
export interface TrainResult {
  /** The trained model (caller disposes it). */
  model: tfl.LayersModel;
  config: TrainingConfig;
  /** All epochs, including those before a resume. */
  history: EpochRecord[];
  /** Backend used and why. */
  backend: BackendInfo;
  /** The model replicas that trained (one entry, the main thread, when `workers` is 1). */
  replicas: ReplicaInfo[];
  /** Epochs already done when this call started (0 for a fresh run). */
  resumedFromEpoch: number;
  /** True when `signal` stopped the run before `epochs`. */
  stopped: boolean;
  /** Final test evaluation (absent without a test set). */
  test?: Evaluation;
}

function checkRange(
  name: string,
  v: number,
  lo: number,
  hi: number,
  integer: boolean,
  loOpen = false,
): number {
  return checkNumber(name, v, { min: lo, max: hi, integer, minOpen: loOpen }, invalidOption);
}

/**
 * Trains a preset on a feature set with Adam and categorical cross-entropy, seeded, with per-epoch
 * history (history.jsonl) and an atomic checkpoint after every epoch when `outDir` is given.
 * A resumed run ends with the same weights as an uninterrupted one (same seed and backend).
 *
 * @throws {ModelError} for invalid options; {@link DataError} for inconsistent data;
 * {@link CheckpointError} when `outDir` holds a checkpoint of another configuration, or holds one
 * and neither `resume` nor `overwrite` is set.
 */
export async function train(options: TrainOptions): Promise<TrainResult> {
  const run = await resolveRun(options);
  const { config, trainSet, test, engine, backend, workers } = run;
  const files: RunFiles | undefined = options.outDir
    ? {
        checkpoint: join(options.outDir, TRAINING_FILES.checkpoint),
        history: join(options.outDir, TRAINING_FILES.history),
      }
    : undefined;
  const net = createModel(config.model, {
    engine,
    ...(options.lstmLayerFactory ? { lstmLayerFactory: options.lstmLayerFactory } : {}),
  });
  const { learningRate, beta1, beta2, epsilon } = config.optimizer;
  const optimizer = createAdam(learningRate, beta1, beta2, epsilon, engine);
  const average = new WeightAverage();
  const state: RunState = { net, optimizer, average, config };
  let parallel: ParallelStep | undefined;
  let waveFeed: WaveFeed | undefined;
  try {
    // 1. Restore (or start) the run's files.
    const { startEpoch, history } = files
      ? await restoreRun(files, state, options)
      : { startEpoch: 0, history: [] as EpochRecord[] };
    // 2. The step: one thread, or data-parallel replicas.
    if (workers > 1) {
      parallel = await startParallelStep({
        workers,
        net,
        optimizer,
        model: config.model,
        backend: backend.name,
        engine,
        customLstm: options.lstmLayerFactory !== undefined,
        layout: run.layout,
        batchSize: config.batchSize,
        x: trainSet.x,
        y: trainSet.y,
      });
    }
    const replicas: ReplicaInfo[] = parallel?.replicas ?? [
      { replica: 0, thread: 'main', backend: tf.getBackend(), engine },
    ];
    const context: EpochContext = {
      tensorsPerReplica: async () => (parallel ? parallel.tensorsPerReplica() : [tf.memory().numTensors]),
    };
    if (run.waveAugment && options.audio) {
      const plan: BatchPlan = {
        order: (epoch) => epochPermutation(run.nTrain, config.seed, epoch),
        batchSize: config.batchSize,
        epochs: config.epochs,
      };
      waveFeed =
        run.augmentThreads > 0
          ? await createWaveBatchPool(
              options.audio,
              trainSet,
              run.waveAugment,
              config.seed,
              plan,
              run.augmentThreads,
            )
          : await createInlineWaveFeed(options.audio, trainSet, run.waveAugment, config.seed, plan);
    }
    const loop: EpochLoop = {
      run,
      net,
      average,
      step: makeTrainStep(net, optimizer, run.layout, trainSet.nFrames, trainSet.nMels),
      ...(parallel ? { parallel } : {}),
      ...(waveFeed ? { waveFeed } : {}),
      ...(options.onBatch ? { onBatch: options.onBatch } : {}),
    };
    // 3. The epochs: train, evaluate, checkpoint.
    let stopped = false;
    let lastEval: Evaluation | undefined;
    for (let epoch = startEpoch; epoch < config.epochs; epoch++) {
      if (options.signal?.aborted) {
        stopped = true;
        break;
      }
      const { lossSum, correctSum, seconds } = await trainEpoch(loop, epoch);
      const t1 = performance.now();
      const ev = test ? evaluate(net, test, { layout: run.layout }) : undefined;
      lastEval = ev;
      const record: EpochRecord = {
        epoch: epoch + 1,
        trainLoss: lossSum / run.nTrain,
        trainAccuracy: correctSum / run.nTrain,
        ...(ev ? { testLoss: ev.loss, testAccuracy: ev.accuracy } : {}),
        seconds,
        samplesPerSecond: run.nTrain / seconds,
        evalSeconds: (performance.now() - t1) / 1000,
        backend: backend.name,
        workers,
      };
      history.push(record);
      if (files) await saveEpoch(files, state, epoch + 1, history, backend.name);
      await options.onEpoch?.(record, context);
    }
    // 4. The result: the averaged weights when averaging was on.
    if (average.applyTo(net)) lastEval = undefined;
    const finalTest = test ? (lastEval ?? evaluate(net, test, { layout: run.layout })) : undefined;
    return {
      model: net,
      config,
      history,
      backend,
      replicas,
      resumedFromEpoch: startEpoch,
      stopped,
      ...(finalTest ? { test: finalTest } : {}),
    };
  } catch (e) {
    net.dispose();
    throw e;
  } finally {
    average.dispose();
    await waveFeed?.close();
    await parallel?.close();
    optimizer.dispose();
  }
}

/** A run's checked options: its config, data, backend and engine. */
interface ResolvedRun {
  config: TrainingConfig;
  trainSet: FeatureData;
  test: FeatureData | undefined;
  nTrain: number;
  layout: InputLayout;
  augment: ResolvedAugmentOptions | undefined;
  waveAugment: ResolvedWaveAugmentOptions | undefined;
  augmentThreads: number;
  engine: TrainingEngine;
  backend: BackendInfo;
  workers: number;
}

/**
 * Checks the options and data, starts the backend with the engine's kernels, and builds the
 * {@link TrainingConfig} (everything that determines the result).
 */
async function resolveRun(options: TrainOptions): Promise<ResolvedRun> {
  const workers = checkWorkers(options.workers);
  if (workers > 1 && PRESETS[options.preset]?.kind === 'cnn')
    throw new ModelError(
      `workers: ${options.preset} trains on one thread (its batch-normalisation statistics live in one replica); use workers 1`,
    );
  const augment = resolveAugmentOptions(options.augment);
  const waveAugment = resolveWaveAugmentOptions(options.waveAugment);
  if (waveAugment && !options.audio)
    throw new ModelError('waveAugment needs audio: the training clips in training-set row order');
  const augmentThreads =
    options.augmentThreads === undefined
      ? defaultAugmentThreads()
      : checkRange('augmentThreads', options.augmentThreads, 0, MAX_AUGMENT_THREADS, true);
  const { backend, engine } = await startRuntime(options.backend, options.engine);
  const nTrain = validateFeatures(options.train, 'train');
  const { train: trainSet, test } = options;
  if (test) {
    validateFeatures(test, 'test');
    if (
      test.nMels !== trainSet.nMels ||
      test.nFrames !== trainSet.nFrames ||
      JSON.stringify(test.labels) !== JSON.stringify(trainSet.labels)
    ) {
      throw new ModelError('test must have the same labels, nMels and nFrames as train');
    }
  }
  const seed = options.seed ?? 0;
  const model = resolveModelOptions({
    ...options,
    preset: options.preset,
    nMels: trainSet.nMels,
    nFrames: trainSet.nFrames,
    nClasses: trainSet.labels.length,
    seed,
  });
  const config: TrainingConfig = {
    preset: options.preset,
    model,
    labels: [...trainSet.labels],
    epochs: checkRange('epochs', options.epochs, 1, 100000, true),
    batchSize: checkRange('batchSize', options.batchSize ?? TRAINING_DEFAULTS.batchSize, 1, 65536, true),
    optimizer: {
      name: 'adam',
      learningRate: checkRange(
        'learningRate',
        options.learningRate ?? TRAINING_DEFAULTS.learningRate,
        0,
        1,
        false,
        true,
      ),
      beta1: TRAINING_DEFAULTS.beta1,
      beta2: TRAINING_DEFAULTS.beta2,
      epsilon: TRAINING_DEFAULTS.epsilon,
    },
    loss: 'categorical-crossentropy',
    shuffle: 'permutation(seed, epoch)',
    seed,
    workers,
    ...(augment ? { augment } : {}),
    ...(waveAugment ? { waveAugment } : {}),
  };
  if (options.averageWeightsFrom !== undefined)
    config.averageWeightsFrom = checkRange(
      'averageWeightsFrom',
      options.averageWeightsFrom,
      1,
      config.epochs,
      true,
    );
  return {
    config,
    trainSet,
    test,
    nTrain,
    layout: inputLayoutOf(config.preset),
    augment,
    waveAugment,
    augmentThreads,
    engine,
    backend,
    workers,
  };
}

/** What one epoch of {@link trainEpoch} works with. */
interface EpochLoop {
  run: ResolvedRun;
  net: tfl.LayersModel;
  average: WeightAverage;
  step: ReturnType<typeof makeTrainStep>;
  parallel?: ParallelStep;
  waveFeed?: WaveFeed;
  onBatch?: (progress: BatchProgress) => void;
}

/**
 * One epoch: the seeded permutation's batches, each (waveform-augmented, then feature-augmented when asked)
 * through the step, the weight average updated after every step from its first epoch.
 */
async function trainEpoch(
  l: EpochLoop,
  epoch: number,
): Promise<{ lossSum: number; correctSum: number; seconds: number }> {
  const { config, trainSet, nTrain, augment } = l.run;
  const { seed } = config;
  const batches = Math.ceil(nTrain / config.batchSize);
  const identity = Uint32Array.from({ length: config.batchSize }, (_, i) => i);
  const avgFrom = config.averageWeightsFrom;
  const order = epochPermutation(nTrain, seed, epoch);
  let lossSum = 0;
  let correctSum = 0;
  const t0 = performance.now();
  for (let b = 0; b < batches; b++) {
    const idx = order.subarray(b * config.batchSize, Math.min(nTrain, (b + 1) * config.batchSize));
    let r: { loss: number; correct: number };
    setDropoutStep(l.net, epoch * batches + b);
    const { nFrames, nMels } = trainSet;
    const ident = identity.subarray(0, idx.length);
    if (l.waveFeed) {
      const wb = await l.waveFeed.take(epoch, b);
      const ab: AugmentedBatch = augment
        ? augmentBatch(wb.x, wb.y, ident, nFrames, nMels, augment, augmentSeed(seed, epoch, b))
        : wb;
      r = l.parallel ? await l.parallel.step(idx, ab) : l.step(ab.x, ab.y, ident, ab.mix);
    } else if (augment) {
      const ab = augmentBatch(
        trainSet.x,
        trainSet.y,
        idx,
        nFrames,
        nMels,
        augment,
        augmentSeed(seed, epoch, b),
      );
      r = l.parallel ? await l.parallel.step(idx, ab) : l.step(ab.x, ab.y, ident, ab.mix);
    } else if (l.parallel) r = await l.parallel.step(idx);
    else r = l.step(trainSet.x, trainSet.y, idx);
    const { loss, correct } = r;
    if (avgFrom !== undefined && epoch + 1 >= avgFrom) l.average.accumulate(l.net);
    lossSum += loss * idx.length;
    correctSum += correct;
    l.onBatch?.({ epoch: epoch + 1, batch: b + 1, batches, loss, accuracy: correct / idx.length });
  }
  return { lossSum, correctSum, seconds: (performance.now() - t0) / 1000 };
}
