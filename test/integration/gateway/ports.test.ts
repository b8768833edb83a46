import { once } from 'node:events';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { collect, killMains, startMain } from '../../helpers/main-process.js';

afterEach(killMains);

/** A port on 127.0.0.1 that another listener holds until `close`. */
async function takenPort(): Promise<{ port: number; close: () => void }> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { port: (server.address() as AddressInfo).port, close: () => server.close() };
}

describe('a port of the gateway already in use', () => {
  for (const variable of ['METRICS_PORT', 'SUBGRAPH_PORT']) {
    it(`names ${variable} and its port, not PORT, when ${variable} is taken`, async () => {
      const taken = await takenPort();
      try {
        const { code, stderr } = await collect(
          startMain({ HOST: '127.0.0.1', PORT: '0', [variable]: String(taken.port) }),
        );
        expect(code).toBe(1);
        expect(stderr.trim().split('\n').at(-1)).toBe(
          `The gateway could not start: port ${taken.port} is already in use; set ${variable} to a free port`,
        );
      } finally {
        taken.close();
      }
    });
  }
});
