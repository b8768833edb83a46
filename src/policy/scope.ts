import { createHash } from 'node:crypto';
import type { AccessScope } from '../context.js';
import { UNRESTRICTED_SCOPE } from '../context.js';

/** The claim value that grants every stack. */
export const ALL_STACKS = '*';

/**
 * The scope of a caller who may see exactly `stackNames` (order and duplicates do not matter).
 *
 * `key` (the cache contract of {@link AccessScope}): `*` when the list holds `*`; `none` for an
 * empty list; otherwise `stacks:` followed by the base64url SHA-256 of the sorted, de-duplicated
 * names as a JSON array (its first 22 characters). It depends on the set of names only, never on who the
 * caller is or which token they sent, so it is the same in every process and replica, and two
 * callers with equal keys see exactly the same data.
 */
export function createStackScope(stackNames: readonly string[]): AccessScope {
  if (stackNames.includes(ALL_STACKS)) return UNRESTRICTED_SCOPE;
  const names = [...new Set(stackNames)].sort();
  const allowed = new Set(names);
  const key =
    names.length === 0
      ? 'none'
      : `stacks:${createHash('sha256').update(JSON.stringify(names)).digest('base64url').slice(0, 22)}`;
  return { key, canSeeStack: (name) => allowed.has(name) };
}

/** What a stacks claim grants, or why it grants nothing. */
export type ClaimScope =
  | { readonly scope: AccessScope; readonly problem?: undefined }
  | { readonly scope: AccessScope; readonly problem: string };

/**
 * Reads the stacks claim of a verified token: a JSON array of stack names, or one string of
 * names separated by spaces or commas (AppStream names contain neither); `*` grants every stack.
 * A missing or ill-typed claim grants nothing (never everything), with a `problem` to log.
 */
export function scopeFromClaim(claimName: string, value: unknown): ClaimScope {
  const none = (problem: string): ClaimScope => ({ scope: createStackScope([]), problem });
  if (value === undefined) {
    return none(`the token has no "${claimName}" claim, so the caller sees no stack`);
  }
  if (typeof value === 'string') {
    return { scope: createStackScope(value.split(/[\s,]+/).filter((name) => name !== '')) };
  }
  if (Array.isArray(value) && value.every((name): name is string => typeof name === 'string')) {
    return { scope: createStackScope(value) };
  }
  return none(
    `the token's "${claimName}" claim is not a list of stack names, so the caller sees no stack`,
  );
}
