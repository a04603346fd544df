import { createHash } from 'node:crypto';
import { join, resolve } from 'node:path';
import { type LoadedManifest, loadClipAudio, loadFeatureSet, writeFileAtomic } from '@timbre/dataset/node';
import {
  type AugmentOptions,
  type BackendChoice,
  type DspParameters,
  defaultDspParameters,
  type EpochRecord,
  type Evaluation,
  evaluate,
  inputLayoutOf,
  type PresetName,
  saveModel,
  type TrainingEngine,
  type TrainingRecipe,
  train,
  type WaveAugmentOptions,
} from '@timbre/models/node';
import { ensureFeatures } from './data-source.js';
import { configName } from './experiments.js';
import { colors, type Output, pct } from './output.js';
import { accuracyCurveSpec, confusionMatrixSpec, writeChart } from './plot.js';
import { createProgress } from './progress.js';
import { RUN_FILES, type RunRecord } from './run-store.js';

/** Options of {@link trainRun}. */
export interface TrainRunOptions {
  preset: PresetName;
  /** Mel bands, 64 or 128 (any integer 1–512 works). */
  nMels: number;
  /** Epochs, ≥ 1. */
  epochs: number;
  batchSize: number;
  learningRate: number;
  seed: number;
  backend: BackendChoice;
  /** Training engine (the CLI's `--engine` / `$TIMBRE_ENGINE`). */
  engine: TrainingEngine;
  /** Run directory (history, checkpoint, model, pictures). */
  outDir: string;
  /** The dataset, with its train/test split. */
  manifest: LoadedManifest;
  /** Continue from the checkpoint in `outDir`. */
  resume: boolean;
  /** Replace an existing run in `outDir`. */
  overwrite: boolean;
  cacheDir: string | undefined;
  /** Data-parallel replicas (1 = single thread), 1–8. */
  workers?: number;
  /** Threads that augment the next batches of `waveAugment`, 0–8; absent = `train`'s default. */
  augmentThreads?: number;
  /** Feature-level augmentation (`@timbre/models` `AugmentOptions`); absent = none. */
  augment?: AugmentOptions;
  /** Waveform augmentation before the DSP (the clips' audio is loaded for it); absent = none. */
  waveAugment?: WaveAugmentOptions;
  /** Log-mel options beyond the paper's defaults (e.g. `{ topDb: 40 }`); saved in the model's metadata. */
  dsp?: Partial<Omit<DspParameters, 'sampleRate' | 'nMels'>>;
  /** Dense weight averaging from this epoch on (`train`'s `averageWeightsFrom`); absent = none. */
  averageWeightsFrom?: number;
  /** The recipe these options came from, recorded in the model's metadata. */
  recipe?: TrainingRecipe;
  /** Extra metrics recorded in the model's metadata (e.g. leave-one-group-out accuracies). */
  metrics?: Record<string, number>;
  /** Short name shown on progress lines. */
  label?: string;
}

/**
 * The {@link trainRun} options a training recipe fixes: network, bands, epochs, batch, step size, features
 * and augmentation (and the recipe itself, recorded in the model's metadata).
 * @param extraAugment Feature augmentation merged over the recipe's (e.g. `--augment`'s shifts).
 */
export function recipeRunOptions(recipe: TrainingRecipe, extraAugment?: AugmentOptions) {
  const augment = extraAugment ? { ...recipe.augment, ...extraAugment } : recipe.augment;
  return {
    preset: recipe.preset,
    nMels: recipe.nMels,
    epochs: recipe.epochs,
    batchSize: recipe.batchSize,
    learningRate: recipe.learningRate,
    dsp: recipe.dsp,
    recipe,
    ...(augment ? { augment } : {}),
    ...(recipe.waveAugment ? { waveAugment: recipe.waveAugment } : {}),
    ...(recipe.averageWeightsFrom !== undefined ? { averageWeightsFrom: recipe.averageWeightsFrom } : {}),
  };
}

/** What {@link trainRun} produced. */
export interface TrainRunResult {
  record: RunRecord;
  evaluation: Evaluation | undefined;
  history: EpochRecord[];
  modelDir: string;
  /** The accuracy curve and (with a test set) the confusion matrix, each as SVG and PNG. */
  pictures: RunPictures;
}

/** A picture in both formats. */
export interface ChartFiles {
  svg: string;
  png: string;
}

/** The pictures of a run, by what they show. */
export interface RunPictures {
  curve: ChartFiles;
  confusion?: ChartFiles;
}

/** Every picture file of a run (PNG first). */
export function pictureFiles(p: RunPictures): string[] {
  return [p.curve, ...(p.confusion ? [p.confusion] : [])].flatMap((c) => [c.png, c.svg]);
}

/**
 * Trains one configuration end to end: features, training with per-epoch checkpoints and history,
 * final test evaluation, the saved model, the accuracy curve and confusion matrix pictures, and `run.json`.
 */
export async function trainRun(out: Output, o: TrainRunOptions): Promise<TrainRunResult> {
  const outDir = resolve(o.outDir);
  const label = o.label ?? configName({ preset: o.preset as never, nMels: o.nMels as 64 });
  const dspOptions = o.dsp ?? {};
  await ensureFeatures(out, o.manifest, [o.nMels], o.cacheDir, dspOptions);
  const load = (split: 'train' | 'test') =>
    loadFeatureSet(o.manifest, { nMels: o.nMels, split, cacheDir: o.cacheDir, dsp: dspOptions });
  const trainSet = await load('train');
  // A split without test clips (`all`: a final model trained on everything) trains without evaluation.
  const testLoaded = await load('test');
  const testSet = testLoaded.y.length > 0 ? testLoaded : undefined;
  for (const [name, set] of [
    ['training', trainSet],
    ['test', testLoaded],
  ] as const)
    if (set.skipped.length > 0)
      out.warn(
        `${set.skipped.length} ${name} clip(s) left out: their features could not be made (${set.skipped[0]!.id}: ${set.skipped[0]!.message})`,
      );
  const dsp: DspParameters = {
    ...defaultDspParameters(o.nMels, trainSet.nFrames),
    ...dspOptions,
    sampleRate: o.manifest.sampleRate,
  };
  const audio = o.waveAugment ? await loadClipAudio(o.manifest, trainSet.ids) : undefined;
  out.info(
    `${colors.bold(label)}: ${trainSet.y.length} train / ${testSet?.y.length ?? 0} test clips, ${o.epochs} epochs, batch ${o.batchSize} → ${outDir}`,
  );
  const batches = Math.ceil(trainSet.y.length / o.batchSize);
  const bar = createProgress(out, o.preset);
  const result = await train({
    preset: o.preset,
    train: trainSet,
    ...(testSet ? { test: testSet } : {}),
    epochs: o.epochs,
    batchSize: o.batchSize,
    learningRate: o.learningRate,
    seed: o.seed,
    backend: o.backend,
    engine: o.engine,
    outDir,
    resume: o.resume,
    overwrite: o.overwrite,
    workers: o.workers ?? 1,
    ...(o.augmentThreads !== undefined ? { augmentThreads: o.augmentThreads } : {}),
    ...(o.augment ? { augment: o.augment } : {}),
    ...(o.averageWeightsFrom !== undefined
      ? { averageWeightsFrom: Math.min(o.averageWeightsFrom, o.epochs) }
      : {}),
    ...(o.waveAugment && audio
      ? { waveAugment: o.waveAugment, audio: { samples: audio.samples, clipSamples: audio.clipSamples, dsp } }
      : {}),
    onBatch: (p) =>
      bar.update({
        phase: `epoch ${p.epoch}/${o.epochs} acc ${pct(p.accuracy)}`,
        done: (p.epoch - 1) * batches + p.batch,
        total: o.epochs * batches,
      }),
    onEpoch: (r) => {
      bar.stop();
      out.info(
        `  epoch ${String(r.epoch).padStart(3)}/${o.epochs}  loss ${r.trainLoss.toFixed(3)}  train ${pct(r.trainAccuracy)}  test ${r.testAccuracy === undefined ? '—' : pct(r.testAccuracy)}  ${r.seconds.toFixed(1)} s`,
      );
    },
  });
  bar.stop();
  try {
    if (result.resumedFromEpoch > 0) out.info(`  resumed after epoch ${result.resumedFromEpoch}`);
    const modelDir = join(outDir, RUN_FILES.model);
    const evaluation =
      result.test ??
      (testSet ? evaluate(result.model, testSet, { layout: inputLayoutOf(o.preset) }) : undefined);
    await saveModel(modelDir, result.model, {
      preset: o.preset,
      labels: [...trainSet.labels],
      nMels: o.nMels,
      nFrames: trainSet.nFrames,
      training: result.config,
      seed: o.seed,
      datasetManifestHash: hashOfManifest(o.manifest),
      history: result.history,
      metrics: {
        ...(evaluation ? { testAccuracy: evaluation.accuracy, testMacroF1: evaluation.macroF1 } : {}),
        ...o.metrics,
      },
      backend: result.backend.name,
      dsp,
      ...(o.recipe ? { recipe: o.recipe } : {}),
    });
    const history = result.history;
    const trainSeconds = history.reduce((a, r) => a + r.seconds, 0);
    const record: RunRecord = {
      format: 'timbre-run',
      version: 1,
      preset: o.preset,
      nMels: o.nMels,
      epochs: o.epochs,
      completedEpochs: history.length,
      batchSize: o.batchSize,
      learningRate: o.learningRate,
      seed: o.seed,
      manifest: o.manifest.path,
      split: o.manifest.split.strategy,
      backend: result.backend.name,
      backendReason: result.backend.reason,
      workers: o.workers ?? 1,
      secondsPerEpoch: history.length ? trainSeconds / history.length : Number.NaN,
      history: history.map((r) => ({
        epoch: r.epoch,
        trainAccuracy: r.trainAccuracy,
        testAccuracy: r.testAccuracy ?? Number.NaN,
      })),
      testAccuracy: evaluation?.accuracy ?? Number.NaN,
      finishedAt: new Date().toISOString(),
    };
    const curve = await writeChart(
      accuracyCurveSpec(
        history.flatMap((r) => [
          { config: label, epoch: r.epoch, split: 'train' as const, accuracy: r.trainAccuracy },
          ...(r.testAccuracy === undefined
            ? []
            : [{ config: label, epoch: r.epoch, split: 'test' as const, accuracy: r.testAccuracy }]),
        ]),
        `${label} — accuracy per epoch`,
      ),
      join(outDir, RUN_FILES.curve),
    );
    const pictures: RunPictures = { curve };
    if (evaluation) {
      const cm = await writeChart(
        confusionMatrixSpec(
          evaluation.labels,
          evaluation.confusion,
          `${label} — confusion (test, ${pct(evaluation.accuracy)})`,
        ),
        join(outDir, RUN_FILES.confusion),
      );
      pictures.confusion = cm;
      await writeFileAtomic(join(outDir, RUN_FILES.evaluation), JSON.stringify(evaluation, null, 2));
    }
    await writeFileAtomic(join(outDir, RUN_FILES.record), JSON.stringify(record, null, 2));
    return { record, evaluation, history, modelDir, pictures };
  } finally {
    result.model.dispose();
  }
}

/** sha256 of the clips' content hashes and split assignments, in manifest order: identifies the data trained on. */
function hashOfManifest(m: LoadedManifest): string {
  const h = createHash('sha256');
  for (const c of m.clips) h.update(`${c.sha256}:${c.split}\n`);
  return h.digest('hex');
}
