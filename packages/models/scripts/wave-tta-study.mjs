#!/usr/bin/env node
// Test-time augmentation with the training's own waveform transforms: each held-out clip's probabilities
// averaged over the clean clip and K augmented copies (seeded), for the saved leave-one-group-out models of a
// recipe (seeds 0–2, every group). No training.
//   node packages/models/scripts/wave-tta-study.mjs <runs dir> [K] [recipe]
// (each run's manifest is the one its run.json names).
import { readFile } from 'node:fs/promises';
import { loadClipAudio, loadFeatureSet, readManifest } from '@timbre/dataset/node';
import {
  augmentWaveform,
  createExtractorFor,
  initBackend,
  loadModel,
  predictProbabilities,
  ROBUST_WAVE_AUGMENT,
  resolveWaveAugmentOptions,
} from '../dist/node.js';

const [runs, kArg, recipeArg] = process.argv.slice(2);
const K = Number(kArg ?? 8);
const recipe = recipeArg ?? 'robust-swad-wave';
await initBackend();
const opts = resolveWaveAugmentOptions(ROBUST_WAVE_AUGMENT);
for (const group of ['real', 'timgm', 'fluid']) {
  const plain = [];
  const tta = [];
  for (const seed of [0, 1, 2]) {
    const runDir = `${runs}/${recipe}-holdout-${group}-s${seed}`;
    const run = JSON.parse(await readFile(`${runDir}/run.json`, 'utf8'));
    const manifest = await readManifest(run.manifest);
    const { model, metadata } = await loadModel(`${runDir}/model`);
    const te = await loadFeatureSet(manifest, {
      nMels: metadata.nMels,
      split: 'test',
      dsp: { topDb: metadata.dsp.topDb },
    });
    const audio = await loadClipAudio(manifest, te.ids);
    const ex = await createExtractorFor(metadata.dsp);
    const L = metadata.labels.length;
    const sum = predictProbabilities(model, te);
    const per = te.nFrames * te.nMels;
    const n = te.y.length;
    const aug = new Float32Array(audio.clipSamples);
    for (let k = 0; k < K; k++) {
      const x = new Float32Array(n * per);
      for (let i = 0; i < n; i++) {
        const clip = audio.samples.subarray(i * audio.clipSamples, (i + 1) * audio.clipSamples);
        augmentWaveform(clip, audio.sampleRate, opts, 900001 * (k + 1) + i, aug);
        ex.compute(aug, x.subarray(i * per, (i + 1) * per));
      }
      const p = predictProbabilities(model, { ...te, x });
      for (let j = 0; j < sum.length; j++) sum[j] += p[j];
    }
    const acc = (probs) => {
      let ok = 0;
      for (let i = 0; i < n; i++) {
        let arg = 0;
        for (let c = 1; c < L; c++) if (probs[i * L + c] > probs[i * L + arg]) arg = c;
        if (arg === te.y[i]) ok++;
      }
      return (100 * ok) / n;
    };
    plain.push(acc(predictProbabilities(model, te)));
    tta.push(acc(sum));
    ex.dispose();
    model.dispose();
  }
  const f = (v) => v.map((a) => a.toFixed(1)).join(' / ');
  console.log(`${group}: single ${f(plain)}  ·  clean + ${K} augmented ${f(tta)}`);
}
