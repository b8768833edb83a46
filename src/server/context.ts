import type { GatewayContext, PagingSettings } from '../context.js';
import { UNRESTRICTED_SCOPE } from '../context.js';
import { createLoaders } from '../loaders/index.js';
import type { Upstream } from '../upstream/types.js';
import type { Logger } from './logger.js';

export type { GatewayContext, PagingSettings } from '../context.js';

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
      scope: UNRESTRICTED_SCOPE,
    });
}
