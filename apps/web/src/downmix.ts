/**
 * Mono mix of channels: the mean of the channels, sample by sample.
 *
 * @param channels One Float32Array per channel, all of the same length; at least one.
 * @throws {RangeError} for no channels or channels of different lengths.
 */
export function downmix(channels: readonly Float32Array[]): Float32Array {
  const first = channels[0];
  if (!first) throw new RangeError('audio has no channels');
  if (channels.some((ch) => ch.length !== first.length)) {
    throw new RangeError('channels have different lengths');
  }
  if (channels.length === 1) return first.slice();
  const out = new Float32Array(first.length);
  for (const ch of channels) for (let i = 0; i < out.length; i++) out[i] = out[i]! + ch[i]!;
  const g = 1 / channels.length;
  for (let i = 0; i < out.length; i++) out[i]! *= g;
  return out;
}
