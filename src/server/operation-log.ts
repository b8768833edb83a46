import type { ApolloServerPlugin } from '@apollo/server';
import { SpanStatusCode, trace } from '@opentelemetry/api';
import type { UpstreamStats } from '../upstream/observe.js';
import { loggedName } from './apollo.js';
import type { GatewayContext } from './context.js';
import type { Logger } from './logger.js';
import type { GatewayMetrics } from './metrics.js';

const tracer = trace.getTracer('appstream-graphql-gateway');

/** How an operation ended: what the log line, the metrics and the span say of it. */
export interface OperationOutcome {
  readonly operationName: string | null | undefined;
  /** `query`, `subscription`, ...; null when the document never got that far. */
  readonly operationType: string | null;
  readonly stats: Readonly<UpstreamStats>;
  /** Codes of the errors sent to the client (`UNKNOWN` for an error without one). */
  readonly errorCodes: readonly string[];
  /** How it was carried: `http` or `websocket`. */
  readonly transport: 'http' | 'websocket';
}

/** An operation being recorded: `end` writes its line and ends its span (once). */
export interface RunningOperation {
  end(outcome: OperationOutcome): void;
}

/**
 * Starts recording one operation: when it ends, one log line, the operation metrics and the end
 * of its OpenTelemetry span (a no-op unless an OpenTelemetry SDK is registered in the process).
 *
 * The line carries the request id, operation name and type, transport, duration, the upstream
 * calls, retries, failures, cache hits and misses, coalesced calls, and the error codes of the
 * response. It never carries the query text, variables, tokens, cursors or headers. A
 * subscription's duration is its lifetime: it is logged, not observed as operation latency.
 */
export function createOperationRecorder(options: {
  readonly logger: Logger;
  readonly metrics?: GatewayMetrics | undefined;
}): (requestId: string) => RunningOperation {
  const { logger, metrics } = options;
  return (requestId) => {
    const started = performance.now();
    const span = tracer.startSpan('graphql.operation', {
      attributes: { 'gateway.request_id': requestId },
    });
    let ended = false;
    return {
      end({ operationName, operationType, stats, errorCodes, transport }) {
        if (ended) return;
        ended = true;
        const seconds = (performance.now() - started) / 1000;
        // Names come from clients: cut like in every log line, and on the span too.
        const name = loggedName(operationName);
        logger.info(
          {
            requestId,
            operation: name,
            operationType,
            transport,
            durationMs: Math.round(seconds * 10_000) / 10,
            upstreamCalls: stats.calls,
            upstreamRetries: stats.retries,
            upstreamFailures: stats.failures,
            cacheHits: stats.cacheHits,
            cacheMisses: stats.cacheMisses,
            coalesced: stats.coalesced,
            errorCodes,
          },
          'GraphQL operation',
        );
        if (operationType !== 'subscription') {
          metrics?.observeOperation(operationName ?? null, seconds, errorCodes.length > 0);
        }
        span.setAttributes({
          'graphql.operation.name': name ?? '',
          'graphql.operation.type': operationType ?? '',
          'gateway.transport': transport,
          'gateway.upstream.calls': stats.calls,
          'gateway.cache.hits': stats.cacheHits,
        });
        if (errorCodes.length > 0) {
          span.setStatus({ code: SpanStatusCode.ERROR, message: errorCodes.join(',') });
        }
        span.end();
      },
    };
  };
}

/** Adds the codes of `errors` to `into` (`UNKNOWN` for an error without a string code). */
export function collectCodes(
  into: Set<string>,
  errors: ReadonlyArray<{ readonly extensions?: Readonly<Record<string, unknown>> }> | undefined,
): void {
  for (const error of errors ?? []) {
    const code = error.extensions?.code;
    into.add(typeof code === 'string' ? code : 'UNKNOWN');
  }
}

/** The recorder as an Apollo Server plugin: one hook per request (never per field). */
export function operationLogPlugin(
  record: (requestId: string) => RunningOperation,
): ApolloServerPlugin<GatewayContext> {
  return {
    requestDidStart({ contextValue }) {
      const running = record(contextValue.requestId);
      return Promise.resolve({
        willSendResponse({ operationName, operation, response, errors }) {
          const codes = new Set<string>();
          const body = response.body;
          collectCodes(
            codes,
            (body.kind === 'single' ? body.singleResult.errors : undefined) ?? errors,
          );
          running.end({
            operationName,
            operationType: operation?.operation ?? null,
            stats: contextValue.upstreamStats,
            errorCodes: [...codes],
            transport: 'http',
          });
          return Promise.resolve();
        },
      });
    },
  };
}
