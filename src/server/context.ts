import type { CursorCodec } from '../pagination/index.js';
import { createLoaders } from '../loaders/index.js';
import type { Loaders } from '../loaders/index.js';
import type { Upstream } from '../upstream/types.js';
import type { Logger } from './logger.js';

/** Settings every connection field shares; fixed for the life of the process. */
export interface PagingSettings {
  readonly codec: CursorCodec;
  /** Most upstream items one connection field may scan. */
  readonly scanBound: number;
}

/** What every resolver receives. Built fresh for each GraphQL request. */
export interface GatewayContext {
  /** Per-request loaders: they de-duplicate upstream work within this request only. */
  readonly loaders: Loaders;
  readonly paging: PagingSettings;
  readonly logger: Logger;
}

/** Returns the per-request context factory. Loaders are never shared between requests. */
export function createContextFactory(options: {
  readonly upstream: Upstream;
  readonly paging: PagingSettings;
  readonly logger: Logger;
}): () => Promise<GatewayContext> {
  return () =>
    Promise.resolve({
      loaders: createLoaders(options.upstream, options.paging),
      paging: options.paging,
      logger: options.logger,
    });
}
