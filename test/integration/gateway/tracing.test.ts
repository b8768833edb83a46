import { trace } from '@opentelemetry/api';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { afterAll, describe, expect, it } from 'vitest';
import { oneFleetDataset } from '../../helpers/datasets.js';
import { useTestStack } from '../../helpers/gateway.js';

// An OpenTelemetry SDK registered in this test process, as `otel.mjs` in the README does.
const exporter = new InMemorySpanExporter();
const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
trace.setGlobalTracerProvider(provider);
afterAll(async () => {
  await provider.shutdown();
  trace.disable();
});

const dataset = oneFleetDataset(120);

describe('OpenTelemetry spans', () => {
  const stack = useTestStack({ emulator: { dataset } });

  it('makes one span per operation and one per AppStream call, none per resolver', async () => {
    exporter.reset();
    const response = await stack.graphql(
      `query Walk { sessions(stackName: "stack-a", fleetName: "fleet-1", first: 60) {
        nodes { sessionId userId state startTime } } }`,
    );
    expect(response.errors).toBeUndefined();
    const spans = exporter.getFinishedSpans();
    expect(spans.map((span) => span.name).sort()).toEqual([
      'AppStream DescribeSessions',
      'AppStream DescribeSessions',
      'graphql.operation',
    ]);
    const operation = spans.find((span) => span.name === 'graphql.operation');
    expect(operation?.attributes).toMatchObject({
      'graphql.operation.name': 'Walk',
      'graphql.operation.type': 'query',
      'gateway.upstream.calls': 2,
    });
    expect(stack.emulator.calls.count('DescribeSessions')).toBe(2);
  });

  it("cuts a client's long operation name on the operation span, as in the log line", async () => {
    exporter.reset();
    const name = `Q${'x'.repeat(20_000)}`;
    const response = await stack.graphql(`query ${name} { __typename }`);
    expect(response.errors).toBeUndefined();
    const operation = exporter.getFinishedSpans().find((span) => span.name === 'graphql.operation');
    const attribute = operation?.attributes['graphql.operation.name'];
    expect(attribute).toBe(`${name.slice(0, 100)}…`);
  });
});
