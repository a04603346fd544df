import { createLogMelExtractor } from '@timbre/dsp';
import { augmentWaveform, resolveWaveAugmentOptions } from '../dist/augment-audio.js';

const x = new Float32Array(44100);
for (let i = 0; i < x.length; i++) x[i] = Math.sin(i * 0.05) * Math.exp(-i / 20000);
const all = resolveWaveAugmentOptions({
  probability: 1,
  jitterS: 0.05,
  pitchSemitones: 1,
  eqDb: 9,
  tiltDb: 3,
  lowpassMinHz: 4000,
  reverbS: 1,
  noiseSnrDb: 20,
  clipDrive: 3,
});
for (const k of [
  'jitterS',
  'pitchSemitones',
  'eqDb',
  'tiltDb',
  'lowpassMinHz',
  'reverbS',
  'noiseSnrDb',
  'clipDrive',
  'all',
]) {
  const o = k === 'all' ? all : resolveWaveAugmentOptions({ probability: 1, [k]: all[k] });
  for (let i = 0; i < 50; i++) augmentWaveform(x, 44100, o, i);
  const t = performance.now();
  for (let i = 0; i < 200; i++) augmentWaveform(x, 44100, o, i);
  console.log(k, ((performance.now() - t) / 200).toFixed(3), 'ms');
}
const ex = await createLogMelExtractor({ sampleRate: 44100, nMels: 64, frames: 80 });
for (let i = 0; i < 100; i++) ex.compute(x);
const t = performance.now();
for (let i = 0; i < 500; i++) ex.compute(x);
console.log('dsp', ((performance.now() - t) / 500).toFixed(3), 'ms', ex.implementation);
