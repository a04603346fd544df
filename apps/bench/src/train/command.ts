import { type BenchmarkPresetName, compareTrainingSpeed, profileTrainingStep } from '@timbre/kernels';
import { benchmarkInference, benchmarkTraining, initBackend } from '@timbre/models';
import type { BenchCommand } from '../main.js';
import { writeResultJson } from '../results.js';
import { gflops, TRAINING_ANCHORS, type TrainingAnchor } from './anchors.js';

const SAMPLES = 2800;

interface Options {
  presets: readonly TrainingAnchor[];
  batches: number;
  rounds: number;
  cpuBatches: number;
  profile: boolean;
  twoCores: boolean;
}

function parse(args: readonly string[]): Options {
  const get = (name: string) => args.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
  const quick = args.includes('--quick');
  const names = get('presets')?.split(',');
  const presets = names ? TRAINING_ANCHORS.filter((a) => names.includes(a.kernelsPreset)) : TRAINING_ANCHORS;
  if (names && presets.length !== names.length)
    throw new Error(
      `--presets: expected names among ${TRAINING_ANCHORS.map((a) => a.kernelsPreset).join(', ')}`,
    );
  return {
    presets,
    batches: Number(get('batches') ?? (quick ? 2 : 4)),
    rounds: Number(get('rounds') ?? (quick ? 1 : 3)),
    cpuBatches: Number(get('cpu-batches') ?? (args.includes('--no-cpu') ? 0 : 1)),
    profile: args.includes('--profile'),
    twoCores: !args.includes('--no-two-cores'),
  };
}

const f = (x: number | undefined, d = 1) => (x === undefined || !Number.isFinite(x) ? '—' : x.toFixed(d));

/**
 * `pnpm bench train`: seconds per epoch (2800 samples, batch 32, 1 thread) per preset for the tfjs cpu
 * backend (a few batches, extrapolated), stock tfjs-wasm and our engine, with the PyTorch anchors and the
 * GFLOP/s, plus inference latency per 1-s clip; JSON in bench-results/train.json.
 */
export const trainCommand: BenchCommand = {
  description:
    'training s/epoch per preset: tfjs cpu, stock wasm, timbre engine vs PyTorch anchors [--presets=a,b --batches=4 --rounds=3 --cpu-batches=1 --no-cpu --no-two-cores --profile --quick]',
  async run(args) {
    const o = parse(args);
    const rows: Record<string, unknown>[] = [];
    console.log(
      `training: ${SAMPLES} samples, batch 32, 1 thread; s/epoch extrapolated from the median step (${o.batches} steps × ${o.rounds} interleaved rounds)`,
    );
    console.log(
      'preset          cpu*   stock wasm   timbre   timbre 2 cores   PyTorch 1t   timbre/PyTorch   stock/timbre   GFLOP/s',
    );
    for (const a of o.presets) {
      let cpu: number | undefined;
      if (o.cpuBatches > 0) {
        await initBackend('cpu');
        const b = await benchmarkTraining({
          preset: a.preset,
          nMels: a.nMels,
          backend: 'cpu',
          batches: o.cpuBatches,
          warmupBatches: 1,
        });
        cpu = b.secondsPerEpoch;
      }
      await initBackend('wasm');
      const [c] = compareTrainingSpeed([a.kernelsPreset as BenchmarkPresetName], {
        batches: o.batches,
        rounds: o.rounds,
        modes: ['stock', 'fast'],
      });
      const stock = c?.secondsPerEpoch.stock;
      const fast = c?.secondsPerEpoch.fast;
      const two = o.twoCores
        ? (
            await benchmarkTraining({
              preset: a.preset,
              nMels: a.nMels,
              backend: 'wasm',
              workers: 2,
              batches: o.batches * o.rounds,
              warmupBatches: 1,
            })
          ).secondsPerEpoch
        : undefined;
      const row = {
        preset: a.kernelsPreset,
        cpuSecondsPerEpochExtrapolated: cpu,
        stockWasmSecondsPerEpoch: stock,
        timbreSecondsPerEpoch: fast,
        timbreTwoCoresSecondsPerEpoch: two ?? null,
        pytorch1Thread: a.pytorch1Thread,
        ratioToPytorch: fast === undefined ? undefined : fast / a.pytorch1Thread,
        speedupOverStock: c?.speedup.fast,
        gflops: fast === undefined ? undefined : gflops(a.mflopPerSample, SAMPLES, fast),
        samplesPerSecond: fast === undefined ? undefined : SAMPLES / fast,
        targetReached: fast !== undefined && fast <= a.pytorch1Thread,
      };
      rows.push(row);
      console.log(
        `${a.kernelsPreset.padEnd(14)} ${f(cpu, 0).padStart(5)} ${f(stock).padStart(12)} ${f(fast, 2).padStart(8)} ${f(two, 2).padStart(16)} ${f(a.pytorch1Thread).padStart(12)} ${`${f(row.ratioToPytorch, 2)}×`.padStart(16)} ${`${f(c?.speedup.fast, 2)}×`.padStart(14)} ${f(row.gflops).padStart(9)}`,
      );
      if (o.profile) {
        const p = await profileTrainingStep(a.kernelsPreset as BenchmarkPresetName, 'fast');
        console.log(`  profile: ${JSON.stringify(p).slice(0, 400)}`);
      }
    }
    console.log('* cpu: tfjs cpu backend, extrapolated from a single step (labelled; it is ~100× slower)');
    console.log(
      'timbre 2 cores: @timbre/models data-parallel training (main thread + 1 worker, half a batch each); only faster when the second core is idle',
    );
    const inference: Record<string, unknown>[] = [];
    await initBackend('wasm');
    for (const a of o.presets) {
      const r = await benchmarkInference({ preset: a.preset, nMels: a.nMels, iterations: 10, warmup: 2 });
      inference.push({ preset: a.kernelsPreset, dspMs: r.dspMs, forwardMs: r.forwardMs, totalMs: r.totalMs });
    }
    console.log('\ninference per 1-s clip (DSP + forward, wasm):');
    for (const r of inference)
      console.log(
        `  ${String(r.preset).padEnd(14)} ${f(r.totalMs as number, 2)} ms (dsp ${f(r.dspMs as number, 2)}, forward ${f(r.forwardMs as number, 2)})`,
      );
    const path = writeResultJson('train.json', {
      samples: SAMPLES,
      batchSize: 32,
      batches: o.batches,
      rounds: o.rounds,
      training: rows,
      inference,
    });
    console.log(`\nJSON: ${path}`);
  },
};
