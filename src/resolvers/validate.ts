import { badUserInput } from '../errors.js';
import type { AuthenticationType, SessionQuery } from '../upstream/types.js';

/** AppStream's pattern for stack and fleet names (DescribeSessions' `Name` shape). */
export const NAME_PATTERN = /^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,100}$/;

/** Checks a stack or fleet name against AppStream's pattern; the error says how to fix it. */
export function validateName(argument: string, value: string): string {
  if (!NAME_PATTERN.test(value)) {
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
 * Builds a DescribeSessions query from GraphQL arguments, rejecting what AppStream would reject
 * before anything reaches it: bad names, a `userId` of the wrong length, `userId` without
 * `authenticationType`, an empty `instanceId`.
 */
export function toSessionQuery(
  stackName: string,
  fleetName: string,
  filters: SessionFilterArgs,
): SessionQuery {
  const { userId, authenticationType, instanceId } = filters;
  validateName('stackName', stackName);
  validateName('fleetName', fleetName);
  if (userId != null && (userId.length < 2 || userId.length > 128)) {
    throw badUserInput(`\`userId\` must be 2 to 128 characters long; got ${userId.length}.`);
  }
  if (userId != null && authenticationType == null) {
    throw badUserInput(
      '`userId` requires `authenticationType` (API, SAML, USERPOOL or AWS_AD): AppStream identifies users per authentication type.',
    );
  }
  if (instanceId === '') {
    throw badUserInput(
      '`instanceId` must not be empty; omit it to list sessions on every instance.',
    );
  }
  return {
    stackName,
    fleetName,
    ...(userId == null ? {} : { userId }),
    ...(authenticationType == null ? {} : { authenticationType }),
    ...(instanceId == null ? {} : { instanceId }),
  };
}
