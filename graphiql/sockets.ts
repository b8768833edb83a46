/**
 * The WebSocket clients behind GraphiQL's subscriptions: one graphql-ws client per distinct set
 * of connection params (the headers typed in the headers editor), so that changing the
 * `Authorization` header opens a new connection authenticated with it, while running the same
 * subscription again reuses the open one. Free of DOM and graphql-ws runtime code, so that it can
 * be unit tested.
 */

/** What the pool needs of a graphql-ws `Client`. */
export interface Disposable {
  dispose(): void | Promise<void>;
}

/** The `connection_init` payload: the string-valued headers of the headers editor, as typed. */
export type ConnectionParams = Readonly<Record<string, string>>;

/**
 * The connection params of one run: every header of the headers editor whose value is a string
 * (the gateway reads `Authorization` from them, as it would from the upgrade request). Anything
 * that is not an object of headers gives none.
 */
export function connectionParamsOf(headers: unknown): ConnectionParams {
  if (typeof headers !== 'object' || headers === null || Array.isArray(headers)) return {};
  return Object.fromEntries(
    Object.entries(headers).filter((entry): entry is [string, string] => {
      return typeof entry[1] === 'string';
    }),
  );
}

/** A stable key of a set of params: the same headers in any order give the same key. */
export function paramsKey(params: ConnectionParams): string {
  return JSON.stringify(Object.entries(params).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** A client lent to one subscription; `release` once the subscription has ended. */
export interface Lease<C extends Disposable> {
  readonly client: C;
  release(): void;
}

export interface ClientPool<C extends Disposable> {
  /**
   * The client for `params`: the open one for the same params, else a new one. Clients for other
   * params that no subscription uses any more are disposed now; those still in use are disposed
   * when their last subscription is released.
   */
  acquire(params: ConnectionParams): Lease<C>;
  /** Clients currently held (for tests). */
  size(): number;
}

interface Entry<C> {
  readonly client: C;
  users: number;
}

/** A pool of clients made by `create`, keyed by their connection params. */
export function createClientPool<C extends Disposable>(
  create: (params: ConnectionParams) => C,
): ClientPool<C> {
  const entries = new Map<string, Entry<C>>();
  let current: string | undefined;
  const drop = (key: string, entry: Entry<C>): void => {
    entries.delete(key);
    void Promise.resolve(entry.client.dispose()).catch(() => undefined);
  };
  return {
    acquire(params) {
      const key = paramsKey(params);
      current = key;
      for (const [other, entry] of entries) {
        if (other !== key && entry.users === 0) drop(other, entry);
      }
      let entry = entries.get(key);
      if (entry === undefined) {
        entry = { client: create(params), users: 0 };
        entries.set(key, entry);
      }
      entry.users += 1;
      const held = entry;
      let released = false;
      return {
        client: held.client,
        release() {
          if (released) return;
          released = true;
          held.users -= 1;
          if (held.users === 0 && key !== current && entries.get(key) === held) drop(key, held);
        },
      };
    },
    size: () => entries.size,
  };
}

/**
 * What GraphiQL shows for a subscription that failed: GraphQL errors as they are, an `Error`
 * as it is, a WebSocket close (graphql-ws rejects with the `CloseEvent`) as its code and the
 * gateway's reason (for example `4403: The token expired; reconnect with a fresh token.`).
 */
export function describeFailure(failure: unknown): unknown {
  if (Array.isArray(failure) || failure instanceof Error) return failure;
  if (typeof failure === 'object' && failure !== null && 'code' in failure) {
    const { code, reason } = failure as { code: unknown; reason?: unknown };
    const why = typeof reason === 'string' && reason !== '' ? `: ${reason}` : '';
    return new Error(`The WebSocket connection closed (${String(code)}${why}).`);
  }
  return new Error('The WebSocket connection failed; is the gateway running?');
}

/**
 * `iterator` that calls `release` once, when it ends, fails or is stopped. `return` goes straight
 * to `iterator` (graphql-ws then completes the subscription at once, even while a `next` is
 * waiting for an event): GraphiQL's stop button calls it. The result is its own iterator, as
 * GraphiQL expects.
 */
export function releasing<T>(
  iterator: AsyncIterableIterator<T>,
  release: () => void,
): AsyncIterableIterator<T> {
  const result: AsyncIterableIterator<T> = {
    [Symbol.asyncIterator]: () => result,
    async next() {
      try {
        const step = await iterator.next();
        if (step.done === true) release();
        return step;
      } catch (error: unknown) {
        release();
        // graphql-ws rejects with GraphQL errors or a CloseEvent, not always an Error.
        throw describeFailure(error);
      }
    },
    async return(value?: unknown) {
      release();
      if (iterator.return === undefined) return { done: true, value: undefined };
      return iterator.return(value);
    },
  };
  return result;
}
