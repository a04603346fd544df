import {
  bestAccuracy,
  type ClaimVerdict,
  configName,
  type Experiment,
  finalAccuracy,
  type RunSummary,
} from './experiments.js';

const pp = (x: number) => (Number.isFinite(x) ? `${(x * 100).toFixed(1)}%` : '—');

/**
 * The markdown report of one experiment: a table of the compared configurations and, for each of the
 * paper's claims, whether our runs agree.
 * @param exp The experiment.
 * @param runs Its finished runs, in the order of `exp.configs`.
 * @param figure File name of the figure (relative to the report), embedded as an image.
 * @param epochs Epochs each configuration trained for.
 */
export function experimentReport(
  exp: Experiment,
  runs: readonly RunSummary[],
  figure: string,
  epochs: number,
): string {
  const lines: string[] = [];
  lines.push(`# ${exp.section} — ${exp.title}`, '');
  lines.push(`Each configuration trained for ${epochs} epochs. Curves: solid = test, dashed = train.`, '');
  lines.push(`![accuracy per epoch](${figure})`, '');
  lines.push(
    '| configuration | final test acc. (mean of last 3 epochs) | last epoch | best | epoch of best | s/epoch | backend |',
  );
  lines.push('|---|---:|---:|---:|---:|---:|---|');
  for (const r of runs) {
    const best = bestAccuracy(r);
    const last = r.history.at(-1)?.testAccuracy ?? Number.NaN;
    lines.push(
      `| ${configName(r.config)} | ${pp(finalAccuracy(r))} | ${pp(last)} | ${pp(best.accuracy)} | ${best.epoch} | ${r.secondsPerEpoch.toFixed(2)} | ${r.backend} |`,
    );
  }
  lines.push('');
  const claims = exp.claims(runs);
  lines.push("## The paper's claims");
  lines.push('');
  if (claims.length === 0) {
    lines.push(
      'The paper states no verdict for this comparison that we check; the table above is the result.',
    );
  } else {
    lines.push(...claimLines(claims));
  }
  lines.push('');
  return lines.join('\n');
}

/** Markdown bullet lines, one per claim: agrees / disagrees and the evidence. */
export function claimLines(claims: readonly ClaimVerdict[]): string[] {
  return claims.map(
    (c) => `- **${c.claim}** — ${c.agrees ? 'our run agrees' : 'our run disagrees'}: ${c.evidence}.`,
  );
}
