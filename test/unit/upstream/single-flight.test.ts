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

describe("createSingleFlight: the leader's own limits do not fail the callers that joined it", () => {
  /** An upstream whose calls settle when released, or fail as the SDK layer does when their signal aborts. */
  const abortableUpstream = () => {
    const recording = createRecordingUpstream();
    const upstream = {
      ...recording.upstream,
      describeSessions: (...args: Parameters<typeof recording.upstream.describeSessions>) => {
        const signal = args[2]?.signal;
        const call = recording.upstream.describeSessions(...args);
        if (signal === undefined) return call;
        return new Promise<Awaited<typeof call>>((resolve, reject) => {
          const fail = () =>
            reject(new GatewayError(ErrorCode.UPSTREAM_UNAVAILABLE, 'deadline passed'));
          if (signal.aborted) fail();
          signal.addEventListener('abort', fail, { once: true });
          void call.then(resolve, reject);
        });
      },
    };
    return { recording, upstream };
  };

  it("a joined caller whose own deadline has not passed still gets the page when the leader's deadline passes", async () => {
    const { recording, upstream } = abortableUpstream();
    const flights = createSingleFlight(upstream);
    const release = recording.hold();
    const leaderDeadline = new AbortController();
    const leader = flights.describeSessions(fleet1, null, {
      scope: '*',
      signal: leaderDeadline.signal,
    });
    const joined = flights.describeSessions(fleet1, null, {
      scope: '*',
      signal: new AbortController().signal,
    });
    leaderDeadline.abort();
    await expect(leader).rejects.toMatchObject({ code: ErrorCode.UPSTREAM_UNAVAILABLE });
    release();
    expect((await joined).items).toHaveLength(2);
    expect(recording.calls).toHaveLength(2);
  });

  it("a joined caller is not failed by the leader's spent call budget", async () => {
    const recording = createRecordingUpstream();
    const spent = {
      take(): void {
        throw new GatewayError(ErrorCode.UPSTREAM_BUDGET_EXCEEDED, 'budget spent');
      },
      used: () => 120,
    };
    // The budget is taken below the single-flight layer, after an asynchronous step (the
    // rate budget's wait), so a second request can join the call before it is refused.
    const flights = createSingleFlight({
      ...recording.upstream,
      async describeSessions(query, token, options) {
        await new Promise((resolve) => setTimeout(resolve, 5));
        options?.budget?.take('DescribeSessions');
        return recording.upstream.describeSessions(query, token, options);
      },
    });
    const leader = flights.describeSessions(fleet1, null, { scope: '*', budget: spent });
    const joined = flights.describeSessions(fleet1, null, { scope: '*' });
    await expect(leader).rejects.toMatchObject({ code: ErrorCode.UPSTREAM_BUDGET_EXCEEDED });
    expect(ids(await joined)).toEqual(['s1-a', 's1-b']);
  });

  it('a joined caller still gets an AppStream failure of the shared call, once', async () => {
    const { recording, upstream } = abortableUpstream();
    const flights = createSingleFlight(upstream);
    const release = recording.hold();
    recording.failNextWith(new GatewayError(ErrorCode.UPSTREAM_THROTTLED, 'throttled'));
    const leader = flights.describeSessions(fleet1, null, {
      scope: '*',
      signal: new AbortController().signal,
    });
    const joined = flights.describeSessions(fleet1, null, { scope: '*' });
    release();
    await expect(leader).rejects.toMatchObject({ code: ErrorCode.UPSTREAM_THROTTLED });
    await expect(joined).rejects.toMatchObject({ code: ErrorCode.UPSTREAM_THROTTLED });
    expect(recording.calls).toHaveLength(1);
  });
});
