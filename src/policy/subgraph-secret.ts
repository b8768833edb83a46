import { createHash, timingSafeEqual } from 'node:crypto';

/** The header a router sends the subgraph secret in. */
export const SUBGRAPH_SECRET_HEADER = 'x-subgraph-secret';

const digest = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();

/**
 * Returns a check of the subgraph's shared secret: true only when `presented` equals `secret`.
 * Both sides are hashed to equal-length SHA-256 digests and compared with
 * `crypto.timingSafeEqual`, so the time taken reveals neither the secret's content nor its
 * length. A missing header never matches.
 */
export function createSharedSecretCheck(
  secret: string,
): (presented: string | undefined) => boolean {
  const expected = digest(secret);
  return (presented) => presented !== undefined && timingSafeEqual(digest(presented), expected);
}
