const FNV_OFFSET_BASIS = 0xcbf29ce484222325n;
const FNV_PRIME = 0x100000001b3n;
const MASK_64 = 0xffffffffffffffffn;

/**
 * FNV-1a 64-bit hash of the UTF-8 bytes of `data`, as 16 lowercase hex digits.
 *
 * Keyless and pure: it detects accidental or naive edits of a cursor, not a forger who knows the
 * algorithm. Inject a keyed `checksum` (an HMAC) into `createCursorCodec` when that matters.
 */
export function fnv1a64(data: string): string {
  let hash = FNV_OFFSET_BASIS;
  for (const byte of new TextEncoder().encode(data)) {
    hash ^= BigInt(byte);
    hash = (hash * FNV_PRIME) & MASK_64;
  }
  return hash.toString(16).padStart(16, '0');
}
