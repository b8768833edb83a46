import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CallRecorder } from './calls.js';
import { ServiceError, type ServiceErrorType } from './errors.js';
import type { FaultEngine, FaultError } from './faults.js';
import { runOperation, type OperationContext } from './operations.js';
import { isOperationName } from './types.js';
import type { JsonObject } from './validation.js';
import { toWire } from './wire.js';

/** The `x-amz-target` prefix of AppStream 2.0 (AWS JSON 1.1). */
export const TARGET_PREFIX = 'PhotonAdminProxyService.';
const CONTENT_TYPE = 'application/x-amz-json-1.1';
const MAX_BODY_BYTES = 1024 * 1024;

/** What the request handler needs; `context()` is read per request so options can change live. */
export interface HandlerDeps {
  context: () => OperationContext;
  faults: FaultEngine;
  calls: CallRecorder;
  /** Registers a pending latency timer so that close() can cancel it. */
  track: (timer: NodeJS.Timeout) => () => void;
}

interface Reply {
  status: number;
  body: unknown;
  errorType?: ServiceErrorType;
}

/**
 * The node:http request listener speaking AppStream's AWS JSON 1.1 protocol. Signatures are not
 * checked. Every request is recorded in `calls`. Request bodies are never logged.
 */
export function createRequestHandler(deps: HandlerDeps) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on('error', () => req.socket.destroy());
    req.on('end', () => {
      handle(
        deps,
        req,
        res,
        size > MAX_BODY_BYTES ? undefined : Buffer.concat(chunks).toString('utf8'),
      );
    });
  };
}

function handle(
  deps: HandlerDeps,
  req: IncomingMessage,
  res: ServerResponse,
  body: string | undefined,
): void {
  const target = req.headers['x-amz-target'];
  const operation =
    typeof target === 'string' && target.startsWith(TARGET_PREFIX)
      ? target.slice(TARGET_PREFIX.length)
      : undefined;
  const input = body === undefined ? undefined : parseBody(body);
  const effect = deps.faults.take(operation, input);
  const faulted = effect.latencyMs > 0 || effect.error !== undefined;
  const receivedAt = Date.now();

  const respond = (): void => {
    if (effect.error === 'drop') {
      deps.calls.record({
        operation,
        input,
        status: 0,
        outcome: 'dropped',
        faulted,
        receivedAt,
      });
      req.socket.destroy();
      return;
    }
    const reply =
      effect.error !== undefined
        ? faultReply(effect.error, effect.message)
        : answer(deps.context(), req.method, operation, input, body);
    deps.calls.record({
      operation,
      input,
      status: reply.status,
      outcome: reply.status === 200 ? 'success' : 'error',
      ...(reply.errorType === undefined ? {} : { errorType: reply.errorType }),
      faulted,
      receivedAt,
    });
    send(res, reply);
  };
  if (effect.latencyMs <= 0) {
    respond();
    return;
  }
  let untrack = (): void => undefined;
  const timer = setTimeout(() => {
    untrack();
    respond();
  }, effect.latencyMs);
  untrack = deps.track(timer);
}

function answer(
  ctx: OperationContext,
  method: string | undefined,
  operation: string | undefined,
  input: JsonObject | undefined,
  body: string | undefined,
): Reply {
  if (method !== 'POST' || operation === undefined || !isOperationName(operation)) {
    return errorReply(new ServiceError('UnknownOperationException', 'Unknown operation'));
  }
  if (body === undefined) {
    return errorReply(
      new ServiceError('RequestEntityTooLargeException', 'Request body is too large'),
    );
  }
  if (input === undefined) {
    return errorReply(
      new ServiceError('SerializationException', 'Request body is not a JSON object'),
    );
  }
  try {
    return { status: 200, body: toWire(runOperation(ctx, operation, input)) };
  } catch (err: unknown) {
    if (err instanceof ServiceError) return errorReply(err);
    return errorReply(new ServiceError('InternalServiceException', 'Internal error'));
  }
}

function faultReply(error: Exclude<FaultError, 'drop'>, message: string | undefined): Reply {
  switch (error) {
    case 'ThrottlingException':
      return errorReply(new ServiceError(error, message ?? 'Rate exceeded'));
    case 'RequestLimitExceededException':
      return errorReply(new ServiceError(error, message ?? 'The request limit has been exceeded'));
    case 'http500':
      return errorReply(
        new ServiceError('InternalServiceException', message ?? 'Internal service error'),
      );
    case 'http503':
      return errorReply(
        new ServiceError('ServiceUnavailableException', message ?? 'Service unavailable'),
      );
  }
}

function errorReply(err: ServiceError): Reply {
  return {
    status: err.status,
    body: { __type: err.type, message: err.message },
    errorType: err.type,
  };
}

/** An empty body counts as `{}`; anything but a JSON object is undefined. */
function parseBody(body: string): JsonObject | undefined {
  if (body.trim() === '') return {};
  try {
    const value: unknown = JSON.parse(body);
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
    return value as JsonObject;
  } catch {
    return undefined;
  }
}

function send(res: ServerResponse, reply: Reply): void {
  if (res.destroyed) return;
  const payload = Buffer.from(JSON.stringify(reply.body), 'utf8');
  res.writeHead(reply.status, {
    'content-type': CONTENT_TYPE,
    'content-length': payload.length,
    'x-amzn-requestid': randomUUID(),
    ...(reply.errorType === undefined ? {} : { 'x-amzn-errortype': reply.errorType }),
  });
  res.end(payload);
}
