/**
 * A model of boto3's paginator (botocore `PageIterator`) walking a DescribeSessions listing the way
 * the seed's service did: `PaginationConfig={'PageSize': 50, 'MaxItems': first, 'StartingToken':
 * previous resume token}`, one request per UI page, until botocore hands back no resume token.
 *
 * botocore's algorithm, transcribed: a request starts at the resume token's page (its `NextToken`)
 * and drops the token's `boto_truncate_amount` items from that first page; it fetches pages until it
 * has `MaxItems` items. When a page would overflow, it keeps what fits and resumes from that same
 * page's token with truncate amount = kept items (plus the starting truncation when it is still the
 * first page). When the items end exactly on a page boundary, the resume token is the next page's
 * token (an empty trailing page is then fetched by the next request). No resume token ends the walk.
 *
 * This is a model, not a measurement: boto3 cannot be installed here. It reproduces the call counts
 * measured with boto3 1.26 against a local fake (8, 60, 3, 20, 20 on the issue's walks).
 */

/** `pages[i]` is the number of items AppStream returns on page i; the last page has no NextToken. */
export function boto3WalkCalls(
  pages: readonly number[],
  maxItems: number,
): { readonly requests: number; readonly calls: number } {
  let calls = 0;
  let requests = 0;
  // The resume token: page index and truncate amount; null ends the walk.
  let resume: { page: number; truncate: number } | null = { page: 0, truncate: 0 };
  while (resume !== null) {
    requests++;
    let page: number = resume.page;
    const startingTruncation: number = resume.truncate;
    let total = 0;
    let first = true;
    resume = null;
    for (;;) {
      calls++;
      const size = pages[page] ?? 0;
      const truncation: number = first ? startingTruncation : 0;
      const current = Math.max(0, size - truncation);
      first = false;
      if (total + current > maxItems) {
        const keep = maxItems - total;
        resume = { page, truncate: keep + truncation };
        break;
      }
      total += current;
      const hasNext = page + 1 < pages.length;
      if (!hasNext) break;
      if (total === maxItems) {
        resume = { page: page + 1, truncate: 0 };
        break;
      }
      page++;
    }
  }
  return { requests, calls };
}

/** The page sizes of a listing of `sessions` items read 50 at a time (optionally an empty trailing page). */
export function pagesOf(sessions: number, emptyTrailingPage = false, pageSize = 50): number[] {
  const pages: number[] = [];
  for (let left = sessions; left > 0; left -= pageSize) pages.push(Math.min(pageSize, left));
  if (emptyTrailingPage || pages.length === 0) pages.push(0);
  return pages;
}
