import { describe, expect, it } from 'vitest';
import { startServer } from '../../../scripts/bench/proc.js';

// A server process as the benchmark starts them: one JSON line with its URL, then it runs on.
const SERVER =
  'console.log(JSON.stringify({ url: "http://127.0.0.1:1" })); setInterval(() => {}, 1000);';

describe('benchmark processes', () => {
  it('stop() resolves for a process a signal has already ended (each group stops its servers, then the run stops them all)', async () => {
    const server = await startServer('test server', ['-e', SERVER], {});
    await server.stop();
    const again = await Promise.race([
      server.stop().then(() => 'stopped'),
      new Promise((resolve) => setTimeout(() => resolve('still waiting after 5 s'), 5000)),
    ]);
    expect(again).toBe('stopped');
  });
});
