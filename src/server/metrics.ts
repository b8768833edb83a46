import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { ErrorCode } from '../errors.js';
import type { BreakerSnapshot, BreakerState } from '../upstream/circuit-breaker.js';
import type { UpstreamObserver } from '../upstream/types.js';
import type { Logger } from './logger.js';
import { DEFAULT_REGION } from '../upstream/regions.js';

/** Distinct operation names kept as label values; later names are counted as `other`. */
const MAX_OPERATION_NAMES = 50;
const OPERATION_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

/** The gateway's Prometheus metrics, in a registry of their own (with Node's process metrics). */
export interface GatewayMetrics {
  readonly registry: Registry;
  /** Counts upstream calls, retries, throttles, cache hits and in-flight calls. */
  readonly upstreamObserver: UpstreamObserver;
  /** Records one GraphQL operation: its name (as sent), duration and whether it had errors. */
  observeOperation(name: string | null, seconds: number, failed: boolean): void;
}

/**
 * Creates the registry and its metrics. `cacheStats` (when the page cache is on) is read at
 * scrape time for the cache's size gauges. Operation names come from clients, so at most
 * {@link MAX_OPERATION_NAMES} distinct well-formed names become label values; with trusted
 * documents, exactly their names (`operationNames`), so no client can take a label's place.
 */
export function createMetrics(
  options: {
    readonly cacheStats?: () => { entries: number; bytes: number };
    /** The circuit breakers, read at scrape time for their state gauge. */
    readonly breakers?: () => readonly BreakerSnapshot[];
    /** The `region` label of calls that carry none: the first configured region. */
    readonly defaultRegion?: string;
    /**
     * The only operation names that become label values (the trusted documents' names), instead
     * of the first {@link MAX_OPERATION_NAMES} names clients send.
     */
    readonly operationNames?: ReadonlySet<string> | undefined;
  } = {},
): GatewayMetrics {
  const defaultRegion = options.defaultRegion ?? DEFAULT_REGION;
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const registers = [registry];
  const operations = new Histogram({
    name: 'gateway_operation_duration_seconds',
    help: 'GraphQL operations by name and outcome, from request start to response.',
    labelNames: ['operation', 'outcome'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers,
  });
  const calls = new Counter({
    name: 'gateway_upstream_calls_total',
    help: 'AppStream calls sent, by operation, outcome (ok or the error code) and region.',
    labelNames: ['operation', 'outcome', 'region'],
    registers,
  });
  const throttles = new Counter({
    name: 'gateway_upstream_throttles_total',
    help: 'AppStream calls that failed throttled after the SDK retries, by operation and region.',
    labelNames: ['operation', 'region'],
    registers,
  });
  const retries = new Counter({
    name: 'gateway_upstream_retries_total',
    help: 'SDK retries of AppStream calls, by operation and region.',
    labelNames: ['operation', 'region'],
    registers,
  });
  const inFlight = new Gauge({
    name: 'gateway_upstream_in_flight',
    help: 'AppStream calls in flight now.',
    registers,
  });
  const cache = new Counter({
    name: 'gateway_page_cache_lookups_total',
    help: 'Page cache lookups by operation and result (hit or miss).',
    labelNames: ['operation', 'result'],
    registers,
  });
  const coalesced = new Counter({
    name: 'gateway_upstream_coalesced_total',
    help: 'Calls that joined an identical AppStream call already in flight (single-flight).',
    labelNames: ['operation'],
    registers,
  });
  const { cacheStats } = options;
  if (cacheStats !== undefined) {
    new Gauge({
      name: 'gateway_page_cache_entries',
      help: 'Pages held by the page cache.',
      registers,
      collect() {
        this.set(cacheStats().entries);
      },
    });
    new Gauge({
      name: 'gateway_page_cache_bytes',
      help: 'Estimated bytes held by the page cache.',
      registers,
      collect() {
        this.set(cacheStats().bytes);
      },
    });
  }
  const { breakers } = options;
  if (breakers !== undefined) {
    const states: readonly BreakerState[] = ['closed', 'open', 'half-open'];
    new Gauge({
      name: 'gateway_upstream_breaker_state',
      help: 'Circuit breaker state by region: 1 for the current state, 0 for the others.',
      labelNames: ['region', 'state'],
      registers,
      collect() {
        for (const breaker of breakers()) {
          for (const state of states) {
            this.set({ region: breaker.region, state }, breaker.state === state ? 1 : 0);
          }
        }
      },
    });
  }
  const { operationNames } = options;
  const names = new Set<string>();
  const labelOf = (name: string | null): string => {
    if (name === null || !OPERATION_NAME.test(name)) return name === null ? 'anonymous' : 'other';
    if (operationNames !== undefined) return operationNames.has(name) ? name : 'other';
    if (names.has(name)) return name;
    if (names.size >= MAX_OPERATION_NAMES) return 'other';
    names.add(name);
    return name;
  };
  return {
    registry,
    upstreamObserver: {
      cache: (operation, hit) => cache.inc({ operation, result: hit ? 'hit' : 'miss' }),
      coalesced: (operation) => coalesced.inc({ operation }),
      started: () => inFlight.inc(),
      settled(report) {
        inFlight.dec();
        const { operation } = report;
        const region = report.region ?? defaultRegion;
        calls.inc({ operation, outcome: report.outcome, region });
        if (report.attempts > 1) retries.inc({ operation, region }, report.attempts - 1);
        if (report.outcome === ErrorCode.UPSTREAM_THROTTLED) throttles.inc({ operation, region });
      },
    },
    observeOperation(name, seconds, failed) {
      operations.observe({ operation: labelOf(name), outcome: failed ? 'error' : 'ok' }, seconds);
    },
  };
}

/** Answers `GET /metrics` with the registry in Prometheus' text format. */
export async function handleMetrics(
  req: IncomingMessage,
  res: ServerResponse,
  registry: Registry,
): Promise<void> {
  if (req.method !== 'GET') {
    res.writeHead(405, { allow: 'GET', 'content-type': 'application/json; charset=utf-8' });
    res.end(
      JSON.stringify({
        errors: [{ message: 'Use GET /metrics.', extensions: { code: ErrorCode.BAD_USER_INPUT } }],
      }),
    );
    return;
  }
  const text = await registry.metrics();
  res.writeHead(200, { 'content-type': registry.contentType });
  res.end(text);
}

/**
 * A server of its own for `/metrics` (`METRICS_PORT`), so that metrics need not be exposed where
 * GraphQL is. Anything but `/metrics` is a JSON 404.
 */
export function createMetricsServer(registry: Registry, logger: Logger): Server {
  return createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (path !== '/metrics') {
      res.writeHead(404, { 'content-type': 'application/json; charset=utf-8' });
      res.end(
        JSON.stringify({
          errors: [
            {
              message: `Nothing at ${path}; metrics are served at /metrics.`,
              extensions: { code: 'NOT_FOUND' },
            },
          ],
        }),
      );
      return;
    }
    handleMetrics(req, res, registry).catch((error: unknown) => {
      logger.error(
        { error: { name: error instanceof Error ? error.name : typeof error } },
        'Metrics failed',
      );
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
}
