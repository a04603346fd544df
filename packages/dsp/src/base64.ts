/** Decodes base64 (standard alphabet) to bytes; works in Node ≥ 16, browsers and workers. @internal */
export function decodeBase64(text: string): Uint8Array {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
