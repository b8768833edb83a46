import type { Server } from 'node:http';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import type { ApolloServer } from '@apollo/server';
import { createCursorCodec } from '../pagination/index.js';
import type { Upstream } from '../upstream/types.js';
import { createApolloServer } from './apollo.js';
import { createContextFactory } from './context.js';
import type { GatewayContext } from './context.js';
import { createHttpServer, listen } from './http.js';
import type { Logger } from './logger.js';
import { createSchema } from './schema.js';

export interface GatewayOptions {
  readonly upstream: Upstream;
  readonly logger: Logger;
  /** Most upstream items one connection field may scan (default 5000). */
  readonly scanBound?: number;
  /** Browser origins allowed by CORS (default `'*'`). */
  readonly corsOrigins?: '*' | readonly string[];
}

/** A gateway that can be started once and stopped once. */
export interface Gateway {
  readonly apollo: ApolloServer<GatewayContext>;
  readonly httpServer: Server;
  /** A fresh per-request context, for in-process `executeOperation` calls in tests. */
  readonly createContext: () => Promise<GatewayContext>;
  /** Starts Apollo, then listens; resolves with the bound URL (for example `http://127.0.0.1:4000`). */
  start(port: number, host: string): Promise<string>;
  /** Stops taking requests (readiness goes 503 first), drains in-flight ones, then stops Apollo. */
  stop(): Promise<void>;
}

/** Assembles schema, Apollo Server and the HTTP server around an upstream. Nothing listens yet. */
export function createGateway(options: GatewayOptions): Gateway {
  const paging = { codec: createCursorCodec(), scanBound: options.scanBound ?? 5000 };
  const createContext = createContextFactory({
    upstream: options.upstream,
    paging,
    logger: options.logger,
  });
  let ready = false;
  const apollo = createApolloServer({ schema: createSchema(), logger: options.logger });
  const httpServer = createHttpServer({
    apollo,
    context: createContext,
    logger: options.logger,
    isReady: () => ready,
    ...(options.corsOrigins === undefined ? {} : { corsOrigins: options.corsOrigins }),
  });
  apollo.addPlugin(ApolloServerPluginDrainHttpServer({ httpServer }));

  return {
    apollo,
    httpServer,
    createContext,
    async start(port, host) {
      await apollo.start();
      const url = await listen(httpServer, port, host);
      ready = true;
      return url;
    },
    async stop() {
      ready = false;
      await apollo.stop();
    },
  };
}
