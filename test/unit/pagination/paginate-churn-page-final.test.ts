import { describe, expect, it } from 'vitest';
import { createMemorySource, ids } from '../../helpers/memory-source.js';
import type { MemorySourceOptions } from '../../helpers/memory-source.js';
import { codec, binding, request } from './support.js';

const nodes = (page: { edges: Array<{ node: string }> }) => page.edges.map((edge) => edge.node);

/** 120 sessions with the first 50 served: the endCursor (s049) is the last item of page 0. */
async function afterFirstPage(options: Omit<MemorySourceOptions, 'streams'> = {}) {
  const memory = createMemorySource({ ...options, streams: [ids(120)] });
  const first = await request(memory.source, { first: 50 });
  memory.calls.length = 0;
  return { memory, stream: memory.streams[0] ?? [], after: first.pageInfo.endCursor };
}

/** The next three sessions after `after`, with the upstream calls they cost. */
async function nextThree(memory: Awaited<ReturnType<typeof afterFirstPage>>) {
  const page = await request(memory.memory.source, { first: 3, after: memory.after });
  return { nodes: nodes(page), hasNextPage: page.pageInfo.hasNextPage, calls: memory.memory.calls };
}

const remove = (stream: string[], id: string) => stream.splice(stream.indexOf(id), 1);

describe('paginate after a page-final cursor under churn', () => {
  it('issues page-final cursors with the next page token and the first id read from it', async () => {
    const { after } = await afterFirstPage();
    expect(codec.decode(after ?? '', binding, 'after')).toEqual({
      s: 0,
      t: null,
      i: 49,
      o: 49,
      id: codec.fingerprint('s049'),
      p: codec.fingerprint('s048'),
      n: 's0:p1:@50',
      f: codec.fingerprint('s050'),
    });
  });

  it('resumes at the next page with one upstream call when nothing changed', async () => {
    expect(await nextThree(await afterFirstPage())).toEqual({
      nodes: ['s050', 's051', 's052'],
      hasNextPage: true,
      calls: [[0, 's0:p1:@50']],
    });
  });

  it('does not skip when a session earlier on the cursor page ended (next page, then own page)', async () => {
    const state = await afterFirstPage();
    remove(state.stream, 's010');
    expect(await nextThree(state)).toEqual({
      nodes: ['s050', 's051', 's052'],
      hasNextPage: true,
      calls: [
        [0, 's0:p1:@50'],
        [0, null],
      ],
    });
  });

  it('does not skip when the next page’s first session itself ended', async () => {
    const state = await afterFirstPage();
    remove(state.stream, 's050');
    expect(await nextThree(state)).toEqual({
      nodes: ['s051', 's052', 's053'],
      hasNextPage: true,
      calls: [
        [0, 's0:p1:@50'],
        [0, null],
      ],
    });
  });

  it('does not repeat when sessions inserted before the cursor pushed it onto the next page', async () => {
    const state = await afterFirstPage();
    state.stream.splice(3, 0, 'new-1', 'new-2');
    expect(await nextThree(state)).toEqual({
      nodes: ['s050', 's051', 's052'],
      hasNextPage: true,
      calls: [[0, 's0:p1:@50']],
    });
  });

  it('does not repeat when the cursor’s session ended and insertions pushed its predecessor on', async () => {
    const state = await afterFirstPage();
    remove(state.stream, 's049');
    state.stream.splice(0, 0, 'new-1', 'new-2');
    expect(await nextThree(state)).toEqual({
      nodes: ['s050', 's051', 's052'],
      hasNextPage: true,
      calls: [[0, 's0:p1:@50']],
    });
  });

  it('sees a session inserted right after the cursor (re-reads the cursor page)', async () => {
    const state = await afterFirstPage();
    state.stream.splice(50, 0, 'new-1');
    expect(await nextThree(state)).toEqual({
      nodes: ['new-1', 's050', 's051'],
      hasNextPage: true,
      calls: [
        [0, 's0:p1:@50'],
        [0, null],
      ],
    });
  });

  it('follows empty pages after the cursor before comparing the first session', async () => {
    const stable = await afterFirstPage({ emptyAfter: [0] });
    expect(await nextThree(stable)).toEqual({
      nodes: ['s050', 's051', 's052'],
      hasNextPage: true,
      calls: [
        [0, 's0:p1:@50:empty'],
        [0, 's0:p1:@50'],
      ],
    });
    const churned = await afterFirstPage({ emptyAfter: [0] });
    remove(churned.stream, 's010');
    expect(await nextThree(churned)).toEqual({
      nodes: ['s050', 's051', 's052'],
      hasNextPage: true,
      calls: [
        [0, 's0:p1:@50:empty'],
        [0, 's0:p1:@50'],
        [0, null],
      ],
    });
  });

  it('walks 50 at a time exactly once while a served session of every page ends', async () => {
    const memory = createMemorySource({ streams: [ids(260)] });
    const stream = memory.streams[0] ?? [];
    const seen: string[] = [];
    const callsPerRequest: Array<Array<[number, string | null]>> = [];
    let after: string | null = null;
    for (let guard = 0; guard < 20; guard++) {
      const page = await request(memory.source, { first: 50, after });
      callsPerRequest.push(memory.calls.splice(0));
      seen.push(...nodes(page));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
      remove(stream, seen.at(-10) ?? '');
    }
    expect(seen).toEqual(ids(260));
    // After the first removal the next page no longer starts with `f`: the cursor page is read
    // again. From then on the shift leaves every endCursor mid-page: its page and the next one.
    expect(callsPerRequest).toEqual([
      [
        [0, null],
        [0, 's0:p1:@50'],
      ],
      [
        [0, 's0:p1:@50'],
        [0, null],
      ],
      [
        [0, 's0:p1:@50'],
        [0, 's0:p2:@100'],
      ],
      [
        [0, 's0:p2:@100'],
        [0, 's0:p3:@150'],
      ],
      [
        [0, 's0:p3:@150'],
        [0, 's0:p4:@200'],
      ],
      [
        [0, 's0:p4:@200'],
        [0, 's0:p5:@250'],
      ],
    ]);
  });
});
