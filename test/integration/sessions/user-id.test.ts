import { afterAll, describe, expect, it } from 'vitest';
import type { Client } from 'graphql-ws';
import { useTestStack } from '../../helpers/gateway.js';
import { EVENT_FIELDS, record, wsClient } from '../live/helpers.js';

/** A `userId` AppStream cannot hold is refused by the gateway; nothing reaches AppStream. */
describe('userId filters', () => {
  const stack = useTestStack();

  it.each(['  ', 'x\ny', '💣💣'])(
    'refuses the API userId %j before any upstream call',
    async (userId) => {
      const response = await stack.graphql(
        `query Q($userId: String) { sessions(stackName: "engineering-desktops",
        fleetName: "eng-linux-alwayson", userId: $userId, authenticationType: API) { totalCount } }`,
        { userId },
      );
      expect(response.errors?.[0]).toMatchObject({
        message: expect.stringContaining('`userId` with authenticationType API must be 2 to 32'),
        extensions: { code: 'BAD_USER_INPUT' },
      });
      expect(stack.emulator.calls.count()).toBe(0);
    },
  );

  it('still finds an API user by a valid id', async () => {
    const response = await stack.graphql<{ sessions: { totalCount: number } }>(
      `{ sessions(stackName: "engineering-desktops", fleetName: "eng-linux-alwayson",
        userId: "svc-no-such-user", authenticationType: API) { totalCount } }`,
    );
    expect(response.errors).toBeUndefined();
    expect(response.data?.sessions.totalCount).toBe(0);
  });

  const clients: Client[] = [];
  afterAll(async () => {
    for (const client of clients) await client.dispose();
  });

  it('refuses the same userId in sessionEvents arguments, before any upstream call', async () => {
    const client = wsClient(stack.url);
    clients.push(client);
    const sub = record(
      client,
      `subscription W($userId: String) { sessionEvents(stackName: "engineering-desktops",
        fleetName: "eng-linux-alwayson", userId: $userId, authenticationType: API) { ${EVENT_FIELDS} } }`,
      { userId: 'x\ny' },
    );
    await sub.ended();
    expect(sub.events).toEqual([]);
    expect(sub.errors[0]).toMatchObject({
      message: expect.stringContaining('`userId` with authenticationType API must be 2 to 32'),
      extensions: { code: 'BAD_USER_INPUT' },
    });
    expect(stack.emulator.calls.count()).toBe(0);
  });
});
