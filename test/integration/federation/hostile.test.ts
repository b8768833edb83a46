import { Writable } from 'node:stream';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { datasetBuilder } from '../../../src/emulator/index.js';
import { useTestStack } from '../../helpers/gateway.js';

const dataset = datasetBuilder()
  .stack('stack-a')
  .fleet('fleet-1')
  .associate('stack-a', 'fleet-1')
  .sessions('stack-a', 'fleet-1', 3)
  .build();

const logLines: string[] = [];
const logger = pino(
  { level: 'debug' },
  new Writable({
    write(chunk: Buffer, _encoding, done) {
      logLines.push(chunk.toString());
      done();
    },
  }),
);

const ENTITIES = `query Entities($representations: [_Any!]!) {
  _entities(representations: $representations) { __typename ... on Stack { name } }
}`;

/** Hostile `_entities` calls, as a client that reaches `/subgraph` without a router would send. */
describe('_entities with malformed representations', () => {
  const stack = useTestStack({ emulator: { dataset }, logger });

  it('answers an unknown __typename after a bad reference with BAD_USER_INPUT and keeps serving', async () => {
    // A bad name first (its lookup starts), then a type @apollo/subgraph cannot resolve: this
    // once left the first lookup's rejection unhandled and the process exited.
    const response = await stack.subgraph(ENTITIES, {
      representations: [{ __typename: 'Stack', name: 'bad name' }, { __typename: 'Nope' }],
    });
    expect(response.data).toBeNull();
    expect(response.errors).toEqual([
      expect.objectContaining({
        message: expect.stringContaining('representations[1] names the type "Nope"'),
        extensions: { code: 'BAD_USER_INPUT' },
      }),
    ]);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect((await fetch(`${stack.url}/healthz`)).status).toBe(200);
    const ok = await stack.subgraph(ENTITIES, {
      representations: [{ __typename: 'Stack', name: 'stack-a' }],
    });
    expect(ok.data).toEqual({ _entities: [{ __typename: 'Stack', name: 'stack-a' }] });
  });

  it('refuses non-entity types and non-objects, naming the entry, before any upstream call', async () => {
    const cases: Array<[unknown, string]> = [
      [{ __typename: 'Query' }, 'representations[0] names the type "Query"'],
      [{ __typename: 'PageInfo' }, 'representations[0] names the type "PageInfo"'],
      [{ name: 'stack-a' }, 'representations[0] names no `__typename`'],
      [[[['deep']]], 'representations[0] must be an object'],
      ['Stack', 'representations[0] must be an object'],
    ];
    for (const [representation, message] of cases) {
      const response = await stack.subgraph(ENTITIES, { representations: [representation] });
      expect(response.errors?.[0]).toMatchObject({
        message: expect.stringContaining(message),
        extensions: { code: 'BAD_USER_INPUT' },
      });
    }
    expect(stack.emulator.calls.count()).toBe(0);
  });

  it('logs a request with thousands of failing references in a handful of bounded lines', async () => {
    logLines.length = 0;
    const name = `Op${'A'.repeat(10_000)}`;
    const representations = Array.from({ length: 2000 }, (_, i) => ({
      __typename: 'Stack',
      name: `missing-${i}`,
    }));
    const response = await stack.subgraph(ENTITIES.replace('query Entities', `query ${name}`), {
      representations,
    });
    expect(response.errors?.length).toBeGreaterThan(100);
    const errorLines = logLines.filter((line) => line.includes('GraphQL error'));
    expect(errorLines.length).toBeLessThanOrEqual(6);
    expect(errorLines.some((line) => line.includes('more'))).toBe(true);
    for (const line of logLines) expect(line.length).toBeLessThan(2000);
  });
});
