import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { oneFleetDataset } from '../../helpers/datasets.js';
import { useTestStack } from '../../helpers/gateway.js';

const dataset = oneFleetDataset(120);

/** One sample of Prometheus' text format: `name{labels} value`. */
interface Sample {
  readonly name: string;
  readonly labels: Record<string, string>;
  readonly value: number;
}

// Values: decimals, NaN in any case (prom-client writes "Nan"; Prometheus parses floats case-insensitively), ±Inf.
const METRIC_LINE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (-?[0-9.e+-]+|[Nn]a[Nn]|[+-]?Inf)$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

/** Parses Prometheus' text exposition format strictly: any other line fails the test. */
function parsePrometheus(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '') continue;
    if (/^# (HELP|TYPE) [a-zA-Z_:][a-zA-Z0-9_:]* .+$/.test(line)) continue;
    const match = METRIC_LINE.exec(line);
    if (match === null) throw new Error(`not Prometheus text: ${line}`);
    const labels: Record<string, string> = {};
    for (const label of (match[3] ?? '').matchAll(LABEL)) labels[label[1]!] = label[2]!;
    samples.push({ name: match[1]!, labels, value: Number(match[4]) });
  }
  return samples;
}

const valueOf = (samples: Sample[], name: string, labels: Record<string, string> = {}): number =>
  samples
    .filter(
      (sample) =>
        sample.name === name &&
        Object.entries(labels).every(([key, value]) => sample.labels[key] === value),
    )
    .reduce((sum, sample) => sum + sample.value, 0);

const PAGE = `query WalkPage($after: String) {
  sessions(stackName: "stack-a", fleetName: "fleet-1", first: 60, after: $after) {
    pageInfo { endCursor }
  }
}`;

describe('Prometheus metrics at /metrics', () => {
  const stack = useTestStack({ emulator: { dataset }, pageCacheTtlMs: 60_000 });
  const scrape = async (url = `${stack.url}/metrics`) => {
    const response = await fetch(url);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    return parsePrometheus(await response.text());
  };

  it('parses as Prometheus text, with process metrics', async () => {
    const samples = await scrape();
    expect(valueOf(samples, 'process_cpu_user_seconds_total')).toBeGreaterThan(0);
    expect(valueOf(samples, 'process_resident_memory_bytes')).toBeGreaterThan(0);
    expect(samples.some((sample) => sample.name === 'gateway_upstream_in_flight')).toBe(true);
  });

  it('counts upstream calls, cache hits and misses, and operations as they happen', async () => {
    stack.gateway.pageCache?.clear();
    const before = await scrape();
    const calls = {
      name: 'gateway_upstream_calls_total',
      labels: { operation: 'DescribeSessions', outcome: 'ok' },
    };
    await stack.graphql(PAGE);
    await stack.graphql(PAGE);
    const after = await scrape();
    // 60 sessions from the start: pages 1 and 2, once; the repeat is served by the cache.
    expect(
      valueOf(after, calls.name, calls.labels) - valueOf(before, calls.name, calls.labels),
    ).toBe(stack.emulator.calls.count('DescribeSessions'));
    expect(stack.emulator.calls.count('DescribeSessions')).toBe(2);
    const hits = { operation: 'DescribeSessions', result: 'hit' };
    const misses = { operation: 'DescribeSessions', result: 'miss' };
    const lookups = 'gateway_page_cache_lookups_total';
    expect(valueOf(after, lookups, hits) - valueOf(before, lookups, hits)).toBe(2);
    expect(valueOf(after, lookups, misses) - valueOf(before, lookups, misses)).toBe(2);
    const operations = 'gateway_operation_duration_seconds_count';
    const walkPage = { operation: 'WalkPage', outcome: 'ok' };
    expect(valueOf(after, operations, walkPage) - valueOf(before, operations, walkPage)).toBe(2);
    expect(valueOf(after, 'gateway_page_cache_entries')).toBe(2);
  });

  it('counts throttles and failed calls by outcome', async () => {
    stack.gateway.pageCache?.clear();
    const before = await scrape();
    stack.emulator.faults.add({ operation: 'DescribeSessions', error: 'ThrottlingException' });
    const response = await stack.graphql(PAGE);
    expect(response.errors?.[0]?.extensions?.code).toBe('UPSTREAM_THROTTLED');
    const after = await scrape();
    const name = 'gateway_upstream_throttles_total';
    expect(valueOf(after, name) - valueOf(before, name)).toBe(1);
    const throttled = { operation: 'DescribeSessions', outcome: 'UPSTREAM_THROTTLED' };
    const calls = 'gateway_upstream_calls_total';
    expect(valueOf(after, calls, throttled) - valueOf(before, calls, throttled)).toBe(1);
  });
});

describe('metrics on a port of their own (METRICS_PORT)', () => {
  const stack = useTestStack({ emulator: { dataset }, metricsPort: 0 });

  it('serves /metrics there and not beside /graphql', async () => {
    const metricsUrl = stack.gateway.metricsUrl;
    expect(metricsUrl).toBeDefined();
    expect(metricsUrl?.startsWith(stack.url)).toBe(false);
    const response = await fetch(metricsUrl ?? '');
    expect(response.status).toBe(200);
    expect(parsePrometheus(await response.text()).length).toBeGreaterThan(0);
    expect((await fetch(`${stack.url}/metrics`)).status).toBe(404);
  });
});

describe('one log line per operation', () => {
  const lines: string[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(line) });
  const stack = useTestStack({ emulator: { dataset }, logger, maxAttempts: 3 });

  const post = (body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${stack.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });
  const operationLines = () =>
    lines
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((entry) => entry.msg === 'GraphQL operation');

  it('carries the request id, name, duration, upstream calls, retries, cache hits and error codes', async () => {
    lines.length = 0;
    // One throttle the SDK retries: 2 calls (pages 1 and 2), 1 retry.
    stack.emulator.faults.add({
      operation: 'DescribeSessions',
      error: 'ThrottlingException',
      times: 1,
    });
    const first = await post({ query: PAGE }, { 'x-request-id': 'req-0001' });
    expect(first.headers.get('x-request-id')).toBe('req-0001');
    const { data } = (await first.json()) as {
      data: { sessions: { pageInfo: { endCursor: string } } };
    };
    const cursor = data.sessions.pageInfo.endCursor;
    const bad = await post(
      { query: PAGE.replace('first: 60', 'first: 500'), variables: { after: cursor } },
      { authorization: 'Bearer secret-jwt-value' },
    );
    const generated = bad.headers.get('x-request-id') ?? '';
    expect(generated).toMatch(/^[0-9a-f-]{36}$/);

    expect(operationLines()).toEqual([
      expect.objectContaining({
        level: 30,
        requestId: 'req-0001',
        operation: 'WalkPage',
        operationType: 'query',
        durationMs: expect.any(Number),
        upstreamCalls: 2,
        upstreamRetries: 1,
        upstreamFailures: 0,
        cacheHits: 0,
        cacheMisses: 0,
        coalesced: 0,
        errorCodes: [],
      }),
      expect.objectContaining({
        requestId: generated,
        operation: 'WalkPage',
        upstreamCalls: 0,
        errorCodes: ['BAD_USER_INPUT'],
      }),
    ]);
    const text = lines.join('');
    for (const forbidden of [
      cursor,
      'secret-jwt-value',
      'Bearer',
      'authorization',
      'stack-a',
      'sessions(',
    ]) {
      expect(text).not.toContain(forbidden);
    }
  });

  it('replaces a request id that is too long or not printable', async () => {
    const response = await post({ query: '{ __typename }' }, { 'x-request-id': 'x'.repeat(200) });
    expect(response.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });
});
