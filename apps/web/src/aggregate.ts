/** A class and its probability. */
export interface LabelProbability {
  label: string;
  /** In [0, 1]. */
  probability: number;
}

/**
 * The `k` most probable classes, most probable first (ties keep label order).
 *
 * @param probs One probability per label.
 */
export function topK(probs: ArrayLike<number>, labels: readonly string[], k: number): LabelProbability[] {
  return Array.from(labels, (label, i) => ({ label, probability: probs[i]! }))
    .sort((a, b) => b.probability - a.probability)
    .slice(0, Math.max(0, k));
}

/**
 * Mean of per-window probability rows (how the CLI combines windows).
 *
 * @param probs Row-major [n][classes].
 * @throws {RangeError} when `probs` is empty or not a whole number of rows.
 */
export function meanRows(probs: Float32Array, classes: number): number[] {
  if (classes < 1 || probs.length === 0 || probs.length % classes !== 0) {
    throw new RangeError(`probabilities length ${probs.length} is not a positive multiple of ${classes}`);
  }
  const n = probs.length / classes;
  const mean = new Array<number>(classes).fill(0);
  for (let w = 0; w < n; w++) for (let c = 0; c < classes; c++) mean[c]! += probs[w * classes + c]! / n;
  return mean;
}
