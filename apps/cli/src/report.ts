import { relative } from 'node:path';
import type { TrainingRecipe } from '@timbre/models/names';
import {
  bestAccuracy,
  type ClaimVerdict,
  configName,
  type Experiment,
  finalAccuracy,
  type RunSummary,
} from './experiments.js';

import { pct } from './output.js';
import type { TrainRunResult } from './run-training.js';

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

/** One evaluation of the main job: its training run and how many clips it trained on. */
export interface MainJobEvaluation {
  run: TrainRunResult;
  trainClips: number;
}

/** A classified held-out clip of the main job. */
export interface MainJobExample {
  clip: string;
  truth: string;
  predicted: string;
  probability: number;
  /** The top 3, as text. */
  top: string;
}

/** Everything `timbre start` reports, by name. */
export interface MainJobArtifacts {
  /** The job's folder (pictures are linked relative to it). */
  outDir: string;
  preset: string;
  nMels: number;
  seed: number;
  minutes: number;
  /** The recipe of the fonts → real headline. */
  recipe: TrainingRecipe;
  /** Classes the real recordings cover. */
  realClasses: readonly string[];
  randomSplit: MainJobEvaluation;
  fontsToReal: MainJobEvaluation;
  fontsToRealPaper: MainJobEvaluation;
  examples: readonly MainJobExample[];
}

/** The markdown report of `timbre start`. */
export function mainJobReport(a: MainJobArtifacts): string {
  const rel = (p: string | undefined) => (p ? relative(a.outDir, p) : '');
  const row = (what: string, recipe: string, e: MainJobEvaluation, bold = false) => {
    const acc = pct(e.run.record.testAccuracy);
    return `| ${bold ? `**${what}**` : what} | ${recipe} | ${e.trainClips} | ${e.run.evaluation?.n ?? '?'} | ${e.run.record.completedEpochs} | ${bold ? `**${acc}**` : acc} | ${e.run.record.secondsPerEpoch.toFixed(2)} |`;
  };
  const pictures = (e: MainJobEvaluation, what: string) =>
    `![${what} curve](${rel(e.run.pictures.curve.png)}) ![${what} confusion](${rel(e.run.pictures.confusion?.png)})`;
  return [
    '# timbre — main job report',
    '',
    `${a.preset} on ${a.nMels}-band log-mel (64×80), seed ${a.seed}, backend ${a.randomSplit.run.record.backend}; wall time ${a.minutes.toFixed(1)} min.`,
    '',
    '| evaluation | recipe | train clips | test clips | epochs | test accuracy | s/epoch |',
    '|---|---|---:|---:|---:|---:|---:|',
    row("random split (the paper's protocol)", 'paper', a.randomSplit),
    row('train on the SoundFonts, test on the real recordings', a.recipe.name, a.fontsToReal, true),
    row("same, the paper's recipe", 'paper', a.fontsToRealPaper),
    '',
    `The real recordings (tonejs-instrument-* packages, VSCO 2 samples, CC-BY 3.0) cover ${a.realClasses.length} of the 14`,
    `classes (${a.realClasses.join(', ')}); they are scored on their original onset clips only, and the`,
    'model still chooses among all 14. The random split puts other velocities of the same recordings in',
    'train and test, so it overstates accuracy on new recordings; the fonts → real number is the honest one.',
    `Recipe '${a.recipe.name}': ${a.recipe.description}.`,
    '',
    '## Curves and confusion matrices',
    '',
    pictures(a.randomSplit, 'random split'),
    '',
    pictures(a.fontsToReal, 'fonts → real'),
    '',
    '## Example predictions (held-out clips, random-split model)',
    '',
    '| clip | true | top 3 |',
    '|---|---|---|',
    ...a.examples.map((e) => `| ${e.clip} | ${e.truth} | ${e.top} |`),
    '',
  ].join('\n');
}
