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

const production = productionSecurity();

describe('production defaults (NODE_ENV=production)', () => {
  const stack = useTestStack({
    emulator: { dataset },
    gatewayOptions: { security: production, maxBodyBytes: production.maxBodyBytes },
  });

  it('refuses introspection: __schema and __type', async () => {
    for (const query of [
      '{ __schema { types { name } } }',
      '{ __type(name: "Session") { name } }',
    ]) {
      const response = await stack.graphql(query);
      expect(response.status).toBe(400);
      expect(response.data).toBeUndefined();
      expect(response.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
      expect(response.errors?.[0]?.message).toBe(
        'Introspection (__schema, __type) is off on this gateway: it is off by default under ' +
          'NODE_ENV=production, and INTROSPECTION=true (set by its operator) enables it.',
      );
    }
    // __typename is not introspection of the schema and still works.
    expect((await stack.graphql('{ __typename }')).data).toEqual({ __typename: 'Query' });
  });

  it('gives no field suggestion for an unknown field', async () => {
    const response = await stack.graphql(
      '{ sesions(stackName: "stack-a", fleetName: "fleet-1") { totalCount } stak(name: "x") { name } }',
    );
    expect(response.status).toBe(400);
    const text = JSON.stringify(response);
    expect(response.errors?.length).toBeGreaterThan(0);
    expect(text).not.toMatch(/Did you mean|"sessions"|"stack"/);
  });

  it('masks an upstream message that carries an ARN or an account id', async () => {
    const arn = 'arn:aws:appstream:us-east-1:123456789012:fleet/fleet-1';
    stack.emulator.faults.add({
      operation: 'DescribeSessions',
      error: 'http500',
      message: `Internal failure for ${arn} in account 123456789012`,
    });
    const response = await stack.graphql(
      '{ sessions(stackName: "stack-a", fleetName: "fleet-1") { totalCount } }',
    );
    expect(response.errors?.[0]?.extensions?.code).toBe('UPSTREAM_UNAVAILABLE');
    expect(JSON.stringify(response)).not.toMatch(/arn:|123456789012|Internal failure|stacktrace/);
  });

  it('refuses bodies over the production body limit (256 KiB)', async () => {
    const response = await fetch(`${stack.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: `{ __typename }${' '.repeat(300 * 1024)}` }),
    });
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({
      errors: [{ message: expect.stringContaining('262144 bytes') }],
    });
  });

  it('keeps CSRF prevention on: a simple GET without a preflight header is refused', async () => {
    const response = await fetch(
      `${stack.url}/graphql?query=${encodeURIComponent('{ __typename }')}`,
    );
    expect(response.status).toBe(400);
  });
});

describe('development defaults', () => {
  const stack = useTestStack({ emulator: { dataset } });

  it('answer introspection and suggest field names', async () => {
    expect((await stack.graphql('{ __type(name: "Session") { name } }')).data).toEqual({
      __type: { name: 'Session' },
    });
    const response = await stack.graphql(
      '{ sesions(stackName: "a", fleetName: "b") { totalCount } }',
    );
    expect(response.errors?.[0]?.message).toMatch(/Did you mean "sessions"/);
  });
});
