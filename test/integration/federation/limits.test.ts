import { describe, expect, it } from 'vitest';
import { datasetBuilder } from '../../../src/emulator/index.js';
import { productionSecurity } from '../../helpers/config.js';
import { useTestStack } from '../../helpers/gateway.js';

const dataset = datasetBuilder()
  .stack('stack-a')
  .fleet('fleet-1')
  .associate('stack-a', 'fleet-1')
  .sessions('stack-a', 'fleet-1', 5)
  .build();

const ENTITIES = `query Entities($representations: [_Any!]!) {
  _entities(representations: $representations) { ... on Fleet { name } }
}`;

const fleetRefs = (count: number) =>
  Array.from({ length: count }, () => ({ __typename: 'Fleet', name: 'fleet-1' }));

/**
 * `/subgraph` may be reached without a router in front (no SUBGRAPH_SECRET), so it keeps the
 * public endpoint's limits: the same query limits, the same item cap, the same production switches.
 */
describe('the subgraph endpoint keeps the limits of /graphql', () => {
  const production = productionSecurity();
  const stack = useTestStack({
    emulator: { dataset },
    gatewayOptions: {
      security: production,
      budgets: { maxUpstreamCalls: 100, maxResultItems: 25, upstreamDeadlineMs: 5000 },
    },
  });

  it('refuses a depth bomb and too many aliases before any upstream call', async () => {
    const nested = 'stacks { fleets { '.repeat(6);
    const deep = `{ stacks { nodes { fleets { ${nested} name ${'} } '.repeat(6)} } } } }`;
    const aliases = `{ ${Array.from({ length: 40 }, (_, i) => `a${i}: __typename`).join(' ')} }`;
    for (const [query, limit] of [
      [deep, 'depth'],
      [aliases, 'aliases'],
    ] as const) {
      const response = await stack.subgraph(query);
      expect(response.errors?.[0]?.extensions).toMatchObject({
        code: 'QUERY_LIMIT_EXCEEDED',
        limit,
      });
    }
    expect(stack.emulator.calls.count()).toBe(0);
  });

  it('caps the entities one request may return (MAX_RESULT_ITEMS)', async () => {
    const within = await stack.subgraph(ENTITIES, { representations: fleetRefs(25) });
    expect(within.errors).toBeUndefined();
    const over = await stack.subgraph<{ _entities: unknown }>(ENTITIES, {
      representations: fleetRefs(26),
    });
    expect(over.data?._entities ?? null).toBeNull();
    expect(over.errors?.[0]?.extensions).toMatchObject({
      code: 'RESULT_LIMIT_EXCEEDED',
      maximum: 25,
    });
  });

  it('answers the router: _service works with introspection off, __schema does not', async () => {
    const service = await stack.subgraph<{ _service: { sdl: string } }>('{ _service { sdl } }');
    expect(service.data?._service.sdl).toContain('@key(fields: "name")');
    const introspection = await stack.subgraph('{ __schema { types { name } } }');
    expect(introspection.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });
});
