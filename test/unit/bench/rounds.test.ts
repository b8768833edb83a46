import { describe, expect, it } from 'vitest';
import { alternate, roundRatio, totals } from '../../../scripts/bench/context.js';
import type { Totals } from '../../../scripts/bench/context.js';

const window = (requests: number, cpuSeconds: number, seconds = 1): Totals => ({
  requests,
  cpuSeconds,
  seconds,
});

describe('alternate (rounds of benchmark windows)', () => {
  it('measures every system once per round, forward then backward', async () => {
    const order: string[] = [];
    const measure = (name: string) => () => {
      order.push(name);
      return Promise.resolve(window(1, 1));
    };
    const windows = await alternate(3, [
      ['a', measure('a')],
      ['b', measure('b')],
      ['c', measure('c')],
    ]);
    expect(order).toEqual(['a', 'b', 'c', 'c', 'b', 'a', 'a', 'b', 'c']);
    expect([...windows.keys()]).toEqual(['a', 'b', 'c']);
    expect(windows.get('b')).toHaveLength(3);
    expect(totals(windows).get('a')).toEqual({ requests: 3, cpuSeconds: 3, seconds: 3 });
  });
});

describe('roundRatio', () => {
  it('is the median of the per-round ratios, with their range', () => {
    // CPU per request (ms): gateway 2, 3, 12 (an outlier round); raw 1, 2, 2.
    const windows = new Map([
      ['gateway', [window(1000, 2), window(1000, 3), window(1000, 12)]],
      ['raw', [window(1000, 1), window(1000, 2), window(1000, 2)]],
    ]);
    expect(roundRatio(windows, 'gateway', 'raw')).toEqual({
      median: 2,
      low: 1.5,
      high: 6,
      rounds: [2, 1.5, 6],
    });
  });

  it('averages the middle two of an even number of rounds and skips empty windows', () => {
    const windows = new Map([
      ['a', [window(10, 0.01), window(10, 0.02), window(0, 0), window(10, 0.04), window(10, 0.03)]],
      [
        'b',
        [window(10, 0.01), window(10, 0.01), window(10, 0.01), window(10, 0.01), window(10, 0.01)],
      ],
    ]);
    expect(roundRatio(windows, 'a', 'b')).toMatchObject({ median: 2.5, low: 1, high: 4 });
  });

  it('takes another measure when given one (throughput)', () => {
    const windows = new Map([
      ['a', [window(300, 1, 2)]],
      ['b', [window(100, 1, 1)]],
    ]);
    expect(roundRatio(windows, 'a', 'b', (t) => t.requests / t.seconds).median).toBe(1.5);
  });

  it('is NaN when no round can be compared', () => {
    expect(roundRatio(new Map(), 'a', 'b').median).toBeNaN();
  });
});
