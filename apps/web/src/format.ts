/** A probability as a percentage with one decimal, e.g. '87.5%'. */
export function percent(p: number): string {
  return `${(Math.min(1, Math.max(0, p)) * 100).toFixed(1)}%`;
}

/** Milliseconds, rounded: '12 ms', '1.23 s' from one second up. */
export function duration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`;
}

/** Seconds with one decimal, e.g. '1.5 s'. */
export function seconds(s: number): string {
  return `${s.toFixed(1)} s`;
}

/** A label for display: 'french-horn' → 'French horn'. */
export function displayLabel(label: string): string {
  const words = label.replace(/[-_]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}
