/**
 * The policies applied to a GraphQL request at the HTTP layer, before Apollo parses anything:
 * the size of a batch, and trusted documents.
 */
import { ErrorCode, GatewayError } from '../errors.js';
import type { TrustedDocuments } from '../policy/trusted-documents.js';

export interface RequestPolicyOptions {
  /** Whether a JSON array of operations is accepted (Apollo refuses it otherwise). */
  readonly allowBatchedHttpRequests?: boolean;
  /** Most operations in one batch (default 10). */
  readonly maxBatchSize?: number;
  /** When set, only these documents run. */
  readonly trustedDocuments?: TrustedDocuments | undefined;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * A parsed POST body with the policies applied: a batch over `maxBatchSize` is refused with
 * `QUERY_LIMIT_EXCEEDED` (limit `batch`); with trusted documents each operation is replaced by its
 * listed document, or refused. Throws a {@link GatewayError}.
 */
export function prepareBody(body: unknown, options: RequestPolicyOptions): unknown {
  const trusted = options.trustedDocuments;
  const maxBatchSize = options.maxBatchSize ?? 10;
  if (Array.isArray(body) && options.allowBatchedHttpRequests === true) {
    if (body.length > maxBatchSize) {
      throw new GatewayError(
        ErrorCode.QUERY_LIMIT_EXCEEDED,
        `This batch has ${body.length} operations, over the batch limit of ${maxBatchSize}; ` +
          'send fewer per request.',
        { extensions: { limit: 'batch', variable: 'MAX_BATCH_SIZE', maximum: maxBatchSize } },
      );
    }
    return trusted === undefined
      ? body
      : (body as unknown[]).map((item) => (isRecord(item) ? trusted.resolve(item) : item));
  }
  return trusted !== undefined && isRecord(body) ? trusted.resolve(body) : body;
}

/** GET's query string with trusted documents applied (parameters as in a POST body). */
export function prepareSearch(url: URL, trusted: TrustedDocuments | undefined): string {
  if (trusted === undefined) return url.search;
  const request: Record<string, unknown> = Object.fromEntries(url.searchParams);
  if (typeof request.extensions === 'string') {
    try {
      request.extensions = JSON.parse(request.extensions) as unknown;
    } catch {
      throw new GatewayError(
        ErrorCode.BAD_USER_INPUT,
        'The extensions parameter is not valid JSON.',
      );
    }
  }
  const resolved = trusted.resolve(request);
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(resolved)) {
    params.set(key, typeof value === 'string' ? value : JSON.stringify(value));
  }
  return `?${params.toString()}`;
}

/** The HTTP status of a request refused here (Apollo answers an unknown persisted id with 200). */
export const refusalStatus = (error: GatewayError): number =>
  error.code === ErrorCode.PERSISTED_QUERY_NOT_FOUND ? 200 : 400;
