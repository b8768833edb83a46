/** One upstream page: its items in upstream order and the token of the following page. */
export interface Page<T> {
  readonly items: readonly T[];
  /** Token of the next page of the same stream; null when the stream has ended. */
  readonly nextToken: string | null;
}

/**
 * A concatenation of `streams` forward-only token-paged streams (1 for one DescribeSessions
 * (stack, fleet) listing; N for "all fleets of a stack", fleet after fleet).
 *
 * Contract for implementers: `fetchPage(s, null)` returns the first page of stream `s`; a page
 * may be empty and still carry a token; the same (stream, token) returns the same position of
 * the stream (its items may have churned). The caller fetches at the upstream maximum page size
 * and de-duplicates within a request (DataLoader); the core never fetches a page twice per call.
 */
export interface PageSource<T> {
  readonly streams: number;
  fetchPage(stream: number, token: string | null): Promise<Page<T>>;
  /** A stable identity of an item (the session id), used to re-anchor cursors after churn. */
  idOf(item: T): string;
}
