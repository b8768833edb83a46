import { describe, expect, it } from 'vitest';
import { boto3WalkCalls, pagesOf } from '../../../scripts/bench/boto3-model.js';

describe('boto3WalkCalls (model of botocore PageIterator with PageSize 50)', () => {
  // Figures measured with boto3 1.26 against a local AppStream fake (see the issue).
  it.each([
    [137, false, 20, { requests: 7, calls: 8 }],
    [1000, false, 20, { requests: 50, calls: 60 }],
    [100, true, 50, { requests: 3, calls: 3 }],
    [1000, false, 50, { requests: 20, calls: 20 }],
    [1000, false, 100, { requests: 10, calls: 20 }],
  ] as const)(
    'walks %i sessions (empty trailing page: %s) %i at a time like boto3',
    (sessions, empty, first, expected) => {
      expect(boto3WalkCalls(pagesOf(sessions, empty), first)).toEqual(expected);
    },
  );

  it('reads an empty listing in one call', () => {
    expect(boto3WalkCalls(pagesOf(0), 20)).toEqual({ requests: 1, calls: 1 });
  });

  it('splits a listing into pages of 50', () => {
    expect(pagesOf(137)).toEqual([50, 50, 37]);
    expect(pagesOf(100, true)).toEqual([50, 50, 0]);
  });
});
