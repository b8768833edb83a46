import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack } from '../../helpers/gateway.js';
import type { TestStack } from '../../helpers/gateway.js';
import { TEST_SECRET, testSigner } from '../../helpers/signing.js';

/**
 * The README calls ids and cursors opaque: whoever sees one (in a URL, a log line, analytics)
 * learns nothing of what it points at, and two replicas sharing `CURSOR_SECRET` issue the same
 * ids, as Relay and Apollo caches need. On the seeded demo data.
 */
const STACK = 'engineering-desktops';
const FLEET = 'eng-linux-alwayson';

interface Page {
  sessions: {
    edges: Array<{
      cursor: string;
      node: {
        id: string;
        sessionId: string;
        userId: string;
        authenticationType: string;
        instanceId: string | null;
        stack: { id: string; name: string };
        fleet: { id: string; name: string };
      };
    }>;
    pageInfo: { endCursor: string; hasNextPage: boolean };
  };
}

const PAGE = `query($after: String) {
  sessions(stackName: "${STACK}", fleetName: "${FLEET}", first: 3, after: $after) {
    edges { cursor node { id sessionId userId authenticationType instanceId
      stack { id name } fleet { id name } } }
    pageInfo { endCursor hasNextPage }
  }
}`;
const NODE = 'query($id: ID!) { node(id: $id) { id ... on Session { sessionId userId } } }';

let replicaA: TestStack;
let replicaB: TestStack;
let other: TestStack;

beforeAll(async () => {
  [replicaA, replicaB, other] = await Promise.all([
    startTestStack({ signing: { secret: TEST_SECRET } }),
    startTestStack({ signing: { secret: TEST_SECRET } }),
    startTestStack(),
  ]);
});
afterAll(async () => {
  await Promise.all([replicaA, replicaB, other].map((stack) => stack.close()));
});

async function firstPage(stack: TestStack, after: string | null = null): Promise<Page['sessions']> {
  const response = await stack.graphql<Page>(PAGE, { after });
  expect(response.errors).toBeUndefined();
  const sessions = response.data?.sessions;
  if (sessions === undefined) throw new Error('no sessions');
  return sessions;
}

/** Everything a token's bytes can show: its base64url decoded whole and after any prefix. */
function readings(token: string): string[] {
  const texts = [token, token.slice(3), token.slice(4)];
  return texts.flatMap((text) =>
    (['utf8', 'latin1'] as const).map((encoding) =>
      Buffer.from(text, 'base64url').toString(encoding),
    ),
  );
}

describe('opaque ids and cursors', () => {
  it('an id and a cursor show no user id, stack, fleet, session id, instance or upstream token', async () => {
    const page = await firstPage(replicaA);
    const upstream = replicaA.emulator.data.sessions(STACK, FLEET);
    expect(upstream.length).toBeGreaterThan(3);
    for (const { cursor, node } of page.edges) {
      const revealing = [node.userId, node.sessionId, STACK, FLEET, node.instanceId].filter(
        (value): value is string => value !== null && value !== '',
      );
      // The user id's local part and the session id's first group alone are revealing too.
      revealing.push(node.userId.split('@')[0] ?? '', node.sessionId.split('-')[0] ?? '');
      for (const token of [node.id, cursor, node.stack.id, node.fleet.id]) {
        for (const reading of readings(token)) {
          for (const value of revealing) expect(reading).not.toContain(value);
        }
      }
    }
    // The end cursor carries the next page's token and first session id, in the clear before.
    const next = await firstPage(replicaA, page.pageInfo.endCursor);
    const nextIds = next.edges.map((edge) => edge.node.sessionId);
    for (const reading of readings(page.pageInfo.endCursor)) {
      for (const id of nextIds) expect(reading).not.toContain(id);
    }
  });

  it('two gateways sharing CURSOR_SECRET issue the same ids and cursors and accept each other’s', async () => {
    const [fromA, fromB] = await Promise.all([firstPage(replicaA), firstPage(replicaB)]);
    expect(fromB).toEqual(fromA);
    const session = fromA.edges[1]?.node;
    const onB = await replicaB.graphql(NODE, { id: session?.id });
    expect(onB.errors).toBeUndefined();
    expect(onB.data).toEqual({
      node: { id: session?.id, sessionId: session?.sessionId, userId: session?.userId },
    });
    const [nextA, nextB] = await Promise.all([
      firstPage(replicaA, fromA.pageInfo.endCursor),
      firstPage(replicaB, fromA.pageInfo.endCursor),
    ]);
    expect(nextB).toEqual(nextA);
    // A node's id is the same in every response: again on A, and through node(id) on B.
    expect((await firstPage(replicaA)).edges[1]?.node.id).toBe(session?.id);
  });

  it('a gateway with another secret issues other ids and refuses these, with no upstream call', async () => {
    const [mine, theirs] = await Promise.all([firstPage(replicaA), firstPage(other)]);
    expect(theirs.edges.map((edge) => edge.node.sessionId)).toEqual(
      mine.edges.map((edge) => edge.node.sessionId),
    );
    expect(theirs.edges[0]?.node.id).not.toBe(mine.edges[0]?.node.id);
    other.emulator.calls.reset();
    const refused = await other.graphql(NODE, { id: mine.edges[0]?.node.id });
    expect(refused.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const refusedCursor = await other.graphql(PAGE, { after: mine.pageInfo.endCursor });
    expect(refusedCursor.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(other.emulator.calls.count()).toBe(0);
  });
});

describe('ids and cursors of the readable format of earlier releases', () => {
  it('a stored readable v3 session id still fetches its session, which answers with its new id', async () => {
    const session = (await firstPage(replicaA)).edges[0]?.node;
    if (session === undefined) throw new Error('no session');
    const text = `v3:${JSON.stringify([
      'Session',
      STACK,
      FLEET,
      session.sessionId,
      session.userId,
      session.authenticationType,
      session.instanceId,
    ])}`;
    const readableId = Buffer.from(text).toString('base64url') + testSigner.sign(text);
    expect(Buffer.from(readableId, 'base64url').toString()).toContain(session.userId);
    const response = await replicaA.graphql(NODE, { id: readableId });
    expect(response.errors).toBeUndefined();
    expect(response.data).toEqual({
      node: { id: session.id, sessionId: session.sessionId, userId: session.userId },
    });
    const stackText = `v2:${JSON.stringify(['Stack', STACK])}`;
    const stackId = Buffer.from(stackText).toString('base64url') + testSigner.sign(stackText);
    const stack = await replicaA.graphql(NODE, { id: stackId });
    expect(stack.data).toEqual({ node: { id: session.stack.id } });
  });

  it('a readable v3 cursor is refused with a message asking for the first page, with no upstream call', async () => {
    const body = `appstream:3:${JSON.stringify({ b: 'x', s: 0, t: null, i: 2, o: 2, id: 'a' })}`;
    const cursor = Buffer.from(`${body}:${testSigner.sign(body)}`).toString('base64url');
    replicaA.emulator.calls.reset();
    const response = await replicaA.graphql(PAGE, { after: cursor });
    expect(response.data).toEqual({ sessions: null });
    expect(response.errors?.[0]).toMatchObject({
      message:
        '`after` is a cursor of version 3; this server reads version 5 only. Request the first page again without after/before.',
      extensions: { code: 'BAD_USER_INPUT' },
    });
    expect(replicaA.emulator.calls.count()).toBe(0);
  });
});
