import { describe, expect, it } from 'vitest';
import {
  connectionParamsOf,
  createClientPool,
  describeFailure,
  paramsKey,
  releasing,
} from '../../../graphiql/sockets.js';
import type { ConnectionParams } from '../../../graphiql/sockets.js';

/** A stand-in for a graphql-ws client: remembers its params and whether it was disposed. */
class FakeClient {
  disposed = false;
  constructor(readonly params: ConnectionParams) {}
  dispose(): void {
    this.disposed = true;
  }
}

const pool = () => {
  const made: FakeClient[] = [];
  return {
    made,
    pool: createClientPool((params) => {
      const client = new FakeClient(params);
      made.push(client);
      return client;
    }),
  };
};

describe('connectionParamsOf', () => {
  it("sends the headers editor's string headers as they are, Authorization included", () => {
    expect(
      connectionParamsOf({ Authorization: 'Bearer abc', 'x-team': 'ops', retries: 3, nested: {} }),
    ).toEqual({ Authorization: 'Bearer abc', 'x-team': 'ops' });
  });

  it('gives none for an empty editor or anything that is not an object of headers', () => {
    for (const headers of [undefined, null, 'Bearer abc', ['Authorization'], 42]) {
      expect(connectionParamsOf(headers)).toEqual({});
    }
  });

  it('keys the same headers in any order alike, and different values apart', () => {
    expect(paramsKey({ a: '1', b: '2' })).toBe(paramsKey({ b: '2', a: '1' }));
    expect(paramsKey({ Authorization: 'Bearer a' })).not.toBe(
      paramsKey({ Authorization: 'Bearer b' }),
    );
  });
});

describe('createClientPool', () => {
  it('reuses one client for the same params', () => {
    const { pool: clients, made } = pool();
    const first = clients.acquire({ Authorization: 'Bearer a' });
    first.release();
    const second = clients.acquire({ Authorization: 'Bearer a' });
    expect(second.client).toBe(first.client);
    expect(made).toHaveLength(1);
    expect(made[0]?.params).toEqual({ Authorization: 'Bearer a' });
  });

  it('opens a new client when the headers change and disposes the idle stale one', () => {
    const { pool: clients, made } = pool();
    clients.acquire({ Authorization: 'Bearer a' }).release();
    const next = clients.acquire({ Authorization: 'Bearer b' });
    expect(made).toHaveLength(2);
    expect(next.client.params).toEqual({ Authorization: 'Bearer b' });
    expect(made[0]?.disposed).toBe(true);
    expect(made[1]?.disposed).toBe(false);
    expect(clients.size()).toBe(1);
  });

  it('disposes a stale client only once its last subscription is released', () => {
    const { pool: clients, made } = pool();
    const running = clients.acquire({ Authorization: 'Bearer a' });
    const other = clients.acquire({});
    expect(made[0]?.disposed).toBe(false);
    expect(clients.size()).toBe(2);
    running.release();
    running.release(); // twice is harmless
    expect(made[0]?.disposed).toBe(true);
    other.release();
    // The current params' client stays open for the next run.
    expect(made[1]?.disposed).toBe(false);
    expect(clients.size()).toBe(1);
  });
});

describe('releasing', () => {
  /** An iterator whose `next` waits until `push` or `return`, like graphql-ws's `iterate`. */
  function pending() {
    let wake: ((step: IteratorResult<number>) => void) | undefined;
    const iterator: AsyncIterableIterator<number> = {
      [Symbol.asyncIterator]: () => iterator,
      next: () => new Promise((resolve) => (wake = resolve)),
      return: () => {
        wake?.({ done: true, value: undefined });
        return Promise.resolve({ done: true, value: undefined });
      },
    };
    return { iterator, push: (value: number) => wake?.({ done: false, value }) };
  }

  it('is its own iterator, and stopping releases at once even while waiting for an event', async () => {
    const { iterator, push } = pending();
    let released = 0;
    const wrapped = releasing(iterator, () => (released += 1));
    expect(wrapped[Symbol.asyncIterator]()).toBe(wrapped);
    const first = wrapped.next();
    push(1);
    expect(await first).toEqual({ done: false, value: 1 });
    const waiting = wrapped.next();
    await wrapped[Symbol.asyncIterator]().return?.();
    expect(await waiting).toEqual({ done: true, value: undefined });
    expect(released).toBeGreaterThanOrEqual(1);
  });

  it('releases when the subscription fails, with the close reason as the message', async () => {
    let released = false;
    const failing: AsyncIterableIterator<number> = {
      [Symbol.asyncIterator]: () => failing,
      // graphql-ws rejects with the CloseEvent itself.
      // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors
      next: () => Promise.reject({ code: 4403, reason: 'The token expired.' }),
    };
    const wrapped = releasing(failing, () => (released = true));
    await expect(wrapped.next()).rejects.toThrow(
      'The WebSocket connection closed (4403: The token expired.).',
    );
    expect(released).toBe(true);
  });
});

describe('describeFailure', () => {
  it('keeps GraphQL errors and Errors, and words a failed connection', () => {
    const errors = [{ message: 'NOT_FOUND' }];
    expect(describeFailure(errors)).toBe(errors);
    const error = new Error('boom');
    expect(describeFailure(error)).toBe(error);
    expect(String(describeFailure({ code: 1006, reason: '' }))).toBe(
      'Error: The WebSocket connection closed (1006).',
    );
    expect(String(describeFailure({ type: 'error' }))).toMatch(/is the gateway running/);
  });
});
