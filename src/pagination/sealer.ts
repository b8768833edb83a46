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
 * - `digest(data)` is a short collision-resistant fingerprint of `data`, the same under every
 *   key, for what a sealed payload must match without carrying it in full.
 */
export interface Sealer {
  seal(plaintext: string, context: string): string;
  open(token: string, context: string): string | null;
  digest(data: string): string;
}
