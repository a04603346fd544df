import { availableParallelism } from 'node:os';
import { createLogMelExtractor } from '@timbre/dsp';
import {
  defaultAugmentThreads,
  defaultDspParameters,
  initBackend,
  ROBUST_WAVE_AUGMENT,
  train,
  type WaveAugmentOptions,
} from '@timbre/models/node';
import type { BenchCommand } from '../main.js';
import { writeResultJson } from '../results.js';

const SR = 44100;

/** `n` 1-s decaying harmonic notes of 14 classes (fundamental and brightness per class), deterministic. */
function notes(n: number): { audio: Float32Array; y: Int32Array } {
  const audio = new Float32Array(new SharedArrayBuffer(n * SR * 4)); // as loadClipAudio gives it
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const c = i % 14;
    y[i] = c;
    const f0 = 80 * 2 ** ((c * 3 + (i % 7)) / 12);
    for (let t = 0; t < SR; t++) {
      const s = t / SR;
      let v = 0;
      for (let h = 1; h <= 6; h++) v += Math.sin(2 * Math.PI * f0 * h * s) / h ** (1 + (c % 4) / 2);
      audio[i * SR + t] = 0.3 * Math.exp(-s * (1 + (c % 3))) * Math.min(1, s / 0.01) * v;
    }
  }
  return { audio, y };
}

/**
 * Seconds of a steady training epoch with the given extra train() options: the second epoch of a 2-epoch
 * run (the first also pays the augmentation threads' start-up, once per run).
 */
async function epochSeconds(
  base: Parameters<typeof train>[0],
  extra: Partial<Parameters<typeof train>[0]>,
): Promise<number> {
  const r = await train({ ...base, ...extra, epochs: 2 });
  r.model.dispose();
  return r.history[1]!.seconds;
}

/**
 * `pnpm bench augment`: seconds per training epoch of a preset, plain vs with the training-time
 * augmentation of a recipe (waveform transforms + DSP per clip, and feature-level transforms), measured
 * interleaved in one run. The target: an augmented epoch ≤ 1.5× a plain epoch.
 */
export const augmentCommand: BenchCommand = {
  description: 'training epoch with and without augmentation (waveform + DSP per clip, feature transforms)',
  async run(args) {
    const get = (name: string) => args.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
    const n = Number(get('clips') ?? 1400);
    const rounds = Number(get('rounds') ?? 3);
    const preset = (get('preset') ?? 'lenet-3x8') as 'lenet-3x8';
    if (!Number.isInteger(n) || n < 32) throw new Error('--clips: expected an integer ≥ 32');
    await initBackend();
    const threads = defaultAugmentThreads();
    const { audio, y } = notes(n);
    const dsp = { ...defaultDspParameters(64, 80), topDb: 40 };
    const ex = await createLogMelExtractor(dsp);
    const x = new Float32Array(n * 80 * 64);
    for (let i = 0; i < n; i++) x.set(ex.compute(audio.subarray(i * SR, (i + 1) * SR)), i * 80 * 64);
    ex.dispose();
    const labels = Array.from({ length: 14 }, (_, k) => `c${k}`);
    const base = { preset, train: { labels, nMels: 64, nFrames: 80, x, y }, epochs: 1, seed: 0 };
    const wave: WaveAugmentOptions = ROBUST_WAVE_AUGMENT;
    const variants: Record<string, Partial<Parameters<typeof train>[0]>> = {
      plain: {},
      'feature augment (Freq-MixStyle)': { augment: { freqMixStyle: 0.6 } },
      'waveform augment + DSP, on the main thread': {
        waveAugment: wave,
        audio: { samples: audio, clipSamples: SR, dsp },
        augmentThreads: 0,
      },
      [`waveform augment + DSP, ${threads} augmentation threads (default)`]: {
        waveAugment: wave,
        audio: { samples: audio, clipSamples: SR, dsp },
        augmentThreads: threads,
      },
    };
    const times: Record<string, number[]> = Object.fromEntries(Object.keys(variants).map((k) => [k, []]));
    await epochSeconds(base, {}); // warm-up
    for (let r = 0; r < rounds; r++)
      for (const [k, v] of Object.entries(variants)) times[k]!.push(await epochSeconds(base, v));
    const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]!;
    const plain = median(times.plain!);
    console.log(
      `${preset}, ${n} clips of 1 s, batch 32, training step on one thread (${availableParallelism()} cores); second epoch of 2, median of ${rounds} interleaved rounds\n`,
    );
    console.log('| variant | s/epoch | × plain | target ≤ 1.5× |');
    console.log('|---|---:|---:|---|');
    const rows = Object.keys(variants).map((k) => {
      const s = median(times[k]!);
      console.log(
        `| ${k} | ${s.toFixed(2)} | ${(s / plain).toFixed(2)}× | ${s / plain <= 1.5 ? '✓' : '✗'} |`,
      );
      return { variant: k, secondsPerEpoch: s, ratio: s / plain, rounds: times[k] };
    });
    await writeResultJson('augment.json', { preset, clips: n, wave, rows });
  },
};
