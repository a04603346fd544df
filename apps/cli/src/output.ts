import pc from 'picocolors';

/** How the CLI writes to the terminal, decided once from the global flags and the environment. */
export interface OutputOptions {
  /** Print machine-readable JSON on stdout instead of tables. */
  json: boolean;
  /** Suppress progress and informational lines (errors still go to stderr). */
  quiet: boolean;
  /** Show stack traces for errors. */
  verbose: boolean;
}

/** True when stderr is an interactive terminal (progress bars are drawn only then). */
export const isTTY: boolean = Boolean(process.stderr.isTTY);

/**
 * Colors are on only for a TTY without `NO_COLOR` (picocolors also honours `NO_COLOR`/`FORCE_COLOR`).
 */
export const colors = pc.createColors(pc.isColorSupported && isTTY && !process.env.NO_COLOR);

/** The CLI's writer: info lines go to stderr (so stdout stays clean for results and `--json`). */
export class Output {
  constructor(readonly options: OutputOptions) {}

  /** An informational line on stderr, unless `--quiet` or `--json`. */
  info(message: string): void {
    if (!this.options.quiet && !this.options.json) process.stderr.write(`${message}\n`);
  }

  /** A warning on stderr (shown even with `--json`, hidden with `--quiet`). */
  warn(message: string): void {
    if (!this.options.quiet) process.stderr.write(`${colors.yellow('warning:')} ${message}\n`);
  }

  /** A result for humans on stdout (tables, summaries); skipped in `--json` mode. */
  result(text: string): void {
    if (!this.options.json) process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
  }

  /** A machine-readable result on stdout, only in `--json` mode. */
  json(value: unknown): void {
    if (this.options.json) process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
  }
}

/**
 * Formats rows as an aligned plain-text table.
 * @param header Column titles.
 * @param rows Cells, already formatted as strings.
 * @param align Per column: 'l' left or 'r' right (default right for all but the first).
 */
export function table(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  align?: readonly ('l' | 'r')[],
): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const al = (i: number): 'l' | 'r' => align?.[i] ?? (i === 0 ? 'l' : 'r');
  const fmt = (cells: readonly string[]) =>
    cells
      .map((c, i) => (al(i) === 'l' ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [fmt(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(fmt)].join('\n');
}

/** Formats a fraction in [0, 1] as a percentage with one decimal, e.g. `97.3%`. */
export function pct(x: number): string {
  return `${(x * 100).toFixed(1)}%`;
}
