import { spawnSync } from 'node:child_process';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { availableImplementations, createLogMelExtractor, type DspImplementation } from '@timbre/dsp';
import { Bench } from 'tinybench';
import type { BenchCommand } from '../main.js';
import { writeResultJson } from '../results.js';
import { memoryCheck } from './memory-check.js';
import { type ClipFn, fftJsPipeline, meydaPipeline } from './peers.js';

const SAMPLE_RATE = 44100;

interface Row {
  name: string;
  nMels: number;
  semantics: string;
  medianMsPerClip: number;
  usPerFrame: number;
  xRealtime: number;
  ratioToWasmSimd: number | null;
  samples: number;
}

/** Deterministic 1 s test clip: a decaying harmonic tone plus a little noise (xorshift). */
function testClip(): Float32Array {
  const x = new Float32Array(SAMPLE_RATE);
  let s = 2463534242;
  for (let n = 0; n < x.length; n++) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    const t = n / SAMPLE_RATE;
    let v = 0;
    for (let k = 1; k <= 6; k++) v += Math.sin(2 * Math.PI * 220 * k * t) / k;
    x[n] = 0.25 * Math.exp(-2 * t) * v + 0.01 * ((s >>> 0) / 2 ** 32 - 0.5);
  }
  return x;
}

function parseArgs(args: readonly string[]): { quick: boolean; calls: number } {
  const quick = args.includes('--quick');
  const callsArg = args.find((a) => a.startsWith('--memory-calls='));
  return { quick, calls: callsArg ? Number(callsArg.split('=')[1]) : quick ? 10_000 : 100_000 };
}

async function subjects(nMels: number): Promise<{ name: string; semantics: string; fn: ClipFn }[]> {
  const out: { name: string; semantics: string; fn: ClipFn }[] = [];
  for (const implementation of availableImplementations()) {
    const e = await createLogMelExtractor({ implementation, nMels, frames: null });
    const buf = new Float32Array(e.frameCount(SAMPLE_RATE) * nMels);
    out.push({
      name: `timbre ${implementation}`,
      semantics: 'librosa (slaney mel, dB re peak, db-range)',
      fn: (clip) => {
        e.compute(clip, buf);
        return buf.length / nMels;
      },
    });
  }
  out.push({
    name: 'fft.js + sparse mel',
    semantics: 'librosa (same filterbank, float64)',
    fn: fftJsPipeline(nMels),
  });
  out.push({
    name: 'meyda melBands',
    semantics: 'meyda mel (other scale/norm: not librosa)',
    fn: meydaPipeline(nMels),
  });
  return out;
}

function table(rows: readonly Row[]): string {
  const head = ['implementation', 'mels', 'µs/frame', '× realtime', 'vs wasm-simd', 'semantics'];
  const body = rows.map((r) => [
    r.name,
    String(r.nMels),
    r.usPerFrame.toFixed(2),
    r.xRealtime.toFixed(0),
    r.ratioToWasmSimd === null ? '—' : `${r.ratioToWasmSimd.toFixed(2)}×`,
    r.semantics,
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(head), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...body.map(line)].join('\n');
}

const PEER = fileURLToPath(new URL('../../peers/numpy_logmel.py', import.meta.url));

interface PeerRow {
  name: string;
  nMels: number;
  msPerClip: number;
  usPerFrame: number;
  samples: number;
}

/**
 * The numpy / scipy peers (apps/bench/peers/numpy_logmel.py), run right after ours in the same run, when a
 * Python with numpy is found (`$TIMBRE_PYTHON`, `python3`, Debian's `/usr/bin/python3`); else none, said so.
 */
function numpyPeers(quick: boolean): { rows: PeerRow[]; note: string } {
  const candidates = process.env.TIMBRE_PYTHON
    ? [process.env.TIMBRE_PYTHON]
    : ['python3', '/usr/bin/python3'];
  for (const python of candidates) {
    const probe = spawnSync(python, ['-c', 'import numpy'], { encoding: 'utf8' });
    if (probe.status !== 0) continue;
    const r = spawnSync(python, [PEER, '--time', quick ? '0.3' : '1.5'], {
      encoding: 'utf8',
      env: { ...process.env, OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1', MKL_NUM_THREADS: '1' },
    });
    if (r.status !== 0) return { rows: [], note: `numpy peer failed: ${r.stderr.trim().split('\n').at(-1)}` };
    const rows = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as PeerRow & { versions: Record<string, string> });
    const v = rows[0]?.versions ?? {};
    return {
      rows,
      note: `numpy/scipy peers in this run (${Object.entries(v)
        .map(([k, x]) => `${k} ${x}`)
        .join(', ')}, 1 thread), measured right after ours: ratios are same-run`,
    };
  }
  return {
    rows: [],
    note: 'no numpy/scipy peer in this run (no python3 with numpy; Debian: apt-get install python3-numpy python3-scipy)',
  };
}

/** `pnpm bench dsp [--quick] [--memory-calls=N]`: log-mel speed of ours vs JS peers and numpy/scipy. */
export const dspCommand: BenchCommand = {
  description:
    'log-mel µs/frame: timbre wasm-simd / wasm / js vs fft.js, meyda and numpy/scipy (same run); memory check',
  async run(args) {
    const { quick, calls } = parseArgs(args);
    const clip = testClip();
    const rows: Row[] = [];
    for (const nMels of [64, 128]) {
      const bench = new Bench({
        time: quick ? 300 : 1500,
        warmupTime: quick ? 100 : 300,
        throws: true,
      });
      const list = await subjects(nMels);
      const framesOf = new Map<string, number>();
      for (const s of list) {
        framesOf.set(s.name, s.fn(clip));
        bench.add(s.name, () => {
          s.fn(clip);
        });
      }
      await bench.run();
      const measured = bench.tasks.map((task) => {
        const result = task.result as { latency?: { p50?: number; samplesCount?: number } };
        const ms = result.latency?.p50 ?? Number.NaN;
        const frames = framesOf.get(task.name)!;
        const subject = list.find((s) => s.name === task.name)!;
        return { task, ms, frames, subject, samples: result.latency?.samplesCount ?? 0 };
      });
      const simd = measured.find((m) => m.task.name === 'timbre wasm-simd');
      for (const m of measured) {
        rows.push({
          name: m.task.name,
          nMels,
          semantics: m.subject.semantics,
          medianMsPerClip: m.ms,
          usPerFrame: (m.ms * 1000) / m.frames,
          xRealtime: clip.length / SAMPLE_RATE / (m.ms / 1000),
          ratioToWasmSimd: simd ? m.ms / simd.ms : null,
          samples: m.samples,
        });
      }
    }
    const py = numpyPeers(quick);
    for (const p of py.rows) {
      const simd = rows.find((r) => r.name === 'timbre wasm-simd' && r.nMels === p.nMels);
      rows.push({
        name: p.name,
        nMels: p.nMels,
        semantics: 'librosa (same filterbank, float32; run beside ours)',
        medianMsPerClip: p.msPerClip,
        usPerFrame: p.usPerFrame,
        xRealtime: clip.length / SAMPLE_RATE / (p.msPerClip / 1000),
        ratioToWasmSimd: simd ? p.msPerClip / simd.medianMsPerClip : null,
        samples: p.samples,
      });
    }
    console.log(`\n${py.note}`);
    console.log(
      `\nlog-mel of a 1 s clip at 44.1 kHz (nFft 1024, hop 512, 87 frames), 1 thread, median of tinybench samples\n`,
    );
    console.log(table(rows));

    const memory = [];
    for (const implementation of availableImplementations().filter(
      (i): i is DspImplementation => i !== 'js',
    )) {
      memory.push(await memoryCheck(implementation, clip, calls));
    }
    memory.push(await memoryCheck('js', clip, Math.min(calls, 20_000)));
    console.log(`\nmemory: consecutive compute() calls on one extractor (1 s clip, 64 mels)`);
    for (const m of memory) {
      const wasm = m.wasmBytesBefore === null ? 'n/a' : `${m.wasmBytesBefore} → ${m.wasmBytesAfter} bytes`;
      console.log(
        `  ${m.implementation.padEnd(9)} ${m.calls} calls: WASM memory ${wasm}; JS heap delta ${(m.heapDeltaBytes / 1024).toFixed(0)} KiB${m.gcExposed ? '' : ' (no --expose-gc)'}`,
      );
    }
    const file = await writeResultJson('dsp.json', {
      benchmark: 'dsp',
      date: new Date().toISOString(),
      node: process.version,
      cpu: cpus()[0]?.model ?? 'unknown',
      threads: 1,
      clip: { sampleRate: SAMPLE_RATE, seconds: 1, nFft: 1024, hop: 512, frames: 87 },
      quick,
      results: rows,
      memory,
    });
    console.log(`\nwrote ${file}`);
  },
};
