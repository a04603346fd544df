import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { measureSimdPeak } from '@timbre/kernels';
import { benchmarkInference, benchmarkTraining, initBackend, type TrainingEngine } from '@timbre/models/node';
import type { BenchCommand } from '../main.js';
import { writeResultJson } from '../results.js';
import { gflops, TRAINING_ANCHORS, type TrainingAnchor } from './anchors.js';
import { measureCoreSpeeds } from './core-speeds.js';
import { profileTrainingStep } from './profile.js';

const SAMPLES = 2800;

interface Options {
  presets: readonly TrainingAnchor[];
  batches: number;
  rounds: number;
  cpuBatches: number;
  profile: boolean;
  twoCores: boolean;
  stock: boolean;
}

function parse(args: readonly string[]): Options {
  const get = (name: string) => args.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
  const quick = args.includes('--quick');
  const names = get('presets')?.split(',');
  const presets = names ? TRAINING_ANCHORS.filter((a) => names.includes(a.id)) : TRAINING_ANCHORS;
  if (names && presets.length !== names.length)
    throw new Error(`--presets: expected names among ${TRAINING_ANCHORS.map((a) => a.id).join(', ')}`);
  const int = (name: string, fallback: number, min: number) => {
    const v = Number(get(name) ?? fallback);
    if (!Number.isInteger(v) || v < min) throw new Error(`--${name}: expected an integer ≥ ${min}`);
    return v;
  };
  return {
    presets,
    batches: int('batches', quick ? 3 : 6, 1),
    rounds: int('rounds', quick ? 1 : 3, 1),
    cpuBatches: args.includes('--no-cpu') ? 0 : int('cpu-batches', 1, 0),
    profile: args.includes('--profile'),
    twoCores: !args.includes('--no-two-cores'),
    stock: !args.includes('--no-stock'),
  };
}

const f = (x: number | undefined, d = 1) => (x === undefined || !Number.isFinite(x) ? '—' : x.toFixed(d));
const median = (a: number[]) => {
  const s = a.slice().sort((x, y) => x - y);
  return s.length === 0 ? Number.NaN : (s[(s.length - 1) >> 1]! + s[s.length >> 1]!) / 2;
};

/** s/epoch of @timbre/models' real training step on one engine: median step × steps per epoch. */
async function timbreEpoch(
  a: TrainingAnchor,
  workers: number,
  batches: number,
  engine: TrainingEngine = 'fast',
): Promise<number> {
  const b = await benchmarkTraining({
    preset: a.preset,
    nMels: a.nMels,
    backend: 'wasm',
    engine,
    workers,
    batches,
    // A few: the first steps of a process also wait for V8 to optimise the wasm kernels.
    warmupBatches: 3,
  });
  return median(b.batchSeconds) * Math.ceil(SAMPLES / 32);
}

/** The one-core figures of a preset (s/epoch). */
interface OneCore {
  cpu?: number;
  stock?: number;
  timbre: number;
  rounds: number[];
  /** PyTorch 1 thread, same run (median of its rounds). */
  pytorch?: number;
  pytorchRounds?: number[];
}

const PEER_SCRIPT = fileURLToPath(new URL('../../peers/pytorch_train.py', import.meta.url));

let python = 'python3';

/**
 * PyTorch's version when a Python can import torch (the same-run peer): `$TIMBRE_PYTHON`, else `python3`,
 * else Debian's `/usr/bin/python3` (python3-torch installs there, a pyenv `python3` may shadow it).
 */
function pytorchVersion(): string | undefined {
  const candidates = process.env.TIMBRE_PYTHON
    ? [process.env.TIMBRE_PYTHON]
    : ['python3', '/usr/bin/python3'];
  for (const c of candidates) {
    const r = spawnSync(c, ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8' });
    if (r.status === 0) {
      python = c;
      return r.stdout.trim();
    }
  }
  return undefined;
}

/** Runs the PyTorch peer script on one thread (OpenBLAS 1 thread) and returns its last JSON line. */
function runPeer<T>(args: string[]): T {
  const r = spawnSync(python, [PEER_SCRIPT, ...args], {
    encoding: 'utf8',
    env: { ...process.env, OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1', MKL_NUM_THREADS: '1' },
  });
  if (r.status !== 0) throw new Error(`the PyTorch peer failed: ${r.stderr.trim().split('\n').at(-1)}`);
  return JSON.parse(r.stdout.trim().split('\n').at(-1)!) as T;
}

/** One PyTorch round of a preset: s/epoch. */
function pytorchEpoch(a: TrainingAnchor, batches: number): number {
  return runPeer<{ secondsPerEpoch: number }>([`${a.preset}:${a.nMels}`, '--batches', String(batches)])
    .secondsPerEpoch;
}

/** The LSTM-128 step's matrix products (M×K×N): the recurrent h·U per step and the input projection x·W. */
const ROOFLINE_GEMMS: readonly (readonly [number, number, number])[] = [
  [32, 128, 512],
  [2560, 64, 512],
];

/** PyTorch's torch.mm GFLOP/s for an M×K×N product, 1 thread (the same-run peer's matrix-product speed). */
function pytorchGemm(m: number, k: number, n: number): number {
  return runPeer<{ gflops: number }>(['--gemm', `${m}:${k}:${n}`]).gflops;
}

/** cpu (extrapolated), stock wasm and timbre on one thread, in this process; PyTorch beside it when asked. */
async function measureOneCore(a: TrainingAnchor, o: Options, peer: boolean): Promise<OneCore> {
  let cpu: number | undefined;
  if (o.cpuBatches > 0) {
    await initBackend('cpu');
    cpu = (
      await benchmarkTraining({
        preset: a.preset,
        nMels: a.nMels,
        backend: 'cpu',
        batches: o.cpuBatches,
        warmupBatches: 1,
      })
    ).secondsPerEpoch;
  }
  await initBackend('wasm');
  const stockRounds: number[] = [];
  // Stock tfjs-wasm: the same training step with the stock engine (stock kernels and layers, tf.train.adam).
  if (o.stock)
    for (let r = 0; r < o.rounds; r++) stockRounds.push(await timbreEpoch(a, 1, o.batches, 'stock'));
  const stock = o.stock ? median(stockRounds) : undefined;
  const rounds: number[] = [];
  const peerRounds: number[] = [];
  // Interleaved: a PyTorch round, then ours, per round (the host's speed drifts within minutes).
  for (let r = 0; r < o.rounds; r++) {
    if (peer) peerRounds.push(pytorchEpoch(a, o.batches));
    rounds.push(await timbreEpoch(a, 1, o.batches));
  }
  return {
    ...(peer ? { pytorch: median(peerRounds), pytorchRounds: peerRounds } : {}),
    ...(cpu !== undefined ? { cpu } : {}),
    ...(stock !== undefined ? { stock } : {}),
    timbre: median(rounds),
    rounds,
  };
}

/**
 * `pnpm bench train`: seconds per epoch (2800 samples, batch 32) per preset for the tfjs cpu backend (a few
 * batches, extrapolated), stock tfjs-wasm, and timbre's engine through @timbre/models' real training step on
 * one core and on two (data-parallel), in interleaved rounds, with the PyTorch anchors, GFLOP/s, each
 * core's measured speed, and inference latency per 1-s clip; JSON in bench-results/train.json.
 */
export const trainCommand: BenchCommand = {
  description:
    'training s/epoch per preset: tfjs cpu, stock wasm, timbre 1 and 2 cores with PyTorch 1 thread in the same run when python3 + torch is importable [--no-pytorch --presets=a,b --batches=6 --rounds=3 --cpu-batches=1 --no-cpu --no-stock --no-two-cores --profile --quick]',
  async run(args) {
    const o = parse(args);
    const cores = measureCoreSpeeds();
    if (cores.length > 0) {
      const best = Math.max(...cores.map((c) => c.iterationsPerSecond));
      console.log(
        `cores (a pinned scalar loop, relative to the fastest): ${cores.map((c) => `cpu${c.cpu} ${Math.round((100 * c.iterationsPerSecond) / best)}%`).join(', ')}${
          cores.some((c) => c.iterationsPerSecond < 0.8 * best)
            ? ' — a core runs slow (shared host): two-core figures suffer'
            : ''
        }`,
      );
    }
    console.log(
      `training: ${SAMPLES} samples, batch 32; s/epoch = median step × 88 (${o.batches} steps per measurement, ${o.rounds} interleaved rounds, median over rounds)`,
    );
    const torchVersion = pytorchVersion();
    const peer = torchVersion !== undefined && !args.includes('--no-pytorch');
    console.log(
      peer
        ? `PyTorch ${torchVersion} peer in this run: the same networks, batch 32, Adam, 1 thread (OpenBLAS 1 thread), one round before each of ours; ratios are against it`
        : "no PyTorch peer in this run (no python3 that imports torch; Debian: apt-get install python3-torch libopenblas0-pthread, or set TIMBRE_PYTHON): the PyTorch column is the figure recorded in GUIDE §3 on another day — for reference only, never a ratio (this host's speed varies by up to 2.7× from day to day)",
    );
    console.log(
      `preset          cpu*   stock wasm   timbre 1 core   timbre 2 cores   ${peer ? 'PyTorch 1t (same run)   best÷PyTorch' : 'PyTorch 1t (recorded)'}   stock/timbre   GFLOP/s (1 core)`,
    );
    const rows: Record<string, unknown>[] = [];
    for (const a of o.presets) {
      // Not pinned: pinned to one core, V8's compiler and GC threads compete with the training thread.
      const one = await measureOneCore(a, o, peer);
      await initBackend('wasm');
      const two: number[] = [];
      if (o.twoCores) for (let r = 0; r < o.rounds; r++) two.push(await timbreEpoch(a, 2, o.batches));
      const { cpu, stock, timbre: t1 } = one;
      const t2 = o.twoCores ? median(two) : undefined;
      const best = t2 !== undefined && t2 < t1 ? t2 : t1;
      const row = {
        preset: a.id,
        cpuSecondsPerEpochExtrapolated: cpu ?? null,
        stockWasmSecondsPerEpoch: stock ?? null,
        timbreSecondsPerEpoch: t1,
        timbreTwoCoresSecondsPerEpoch: t2 ?? null,
        timbreRounds: { oneCore: one.rounds, twoCores: two },
        bestSecondsPerEpoch: best,
        pytorch1ThreadSameRun: one.pytorch ?? null,
        pytorchRounds: one.pytorchRounds ?? null,
        pytorchVersion: torchVersion ?? null,
        ratioToPytorchOneCore: one.pytorch ? t1 / one.pytorch : null,
        bestRatioToPytorch: one.pytorch ? best / one.pytorch : null,
        pytorch1ThreadRecorded: a.pytorch1Thread,
        speedupOverStock: stock === undefined ? null : stock / t1,
        gflops: gflops(a.mflopPerSample, SAMPLES, t1),
        samplesPerSecond: SAMPLES / t1,
      };
      rows.push(row);
      console.log(
        `${a.id.padEnd(14)} ${f(cpu, 0).padStart(5)} ${f(stock).padStart(12)} ${f(t1, 2).padStart(15)} ${f(t2, 2).padStart(16)} ${
          one.pytorch !== undefined
            ? `${f(one.pytorch, 2).padStart(23)} ${`${f(best / one.pytorch, 2)}×${best <= one.pytorch ? ' ✓' : '  '}`.padStart(14)}`
            : f(a.pytorch1Thread).padStart(23)
        } ${`${f(stock === undefined ? undefined : stock / t1, 1)}×`.padStart(14)} ${f(row.gflops).padStart(18)}`,
      );
      if (o.profile) {
        const p = await profileTrainingStep(a, 'fast');
        console.log(`  profile: ${JSON.stringify(p).slice(0, 400)}`);
      }
    }
    console.log('* cpu: tfjs cpu backend, extrapolated from a single step (labelled; it is ~100× slower)');
    console.log(
      'timbre: @timbre/models training step (fast engine: @timbre/kernels, FastConv2D/FastLSTM, fused Adam); 2 cores = main thread + 1 worker, half a batch each',
    );
    const inference: Record<string, unknown>[] = [];
    await initBackend('wasm');
    for (const a of o.presets) {
      const r = await benchmarkInference({ preset: a.preset, nMels: a.nMels, iterations: 10, warmup: 2 });
      inference.push({ preset: a.id, dspMs: r.dspMs, forwardMs: r.forwardMs, totalMs: r.totalMs });
    }
    console.log('\ninference per 1-s clip (DSP + forward, wasm):');
    for (const r of inference)
      console.log(
        `  ${String(r.preset).padEnd(14)} ${f(r.totalMs as number, 2)} ms (dsp ${f(r.dspMs as number, 2)}, forward ${f(r.forwardMs as number, 2)})`,
      );
    // The roofline: what one thread of wasm SIMD 128 can do at most, beside what the peer's BLAS does.
    const peak = measureSimdPeak();
    const peerGemms = peer
      ? ROOFLINE_GEMMS.map(([m, k, n]) => ({ m, k, n, gflops: pytorchGemm(m, k, n) }))
      : [];
    const ours = rows.map((r) => r.gflops as number);
    console.log('\nroofline, one thread, this run:');
    if (peak !== null)
      console.log(
        `  wasm SIMD 128 multiply + add peak (independent chains, no FMA in wasm): ${f(peak)} GFLOP/s; timbre's 1-core training above: ${f(Math.min(...ours))}–${f(Math.max(...ours))} GFLOP/s (${f((100 * Math.min(...ours)) / peak, 0)}–${f((100 * Math.max(...ours)) / peak, 0)} % of it)`,
      );
    for (const g of peerGemms)
      console.log(
        `  PyTorch torch.mm ${g.m}×${g.k}×${g.n}, 1 thread: ${f(g.gflops)} GFLOP/s${peak !== null ? ` = ${f(g.gflops / peak, 2)}× that peak` : ''}`,
      );
    const path = await writeResultJson('train.json', {
      simdPeakGflops: peak,
      pytorchGemms: peerGemms,
      samples: SAMPLES,
      batchSize: 32,
      batches: o.batches,
      rounds: o.rounds,
      cores,
      training: rows,
      inference,
    });
    console.log(`\nJSON: ${path}`);
  },
};
