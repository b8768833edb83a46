import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../../src/errors.js';
import { createMemorySource, ids } from '../../helpers/memory-source.js';
import { request, walk } from './support.js';

const nodes = (page: { edges: Array<{ node: string }> }) => page.edges.map((edge) => edge.node);

/** A stream of 137 sessions and the first 20 of them already served (cursor at s019, mid-page). */
async function afterFirstTwenty() {
  const memory = createMemorySource({ streams: [ids(137)] });
  const first = await request(memory.source, { first: 20 });
  const stream = memory.streams[0] ?? [];
  return { memory, stream, after: first.pageInfo.endCursor };
}

describe('paginate under churn', () => {
  it('does not skip when a session before the cursor in the same page ended (re-anchors by id)', async () => {
    const { memory, stream, after } = await afterFirstTwenty();
    stream.splice(stream.indexOf('s005'), 1);
    const page = await request(memory.source, { first: 20, after });
    expect(nodes(page)).toEqual(ids(40).slice(20));
  });

  it('does not repeat when a session was inserted before the cursor in the same page', async () => {
    const { memory, stream, after } = await afterFirstTwenty();
    stream.splice(3, 0, 'new-early');
    const page = await request(memory.source, { first: 20, after });
    expect(nodes(page)).toEqual(ids(40).slice(20));
  });

  it('resumes at the successor when the cursor’s own session ended', async () => {
    const { memory, stream, after } = await afterFirstTwenty();
    stream.splice(stream.indexOf('s019'), 1);
    const page = await request(memory.source, { first: 20, after });
    expect(nodes(page)).toEqual(ids(40).slice(20));
  });

  it('sees sessions appended after the end of the last stream (mid-page and full last page)', async () => {
    for (const size of [137, 150]) {
      const memory = createMemorySource({ streams: [ids(size)] });
      const w = await walk(memory, 'forward', 50);
      memory.streams[0]?.push('new-1', 'new-2');
      const page = await request(memory.source, { first: 50, after: w.cursors.at(-1) ?? null });
      expect(nodes(page)).toEqual(['new-1', 'new-2']);
      expect(page.pageInfo.hasNextPage).toBe(false);
    }
  });

  it('ends `before` at its old position when its session ended', async () => {
    const memory = createMemorySource({ streams: [ids(137)] });
    const { cursors } = await walk(memory, 'forward', 100);
    memory.streams[0]?.splice(30, 1);
    const page = await request(memory.source, { last: 5, before: cursors[30] });
    expect(nodes(page)).toEqual(ids(30).slice(25));
    const forward = await request(memory.source, {
      first: 50,
      after: cursors[20],
      before: cursors[30],
    });
    expect(nodes(forward)).toEqual(ids(30).slice(21));
  });

  it('rejects a `before` whose session and page are both gone, telling what to do instead', async () => {
    const memory = createMemorySource({ streams: [ids(137)] });
    const { cursors } = await walk(memory, 'forward', 100);
    memory.streams[0]?.splice(60);
    await expect(request(memory.source, { last: 5, before: cursors[120] })).rejects.toMatchObject({
      code: ErrorCode.BAD_USER_INPUT,
      message:
        "The `before` cursor's session is no longer listed; page backward from the end (last without before) instead.",
    });
  });
});

/** 10 sessions, the first 3 served (cursor at s002: index 2, predecessor s001), then `ended`. */
async function afterThreeOfTen(ended: string[]) {
  const memory = createMemorySource({ streams: [ids(10)] });
  const first = await request(memory.source, { first: 3 });
  const stream = memory.streams[0] ?? [];
  for (const id of ended) stream.splice(stream.indexOf(id), 1);
  memory.calls.length = 0;
  return { memory, cursor: first.pageInfo.endCursor };
}

/** Nodes and flags of a connection (cursors of churned items are not the point here). */
const summary = (page: Awaited<ReturnType<typeof request>>) => ({
  nodes: nodes(page),
  hasNextPage: page.pageInfo.hasNextPage,
  hasPreviousPage: page.pageInfo.hasPreviousPage,
});

describe('paginate when the cursor’s session and earlier ones on its page ended', () => {
  it('resumes `after` just behind the cursor’s predecessor, not at the stale index', async () => {
    const { memory, cursor } = await afterThreeOfTen(['s000', 's002']);
    const page = await request(memory.source, { first: 2, after: cursor });
    expect(summary(page)).toEqual({
      nodes: ['s003', 's004'],
      hasNextPage: true,
      hasPreviousPage: true,
    });
    expect(memory.calls).toEqual([[0, null]]);
  });

  it('ends `before` just behind the cursor’s predecessor, backward and forward', async () => {
    const { memory, cursor } = await afterThreeOfTen(['s000', 's002']);
    expect(summary(await request(memory.source, { last: 2, before: cursor }))).toEqual({
      nodes: ['s001'],
      hasNextPage: true,
      hasPreviousPage: false,
    });
    expect(summary(await request(memory.source, { first: 5, before: cursor }))).toEqual({
      nodes: ['s001'],
      hasNextPage: false,
      hasPreviousPage: false,
    });
  });

  it('falls back to the issue-time index when the predecessor ended too', async () => {
    const { memory, cursor } = await afterThreeOfTen(['s000', 's001', 's002']);
    expect(nodes(await request(memory.source, { first: 2, after: cursor }))).toEqual([
      's005',
      's006',
    ]);
    expect(nodes(await request(memory.source, { last: 5, before: cursor }))).toEqual([
      's003',
      's004',
    ]);
  });
});
