// Build the default corpus (and, when @timbre/dsp is built, 64- and 128-band features); print timings.
// Usage: pnpm --filter @timbre/dataset run build-corpus [--cache DIR] [--workers N] [--no-features]
import * as dataset from '../dist/node.js';

const { buildCorpus, createLineReporter } = dataset;

const args = process.argv.slice(2);
const arg = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const cacheDir = arg('--cache');
const workers = arg('--workers') === undefined ? undefined : Number(arg('--workers'));
const onProgress = createLineReporter();

const t0 = performance.now();
const { manifest, summary } = await buildCorpus({ cacheDir, workers, onProgress });
const { failed, ...rest } = summary;
console.log(JSON.stringify({ ...rest, failed: failed.length }, null, 1));
if (failed.length > 0) console.log('failed:', failed.slice(0, 10));
if (!args.includes('--no-features')) {
  const t1 = performance.now();
  const res = await dataset.computeFeatures(manifest, { nMels: [64, 128], cacheDir, workers, onProgress });
  console.log('features', JSON.stringify(res, null, 1), `${((performance.now() - t1) / 1000).toFixed(1)} s`);
}
console.log(`total ${((performance.now() - t0) / 1000).toFixed(1)} s`);
