/**
 * `APPSTREAM_REGIONS` and the per-region endpoint overrides (`APPSTREAM_ENDPOINT_<REGION>`), read
 * by `loadConfig` from the environment it is given (never `process.env` itself).
 */
import { REGION_PATTERN } from './upstream/types.js';

/** One configured AppStream region. */
export interface RegionConfig {
  /** The region's name, for example `eu-west-1`. */
  readonly name: string;
  /**
   * `APPSTREAM_ENDPOINT_<REGION>` (`APPSTREAM_UPSTREAM=aws` only): the endpoint of this region's
   * client, for example an emulator in tests; undefined: the SDK's own (which honours
   * `AWS_ENDPOINT_URL_APPSTREAM` for every region without an override).
   */
  readonly endpoint: string | undefined;
}

/** Most regions one gateway serves (AppStream is offered in fewer). */
export const MAX_REGIONS = 20;

/** Prefix of the per-region endpoint variables. */
export const REGION_ENDPOINT_PREFIX = 'APPSTREAM_ENDPOINT_';

/** The variable that overrides the endpoint of `region`: `eu-west-1` → `APPSTREAM_ENDPOINT_EU_WEST_1`. */
export const regionEndpointVariable = (region: string): string =>
  REGION_ENDPOINT_PREFIX + region.toUpperCase().replaceAll('-', '_');

type Env = Readonly<Record<string, string | undefined>>;

/**
 * The configured regions, in order (the first is the default of every `region` argument), or
 * undefined when `APPSTREAM_REGIONS` is unset or blank: one region, as before regions existed (the
 * emulator's `us-east-1`, or the region the AWS SDK resolves). Pushes one line per problem:
 * a malformed or repeated name, too many regions, an endpoint override that is not an http(s)
 * URL, names no configured region, or is given without `APPSTREAM_UPSTREAM=aws`.
 */
export function readRegions(
  env: Env,
  upstream: 'emulator' | 'aws',
  problems: string[],
): readonly RegionConfig[] | undefined {
  const raw = env.APPSTREAM_REGIONS?.trim() ?? '';
  const names = raw === '' ? [] : raw.split(',').map((name) => name.trim());
  const seen = new Set<string>();
  for (const name of names) {
    if (!REGION_PATTERN.test(name)) {
      problems.push(
        `APPSTREAM_REGIONS must be a comma-separated list of AWS region names such as ` +
          `"us-east-1,eu-west-1"; "${name}" is not one.`,
      );
    } else if (seen.has(name)) {
      problems.push(`APPSTREAM_REGIONS names "${name}" twice; list each region once.`);
    }
    seen.add(name);
  }
  if (names.length > MAX_REGIONS) {
    problems.push(`APPSTREAM_REGIONS lists ${names.length} regions; at most ${MAX_REGIONS}.`);
  }
  const overrides = new Map<string, string>();
  const byVariable = new Map(names.map((name) => [regionEndpointVariable(name), name]));
  for (const [variable, value] of Object.entries(env)) {
    const url = value?.trim() ?? '';
    if (!variable.startsWith(REGION_ENDPOINT_PREFIX) || url === '') continue;
    const region = byVariable.get(variable);
    if (upstream !== 'aws') {
      problems.push(
        `${variable} applies with APPSTREAM_UPSTREAM=aws only (the embedded emulator starts ` +
          'one instance per region by itself); unset it.',
      );
    } else if (region === undefined) {
      problems.push(
        `${variable} names no region of APPSTREAM_REGIONS` +
          (names.length === 0
            ? ' (unset; AWS_ENDPOINT_URL_APPSTREAM overrides the endpoint of the single region).'
            : ` (${names.join(', ')}).`),
      );
    } else if (!/^https?:$/.test(URL.parse(url)?.protocol ?? '')) {
      problems.push(`${variable} must be an http:// or https:// URL; got "${url}".`);
    } else {
      overrides.set(region, url);
    }
  }
  if (names.length === 0) return undefined;
  return names.map((name) => ({ name, endpoint: overrides.get(name) }));
}
