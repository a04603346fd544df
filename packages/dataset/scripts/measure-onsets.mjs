// Onset accuracy of linear vs log power derivative on the built-in fonts (see README "Trimming").
// Usage: pnpm --filter @timbre/dataset run measure-onsets [notesPerInstrument] [frameMs]
import { measureOnsets } from '../dist/node.js';

const notesPerInstrument = Number(process.argv[2] ?? 20);
const frameMs = Number(process.argv[3] ?? 10);
const t0 = performance.now();
const reports = await measureOnsets({ notesPerInstrument, frameMs });
const pct = (x) => `${(100 * x).toFixed(1)}%`;
console.log(`frame ${frameMs} ms, tolerance 50 ms, ${notesPerInstrument} notes per instrument per font`);
console.log(
  'source                  notes  linear≤50ms  linear>250ms  linear-median  log≤50ms  log>250ms  log-median',
);
for (const r of reports) {
  console.log(
    `${r.source.padEnd(24)}${String(r.notes).padStart(5)}  ${pct(r.linear.withinTolerance).padStart(11)}  ${pct(r.linear.lateOver250ms).padStart(12)}  ${`${(r.linear.medianErrorS * 1000).toFixed(0)} ms`.padStart(13)}  ${pct(r.log.withinTolerance).padStart(8)}  ${pct(r.log.lateOver250ms).padStart(9)}  ${`${(r.log.medianErrorS * 1000).toFixed(0)} ms`.padStart(10)}`,
  );
}
console.log(`${((performance.now() - t0) / 1000).toFixed(1)} s`);
