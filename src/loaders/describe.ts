import DataLoader from 'dataloader';
import { ErrorCode, GatewayError, toError } from '../errors.js';
import type { UpstreamPage } from '../upstream/types.js';

/**
 * Most names one DescribeStacks or DescribeFleets call carries. AppStream documents no maximum;
 * 25 keeps requests small while one call still covers every stack or fleet of most accounts.
 */
export const DESCRIBE_BATCH_SIZE = 25;

type Describe<R> = (
  names: readonly string[] | null,
  token: string | null,
) => Promise<UpstreamPage<R>>;

const isNotFound = (error: unknown): boolean =>
  error instanceof GatewayError && error.code === ErrorCode.NOT_FOUND;

/** Every item of a token-paged listing, following tokens to its end. */
async function readAll<R>(read: (token: string | null) => Promise<UpstreamPage<R>>): Promise<R[]> {
  const items: R[] = [];
  let token: string | null = null;
  do {
    const page: UpstreamPage<R> = await read(token);
    items.push(...page.items);
    token = page.nextToken;
  } while (token !== null);
  return items;
}

const describeAll = <R>(describe: Describe<R>, names: readonly string[]): Promise<R[]> =>
  readAll((token) => describe(names, token));

/**
 * A per-request loader of records by name that batches every name asked for in one tick into one
 * Describe call (split at {@link DESCRIBE_BATCH_SIZE}). AppStream fails a whole call when one name
 * is unknown; the loader then asks again name by name, so an unknown name resolves to `null` for
 * its own key only. Any other failure fails the keys of that call with the mapped error.
 */
export function createDescribeLoader<R extends { readonly name: string }>(
  describe: Describe<R>,
): DataLoader<string, R | null> {
  return new DataLoader<string, R | null>(
    async (names) => {
      let records: R[];
      try {
        records = await describeAll(describe, names);
      } catch (error: unknown) {
        if (!isNotFound(error) || names.length === 1) {
          if (isNotFound(error)) return [null];
          throw error;
        }
        const single = await Promise.all(
          names.map((name) =>
            describeAll(describe, [name]).then(
              (found) => found[0] ?? null,
              (singleError: unknown) => (isNotFound(singleError) ? null : toError(singleError)),
            ),
          ),
        );
        return single;
      }
      const byName = new Map(records.map((record) => [record.name, record]));
      return names.map((name) => byName.get(name) ?? null);
    },
    { maxBatchSize: DESCRIBE_BATCH_SIZE },
  );
}

/**
 * A per-request loader of every page of a name listing (ListAssociatedFleets or
 * ListAssociatedStacks) by the listed-for name; concurrent asks for the same name share one walk.
 */
export function createNameListLoader(
  list: (name: string, token: string | null) => Promise<UpstreamPage<string>>,
): DataLoader<string, readonly string[]> {
  return new DataLoader<string, readonly string[]>((keys) =>
    Promise.all(keys.map((key) => readAll((token) => list(key, token)).catch(toError))),
  );
}

/**
 * A per-request loader of whole listing pages by token, where `''` asks for the first page
 * (DataLoader keys cannot be null, and AppStream never issues an empty token).
 */
export function createListPageLoader<R>(
  describe: Describe<R>,
): DataLoader<string, UpstreamPage<R>> {
  return new DataLoader<string, UpstreamPage<R>>((tokens) =>
    Promise.all(tokens.map((token) => describe(null, token === '' ? null : token).catch(toError))),
  );
}
