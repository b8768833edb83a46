import { badUserInput } from '../errors.js';
import { APPSTREAM_NAME_PATTERN } from '../upstream/types.js';
import type {
  AuthenticationType,
  SessionConnectionState,
  SessionQuery,
  SessionRecord,
} from '../upstream/types.js';

/** Checks a stack or fleet name against AppStream's pattern; the error says how to fix it. */
export function validateName(argument: string, value: string): string {
  if (!APPSTREAM_NAME_PATTERN.test(value)) {
    throw badUserInput(
      `\`${argument}\` must be 1 to 101 characters of letters, digits, "_", "." or "-", starting ` +
        `with a letter or digit (AppStream's name pattern); got ${JSON.stringify(value.slice(0, 120))}.`,
    );
  }
  return value;
}

/** The filter arguments shared by every sessions connection. */
export interface SessionFilterArgs {
  readonly userId?: string | null | undefined;
  readonly authenticationType?: AuthenticationType | null | undefined;
  readonly instanceId?: string | null | undefined;
}

/**
 * The user ids AppStream can hold, per authentication type (its API model): an `API` user is
 * the `UserId` of `CreateStreamingURL` (`StreamingUrlUserId`: 2 to 32 of `[\w+=,.@-]`), a
 * `USERPOOL` user a user pool `Username` (`[\p{L}\p{M}\p{S}\p{N}\p{P}]+`: no spaces, no
 * control characters). SAML and AD user ids have no pattern in the model beyond 2 to 128
 * characters; no user id of any type is blank or holds a control character.
 */
const USER_ID_RULES: Partial<Record<AuthenticationType, { pattern: RegExp; rule: string }>> = {
  API: {
    pattern: /^[A-Za-z0-9_+=,.@-]{2,32}$/,
    rule: 'must be 2 to 32 letters, digits or "_+=,.@-" (the user id of AppStream\'s CreateStreamingURL)',
  },
  USERPOOL: {
    pattern: /^[\p{L}\p{M}\p{S}\p{N}\p{P}]+$/u,
    rule: 'must be a user pool user name: letters, digits, symbols and punctuation, without spaces',
  },
};

/** Checks `userId` against AppStream's model; the error says what AppStream accepts. */
function validateUserId(userId: string, authenticationType: AuthenticationType): void {
  const shown = JSON.stringify(userId.slice(0, 40));
  const rules = USER_ID_RULES[authenticationType];
  if (rules !== undefined && !rules.pattern.test(userId)) {
    throw badUserInput(
      `\`userId\` with authenticationType ${authenticationType} ${rules.rule}; got ${shown}.`,
    );
  }
  if (/\p{Cc}/u.test(userId) || userId.trim() === '') {
    throw badUserInput(
      `\`userId\` must not be blank or contain control characters (line breaks, tabs); got ${shown}.`,
    );
  }
}

/** Length in code points, as AppStream counts: a surrogate pair (an emoji, say) is one. */
const characters = (text: string | null | undefined): number =>
  text?.replace(/[\uD800-\uDBFF][\uDC00-\uDFFF]/g, '_').length ?? 0;

/** Longest `instanceId` filter the gateway sends to AppStream. */
export const MAX_INSTANCE_ID_LENGTH = 256;

/**
 * Checks the DescribeSessions filters the way AppStream would, without calling it: lengths are
 * counted in characters (code points), as AppStream counts them. Beyond AppStream's own rules, an
 * `instanceId` is at most {@link MAX_INSTANCE_ID_LENGTH} characters.
 */
export function validateSessionFilters(filters: SessionFilterArgs): void {
  const { userId, authenticationType, instanceId } = filters;
  const length = characters(userId);
  if (userId != null && (length < 2 || length > 128)) {
    throw badUserInput(`\`userId\` must be 2 to 128 characters long; got ${length}.`);
  }
  if (userId != null && authenticationType == null) {
    throw badUserInput(
      '`userId` requires `authenticationType` (API, SAML, USERPOOL or AWS_AD): AppStream identifies users per authentication type.',
    );
  }
  if (userId != null && authenticationType != null) validateUserId(userId, authenticationType);
  if (instanceId === '') {
    throw badUserInput(
      '`instanceId` must not be empty; omit it to list sessions on every instance.',
    );
  }
  // AppStream sets no maximum; an identifier this long is no instance's, and each distinct value
  // is an AppStream call and a page cache entry.
  const instanceLength = characters(instanceId);
  if (instanceLength > MAX_INSTANCE_ID_LENGTH) {
    throw badUserInput(
      `\`instanceId\` must be at most ${String(MAX_INSTANCE_ID_LENGTH)} characters; got ${String(instanceLength)}.`,
    );
  }
}

/**
 * Builds a DescribeSessions query from GraphQL arguments, rejecting what AppStream would reject
 * before anything reaches it: bad names, a `userId` AppStream cannot hold, `userId` without
 * `authenticationType`, an empty `instanceId`.
 */
export function toSessionQuery(
  stackName: string,
  fleetName: string,
  filters: SessionFilterArgs,
): SessionQuery {
  validateName('stackName', stackName);
  validateName('fleetName', fleetName);
  validateSessionFilters(filters);
  const { userId, authenticationType, instanceId } = filters;
  return {
    stackName,
    fleetName,
    ...(userId == null ? {} : { userId }),
    ...(authenticationType == null ? {} : { authenticationType }),
    ...(instanceId == null ? {} : { instanceId }),
  };
}

/** Gateway-side session filters: AppStream cannot filter on these, so the gateway does while paging. */
export interface SessionPredicateArgs {
  readonly state?: readonly SessionRecord['state'][] | null | undefined;
  readonly connectionState?: SessionConnectionState | null | undefined;
}

/** A predicate with a canonical key (cursors are bound to it), or undefined when nothing filters. */
export interface SessionFilter {
  readonly key: string;
  readonly test: (session: SessionRecord) => boolean;
}

/** Builds the gateway-side filter of a sessions connection; an empty `state` list is rejected. */
export function toSessionFilter(args: SessionPredicateArgs): SessionFilter | undefined {
  const { state, connectionState } = args;
  if (state != null && state.length === 0) {
    throw badUserInput('`state` must list at least one state; omit it to include every state.');
  }
  if (state == null && connectionState == null) return undefined;
  const states = state == null ? null : new Set(state);
  return {
    key: JSON.stringify([states === null ? null : [...states].sort(), connectionState ?? null]),
    test: (session) =>
      (states === null || states.has(session.state)) &&
      (connectionState == null || session.connectionState === connectionState),
  };
}
