import { describe, expect, it } from 'vitest';
import { ErrorCode, GatewayError } from '../../../src/errors.js';
import {
  DESCRIBE_BATCH_SIZE,
  createDescribeLoader,
  createListPageLoader,
  createNameListLoader,
} from '../../../src/loaders/describe.js';
import type { UpstreamPage } from '../../../src/upstream/types.js';

interface Rec {
  readonly name: string;
  readonly size: number;
}

type Call = [names: string[] | null, token: string | null];

const rec = (name: string): Rec => ({ name, size: name.length });

/**
 * A recording fake of DescribeStacks/DescribeFleets over `known` records: pages of `pageSize`
 * (tokens are `t<offset>`), `NOT_FOUND` for the whole call when any asked name is unknown, and
 * `fail(names)` to throw something else instead.
 */
function recordingDescribe(
  known: readonly Rec[],
  options: {
    pageSize?: number;
    fail?: (names: readonly string[] | null) => Error | undefined;
  } = {},
) {
  const calls: Call[] = [];
  const pageSize = options.pageSize ?? 1000;
  const describe = (
    names: readonly string[] | null,
    token: string | null,
  ): Promise<UpstreamPage<Rec>> => {
    calls.push([names === null ? null : [...names], token]);
    const failure = options.fail?.(names);
    if (failure !== undefined) return Promise.reject(failure);
    if (names !== null) {
      const unknown = names.find((name) => !known.some((record) => record.name === name));
      if (unknown !== undefined) {
        return Promise.reject(
          new GatewayError(ErrorCode.NOT_FOUND, `AppStream found no stack "${unknown}".`),
        );
      }
    }
    // AppStream answers in its own order, not the order of the names asked for.
    const matching = [...known]
      .filter((record) => names === null || names.includes(record.name))
      .reverse();
    const offset = token === null ? 0 : Number(token.slice(1));
    const end = offset + pageSize;
    return Promise.resolve({
      items: matching.slice(offset, end),
      nextToken: end < matching.length ? `t${end}` : null,
    });
  };
  return { describe, calls };
}

const throttled = new GatewayError(ErrorCode.UPSTREAM_THROTTLED, 'AppStream throttled.');

/** Settles every promise, so that a test can compare fulfilled and rejected keys at once. */
async function settle<T>(promises: readonly Promise<T>[]) {
  const results = await Promise.allSettled(promises);
  return results.map((result) =>
    result.status === 'fulfilled' ? { value: result.value } : { error: result.reason as unknown },
  );
}

describe('createDescribeLoader', () => {
  const known = ['alpha', 'bravo', 'charlie', 'delta', 'echo'].map(rec);

  it('describes every name asked for in one tick with one call', async () => {
    const { describe: fake, calls } = recordingDescribe(known);
    const loader = createDescribeLoader(fake);
    const results = await Promise.all([
      loader.load('alpha'),
      loader.load('bravo'),
      loader.load('charlie'),
    ]);
    expect(results).toEqual([rec('alpha'), rec('bravo'), rec('charlie')]);
    expect(calls).toEqual([[['alpha', 'bravo', 'charlie'], null]]);
  });

  it('answers in the order of the keys, whatever order AppStream answers in', async () => {
    const { describe: fake } = recordingDescribe(known);
    const loader = createDescribeLoader(fake);
    expect(await loader.loadMany(['charlie', 'alpha', 'echo', 'bravo'])).toEqual([
      rec('charlie'),
      rec('alpha'),
      rec('echo'),
      rec('bravo'),
    ]);
  });

  it('asks once for a name asked for twice, and not again later in the request', async () => {
    const { describe: fake, calls } = recordingDescribe(known);
    const loader = createDescribeLoader(fake);
    expect(await loader.loadMany(['alpha', 'alpha', 'bravo'])).toEqual([
      rec('alpha'),
      rec('alpha'),
      rec('bravo'),
    ]);
    expect(await loader.load('bravo')).toEqual(rec('bravo'));
    expect(calls).toEqual([[['alpha', 'bravo'], null]]);
  });

  it(`splits more than ${DESCRIBE_BATCH_SIZE} names into calls of ${DESCRIBE_BATCH_SIZE}`, async () => {
    expect(DESCRIBE_BATCH_SIZE).toBe(25);
    const names = Array.from({ length: 60 }, (_, i) => `stack-${String(i).padStart(2, '0')}`);
    const { describe: fake, calls } = recordingDescribe(names.map(rec));
    const loader = createDescribeLoader(fake);
    expect(await loader.loadMany(names)).toEqual(names.map(rec));
    expect(calls).toEqual([
      [names.slice(0, 25), null],
      [names.slice(25, 50), null],
      [names.slice(50), null],
    ]);
  });

  it('follows NextToken to the last page of one batch', async () => {
    const { describe: fake, calls } = recordingDescribe(known, { pageSize: 2 });
    const loader = createDescribeLoader(fake);
    const names = ['alpha', 'bravo', 'charlie', 'delta', 'echo'];
    expect(await loader.loadMany(names)).toEqual(names.map(rec));
    expect(calls).toEqual([
      [names, null],
      [names, 't2'],
      [names, 't4'],
    ]);
  });

  it('resolves a name AppStream leaves out of a successful answer to null', async () => {
    const { describe: fake } = recordingDescribe(known);
    const loader = createDescribeLoader((names, token) =>
      fake(names, token).then((page) => ({
        ...page,
        items: page.items.filter((item) => item.name !== 'bravo'),
      })),
    );
    expect(await loader.loadMany(['alpha', 'bravo'])).toEqual([rec('alpha'), null]);
  });

  it('asks again name by name when the batch is NOT_FOUND, so only the unknown name is null', async () => {
    const { describe: fake, calls } = recordingDescribe(known);
    const loader = createDescribeLoader(fake);
    expect(await loader.loadMany(['alpha', 'ghost', 'bravo'])).toEqual([
      rec('alpha'),
      null,
      rec('bravo'),
    ]);
    expect(calls).toEqual([
      [['alpha', 'ghost', 'bravo'], null],
      [['alpha'], null],
      [['ghost'], null],
      [['bravo'], null],
    ]);
  });

  it('fails only the key whose name-by-name retry fails with another error', async () => {
    const { describe: fake, calls } = recordingDescribe(known, {
      fail: (names) => (names?.length === 1 && names[0] === 'bravo' ? throttled : undefined),
    });
    const loader = createDescribeLoader(fake);
    expect(
      await settle([loader.load('alpha'), loader.load('ghost'), loader.load('bravo')]),
    ).toEqual([{ value: rec('alpha') }, { value: null }, { error: throttled }]);
    expect(calls).toEqual([
      [['alpha', 'ghost', 'bravo'], null],
      [['alpha'], null],
      [['ghost'], null],
      [['bravo'], null],
    ]);
  });

  it("rejects every key of a batch with the batch's error when it is not NOT_FOUND", async () => {
    const { describe: fake, calls } = recordingDescribe(known, { fail: () => throttled });
    const loader = createDescribeLoader(fake);
    expect(await settle([loader.load('alpha'), loader.load('bravo')])).toEqual([
      { error: throttled },
      { error: throttled },
    ]);
    expect(calls).toEqual([[['alpha', 'bravo'], null]]);
  });

  it('fails only the keys of the batch that failed', async () => {
    const names = Array.from({ length: 30 }, (_, i) => `s${i}`);
    const { describe: fake, calls } = recordingDescribe(names.map(rec), {
      fail: (asked) => (asked?.includes('s29') ? throttled : undefined),
    });
    const loader = createDescribeLoader(fake);
    const results = await settle(names.map((name) => loader.load(name)));
    expect(results).toEqual([
      ...names.slice(0, 25).map((name) => ({ value: rec(name) })),
      ...names.slice(25).map(() => ({ error: throttled })),
    ]);
    expect(calls).toEqual([
      [names.slice(0, 25), null],
      [names.slice(25), null],
    ]);
  });

  it('resolves a single unknown name to null with one call', async () => {
    const { describe: fake, calls } = recordingDescribe(known);
    const loader = createDescribeLoader(fake);
    expect(await loader.load('ghost')).toBeNull();
    expect(calls).toEqual([[['ghost'], null]]);
  });

  it('rejects a single name with its error when it is not NOT_FOUND', async () => {
    const { describe: fake, calls } = recordingDescribe(known, { fail: () => throttled });
    const loader = createDescribeLoader(fake);
    await expect(loader.load('alpha')).rejects.toBe(throttled);
    expect(calls).toEqual([[['alpha'], null]]);
  });
});

/** A recording fake of ListAssociatedFleets: `pages[name]` are its pages, in order. */
function recordingList(pages: Record<string, readonly (readonly string[])[]>, failFor?: string) {
  const calls: Array<[name: string, token: string | null]> = [];
  const list = (name: string, token: string | null): Promise<UpstreamPage<string>> => {
    calls.push([name, token]);
    if (name === failFor) return Promise.reject(throttled);
    const all = pages[name] ?? [[]];
    const index = token === null ? 0 : Number(token.slice(1));
    return Promise.resolve({
      items: all[index] ?? [],
      nextToken: index + 1 < all.length ? `p${index + 1}` : null,
    });
  };
  return { list, calls };
}

describe('createNameListLoader', () => {
  const pages = {
    'stack-a': [['fleet-1', 'fleet-2'], ['fleet-3'], ['fleet-4']],
    'stack-b': [[]],
  };

  it('follows NextToken and returns every name of every page', async () => {
    const { list, calls } = recordingList(pages);
    const loader = createNameListLoader(list);
    expect(await loader.load('stack-a')).toEqual(['fleet-1', 'fleet-2', 'fleet-3', 'fleet-4']);
    expect(calls).toEqual([
      ['stack-a', null],
      ['stack-a', 'p1'],
      ['stack-a', 'p2'],
    ]);
  });

  it('walks each name once, however often it is asked for', async () => {
    const { list, calls } = recordingList(pages);
    const loader = createNameListLoader(list);
    expect(await loader.loadMany(['stack-b', 'stack-b'])).toEqual([[], []]);
    expect(await loader.load('stack-b')).toEqual([]);
    expect(calls).toEqual([['stack-b', null]]);
  });

  it('fails only the key whose listing failed', async () => {
    const { list } = recordingList(pages, 'stack-b');
    const loader = createNameListLoader(list);
    expect(await settle([loader.load('stack-a'), loader.load('stack-b')])).toEqual([
      { value: ['fleet-1', 'fleet-2', 'fleet-3', 'fleet-4'] },
      { error: throttled },
    ]);
  });

  it('turns a thrown non-Error into an Error for its key', async () => {
    // A dependency that rejects with a string is exactly what this case is about.
    // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors
    const loader = createNameListLoader(() => Promise.reject('socket hang up'));
    await expect(loader.load('stack-a')).rejects.toEqual(new Error('socket hang up'));
  });
});

describe('createListPageLoader', () => {
  it("asks for the first page with a null token when the key is ''", async () => {
    const { describe: fake, calls } = recordingDescribe(['a', 'b', 'c'].map(rec), { pageSize: 2 });
    const loader = createListPageLoader(fake);
    expect(await loader.load('')).toEqual({ items: [rec('c'), rec('b')], nextToken: 't2' });
    expect(await loader.load('t2')).toEqual({ items: [rec('a')], nextToken: null });
    expect(calls).toEqual([
      [null, null],
      [null, 't2'],
    ]);
  });

  it('fetches a page asked for twice in one tick once', async () => {
    const { describe: fake, calls } = recordingDescribe(['a'].map(rec));
    const loader = createListPageLoader(fake);
    await Promise.all([loader.load(''), loader.load('')]);
    expect(calls).toEqual([[null, null]]);
  });

  it('fails only the page whose call failed', async () => {
    const { describe: fake } = recordingDescribe(['a', 'b'].map(rec), { pageSize: 1 });
    const loader = createListPageLoader<Rec>((names, token) =>
      token === 't1' ? Promise.reject(throttled) : fake(names, token),
    );
    expect(await settle([loader.load(''), loader.load('t1')])).toEqual([
      { value: { items: [rec('b')], nextToken: 't1' } },
      { error: throttled },
    ]);
  });
});
