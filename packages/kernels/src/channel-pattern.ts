/** Internal: the period of a channels-last pattern in whole f32x4 vectors. */

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

/** Largest pattern (floats) the channel kernels accept; wider channel counts use the stock kernels. */
export const MAX_PATTERN_FLOATS = 4096;

/** lcm(c, 4): floats after which a [rows, c] tensor's channel pattern repeats in whole vectors. */
export function patternFloats(c: number): number {
  return (c * 4) / gcd(c, 4);
}
