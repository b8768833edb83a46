import { ServiceError, UnreachableCaseError } from './errors.js';
import type { Store } from './store.js';
import type { TokenBinding, TokenCodec } from './tokens.js';
import type { OperationName, Session } from './types.js';
import {
  DEFAULT_LIMIT,
  validateInput,
  type DescribeSessionsInput,
  type JsonObject,
} from './validation.js';

/**
 * When DescribeSessions returns a NextToken on its last non-empty page:
 * `never` (only when more items follow), `when-full` (also when the last page holds exactly
 * `Limit` items) or `always` (every non-empty last page). Such a token yields
 * `{ Sessions: [] }` without a NextToken. An empty listing never gets a token.
 */
export type EmptyPageAtEnd = 'never' | 'when-full' | 'always';

/**
 * What DescribeSessions answers for a stack or fleet name that does not exist. AppStream's model
 * declares no error for that operation, so both are plausible: `error` fails the call with
 * `ResourceNotFoundException` (HTTP 404); `empty` lists nothing, `{ Sessions: [] }`, as for a
 * known pair without sessions.
 */
export type UnknownNameInSessions = 'error' | 'empty';

/** What the operations read besides the request. */
export interface OperationContext {
  store: Store;
  tokens: TokenCodec;
  emptyPageAtEnd: EmptyPageAtEnd;
  unknownNameInSessions: UnknownNameInSessions;
  /** Least length of every DescribeSessions NextToken (0: no padding). */
  nextTokenPadding: number;
  /** Page size of DescribeStacks, DescribeFleets and ListAssociated* (they take no Limit). */
  listPageSize: number;
}

/**
 * Runs one operation on a parsed request. Returns the result object (with `Date` members, not yet
 * serialized) or throws a {@link ServiceError}.
 */
export function runOperation(
  ctx: OperationContext,
  operation: OperationName,
  input: JsonObject,
): JsonObject {
  switch (operation) {
    case 'DescribeSessions':
      return describeSessions(ctx, validateInput(operation, input));
    case 'DescribeStacks': {
      const { Names, NextToken } = validateInput(operation, input);
      const all = ctx.store.stacks();
      const found = byNames(all, Names, 'stack');
      // Named lookups answer in one page; only the full listing is paged.
      if (found !== undefined && NextToken === undefined) return { Stacks: found };
      const page = listPage(ctx, operation, found ?? all, { Names: namesKey(Names) }, NextToken);
      return { Stacks: page.items, ...page.next };
    }
    case 'DescribeFleets': {
      const { Names, NextToken } = validateInput(operation, input);
      const all = ctx.store.fleets();
      const found = byNames(all, Names, 'fleet');
      // Named lookups answer in one page; only the full listing is paged.
      if (found !== undefined && NextToken === undefined) return { Fleets: found };
      const page = listPage(ctx, operation, found ?? all, { Names: namesKey(Names) }, NextToken);
      return { Fleets: page.items, ...page.next };
    }
    case 'ListAssociatedFleets': {
      const { StackName, NextToken } = validateInput(operation, input);
      const names = ctx.store.associatedFleets(StackName);
      const page = listPage(ctx, operation, names, { StackName }, NextToken);
      return { Names: page.items, ...page.next };
    }
    case 'ListAssociatedStacks': {
      const { FleetName, NextToken } = validateInput(operation, input);
      const names = ctx.store.associatedStacks(FleetName);
      const page = listPage(ctx, operation, names, { FleetName }, NextToken);
      return { Names: page.items, ...page.next };
    }
    default:
      throw new UnreachableCaseError(operation);
  }
}

/**
 * Unknown stack or fleet name → ResourceNotFoundException, or nothing with
 * `unknownNameInSessions: 'empty'`; a known but unassociated pair lists nothing. Filters apply before paging; paging is by offset into the current filtered listing.
 */
function describeSessions(ctx: OperationContext, input: DescribeSessionsInput): JsonObject {
  const { StackName, FleetName, UserId, AuthenticationType, InstanceId } = input;
  const unknown =
    ctx.store.stack(StackName) === undefined
      ? notFound('stack', StackName)
      : ctx.store.fleet(FleetName) === undefined
        ? notFound('fleet', FleetName)
        : undefined;
  if (unknown !== undefined) {
    if (ctx.unknownNameInSessions === 'empty') return { Sessions: [] };
    throw unknown;
  }
  const binding: TokenBinding = { StackName, FleetName, UserId, AuthenticationType, InstanceId };
  const offset =
    input.NextToken === undefined
      ? 0
      : ctx.tokens.decode(input.NextToken, 'DescribeSessions', binding);
  const live = ctx.store.livePair(StackName, FleetName) ?? [];
  const filtered =
    UserId === undefined && AuthenticationType === undefined && InstanceId === undefined
      ? live
      : live.filter((s) => matches(s, input));
  const limit = input.Limit ?? DEFAULT_LIMIT;
  const sessions = filtered.slice(offset, offset + limit);
  const end = offset + sessions.length;
  let more = end < filtered.length;
  if (!more && sessions.length > 0) {
    more =
      ctx.emptyPageAtEnd === 'always' ||
      (ctx.emptyPageAtEnd === 'when-full' && sessions.length === limit);
  }
  const next = more
    ? { NextToken: ctx.tokens.encode('DescribeSessions', binding, end, ctx.nextTokenPadding) }
    : {};
  return { Sessions: sessions, ...next };
}

function matches(s: Session, input: DescribeSessionsInput): boolean {
  if (input.UserId !== undefined && s.UserId !== input.UserId) return false;
  if (input.AuthenticationType !== undefined && s.AuthenticationType !== input.AuthenticationType) {
    return false;
  }
  return input.InstanceId === undefined || s.InstanceId === input.InstanceId;
}

/** Records named in `names`, in request order without duplicates; undefined when listing all. */
function byNames<T extends { Name: string }>(
  all: readonly T[],
  names: readonly string[] | undefined,
  kind: 'stack' | 'fleet',
): T[] | undefined {
  if (names === undefined || names.length === 0) return undefined;
  const index = new Map(all.map((r) => [r.Name, r]));
  return [...new Set(names)].map((name) => {
    const record = index.get(name);
    if (record === undefined) throw notFound(kind, name);
    return record;
  });
}

function namesKey(names: readonly string[] | undefined): readonly string[] | undefined {
  return names === undefined || names.length === 0 ? undefined : names;
}

function listPage<T>(
  ctx: OperationContext,
  operation: OperationName,
  all: readonly T[],
  binding: TokenBinding,
  token: string | undefined,
): { items: T[]; next: { NextToken?: string } } {
  const offset = token === undefined ? 0 : ctx.tokens.decode(token, operation, binding);
  const end = offset + ctx.listPageSize;
  const items = all.slice(offset, end);
  if (end >= all.length) return { items, next: {} };
  return { items, next: { NextToken: ctx.tokens.encode(operation, binding, end) } };
}

function notFound(kind: 'stack' | 'fleet', name: string): ServiceError {
  const label = kind === 'stack' ? 'Stack' : 'Fleet';
  return new ServiceError('ResourceNotFoundException', `${label} not found: ${name}`);
}
