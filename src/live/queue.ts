/**
 * A push-to-pull queue: the poller pushes, the transport pulls with `for await`. Unlike an async
 * generator, `return()` takes effect at once even while a `next()` is waiting, so a subscriber
 * that leaves is released immediately, not at the next event.
 */

/** An async iterator fed by {@link EventQueue.push}. */
export interface EventQueue<T> extends AsyncIterableIterator<T> {
  /** Queues a value for the consumer; ignored once the queue is closed. */
  push(value: T): void;
  /** Ends the iteration after the values already queued. */
  end(): void;
  /** How many values wait to be pulled. */
  readonly size: number;
  /** Whether the consumer or `end()` has closed the queue. */
  readonly closed: boolean;
  return(): Promise<IteratorResult<T, undefined>>;
}

/** Creates a queue; `onClose` runs once, when the consumer returns or the queue ends and drains. */
export function createEventQueue<T>(onClose: () => void): EventQueue<T> {
  const values: T[] = [];
  const waiting: Array<(result: IteratorResult<T, undefined>) => void> = [];
  let ending = false;
  let closed = false;
  const done: IteratorResult<T, undefined> = { done: true, value: undefined };
  const close = (): void => {
    if (closed) return;
    closed = true;
    values.length = 0;
    for (const resolve of waiting.splice(0)) resolve(done);
    onClose();
  };
  const queue: EventQueue<T> = {
    push(value) {
      if (closed || ending) return;
      const resolve = waiting.shift();
      if (resolve === undefined) values.push(value);
      else resolve({ done: false, value });
    },
    end() {
      ending = true;
      if (values.length === 0) close();
    },
    get size() {
      return values.length;
    },
    get closed() {
      return closed;
    },
    next() {
      if (values.length > 0) {
        const value = values.shift() as T;
        if (ending && values.length === 0) close();
        return Promise.resolve({ done: false, value });
      }
      if (closed) return Promise.resolve(done);
      return new Promise((resolve) => waiting.push(resolve));
    },
    return() {
      close();
      return Promise.resolve(done);
    },
    throw(error?: unknown) {
      close();
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    },
    [Symbol.asyncIterator]() {
      return queue;
    },
  };
  return queue;
}

/** `source` with each value mapped by `map`; `return()` is forwarded at once. */
export function mapEvents<T, U>(
  source: AsyncIterableIterator<T>,
  map: (value: T) => U,
): AsyncIterableIterator<U> {
  const mapped: AsyncIterableIterator<U> = {
    async next() {
      const result = await source.next();
      return result.done === true
        ? { done: true, value: undefined }
        : { done: false, value: map(result.value) };
    },
    async return() {
      await source.return?.();
      return { done: true, value: undefined };
    },
    [Symbol.asyncIterator]() {
      return mapped;
    },
  };
  return mapped;
}
