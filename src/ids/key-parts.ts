import { APPSTREAM_NAME_PATTERN, REGION_PATTERN } from '../upstream/types.js';
import type { AuthenticationType } from '../upstream/types.js';
import type { NodeKey } from './global-id.js';

/**
 * Checks of the key parts an id carries, once its signature or sealing has been verified: a
 * second line of defence, so that whatever an id holds, only names AppStream accepts reach it.
 * Each check returns the key, or throws `invalid()`.
 */

const AUTHENTICATION_TYPES: readonly string[] = ['API', 'SAML', 'USERPOOL', 'AWS_AD'];

/** A key's JSON array, or `invalid()`. */
export function parseParts(json: string, invalid: () => Error): unknown[] {
  let parts: unknown;
  try {
    parts = JSON.parse(json);
  } catch {
    throw invalid();
  }
  if (!Array.isArray(parts)) throw invalid();
  return parts;
}

/** Names the gateway issued always match AppStream's pattern; anything else is forged. */
const isName = (value: unknown): value is string =>
  typeof value === 'string' && APPSTREAM_NAME_PATTERN.test(value);

function isAuthenticationType(value: string): value is AuthenticationType {
  return AUTHENTICATION_TYPES.includes(value);
}

/**
 * The key parts before the region, and the region: keys of `length` parts carry none, keys of
 * `length + 1` end with one (an AWS region name); anything else is `invalid()`.
 */
function splitRegion(
  parts: unknown[],
  length: number,
  invalid: () => Error,
): [unknown[], { readonly region?: string }] {
  if (parts.length === length) return [parts, {}];
  const region = parts[length];
  if (parts.length !== length + 1 || typeof region !== 'string' || !REGION_PATTERN.test(region)) {
    throw invalid();
  }
  return [parts.slice(0, length), { region }];
}

/**
 * A session key of seven parts (and a region, since ids carry one): names, session id and a
 * locator whose members are each null or what AppStream accepts as a DescribeSessions filter
 * (`userId` 2 to 128 characters and only with an authentication type, a non-empty `instanceId`).
 */
export function sessionKeyOf(all: unknown[], invalid: () => Error): NodeKey {
  const [parts, region] = splitRegion(all, 7, invalid);
  const [type, stackName, fleetName, sessionId, userId, authenticationType, instanceId] = parts;
  const optional = (value: unknown): value is string | null =>
    value === null || (typeof value === 'string' && value !== '');
  if (
    parts.length !== 7 ||
    type !== 'Session' ||
    !isName(stackName) ||
    !isName(fleetName) ||
    typeof sessionId !== 'string' ||
    sessionId === '' ||
    !optional(userId) ||
    !optional(authenticationType) ||
    !optional(instanceId) ||
    (userId !== null &&
      (userId.length < 2 || userId.length > 128 || authenticationType === null)) ||
    (authenticationType !== null && !isAuthenticationType(authenticationType))
  ) {
    throw invalid();
  }
  return {
    type,
    stackName,
    fleetName,
    sessionId,
    ...(userId === null ? {} : { userId }),
    ...(authenticationType === null ? {} : { authenticationType }),
    ...(instanceId === null ? {} : { instanceId }),
    ...region,
  };
}

/** A stack or fleet key: the type and a name (and a region, since ids carry one). */
export function namedKeyOf(all: unknown[], invalid: () => Error): NodeKey {
  const [parts, region] = splitRegion(all, 2, invalid);
  const [type, name] = parts;
  if ((type === 'Stack' || type === 'Fleet') && isName(name)) {
    return { type, name, ...region };
  }
  throw invalid();
}

/** A session key of the `v2` layout: type, stack, fleet and session id, no locator. */
export function unlocatedSessionKeyOf(parts: unknown[], invalid: () => Error): NodeKey {
  const [type, stackName, fleetName, sessionId] = parts;
  if (
    type === 'Session' &&
    parts.length === 4 &&
    isName(stackName) &&
    isName(fleetName) &&
    typeof sessionId === 'string' &&
    sessionId !== ''
  ) {
    return { type, stackName, fleetName, sessionId };
  }
  throw invalid();
}
