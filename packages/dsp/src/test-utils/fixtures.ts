// Test helpers: librosa golden fixtures (test-fixtures/librosa, see PROVENANCE.md) and array comparison.
import { readFileSync } from 'node:fs';
import { SIGNALS } from '../../test-fixtures/librosa/signals.mjs';

const ROOT = new URL('../../test-fixtures/librosa/', import.meta.url);

/** The fixture signals copied into this package. */
export const FIXTURE_SIGNALS = ['sine440', 'chirp', 'noise', 'clicks', 'quiet_sine', 'silence'] as const;
export type FixtureSignal = (typeof FIXTURE_SIGNALS)[number];

/** Regenerates a fixture signal (44100 float32 samples at 44.1 kHz). */
export function fixtureSignal(name: FixtureSignal): Float32Array {
  const make = SIGNALS[name];
  if (!make) throw new Error(`unknown signal ${name}`);
  return make();
}

/** Reads a raw little-endian float32 fixture file. */
export function readF32(relative: string): Float32Array {
  const bytes = readFileSync(new URL(relative, ROOT));
  const out = new Float32Array(bytes.byteLength / 4);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i < out.length; i++) out[i] = view.getFloat32(i * 4, true);
  return out;
}

/** librosa's [bands][frames] array as frame-major [frames][bands]. */
export function toFrameMajor(bandMajor: Float32Array, bands: number): Float32Array {
  const frames = bandMajor.length / bands;
  const out = new Float32Array(bandMajor.length);
  for (let b = 0; b < bands; b++)
    for (let t = 0; t < frames; t++) out[t * bands + b] = bandMajor[b * frames + t]!;
  return out;
}

/** Fixture array, frame-major: `kind` is 'power' | 'db_top80' | 'db_nolimit'. */
export function melFixture(
  signal: FixtureSignal,
  nMels: 64 | 128,
  center: boolean,
  kind: 'power' | 'db_top80' | 'db_nolimit',
): Float32Array {
  return toFrameMajor(readF32(`${signal}/center_${center}/mel${nMels}_${kind}.f32`), nMels);
}

/** Largest absolute difference. */
export function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} vs ${b.length}`);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

/**
 * The README's float32 power tolerance: |a − e| ≤ absFrac·max(e) everywhere, and relative error ≤ rel where
 * e > absFrac·max(e). Returns the worst of each for the assertion message.
 */
export function powerErrors(
  actual: Float32Array,
  expected: Float32Array,
  absFrac = 1e-6,
): { maxAbsOverMax: number; maxRelAbove: number } {
  if (actual.length !== expected.length) throw new Error(`length ${actual.length} vs ${expected.length}`);
  let peak = 0;
  for (const v of expected) peak = Math.max(peak, v);
  let maxAbs = 0;
  let maxRel = 0;
  for (let i = 0; i < expected.length; i++) {
    const e = expected[i]!;
    const d = Math.abs(actual[i]! - e);
    maxAbs = Math.max(maxAbs, d);
    if (e > absFrac * peak) maxRel = Math.max(maxRel, d / e);
  }
  return { maxAbsOverMax: peak > 0 ? maxAbs / peak : maxAbs, maxRelAbove: maxRel };
}
