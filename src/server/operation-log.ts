import type { ApolloServerPlugin } from '@apollo/server';
import { SpanStatusCode, trace } from '@opentelemetry/api';
import { loggedName } from './apollo.js';
import type { GatewayContext } from './context.js';
import type { Logger } from './logger.js';
import type { GatewayMetrics } from './metrics.js';

const tracer = trace.getTracer('appstream-graphql-gateway');

/**
 * One hook per request (never per field): when the response is ready, it writes one log line for
 * the operation, records its duration in the metrics, and ends its OpenTelemetry span (a no-op
 * unless an OpenTelemetry SDK is registered in the process).
 *
 * The line carries the request id, operation name and type, duration, the upstream calls, retries,
 * failures, cache hits and misses, coalesced calls, and the error codes of the response. It never
 * carries the query text, variables, tokens, cursors or headers.
 */
export function operationLogPlugin(options: {
  readonly logger: Logger;
  readonly metrics?: GatewayMetrics;
}): ApolloServerPlugin<GatewayContext> {
  const { logger, metrics } = options;
  return {
    requestDidStart({ contextValue }) {
      const started = performance.now();
      const span = tracer.startSpan('graphql.operation', {
        attributes: { 'gateway.request_id': contextValue.requestId },
      });
      return Promise.resolve({
        willSendResponse({ operationName, operation, response, errors }) {
          const seconds = (performance.now() - started) / 1000;
          const codes = new Set<string>();
          const body = response.body;
          const sent = body.kind === 'single' ? body.singleResult.errors : undefined;
          for (const error of sent ?? errors ?? []) {
            const code = error.extensions?.code;
            codes.add(typeof code === 'string' ? code : 'UNKNOWN');
          }
          const stats = contextValue.upstreamStats;
          const errorCodes = [...codes];
          // Names come from clients: cut like in every log line, and on the span too.
          const name = loggedName(operationName);
          logger.info(
            {
              requestId: contextValue.requestId,
              operation: name,
              operationType: operation?.operation ?? null,
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
          metrics?.observeOperation(operationName ?? null, seconds, errorCodes.length > 0);
          span.setAttributes({
            'graphql.operation.name': name ?? '',
            'graphql.operation.type': operation?.operation ?? '',
            'gateway.upstream.calls': stats.calls,
            'gateway.cache.hits': stats.cacheHits,
          });
          if (errorCodes.length > 0) {
            span.setStatus({ code: SpanStatusCode.ERROR, message: errorCodes.join(',') });
          }
          span.end();
          return Promise.resolve();
        },
      });
    },
  };
}
