import { getOperationAST, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { computeCost } from '../../../src/policy/cost.js';
import { DEFAULT_QUERY_LIMITS } from '../../../src/policy/limits.js';
import { createSchema } from '../../../src/server/schema.js';

const schema = createSchema();

function cost(query: string, variables: Record<string, unknown> = {}) {
  const document = parse(query);
  const operation = getOperationAST(document);
  if (operation === null || operation === undefined) throw new Error('no operation');
  return computeCost(schema, document, operation, variables, DEFAULT_QUERY_LIMITS);
}

describe('computeCost', () => {
  it('prices a connection by first/last, 20 when omitted', () => {
    expect(cost('{ stacks(first: 5) { nodes { name } } }')).toEqual({
      cost: 5,
      top: { path: 'stacks', cost: 5 },
    });
    expect(cost('{ stacks { edges { node { name } } } }').cost).toBe(20);
    expect(cost('{ sessions(stackName: "a", fleetName: "b", last: 7) { totalCount } }').cost).toBe(
      7,
    );
  });

  it('multiplies by the lists and connections a field is nested in (the issue example)', () => {
    // 100 sessions, then fleet (one), stacks (10 each), fleets (10 each), stacks (10 each).
    expect(
      cost(`{ sessions(stackName: "a", fleetName: "b", first: 100) {
        edges { node { fleet { stacks { fleets { stacks { name } } } } } } } }`),
    ).toEqual({
      cost: 100 + 1000 + 10_000 + 100_000,
      top: { path: 'sessions.edges.node.fleet.stacks.fleets.stacks', cost: 100_000 },
    });
  });

  it('prices first/last above the maximum page size at that maximum (execution refuses them)', () => {
    expect(cost('{ stacks(first: 1000000000) { nodes { fleets { name } } } }').cost).toBe(
      100 + 1000,
    );
    const query =
      'query Q($n: Int) { sessions(stackName: "a", fleetName: "b", last: $n) { nodes { sessionId } } }';
    expect(cost(query, { n: 2_147_483_648 }).cost).toBe(100);
  });

  it('reads first from variables and from variable defaults', () => {
    const query = 'query Q($n: Int = 3) { stacks(first: $n) { nodes { fleets { name } } } }';
    expect(cost(query).cost).toBe(3 + 30);
    expect(cost(query, { n: 50 }).cost).toBe(50 + 500);
  });

  it('prices nodes(ids) by the number of ids, and fragments like inline selections', () => {
    expect(
      cost('{ nodes(ids: ["a", "b", "c"]) { id ... on Stack { fleets { name } } } }').cost,
    ).toBe(3 + 30);
    expect(
      cost('{ stacks(first: 2) { nodes { ...F } } } fragment F on Stack { fleets { name } }'),
    ).toEqual({ cost: 2 + 20, top: { path: 'stacks.nodes.fleets', cost: 20 } });
  });

  it('prices each fragment once: doubling spreads cost linear work', () => {
    const levels = 40;
    const fragments = Array.from(
      { length: levels },
      (_, i) => `fragment F${i} on Stack { name ...F${i + 1} ...F${i + 1} }`,
    ).join('\n');
    // 2^40 expansions: this test finishes only because each fragment is priced once.
    const report = cost(
      `{ stack(name: "a") { ...F0 } } ${fragments} fragment F${levels} on Stack { fleets { name } }`,
    );
    expect(report.cost).toBe(10 * 2 ** levels);
  });

  it('keeps the README and the dashboard far below the default cap', () => {
    const readme = cost(`{ stacks(first: 5) { nodes { name fleets { name state
      computeCapacity { desired inUse available }
      sessions(first: 3, state: [ACTIVE]) { totalCount nodes { sessionId userId connectionState startTime }
      pageInfo { hasNextPage endCursor } } } } } }`);
    expect(readme.cost).toBe(5 + 50 + 150);
    const dashboard = cost(
      '{ stacks(first: 5) { nodes { name fleets { name sessions(first: 10) { nodes { sessionId } } } } } }',
    );
    expect(dashboard.cost).toBe(5 + 50 + 500);
    expect(dashboard.cost * 10).toBeLessThan(DEFAULT_QUERY_LIMITS.maxCost);
  });
});
