import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createCallLog, type CallLog } from './calls.js';
import { createFaults, type FaultController, type FaultRule } from './faults.js';
import type { EmptyPageAtEnd, OperationContext, UnknownNameInSessions } from './operations.js';
import { createDataset, DEFAULT_SEED } from './seed.js';
import { createRequestHandler } from './server.js';
import { createStore, type EmulatorData } from './store.js';
import { createTokenCodec } from './tokens.js';
import type { Dataset } from './types.js';

/** Page size of DescribeStacks, DescribeFleets and ListAssociated* unless configured. */
export const DEFAULT_LIST_PAGE_SIZE = 10;

const KEEP_ALIVE_MS = 65_000;

/** Options of {@link createEmulator}. */
export interface EmulatorOptions {
  /** Seed of the generated dataset (ignored with `dataset`). Default 1. */
  seed?: number;
  /** Number of generated sessions (ignored with `dataset`). Default 600. */
  sessions?: number;
  /** Serve exactly this data instead of a generated dataset. */
  dataset?: Dataset;
  /** See {@link EmptyPageAtEnd}. Default 'never'. */
  emptyPageAtEnd?: EmptyPageAtEnd;
  /** See {@link UnknownNameInSessions}. Default 'error'. */
  unknownNameInSessions?: UnknownNameInSessions;
  /**
   * Least length of DescribeSessions NextTokens, in characters (default 0: about 100). AppStream
   * sets no maximum on NextToken; this makes tokens as long as a test needs.
   */
  nextTokenPadding?: number;
  /** Fault rules active from the start. */
  faults?: FaultRule[];
  /** Page size of the listings without a Limit member. Default {@link DEFAULT_LIST_PAGE_SIZE}. */
  listPageSize?: number;
}

/** Options that may be changed while the emulator runs; changes apply to the next request. */
export interface LiveOptions {
  emptyPageAtEnd: EmptyPageAtEnd;
  unknownNameInSessions: UnknownNameInSessions;
  nextTokenPadding: number;
  listPageSize: number;
}

/** An AppStream 2.0 emulator: a node:http server the real AppStreamClient can talk to. */
export interface Emulator {
  /** Starts listening (default host 127.0.0.1, port 0 = any free port). Rejects if already listening. */
  listen(options?: { port?: number; host?: string }): Promise<{ url: string; port: number }>;
  /** Stops listening, destroys keep-alive sockets and cancels delayed responses. Idempotent. */
  close(): Promise<void>;
  /** `http://host:port` while listening; throws otherwise. */
  readonly url: string;
  readonly calls: CallLog;
  readonly faults: FaultController;
  readonly data: EmulatorData;
  readonly options: LiveOptions;
}

/**
 * Creates an emulator over a generated dataset (`seed`, `sessions`) or over `dataset`. Nothing
 * listens until `listen()`. NextTokens are encrypted with a key random to this instance: tokens
 * of another instance (or of a restarted one) are rejected as invalid.
 */
export function createEmulator(options: EmulatorOptions = {}): Emulator {
  const seed = options.seed ?? DEFAULT_SEED;
  const dataset =
    options.dataset ??
    createDataset({
      seed,
      ...(options.sessions === undefined ? {} : { sessions: options.sessions }),
    });
  const store = createStore(dataset, seed);
  const tokens = createTokenCodec();
  const faults = createFaults(options.faults);
  const calls = createCallLog();
  const live: LiveOptions = {
    emptyPageAtEnd: options.emptyPageAtEnd ?? 'never',
    unknownNameInSessions: options.unknownNameInSessions ?? 'error',
    nextTokenPadding: options.nextTokenPadding ?? 0,
    listPageSize: options.listPageSize ?? DEFAULT_LIST_PAGE_SIZE,
  };
  if (!Number.isInteger(live.listPageSize) || live.listPageSize < 1) {
    throw new RangeError(`listPageSize must be a positive integer, got ${live.listPageSize}`);
  }
  const timers = new Set<NodeJS.Timeout>();
  const context = (): OperationContext => ({
    store,
    tokens,
    emptyPageAtEnd: live.emptyPageAtEnd,
    unknownNameInSessions: live.unknownNameInSessions,
    nextTokenPadding: live.nextTokenPadding,
    listPageSize: live.listPageSize,
  });
  const handler = createRequestHandler({
    context,
    faults,
    calls,
    track: (timer) => {
      timers.add(timer);
      return () => timers.delete(timer);
    },
  });
  let server: Server | undefined;
  let url: string | undefined;

  return {
    get url(): string {
      if (url === undefined) throw new Error('emulator is not listening');
      return url;
    },
    calls,
    faults,
    data: store,
    options: live,
    async listen(opts = {}) {
      if (server !== undefined) throw new Error('emulator is already listening');
      const host = opts.host ?? '127.0.0.1';
      const s = createServer(handler);
      // Longer than any SDK idle gap in a test run, so a reused keep-alive socket is never
      // closed under the client (close() destroys open sockets anyway).
      s.keepAliveTimeout = KEEP_ALIVE_MS;
      server = s;
      try {
        await new Promise<void>((resolve, reject) => {
          s.once('error', reject);
          s.listen(opts.port ?? 0, host, () => {
            s.off('error', reject);
            resolve();
          });
        });
      } catch (err: unknown) {
        server = undefined;
        throw err;
      }
      const { port } = s.address() as AddressInfo;
      url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
      return { url, port };
    },
    async close() {
      const s = server;
      server = undefined;
      url = undefined;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      if (s === undefined) return;
      await new Promise<void>((resolve) => {
        s.close(() => {
          resolve();
        });
        s.closeAllConnections();
      });
    },
  };
}
