import { describe, expect, it } from 'vitest';
import { createMetrics } from '../../../src/server/metrics.js';

/** The `operation` label values of the operation histogram. */
async function labels(metrics: ReturnType<typeof createMetrics>): Promise<string[]> {
  const text = await metrics.registry.metrics();
  return [...text.matchAll(/gateway_operation_duration_seconds_count\{operation="([^"]+)"/g)].map(
    (match) => match[1] ?? '',
  );
}

describe('the operation label of the metrics', () => {
  it('gives the first 50 well-formed names a place and counts the rest as other', async () => {
    const metrics = createMetrics();
    for (let i = 0; i < 60; i++) metrics.observeOperation(`Op${String(i)}`, 0.01, false);
    metrics.observeOperation(null, 0.01, false);
    metrics.observeOperation('not a name', 0.01, false);
    const seen = await labels(metrics);
    expect(seen.filter((label) => label.startsWith('Op'))).toHaveLength(50);
    expect(seen).toContain('other');
    expect(seen).toContain('anonymous');
  });

  it('with trusted documents, labels exactly their names, whatever came first', async () => {
    const metrics = createMetrics({ operationNames: new Set(['Stacks', 'Sessions']) });
    for (let i = 0; i < 60; i++) metrics.observeOperation(`Squat${String(i)}`, 0.01, false);
    metrics.observeOperation('Stacks', 0.01, false);
    expect((await labels(metrics)).sort()).toEqual(['Stacks', 'other']);
  });
});
