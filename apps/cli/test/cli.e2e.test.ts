import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tempPathFor } from '@timbre/dataset/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// End-to-end: the built CLI (dist/bin.js) as a subprocess, on a tiny corpus rendered in the test.
const BIN = fileURLToPath(new URL('../dist/bin.js', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'timbre-cli-'));
const cache = join(work, 'cache');

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

function timbre(...args: string[]): Promise<Result> {
  return timbreWith({}, ...args);
}

/** `timbre` with extra environment variables. */
function timbreWith(env: Record<string, string>, ...args: string[]): Promise<Result> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, '--cache-dir', cache, ...args],
      { cwd: work, env: { ...process.env, NO_COLOR: '1', ...env }, maxBuffer: 64 << 20 },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

function wav16(path: string, seconds: number, freq: number, onsetS: number): void {
  const sr = 22050;
  const n = Math.round(sr * seconds);
  const b = Buffer.alloc(44 + n * 2);
  b.write('RIFF', 0);
  b.writeUInt32LE(36 + n * 2, 4);
  b.write('WAVEfmt ', 8);
  b.writeUInt32LE(16, 16);
  b.writeUInt16LE(1, 20);
  b.writeUInt16LE(1, 22);
  b.writeUInt32LE(sr, 24);
  b.writeUInt32LE(sr * 2, 28);
  b.writeUInt16LE(2, 32);
  b.writeUInt16LE(16, 34);
  b.write('data', 36);
  b.writeUInt32LE(n * 2, 40);
  for (let i = 0; i < n; i++) {
    const v = i / sr >= onsetS ? 0.3 * Math.sin((2 * Math.PI * freq * i) / sr) : 0;
    b.writeInt16LE(Math.round(v * 32767), 44 + 2 * i);
  }
  writeFileSync(path, b);
}

let manifest = '';

beforeAll(async () => {
  const r = await timbre(
    '--json',
    'data',
    'build',
    '--instruments',
    'violin,flute,tuba',
    '--clips-per-class',
    '10',
    '--train-per-class',
    '6',
    '--test-per-class',
    '4',
    '--mels',
    '64',
    '--no-recordings',
  );
  expect(r.code, r.stderr).toBe(0);
  manifest = (JSON.parse(r.stdout) as { manifest: string }).manifest;
}, 300_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('timbre CLI (subprocess)', () => {
  it('data build renders, splits and caches features for a tiny corpus', () => {
    const m = JSON.parse(readFileSync(manifest, 'utf8')) as { clips: { label: string; split: string }[] };
    expect(m.clips).toHaveLength(30);
    expect(m.clips.filter((c) => c.split === 'train')).toHaveLength(18);
    expect(new Set(m.clips.map((c) => c.label))).toEqual(new Set(['violin', 'flute', 'tuba']));
  });

  it('train → eval → predict on files, a folder, a long file and a bad file', async () => {
    const run = join(work, 'run');
    // Two data-parallel replicas here; the experiment test below covers the single-thread path.
    const t = await timbre(
      'train',
      '--data',
      manifest,
      '--model',
      'lenet-3x8',
      '--epochs',
      '2',
      '--workers',
      '2',
      '--out',
      run,
    );
    expect(t.code, t.stderr).toBe(0);
    expect(t.stdout).toMatch(/test accuracy \d+\.\d% after 2 epochs/);
    for (const f of [
      'run.json',
      'history.jsonl',
      'model/model.json',
      'model/metadata.json',
      'accuracy.png',
      'confusion.svg',
    ])
      expect(existsSync(join(run, f)), f).toBe(true);
    expect(readFileSync(join(run, 'history.jsonl'), 'utf8').trim().split('\n')).toHaveLength(2);
    expect(JSON.parse(readFileSync(join(run, 'run.json'), 'utf8')).workers).toBe(2);

    const e = await timbre('--json', 'eval', run);
    expect(e.code, e.stderr).toBe(0);
    const ev = JSON.parse(e.stdout) as { n: number; accuracy: number; confusion: number[][] };
    expect(ev.n).toBe(12);
    expect(ev.confusion.flat().reduce((a, b) => a + b, 0)).toBe(12);

    // A data set with only some of the model's classes is scored on those; an unknown class is refused.
    const subset = async (instruments: string) => {
      const b = await timbre(
        '--json',
        'data',
        'build',
        '--instruments',
        instruments,
        '--clips-per-class',
        '4',
        '--train-per-class',
        '2',
        '--test-per-class',
        '2',
        '--mels',
        '64',
        '--no-recordings',
      );
      expect(b.code, b.stderr).toBe(0);
      return (JSON.parse(b.stdout) as { manifest: string }).manifest;
    };
    const part = await timbre('--json', 'eval', run, '--data', await subset('violin,tuba'));
    expect(part.code, part.stderr).toBe(0);
    const pe = JSON.parse(part.stdout) as {
      n: number;
      labels: string[];
      perClass: { label: string; support: number }[];
    };
    expect(pe.n).toBe(4);
    expect(pe.labels).toEqual(['violin', 'flute', 'tuba']);
    expect(pe.perClass.filter((m) => m.support > 0).map((m) => m.label)).toEqual(['violin', 'tuba']);
    const unknown = await timbre('eval', run, '--data', await subset('violin,cello'));
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/class 'cello', which the model does not know/);
    expect(unknown.stderr).not.toMatch(/\n\s+at /);

    const audio = join(work, 'audio');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(join(audio, 'nested'), { recursive: true });
    wav16(join(audio, 'a.wav'), 1.2, 440, 0.1);
    wav16(join(audio, 'nested', 'long.wav'), 4, 220, 0.2);
    writeFileSync(join(audio, 'broken.wav'), 'RIFF not really');
    writeFileSync(join(audio, 'notes.txt'), 'ignored: not audio');

    const p = await timbre('--json', 'predict', audio, '--model', run, '--top', '2');
    expect(p.code).toBe(1); // one bad file → exit 1, the others are still classified
    const out = JSON.parse(p.stdout) as {
      results: {
        file: string;
        error?: string;
        prediction?: { top: { label: string }[]; windows: unknown[]; onsetS: number };
      }[];
    };
    expect(out.results).toHaveLength(3);
    const byName = (s: string) => out.results.find((r) => r.file.endsWith(s));
    expect(byName('broken.wav')?.error).toContain('broken.wav');
    expect(byName('a.wav')?.prediction?.top).toHaveLength(2);
    expect(byName('long.wav')?.prediction?.windows.length).toBeGreaterThan(4);
    // A recording of two windows or more starts at 0 s (the onset trim is for single notes), unless --trim.
    expect(byName('long.wav')?.prediction?.onsetS).toBe(0);
    expect(byName('a.wav')?.prediction?.onsetS).toBeGreaterThan(0.05);
    const trimmed = await timbre(
      '--json',
      'predict',
      join(audio, 'nested', 'long.wav'),
      '--model',
      run,
      '--trim',
    );
    expect(JSON.parse(trimmed.stdout).results[0].prediction.onsetS).toBeGreaterThan(0.15);

    const csv = await timbre('predict', join(audio, 'a.wav'), '--model', run, '--csv', '--top', '1');
    expect(csv.code, csv.stderr).toBe(0);
    expect(csv.stdout.split('\n')[0]).toBe('file,start_s,end_s,label1,p1,flag,error');

    // Digital silence is reported as silence, not as an instrument (table, CSV, JSON).
    const quiet = join(work, 'silence.wav');
    wav16(quiet, 2, 440, 99);
    const sTable = await timbre('predict', quiet, '--model', run);
    expect(sTable.code, sTable.stderr).toBe(0);
    expect(sTable.stdout).toContain('silence (nothing to classify)');
    const sCsv = await timbre('predict', quiet, '--model', run, '--csv', '--top', '1');
    expect(sCsv.stdout.split('\n')[1]).toMatch(/^.*silence\.wav,all,,,,silence,$/);
    const sJson = await timbre('--json', 'predict', quiet, '--model', run);
    const sr = JSON.parse(sJson.stdout) as { results: { prediction: { silent: boolean; top: unknown[] } }[] };
    expect(sr.results[0]!.prediction.silent).toBe(true);
    expect(sr.results[0]!.prediction.top).toEqual([]);
  }, 240_000);

  it('kill -9 during train and data build: the resumed results equal uninterrupted ones, no temp files left', async () => {
    const { spawn } = await import('node:child_process');
    const { readdirSync, statSync } = await import('node:fs');
    const waitFor = async (cond: () => boolean, ms = 60_000) => {
      const t0 = Date.now();
      while (!cond()) {
        if (Date.now() - t0 > ms) throw new Error('timed out waiting');
        await new Promise((r) => setTimeout(r, 20));
      }
    };
    const killed = async (args: string[], until: () => boolean) => {
      const child = spawn(process.execPath, [BIN, '--cache-dir', cache, ...args], {
        cwd: work,
        stdio: 'ignore',
      });
      const exited = new Promise<void>((r) => child.on('exit', () => r()));
      await Promise.race([waitFor(until), exited]);
      child.kill('SIGKILL');
      await exited;
    };
    const trainArgs = (out: string) => [
      'train',
      '--data',
      manifest,
      '--model',
      'lenet-3x8',
      '--epochs',
      '4',
      '--out',
      out,
    ];
    const full = join(work, 'kill-full');
    expect((await timbre(...trainArgs(full))).code).toBe(0);
    const cut = join(work, 'kill-cut');
    const lines = () => {
      try {
        return readFileSync(join(cut, 'history.jsonl'), 'utf8').trim().split('\n').filter(Boolean).length;
      } catch {
        return 0;
      }
    };
    await killed(trainArgs(cut), () => lines() >= 2);
    expect(lines()).toBeLessThan(4);
    const resumed = await timbre(...trainArgs(cut), '--resume');
    expect(resumed.code, resumed.stderr).toBe(0);
    const w = (d: string) => readFileSync(join(d, 'model', 'weights.bin'));
    expect(w(cut).equals(w(full))).toBe(true);

    const buildArgs = (c: string) => [
      '--cache-dir',
      c,
      '--json',
      'data',
      'build',
      '--instruments',
      'viola,cello',
      '--clips-per-class',
      '30',
      '--train-per-class',
      '20',
      '--test-per-class',
      '10',
      '--mels',
      '64',
      '--no-recordings',
    ];
    const whole = await timbre(...buildArgs(join(work, 'cache-whole')));
    const cacheCut = join(work, 'cache-cut');
    const clipsIn = () => {
      try {
        const root = join(cacheCut, 'corpus');
        return readdirSync(root).flatMap((k) => readdirSync(join(root, k, 'clips'))).length;
      } catch {
        return 0;
      }
    };
    const child = spawn(process.execPath, [BIN, ...buildArgs(cacheCut)], { cwd: work, stdio: 'ignore' });
    const exited = new Promise<void>((r) => child.on('exit', () => r()));
    await Promise.race([waitFor(() => clipsIn() >= 10), exited]);
    child.kill('SIGKILL');
    await exited;
    // Whether or not the kill landed mid-write, leave what it would: a temp file of the killed process.
    const corpusKey = readdirSync(join(cacheCut, 'corpus'))[0]!;
    writeFileSync(tempPathFor(join(cacheCut, 'corpus', corpusKey, 'clips', 'cut.wav'), child.pid), 'partial');
    const again = await timbre(...buildArgs(cacheCut));
    expect(again.code, again.stderr).toBe(0);
    const clips = (out: string) =>
      (
        JSON.parse(readFileSync(JSON.parse(out).manifest, 'utf8')) as {
          clips: { id: string; sha256: string }[];
        }
      ).clips.map((c) => `${c.id} ${c.sha256}`);
    expect(clips(again.stdout)).toEqual(clips(whole.stdout));
    const tmp: string[] = [];
    const walk = (d: string) => {
      for (const e of readdirSync(d)) {
        const p = join(d, e);
        if (statSync(p).isDirectory()) walk(p);
        else if (/\.tmp$/.test(e)) tmp.push(p);
      }
    };
    walk(cacheCut);
    expect(tmp).toEqual([]);
  }, 240_000);

  it('experiment writes the figure (SVG and PNG) and a report, and reuses finished runs', async () => {
    const dir = join(work, 'exp');
    const r = await timbre('experiment', 'kernel', '--epochs', '1', '--data', manifest, '--out', dir);
    expect(r.code, r.stderr).toBe(0);
    const report = readFileSync(join(dir, 'kernel', 'report.md'), 'utf8');
    expect(report).toContain('| lenet-5x5 · 64 mel |');
    expect(report).toContain('| lenet-3x8 · 64 mel |');
    expect(report).toMatch(/3×8 learns faster in the first epoch\*\* — our run (agrees|disagrees)/);
    const png = readFileSync(join(dir, 'kernel', 'accuracy.png'));
    expect([...png.subarray(1, 4)]).toEqual([80, 78, 71]);
    expect(readFileSync(join(dir, 'kernel', 'accuracy.svg'), 'utf8')).toContain('<svg');
    const again = await timbre('experiment', 'kernel', '--epochs', '1', '--data', manifest, '--out', dir);
    expect(again.code).toBe(0);
    expect(again.stderr).toContain('reusing the finished run');
  }, 240_000);

  it('experiment trains two configurations at once (worker threads) with the weights of one at a time', async () => {
    const both = join(work, 'exp-jobs2');
    const one = join(work, 'exp-jobs1');
    const a = await timbre(
      'experiment',
      'kernel',
      '--epochs',
      '1',
      '--jobs',
      '2',
      '--data',
      manifest,
      '--out',
      both,
    );
    expect(a.code, a.stderr).toBe(0);
    expect(a.stderr).toContain('2 trainings, 2 at a time');
    expect(a.stderr).toMatch(/\[lenet-3x8 · 64 mel\] +epoch +1\/1/);
    const b = await timbre(
      'experiment',
      'kernel',
      '--epochs',
      '1',
      '--jobs',
      '1',
      '--data',
      manifest,
      '--out',
      one,
    );
    expect(b.code, b.stderr).toBe(0);
    expect(b.stderr).not.toContain('at a time');
    for (const key of ['lenet-5x5-m64', 'lenet-3x8-m64']) {
      const w = (d: string) => readFileSync(join(d, 'runs', key, 'model', 'weights.bin'));
      expect(w(both).equals(w(one)), key).toBe(true);
    }
    const bad = await timbre('experiment', 'kernel', '--jobs', '0', '--data', manifest, '--out', one);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--jobs/);
  }, 240_000);

  it('usage mistakes exit 2 with one line; user errors exit 1 without a stack trace', async () => {
    const u = await timbre('train', '--model', 'resnet');
    expect(u.code).toBe(2);
    expect(u.stderr).toContain("argument 'resnet' is invalid");
    const x = await timbre('experiment', 'nonsense', '--data', manifest);
    expect(x.code).toBe(2);
    for (const args of [
      ['train', '--batch', '1e9'],
      ['train', '--workers', '9'],
      ['train', '--augment-threads', '9'],
      ['experiment', 'generalization', '--augment-threads', '-1'],
      ['train', '--lr', '1e300'],
      ['train', '--seed', 'NaN'],
      ['train', '--seed', ''],
      ['train', '--resume', '--overwrite', '--data', manifest],
      ['data', 'build', '--workers', 'abc'],
      ['predict', 'x.wav', '--hop', '0x3'],
    ]) {
      const r = await timbre(...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toMatch(/^error: .*(must be|contradict)/);
    }
    // The environment is read by the CLI only, checked like the flags it stands for.
    for (const [name, value, flag] of [
      ['TIMBRE_ENGINE', 'turbo', '--engine'],
      ['TIMBRE_BACKEND', 'gpu', '--backend'],
    ] as const) {
      const r = await timbreWith({ [name]: value }, 'predict', 'x.wav');
      expect(r.code, name).toBe(2);
      expect(r.stderr, name).toMatch(
        new RegExp(`^error: option '${flag} <name>' value '${value}' from env '${name}' is invalid`),
      );
    }
    const m = await timbre('eval', join(work, 'no-such-run'));
    expect(m.code).toBe(1);
    expect(m.stderr).toMatch(/^error: .*no-such-run/);
    expect(m.stderr).not.toContain('    at ');
  });

  it('reads only bounded regular files: FIFOs and devices refused at once, symlinks followed, loops reported', async () => {
    const { execFileSync } = await import('node:child_process');
    const { mkdirSync, symlinkSync } = await import('node:fs');
    const dir = join(work, 'odd-inputs');
    mkdirSync(join(dir, 'sub'), { recursive: true });
    wav16(join(dir, 'good.wav'), 1.5, 330, 0.1);
    symlinkSync('../good.wav', join(dir, 'sub', 'link.wav'));
    symlinkSync('loop-b.wav', join(dir, 'loop-a.wav'));
    symlinkSync('loop-a.wav', join(dir, 'loop-b.wav'));
    symlinkSync('..', join(dir, 'sub', 'up'));
    execFileSync('mkfifo', [join(work, 'pipe.wav')]);
    const model = join(work, 'run');
    const r = await timbre('--json', 'predict', dir, '/dev/zero', join(work, 'pipe.wav'), '--model', model);
    expect(r.code).toBe(1);
    const res = (
      JSON.parse(r.stdout) as { results: { file: string; error?: string; prediction?: unknown }[] }
    ).results;
    const by = (s: string) => res.find((x) => x.file.endsWith(s));
    expect(by('good.wav')?.prediction).toBeDefined();
    expect(by('link.wav')?.prediction).toBeDefined();
    expect(by('loop-a.wav')?.error).toBe('a symbolic link loop');
    expect(by('/dev/zero')?.error).toMatch(/not-a-file.*character device/);
    expect(by('pipe.wav')?.error).toMatch(/FIFO/);
    const big = await timbre('predict', join(dir, 'good.wav'), '--model', model, '--max-input-s', '1');
    expect(big.stdout).toMatch(/too-long.*1\.5 s of audio is over the 1 s input limit/);
    expect(r.stderr).not.toContain('    at ');
  });

  it('refuses a corrupted model folder with one line naming the file and the field', async () => {
    const { cpSync } = await import('node:fs');
    const good = join(work, 'run', 'model');
    const wav = join(work, 'corrupt-probe.wav');
    wav16(wav, 1, 440, 0.1);
    const cases: [string, (dir: string) => void, RegExp][] = [
      [
        'labels',
        (d) => {
          const m = JSON.parse(readFileSync(join(d, 'metadata.json'), 'utf8'));
          delete m.labels;
          writeFileSync(join(d, 'metadata.json'), JSON.stringify(m));
        },
        /metadata\.json: labels must be an array/,
      ],
      [
        'null metadata',
        (d) => writeFileSync(join(d, 'metadata.json'), 'null'),
        /the metadata must be a JSON object/,
      ],
      [
        'NaN weights',
        (d) => {
          const w = readFileSync(join(d, 'weights.bin'));
          w.writeFloatLE(Number.NaN, 16);
          writeFileSync(join(d, 'weights.bin'), w);
        },
        /non-finite value \(NaN\) at float 4/,
      ],
      [
        'topology',
        (d) => {
          const m = JSON.parse(readFileSync(join(d, 'model.json'), 'utf8'));
          m.modelTopology = { class_name: 'Nonsense' };
          writeFileSync(join(d, 'model.json'), JSON.stringify(m));
        },
        /the model does not load/,
      ],
    ];
    for (const [name, corrupt, message] of cases) {
      const dir = join(work, `corrupt-${name.replace(/\W/g, '-')}`);
      cpSync(good, dir, { recursive: true });
      corrupt(dir);
      const r = await timbre('predict', wav, '--model', dir);
      expect(r.code, name).toBe(1);
      expect(r.stderr, name).toMatch(message);
      expect(r.stderr, name).not.toContain('    at ');
      expect(r.stderr.trim().split('\n'), name).toHaveLength(1);
    }
  });
});
