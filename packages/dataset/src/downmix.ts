/**
 * Mono mix of channels: the mean of the channels, sample by sample (a shorter channel counts as silence
 * past its end). One channel is returned as is (not copied); no channels give an empty array.
 * @param channelData One Float32Array per channel; the first sets the length.
 */
export function downmix(channelData: readonly Float32Array[]): Float32Array {
  const first = channelData[0];
  if (!first) return new Float32Array(0);
  if (channelData.length === 1) return first;
  const out = new Float32Array(first.length);
  for (const ch of channelData) for (let i = 0; i < out.length; i++) out[i]! += ch[i] ?? 0;
  const k = 1 / channelData.length;
  for (let i = 0; i < out.length; i++) out[i]! *= k;
  return out;
}
