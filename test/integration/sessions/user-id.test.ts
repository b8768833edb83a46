import { describe, expect, it } from 'vitest';
import { useTestStack } from '../../helpers/gateway.js';

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
});
