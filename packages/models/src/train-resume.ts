import { existsSync } from 'node:fs';
import { appendFile } from 'node:fs/promises';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { writeFileAtomic } from '@timbre/dataset/node';
import { readCheckpoint, type StoredTensor, writeCheckpoint } from './checkpoint.js';
import { CheckpointError } from './errors.js';
import type { EpochRecord, TrainingConfig } from './train.js';
import type { WeightAverage } from './weight-average.js';

/** What a training checkpoint holds besides the tensors. */
interface CheckpointState {
  version: 1;
  epoch: number;
  config: TrainingConfig;
  history: EpochRecord[];
  backend: string;
  /** Steps in the weight average (its tensors follow the model's in the checkpoint); absent = none. */
  averagedSteps?: number;
}

// Adam keeps β1^t and β2^t as variables updated by multiplication; setWeights recomputes them with pow,
// which can differ in the last bit. Saving and restoring them keeps a resumed run bit-identical.
interface AdamInternals {
  accBeta1?: tf.Variable;
  accBeta2?: tf.Variable;
}

/** The first field (of those that decide the result) where two configs differ. */
function configDifference(a: TrainingConfig, b: TrainingConfig): string | undefined {
  const keys: Array<keyof TrainingConfig> = [
    'preset',
    'model',
    'labels',
    'batchSize',
    'optimizer',
    'seed',
    'loss',
    'augment',
    'waveAugment',
    'averageWeightsFrom',
  ];
  for (const k of keys) if (JSON.stringify(a[k]) !== JSON.stringify(b[k])) return k;
  return undefined;
}

async function tensorsToStored(list: Array<{ name: string; tensor: tf.Tensor }>): Promise<StoredTensor[]> {
  return Promise.all(
    list.map(async ({ name, tensor }) => ({
      name,
      shape: tensor.shape.slice(),
      dtype: tensor.dtype === 'int32' ? ('int32' as const) : ('float32' as const),
      data:
        tensor.dtype === 'int32'
          ? new Int32Array(await tensor.data())
          : new Float32Array(await tensor.data()),
    })),
  );
}

/** Where a run keeps its files and the live state a checkpoint captures. */
export interface RunFiles {
  checkpoint: string;
  history: string;
}

/** The training state a checkpoint restores into and is written from. */
export interface RunState {
  net: tfl.LayersModel;
  optimizer: tf.Optimizer;
  average: WeightAverage;
  config: TrainingConfig;
}

/**
 * Starts a run's files: with `resume` and a checkpoint, restores weights, optimizer state (including Adam's
 * β powers) and the weight average, rewrites the history to the checkpoint's epochs and returns them;
 * otherwise empties the history.
 * @throws {CheckpointError} when a checkpoint exists and neither `resume` nor `overwrite` is set, or it was
 * made with another configuration or model.
 */
export async function restoreRun(
  files: RunFiles,
  s: RunState,
  o: { resume?: boolean; overwrite?: boolean },
): Promise<{ startEpoch: number; history: EpochRecord[] }> {
  const exists = existsSync(files.checkpoint);
  if (exists && !o.resume && !o.overwrite) {
    throw new CheckpointError(
      `'${files.checkpoint}' exists: pass resume to continue it or overwrite to start over`,
    );
  }
  if (!o.resume || !exists) {
    await writeFileAtomic(files.history, '');
    return { startEpoch: 0, history: [] };
  }
  const ck = await readCheckpoint<CheckpointState>(files.checkpoint);
  const diff = configDifference(ck.state.config, s.config);
  if (diff) {
    throw new CheckpointError(
      `checkpoint '${files.checkpoint}' was made with another ${diff}; cannot resume this run`,
    );
  }
  const nw = s.net.getWeights().length;
  const steps = ck.state.averagedSteps ?? 0;
  if (ck.model.length !== nw * (steps > 0 ? 2 : 1)) {
    throw new CheckpointError(
      `checkpoint '${files.checkpoint}' holds ${ck.model.length} weights; model has ${nw}${steps > 0 ? ' (+ their average)' : ''}`,
    );
  }
  const mw = ck.model.slice(0, nw).map((t) => tf.tensor(t.data, t.shape, t.dtype));
  s.net.setWeights(mw);
  tf.dispose(mw);
  if (steps > 0) s.average.restore(ck.model.slice(nw), steps);
  const [accBeta1, accBeta2, ...slots] = ck.optimizer;
  const ow = slots.map((t) => ({ name: t.name, tensor: tf.tensor(t.data, t.shape, t.dtype) }));
  await s.optimizer.setWeights(ow);
  tf.dispose(ow.map((w) => w.tensor));
  const internals = s.optimizer as unknown as AdamInternals;
  if (accBeta1 && accBeta2 && internals.accBeta1 && internals.accBeta2) {
    const { accBeta1: v1, accBeta2: v2 } = internals;
    tf.tidy(() => {
      v1.assign(tf.scalar(accBeta1.data[0]!));
      v2.assign(tf.scalar(accBeta2.data[0]!));
    });
  }
  const history = ck.state.history;
  await writeFileAtomic(files.history, history.map((h) => `${JSON.stringify(h)}\n`).join(''));
  return { startEpoch: ck.state.epoch, history };
}

/** Writes the checkpoint after `epoch` (atomically) and appends the epoch's record to the history. */
export async function saveEpoch(
  files: RunFiles,
  s: RunState,
  epoch: number,
  history: EpochRecord[],
  backend: string,
): Promise<void> {
  const ow = await s.optimizer.getWeights();
  const internals = s.optimizer as unknown as AdamInternals;
  const extra =
    internals.accBeta1 && internals.accBeta2
      ? [
          { name: 'accBeta1', tensor: internals.accBeta1 as tf.Tensor },
          { name: 'accBeta2', tensor: internals.accBeta2 as tf.Tensor },
        ]
      : [];
  const modelStored = await tensorsToStored([
    ...s.net.getWeights().map((t, i) => ({ name: `w${i}`, tensor: t as tf.Tensor })),
    ...s.average.tensors.map((t, i) => ({ name: `avg${i}`, tensor: t })),
  ]);
  const optStored = await tensorsToStored([...extra, ...ow]);
  ow[0]?.tensor.dispose(); // iterations scalar is a fresh tensor; the moments are Adam's own variables
  const state: CheckpointState = {
    version: 1,
    epoch,
    config: s.config,
    history,
    backend,
    ...(s.average.steps > 0 ? { averagedSteps: s.average.steps } : {}),
  };
  await writeCheckpoint(files.checkpoint, { state, model: modelStored, optimizer: optStored });
  await appendFile(files.history, `${JSON.stringify(history.at(-1))}\n`);
}
