import { OptionError, SplitError } from './errors.js';
import { type ClipRecord, isOriginalClip, type SplitInfo, type SplitName } from './manifest.js';
import { createRng, keyedSeed, shuffled } from './prng.js';

/**
 * - `random`: the paper's protocol, a stratified random draw per class. On the SoundFont corpus it leaks:
 *   the same recording (other velocity, neighbouring pitch from the same sample) lands in both sets.
 * - `by-pitch`: per class, whole pitches go to one side, so no instrument+pitch is in both sets. Clips made
 *   from one recorded note (shifted copies, later offsets) move together, assigned by the recording.
 * - `by-source`: leave whole source groups (recording families) out for testing — the honest number. The
 *   held-out groups are scored on their original clips only (see `isOriginalClip`: no pitch-shifted copy,
 *   no later offset), and only on the classes they have; training uses every clip of the other groups.
 * - `all`: every usable clip is for training and none for test (a final model trained on everything; its
 *   accuracy comes from the other protocols).
 */
export type SplitStrategy = 'random' | 'by-pitch' | 'by-source' | 'all';

/** Options of {@link assignSplits}. */
export interface SplitOptions {
  /** Default `'random'`. */
  strategy?: SplitStrategy;
  /** Any integer; default 0. Same seed + same clips → same split. */
  seed?: number;
  /**
   * Train clips per class (integer ≥ 1). Default: 200 for `random` (paper); all remaining clips for
   * `by-pitch` / `by-source`. A class with fewer usable clips than asked raises {@link SplitError}.
   */
  trainPerClass?: number;
  /** Test clips per class (integer ≥ 1). Default: 120 for `random`; see `testFraction` / `testGroups`. */
  testPerClass?: number;
  /** `by-pitch` without `testPerClass`: fraction of each class's clips (by whole pitches) for test, (0, 1); default 0.375. */
  testFraction?: number;
  /**
   * `by-source`: source groups held out for test. Default: `real` when that group exists (train on the
   * SoundFonts, test on the real recordings: the headline number); else, when exactly two groups exist,
   * the smaller one; otherwise required.
   */
  testGroups?: readonly string[];
}

/** Result of {@link assignSplits}. */
export interface SplitResult {
  /** New clip records (same order as the input) with `split` set. */
  clips: ClipRecord[];
  info: SplitInfo;
}

function positiveInt(name: string, v: number | undefined): number | undefined {
  if (v === undefined) return undefined;
  if (!Number.isInteger(v) || v < 1) throw new OptionError(name, 'an integer ≥ 1', v);
  return v;
}

/** Take `n` items or throw naming the class. */
function take<T>(items: T[], n: number | undefined, label: string, side: string, why: string): T[] {
  if (n === undefined) return items;
  if (items.length < n) {
    throw new SplitError(
      `class '${label}': ${side} needs ${n} clips but only ${items.length} are available (${why})`,
    );
  }
  return items.slice(0, n);
}

/**
 * Assign every clip to train, test or unused, stratified per class and deterministic from the seed.
 * Silent clips are always `unused`.
 * @throws {SplitError} fewer than 2 classes, a class with too few clips, a class with an empty side,
 *   `by-pitch` on clips without pitch, `by-source` with fewer than 2 groups or an unknown group.
 * @throws {OptionError} invalid sizes or fractions.
 */
export function assignSplits(clips: readonly ClipRecord[], options: SplitOptions = {}): SplitResult {
  const strategy = options.strategy ?? 'random';
  const seed = options.seed ?? 0;
  if (!Number.isInteger(seed)) throw new OptionError('seed', 'an integer', seed);
  let trainN = positiveInt('trainPerClass', options.trainPerClass);
  let testN = positiveInt('testPerClass', options.testPerClass);
  if (strategy === 'random') {
    trainN ??= 200;
    testN ??= 120;
  } else if (strategy !== 'by-pitch' && strategy !== 'by-source' && strategy !== 'all') {
    throw new OptionError('strategy', "'random', 'by-pitch', 'by-source' or 'all'", strategy);
  }
  const testFraction = options.testFraction ?? 0.375;
  if (!(testFraction > 0 && testFraction < 1))
    throw new OptionError('testFraction', 'a number in (0, 1)', testFraction);

  const byLabel = new Map<string, ClipRecord[]>();
  for (const c of clips) {
    if (c.silent) continue;
    const list = byLabel.get(c.label) ?? [];
    list.push(c);
    byLabel.set(c.label, list);
  }
  if (byLabel.size < 2) {
    throw new SplitError(`need at least 2 classes with usable (non-silent) clips, got ${byLabel.size}`);
  }

  let testGroups: string[] | null = null;
  if (strategy === 'by-source') {
    const groupCount = new Map<string, number>();
    for (const list of byLabel.values())
      for (const c of list) groupCount.set(c.sourceGroup, (groupCount.get(c.sourceGroup) ?? 0) + 1);
    if (groupCount.size < 2) {
      throw new SplitError(
        `by-source needs at least 2 source groups, got ${[...groupCount.keys()].join(', ') || 'none'}`,
      );
    }
    if (options.testGroups) {
      testGroups = [...options.testGroups];
      for (const g of testGroups) {
        if (!groupCount.has(g))
          throw new SplitError(`unknown source group '${g}' (have ${[...groupCount.keys()].join(', ')})`);
      }
      if (testGroups.length >= groupCount.size)
        throw new SplitError('testGroups holds out every source group; nothing left to train on');
    } else if (groupCount.has('real')) {
      testGroups = ['real'];
    } else if (groupCount.size === 2) {
      const sorted = [...groupCount.entries()].sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0]));
      testGroups = [sorted[0]![0]];
    } else {
      throw new SplitError(
        `by-source with ${groupCount.size} source groups needs testGroups (one of ${[...groupCount.keys()].join(', ')})`,
      );
    }
  }

  const assigned = new Map<string, SplitName>();
  const trainCounts: Record<string, number> = {};
  const testCounts: Record<string, number> = {};
  for (const label of [...byLabel.keys()].sort()) {
    const list = byLabel
      .get(label)!
      .slice()
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const rng = createRng(keyedSeed(seed, `${strategy}:${label}`));
    let train: ClipRecord[];
    let test: ClipRecord[];
    if (strategy === 'all') {
      train = take(shuffled(list, rng), trainN, label, 'train', 'usable clips');
      test = [];
    } else if (strategy === 'random') {
      const order = shuffled(list, rng);
      const need = trainN! + testN!;
      if (order.length < need) {
        throw new SplitError(
          `class '${label}' has ${order.length} usable clips, fewer than ${trainN} train + ${testN} test = ${need}`,
        );
      }
      train = order.slice(0, trainN);
      test = order.slice(trainN, need);
    } else if (strategy === 'by-pitch') {
      // Units kept on one side: a pitch, or for clips made from a recorded note, the whole recording.
      const recordingPitch = new Map<string, number>();
      for (const c of list)
        if (c.recording && isOriginalClip(c) && c.pitch !== null) recordingPitch.set(c.recording, c.pitch);
      const groups = new Map<number, ClipRecord[]>();
      for (const c of list) {
        const pitch = c.recording ? (recordingPitch.get(c.recording) ?? c.pitch) : c.pitch;
        if (pitch === null || pitch === undefined)
          throw new SplitError(`by-pitch: clip '${c.id}' (class '${label}') has no pitch`);
        const g = groups.get(pitch) ?? [];
        g.push(c);
        groups.set(pitch, g);
      }
      if (groups.size < 2)
        throw new SplitError(`by-pitch: class '${label}' has a single pitch; cannot keep pitches apart`);
      const pitches = shuffled(
        [...groups.keys()].sort((a, b) => a - b),
        rng,
      );
      const target = testN ?? Math.max(1, Math.round(list.length * testFraction));
      test = [];
      train = [];
      for (const [i, p] of pitches.entries()) {
        const g = groups.get(p)!;
        const lastForTrain = i === pitches.length - 1 && train.length === 0;
        if (test.length < target && !lastForTrain) test.push(...g);
        else train.push(...g);
      }
      train = take(shuffled(train, rng), trainN, label, 'train', 'after reserving whole pitches for test');
      test = take(shuffled(test, rng), testN, label, 'test', 'whole pitches');
    } else {
      const held = new Set(testGroups!);
      const order = shuffled(list, rng);
      train = take(
        order.filter((c) => !held.has(c.sourceGroup)),
        trainN,
        label,
        'train',
        'clips outside the held-out groups',
      );
      const heldOut = order.filter((c) => held.has(c.sourceGroup) && isOriginalClip(c));
      // A held-out group is scored on the classes it has: a class it lacks simply has no test clips.
      test =
        heldOut.length === 0 ? [] : take(heldOut, testN, label, 'test', `clips in ${testGroups!.join(', ')}`);
    }
    if (train.length === 0 || (test.length === 0 && strategy !== 'by-source' && strategy !== 'all')) {
      throw new SplitError(
        `class '${label}' would have ${train.length} train and ${test.length} test clips under ${strategy}`,
      );
    }
    for (const c of train) assigned.set(c.id, 'train');
    for (const c of test) assigned.set(c.id, 'test');
    trainCounts[label] = train.length;
    if (test.length > 0) testCounts[label] = test.length;
  }
  if (strategy === 'by-source' && Object.keys(testCounts).length === 0) {
    throw new SplitError(`by-source: the held-out groups ${testGroups!.join(', ')} have no usable clips`);
  }
  return {
    clips: clips.map((c) => ({ ...c, split: assigned.get(c.id) ?? 'unused' })),
    info: { strategy, seed, trainCounts, testCounts, testGroups },
  };
}
