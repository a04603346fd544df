/** A progress report from a long-running operation. */
export interface ProgressEvent {
  /** What is running: `'verify'` (checking cached clips), `'render'`, `'import'` (decode+trim files), `'features'`. */
  phase: 'verify' | 'render' | 'import' | 'features';
  /** Items finished so far (0..total). */
  done: number;
  /** Items in this phase. */
  total: number;
  /** Estimated seconds left in this phase (null until it can be estimated). */
  etaS: number | null;
}

/** Progress callback. */
export type ProgressCallback = (event: ProgressEvent) => void;

/** Tracks done/total for one phase and computes an ETA from the elapsed rate. */
export class ProgressTracker {
  readonly #phase: ProgressEvent['phase'];
  readonly #total: number;
  readonly #cb: ProgressCallback | undefined;
  readonly #start = performance.now();
  #done = 0;

  constructor(phase: ProgressEvent['phase'], total: number, cb?: ProgressCallback) {
    this.#phase = phase;
    this.#total = total;
    this.#cb = cb;
    cb?.({ phase, done: 0, total, etaS: null });
  }

  /** Add `n` finished items and report. */
  add(n: number): void {
    this.#done += n;
    if (!this.#cb) return;
    const elapsed = (performance.now() - this.#start) / 1000;
    const etaS = this.#done > 0 ? (elapsed / this.#done) * (this.#total - this.#done) : null;
    this.#cb({ phase: this.#phase, done: this.#done, total: this.#total, etaS });
  }
}

/**
 * A plain-lines reporter for non-TTY output: one line per phase start, then at most one line per 10%.
 * @param write Line sink; default `console.error`.
 */
export function createLineReporter(
  write: (line: string) => void = (l) => console.error(l),
): ProgressCallback {
  const last = new Map<string, number>();
  return (e) => {
    const pct = e.total === 0 ? 100 : Math.floor((100 * e.done) / e.total);
    const step = Math.floor(pct / 10);
    if (last.get(e.phase) === step && e.done !== e.total) return;
    last.set(e.phase, step);
    const eta = e.etaS === null ? '' : ` eta ${e.etaS.toFixed(0)}s`;
    write(`${e.phase}: ${e.done}/${e.total} (${pct}%)${eta}`);
  };
}
