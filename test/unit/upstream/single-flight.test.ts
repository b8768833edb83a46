import { describe, expect, it } from 'vitest';
import { ErrorCode, GatewayError } from '../../../src/errors.js';
import { createUpstreamStats } from '../../../src/upstream/observe.js';
import { createSingleFlight } from '../../../src/upstream/single-flight.js';
import type { SessionQuery } from '../../../src/upstream/types.js';
import { createRecordingUpstream } from './recording-upstream.js';

const fleet1: SessionQuery = { stackName: 'stack-a', fleetName: 'fleet-1' };

const ids = (page: { items: readonly { id: string }[] }) => page.items.map((item) => item.id);

describe('createSingleFlight', () => {
  it('coalesces concurrent identical calls into one, and every caller gets its result', async () => {
    const recording = createRecordingUpstream();
    const flights = createSingleFlight(recording.upstream);
    const release = recording.hold();
    const { stats, observer } = createUpstreamStats();
    const pages = Array.from({ length: 10 }, () =>
      flights.describeSessions({ ...fleet1 }, null, { scope: '*', observer }),
    );
    release();
    const results = await Promise.all(pages);
    expect(recording.calls).toHaveLength(1);
    for (const page of results) expect(ids(page)).toEqual(['s1-a', 's1-b']);
    expect(stats.coalesced).toBe(9);
  });

  it('does not coalesce different tokens, filters, operations or scopes', async () => {
    const recording = createRecordingUpstream();
    const flights = createSingleFlight(recording.upstream);
    const release = recording.hold();
    const pending = [
      flights.describeSessions(fleet1, null, { scope: '*' }),
      flights.describeSessions(fleet1, 'page-2', { scope: '*' }),
      flights.describeSessions({ ...fleet1, fleetName: 'fleet-2' }, null, { scope: '*' }),
      flights.describeSessions({ ...fleet1, instanceId: 'i-1' }, null, { scope: '*' }),
      flights.describeSessions(fleet1, null, { scope: 'stacks:stack-a' }),
      flights.listAssociatedFleets('stack-a', null, { scope: '*' }),
      flights.listAssociatedStacks('stack-a', null, { scope: '*' }),
    ];
    release();
    await Promise.all(pending);
    expect(recording.calls).toHaveLength(7);
  });

  it('keeps nothing once the call settles: a later identical call goes upstream', async () => {
    const recording = createRecordingUpstream();
    const flights = createSingleFlight(recording.upstream);
    await flights.describeSessions(fleet1, null, { scope: '*' });
    const later = await flights.describeSessions(fleet1, null, { scope: '*' });
    expect(ids(later)).toEqual(['s2-a', 's2-b']);
    expect(recording.calls).toHaveLength(2);
  });

  it('gives every joined caller the same error', async () => {
    const recording = createRecordingUpstream();
    const flights = createSingleFlight(recording.upstream);
    const release = recording.hold();
    recording.failNextWith(new GatewayError(ErrorCode.UPSTREAM_UNAVAILABLE, 'down'));
    const pending = [1, 2, 3].map(() => flights.describeSessions(fleet1, null, { scope: '*' }));
    release();
    const settled = await Promise.allSettled(pending);
    expect(settled.map((result) => result.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect(recording.calls).toHaveLength(1);
  });

  it('never coalesces calls without a scope', async () => {
    const recording = createRecordingUpstream();
    const flights = createSingleFlight(recording.upstream);
    const release = recording.hold();
    const pending = [
      flights.describeSessions(fleet1, null),
      flights.describeSessions(fleet1, null),
    ];
    release();
    await Promise.all(pending);
    expect(recording.calls).toHaveLength(2);
  });

  it("rejects a joined caller's wait when its own signal aborts, without failing the others", async () => {
    const recording = createRecordingUpstream();
    const flights = createSingleFlight(recording.upstream);
    const release = recording.hold();
    const controller = new AbortController();
    const leader = flights.describeSessions(fleet1, null, { scope: '*' });
    const joined = flights.describeSessions(fleet1, null, {
      scope: '*',
      signal: controller.signal,
    });
    controller.abort();
    await expect(joined).rejects.toMatchObject({ code: ErrorCode.UPSTREAM_UNAVAILABLE });
    release();
    expect(ids(await leader)).toEqual(['s1-a', 's1-b']);
  });
});
