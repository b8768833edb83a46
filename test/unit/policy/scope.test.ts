import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { seesEveryStack, seesNoStack, UNRESTRICTED_SCOPE } from '../../../src/context.js';
import { createStackScope, scopeFromClaim } from '../../../src/policy/scope.js';

describe('createStackScope', () => {
  it('keys an allow-list by its set of names: order and duplicates do not matter', () => {
    const scope = createStackScope(['b', 'a', 'b']);
    expect(scope.key).toBe(createStackScope(['a', 'b']).key);
    expect(scope.key).toMatch(/^stacks:[A-Za-z0-9_-]{22}$/);
    expect(scope.key).not.toBe(createStackScope(['a']).key);
    expect(createStackScope(['engineering-desktops']).key).not.toContain('engineering');
    expect([scope.canSeeStack('a'), scope.canSeeStack('b'), scope.canSeeStack('c')]).toEqual([
      true,
      true,
      false,
    ]);
    expect(seesEveryStack(scope)).toBe(false);
  });

  it('is stable across processes: the key of a list is a fixed function of the names', () => {
    const sha = createHash('sha256').update('["a-stack","b-stack"]').digest('base64url');
    expect(createStackScope(['b-stack', 'a-stack']).key).toBe(`stacks:${sha.slice(0, 22)}`);
  });

  it('maps "*" to the unrestricted scope and an empty list to "none"', () => {
    expect(createStackScope(['a', '*'])).toBe(UNRESTRICTED_SCOPE);
    expect(seesEveryStack(UNRESTRICTED_SCOPE)).toBe(true);
    const none = createStackScope([]);
    expect(none.key).toBe('none');
    expect(none.canSeeStack('a')).toBe(false);
    expect(seesNoStack(none)).toBe(true);
    expect(seesNoStack(createStackScope(['a']))).toBe(false);
  });
});

describe('scopeFromClaim', () => {
  it('reads a list, a space- or comma-separated string, and "*"', () => {
    expect(scopeFromClaim('c', ['a', 'b']).scope.key).toBe(createStackScope(['a', 'b']).key);
    expect(scopeFromClaim('c', 'a b').scope.key).toBe(createStackScope(['a', 'b']).key);
    expect(scopeFromClaim('c', 'a,b').scope.key).toBe(createStackScope(['a', 'b']).key);
    expect(scopeFromClaim('c', '*').scope).toBe(UNRESTRICTED_SCOPE);
    expect(scopeFromClaim('c', ['*']).problem).toBeUndefined();
  });

  it('grants nothing, with a reason, for a missing or ill-typed claim', () => {
    expect(scopeFromClaim('appstream_stacks', undefined)).toEqual({
      scope: expect.objectContaining({ key: 'none' }),
      problem: 'the token has no "appstream_stacks" claim, so the caller sees no stack',
    });
    for (const value of [7, { a: true }, ['a', 7], null]) {
      const { scope, problem } = scopeFromClaim('c', value);
      expect(scope.key).toBe('none');
      expect(problem).toContain('not a list of stack names');
    }
  });
});
