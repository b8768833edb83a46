/**
 * The benchmark's AppStream emulator, in a process of its own, driven over IPC by `run.ts`:
 * `{ cmd: 'count' }` answers the DescribeSessions calls since the last `{ cmd: 'reset' }`;
 * `{ cmd: 'latency', ms }` sets injected latency on every call; `{ cmd: 'emptyPageAtEnd', mode }`.
 */
import { createEmulator, datasetBuilder } from '../../src/emulator/index.js';
import type { EmptyPageAtEnd } from '../../src/emulator/index.js';
import { BENCH_FLEETS, DASHBOARD } from './dataset.js';

const builder = datasetBuilder({ seed: 11 });
for (const stack of DASHBOARD.stacks) builder.stack(stack);
builder.stack('bench');
for (const [stack, fleets] of Object.entries(DASHBOARD.fleets)) {
  for (const fleet of fleets) {
    builder.fleet(fleet).associate(stack, fleet).sessions(stack, fleet, DASHBOARD.sessions);
  }
}
for (const [fleet, sessions] of Object.entries(BENCH_FLEETS)) {
  builder.fleet(fleet).associate('bench', fleet).sessions('bench', fleet, sessions);
}
const emulator = createEmulator({ dataset: builder.build() });
const { url } = await emulator.listen({ port: 0, host: '127.0.0.1' });

type Command =
  | { cmd: 'count' }
  | { cmd: 'reset' }
  | { cmd: 'latency'; ms: number }
  | { cmd: 'emptyPageAtEnd'; mode: EmptyPageAtEnd };

process.on('message', (message: Command) => {
  switch (message.cmd) {
    case 'count':
      process.send?.({
        count: emulator.calls.count(),
        sessions: emulator.calls.count('DescribeSessions'),
      });
      return;
    case 'reset':
      emulator.calls.reset();
      break;
    case 'latency':
      emulator.faults.clear();
      if (message.ms > 0) emulator.faults.add({ latencyMs: message.ms });
      break;
    case 'emptyPageAtEnd':
      emulator.options.emptyPageAtEnd = message.mode;
      break;
  }
  process.send?.({ ok: true });
});
process.on('disconnect', () => process.exit(0));
process.send?.({ url });
