import type { LogMelOptions } from '@timbre/dsp';
import { readClip } from './clip-store.js';

/** DSP parameters forwarded to `@timbre/dsp`: its `LogMelOptions` without `nMels` and `sampleRate` (set per task). */
export type DspParams = Omit<LogMelOptions, 'nMels' | 'sampleRate'>;

/** Structural view of the `@timbre/dsp` extractor used here. */
export interface LogMelLike {
  readonly implementation: string;
  readonly options: Record<string, unknown> & { frames: number | null; nMels: number };
  frameCount(numSamples: number): number;
  compute(samples: Float32Array, out?: Float32Array): Float32Array;
  dispose(): void;
}

interface DspModule {
  createLogMelExtractor(options: Record<string, unknown>): Promise<LogMelLike>;
}

/** Load `@timbre/dsp` lazily (only feature computation needs it). */
export async function loadDsp(): Promise<DspModule> {
  const spec = '@timbre/dsp';
  return (await import(spec)) as DspModule;
}

/** Create an extractor for `nMels` bands with the given parameters. */
export async function createExtractor(
  sampleRate: number,
  nMels: number,
  dsp: DspParams,
): Promise<LogMelLike> {
  const mod = await loadDsp();
  return mod.createLogMelExtractor({ frames: 80, ...dsp, sampleRate, nMels });
}

/** Log-mel for a batch of clip files, for several band counts at once (each clip is read once). */
export interface FeatureTask {
  kind: 'features';
  files: string[];
  sampleRate: number;
  nMels: number[];
  dsp: DspParams;
}

/** One Float32Array per entry of `nMels`, each `[files][frames][nMels]`. */
export interface FeatureTaskResult {
  kind: 'features';
  features: Float32Array[];
  frames: number;
  /** Files (by index in the task) whose features could not be made; their rows are zeros. */
  failed: { index: number; message: string }[];
}

/** Per-thread extractor cache. */
export interface FeatureContext {
  extractors: Map<string, LogMelLike>;
}

/** Compute one feature task. */
export async function runFeatureTask(task: FeatureTask, ctx: FeatureContext): Promise<FeatureTaskResult> {
  const extractors: LogMelLike[] = [];
  for (const m of task.nMels) {
    const key = JSON.stringify([task.sampleRate, m, task.dsp]);
    let ex = ctx.extractors.get(key);
    if (!ex) {
      ex = await createExtractor(task.sampleRate, m, task.dsp);
      ctx.extractors.set(key, ex);
    }
    extractors.push(ex);
  }
  let frames = -1;
  const features: Float32Array[] = [];
  const failed: FeatureTaskResult['failed'] = [];
  for (let f = 0; f < task.files.length; f++) {
    // One bad clip (unreadable, or audio whose features are not finite) is reported, never the whole batch.
    try {
      const samples = await readClip(task.files[f]!, task.sampleRate);
      const rows = extractors.map((ex, k) => {
        const row = ex.compute(samples);
        const m = task.nMels[k]!;
        if (frames < 0) frames = row.length / m;
        if (row.length !== frames * m)
          throw new Error(`${task.files[f]}: feature length ${row.length} != ${frames}×${m}`);
        for (let i = 0; i < row.length; i++)
          if (!Number.isFinite(row[i]!))
            throw new Error(
              `${task.files[f]}: its ${m}-band features are not finite (value ${row[i]} at ${i})`,
            );
        return row;
      });
      rows.forEach((row, k) => {
        const m = task.nMels[k]!;
        if (!features[k]) features[k] = new Float32Array(task.files.length * frames * m);
        features[k]!.set(row, f * frames * m);
      });
    } catch (err) {
      const msg = (err as Error).message;
      const file = task.files[f]!;
      failed.push({ index: f, message: msg.startsWith(file) ? msg : `${file}: ${msg}` });
    }
  }
  if (frames > 0)
    task.nMels.forEach((m, k) => {
      features[k] ??= new Float32Array(task.files.length * frames * m);
    });
  return { kind: 'features', features, frames: Math.max(0, frames), failed };
}
