import { spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';

/** Speed of one CPU: iterations of a fixed scalar loop per second, pinned to that CPU. */
export interface CoreSpeed {
  cpu: number;
  iterationsPerSecond: number;
}

// A dependent floating-point chain: its speed follows the core's clock and how much of it we get.
const LOOP =
  'const a=new Float64Array(1024).fill(1.0001);let n=0;const t=performance.now();' +
  'while(performance.now()-t<400){for(let i=0;i<1024;i++)a[i]=a[i]*0.99999+1e-5;n++}' +
  'process.stdout.write(String(n/((performance.now()-t)/1000)))';

/**
 * Measures each CPU with the loop pinned by `taskset` (util-linux), one CPU at a time, so a benchmark report
 * can say when a core of a shared host runs slow. Returns [] where `taskset` is unavailable.
 */
export function measureCoreSpeeds(): CoreSpeed[] {
  const out: CoreSpeed[] = [];
  for (let cpu = 0; cpu < availableParallelism(); cpu++) {
    const r = spawnSync('taskset', ['-c', String(cpu), process.execPath, '-e', LOOP], { encoding: 'utf8' });
    const v = Number(r.stdout);
    if (r.error || r.status !== 0 || !Number.isFinite(v)) return [];
    out.push({ cpu, iterationsPerSecond: v });
  }
  return out;
}
