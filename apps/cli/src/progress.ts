import cliProgress from 'cli-progress';
import { isTTY, type Output } from './output.js';

/** One progress event from a long task: units done of total, with an optional phase name. */
export interface ProgressEvent {
  phase?: string;
  done: number;
  total: number;
}

/** A progress sink: a bar with ETA on a TTY, a plain line every ~10% (or 5 s) otherwise. */
export interface Progress {
  update(event: ProgressEvent): void;
  stop(): void;
}

/**
 * Creates a progress reporter for a named task. Silent with `--quiet` or `--json`.
 * @param out The CLI output (decides quiet/json).
 * @param label Short task name shown before the bar, e.g. `render`.
 */
export function createProgress(out: Output, label: string): Progress {
  if (out.options.quiet || out.options.json) return { update() {}, stop() {} };
  if (isTTY) {
    const bar = new cliProgress.SingleBar(
      {
        format: `${label.padEnd(10)} {bar} {percentage}% | {value}/{total} | {phase} | ETA {eta_formatted}`,
        stream: process.stderr,
        hideCursor: true,
        etaBuffer: 50,
      },
      cliProgress.Presets.shades_classic,
    );
    let started = false;
    return {
      update(e) {
        if (!started) {
          bar.start(e.total, e.done, { phase: e.phase ?? '' });
          started = true;
        }
        bar.setTotal(e.total);
        bar.update(e.done, { phase: e.phase ?? '' });
      },
      stop() {
        if (started) bar.stop();
      },
    };
  }
  let lastPct = -1;
  let lastTime = 0;
  const t0 = Date.now();
  return {
    update(e) {
      const p = e.total > 0 ? Math.floor((e.done / e.total) * 10) * 10 : 0;
      const now = Date.now();
      if (p !== lastPct || now - lastTime > 5000 || e.done === e.total) {
        if (p === lastPct && e.done === e.total && lastPct === 100) return;
        const elapsed = (now - t0) / 1000;
        const eta = e.done > 0 ? (elapsed / e.done) * (e.total - e.done) : Number.NaN;
        const phase = e.phase ? ` ${e.phase}` : '';
        process.stderr.write(
          `${label}:${phase} ${e.done}/${e.total} (${p}%)${Number.isFinite(eta) ? ` eta ${eta.toFixed(0)}s` : ''}\n`,
        );
        lastPct = p;
        lastTime = now;
      }
    },
    stop() {},
  };
}
