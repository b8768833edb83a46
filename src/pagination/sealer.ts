/**
 * Deterministic authenticated encryption of text, injected from outside this pure core (the
 * gateway uses AES-256-GCM with a synthetic IV, `src/policy/sealing.ts`). Cursors and global ids
 * are sealed with it, so that nobody without the key can read them, alter them or make one.
 *
 * Contract:
 * - `seal(plaintext, context)` returns unpadded base64url (never empty), and the same token for
 *   the same key, context and plaintext in every process: replicas sharing a key issue equal ids.
 *   A token reveals the length of its plaintext and whether two tokens seal the same plaintext,
 *   nothing else.
 * - `open(token, context)` returns the plaintext exactly when `token` is, character for character,
 *   what `seal(plaintext, context)` returned with the current key or with a key still accepted
 *   during a rotation; otherwise null (altered, truncated, another key, another context, another
 *   spelling of the same bytes), never an exception.
 * - `sealIndexed(plaintext, context, count)` seals `plaintext` once for `count` holders (at most
 *   {@link MAX_INDEXED_HOLDERS}): `count` URL-safe tokens, the k-th being `seal(plaintext)`, `.`,
 *   `k` in decimal, `.`, and a short tag binding `k` to that sealed body under the key. Sealing
 *   once and tagging many is what makes a page of cursors cheap; a holder can neither read the
 *   body nor change its index.
 * - `openIndexed(token, context)` returns the plaintext and the index exactly when `token` is
 *   one of the tokens `sealIndexed` returned (current key, or a key still accepted during a
 *   rotation); otherwise null, never an exception.
 * - `digest(data)` is a short collision-resistant fingerprint of `data` (base64url), the same
 *   under every key, for what a sealed payload must match without carrying it in full.
 */
export interface Sealer {
  seal(plaintext: string, context: string): string;
  open(token: string, context: string): string | null;
  sealIndexed(plaintext: string, context: string, count: number): string[];
  openIndexed(token: string, context: string): { plaintext: string; index: number } | null;
  digest(data: string): string;
}

/** Most holders of one {@link Sealer.sealIndexed} call. */
export const MAX_INDEXED_HOLDERS = 1000;
