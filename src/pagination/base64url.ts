const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const BASE64URL = /^[A-Za-z0-9_-]*$/;

/** Encodes text (as UTF-8) in unpadded base64url (RFC 4648 §5). */
export function toBase64Url(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let out = '';
  for (let k = 0; k < bytes.length; k += 3) {
    const chunk = ((bytes[k] ?? 0) << 16) | ((bytes[k + 1] ?? 0) << 8) | (bytes[k + 2] ?? 0);
    const chars = Math.min(4, bytes.length - k + 1);
    for (let c = 0; c < chars; c++) out += ALPHABET.charAt((chunk >> (18 - 6 * c)) & 63);
  }
  return out;
}

/**
 * Decodes unpadded base64url to text, or returns null when the input is not the canonical
 * encoding of valid UTF-8 (stray characters, impossible length, non-zero trailing bits,
 * invalid UTF-8). Canonical means every distinct input string decodes to distinct text, so a
 * flipped character can never decode to the same cursor.
 */
export function fromBase64Url(text: string): string | null {
  if (!BASE64URL.test(text) || text.length % 4 === 1) return null;
  const bytes: number[] = [];
  let acc = 0;
  let bits = 0;
  for (const ch of text) {
    acc = (acc << 6) | ALPHABET.indexOf(ch);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      bytes.push((acc >> bits) & 0xff);
    }
    acc &= (1 << bits) - 1;
  }
  if (acc !== 0) return null;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(bytes));
  } catch {
    return null;
  }
}
