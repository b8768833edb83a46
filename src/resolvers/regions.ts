import type { GatewayContext } from '../context.js';
import { badUserInput, GatewayError, toError } from '../errors.js';
import type { NodeKey } from '../ids/global-id.js';
import { oneRegion } from '../pagination/index.js';
import type { CursorRegions } from '../pagination/index.js';

/**
 * Regions as resolvers apply them. Every object lives in one region (`Stack.region`,
 * `Fleet.region`, `Session.region`) and its child fields read that region only; root fields take
 * a `region` argument whose default is the first configured region, the region too of ids and
 * cursors issued before they carried one.
 */

/** The first configured region: the default of `region` arguments. */
export const defaultRegion = (context: GatewayContext): string => context.regions[0] ?? '';

/** `BAD_USER_INPUT` saying `problem`, then naming the regions this gateway serves. */
function unknownRegion(context: GatewayContext, problem: string): GatewayError {
  return badUserInput(
    `${problem}; use one of ` +
      `${context.regions.map((name) => `"${name}"`).join(', ')} (APPSTREAM_REGIONS).`,
  );
}

/**
 * The region a `region` argument names (absent: the first configured one), validated; the error
 * for an unknown one shows its first 40 characters, JSON-quoted.
 */
export function regionArg(context: GatewayContext, region: string | null | undefined): string {
  if (region === undefined || region === null) return defaultRegion(context);
  if (!context.regions.includes(region)) {
    // Quoted and cut short: a region of 1 MB in a variable would otherwise be echoed by every
    // field that uses it, and its control characters would reach the caller raw.
    const shown = JSON.stringify(region.slice(0, 40));
    throw unknownRegion(context, `\`region\` ${shown} is not a region this gateway serves`);
  }
  return region;
}

/** The region of an object a global id names (ids without one: the first region), validated. */
export function regionOfKey(context: GatewayContext, key: NodeKey): string {
  const region = key.region ?? defaultRegion(context);
  if (!context.regions.includes(region)) {
    throw unknownRegion(
      context,
      `This id belongs to region "${region}", which this gateway does not serve`,
    );
  }
  return region;
}

/** The cursor regions of a connection whose every stream reads `region`. */
export const cursorRegion = (context: GatewayContext, region: string): CursorRegions =>
  oneRegion(region, defaultRegion(context));

/**
 * `error` of one region's upstream, its message prefixed with the region and `region` in its
 * extensions, for fields that read several regions (the caller learns which one failed).
 */
export function inRegionError(region: string, error: unknown): Error {
  const failure = toError(error);
  if (!(failure instanceof GatewayError)) return failure;
  return new GatewayError(failure.code, `Region ${region}: ${failure.message}`, {
    // The upstream's own cause, so the log line names it (ThrottlingException), not this wrapper.
    cause: failure.cause,
    extensions: { ...failure.extensions, region },
  });
}

/** The regions a `stacks`/`fleets` listing reads: the one `region` names, or every region. */
export function listedRegions(
  context: GatewayContext,
  region: string | null | undefined,
): readonly string[] {
  return region === undefined || region === null ? context.regions : [regionArg(context, region)];
}

/**
 * The binding part of a listing's regions: none for one region (its cursors are those of before
 * regions existed; a cursor's own region tells one region from another), `|all-regions` for the
 * listing over several, whose cursors no single-region listing accepts (and the other way round).
 */
export function regionsBinding(context: GatewayContext, region: string | null | undefined): string {
  return (region === undefined || region === null) && context.regions.length > 1
    ? '|all-regions'
    : '';
}
