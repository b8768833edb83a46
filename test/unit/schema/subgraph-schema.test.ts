import { readFileSync } from 'node:fs';
import { isObjectType, Kind, parse, printSchema } from 'graphql';
import type { GraphQLSchema } from 'graphql';
import { describe, expect, it } from 'vitest';
import { createSchema } from '../../../src/server/schema.js';
import {
  applyFederationOverlay,
  createSubgraphSchema,
  printSubgraphSdl,
} from '../../../src/server/subgraph-schema.js';

const publicSdl = [
  parse(`
    type Query { things(first: Int): ThingConnection other: String }
    type ThingConnection { edges: [Thing!]! }
    type Thing { name: String! }
  `),
  parse(`extend type Query { more: Thing }`),
];

/** `Type.field(args): type` for every field of every non-introspection object type. */
function fieldsOf(schema: GraphQLSchema): Map<string, string> {
  const fields = new Map<string, string>();
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      const args = field.args.map((arg) => `${arg.name}: ${String(arg.type)}`).join(', ');
      fields.set(`${type.name}.${field.name}`, `(${args}): ${String(field.type)}`);
    }
  }
  return fields;
}

describe('the federation overlay', () => {
  it('attaches directives to types and fields, extensions included, and adds `extend schema`', () => {
    const merged = applyFederationOverlay(
      publicSdl,
      parse(`
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@key"])
        type Thing @key(fields: "name")
        type Query { things: ThingConnection @cost(weight: 3) more: Thing @cost(weight: 1) }
      `),
    );
    expect(merged.definitions[0]?.kind).toBe('SchemaExtension');
    expect(merged.definitions).toHaveLength(5);
    const query = merged.definitions.find(
      (node) => node.kind === Kind.OBJECT_TYPE_DEFINITION && node.name.value === 'Query',
    );
    expect(query).toMatchObject({
      fields: [
        { name: { value: 'things' }, directives: [{ name: { value: 'cost' } }] },
        { name: { value: 'other' }, directives: [] },
      ],
    });
    const extension = merged.definitions.find((node) => node.kind === Kind.OBJECT_TYPE_EXTENSION);
    expect(extension).toMatchObject({
      fields: [{ name: { value: 'more' }, directives: [{ name: { value: 'cost' } }] }],
    });
    const thing = merged.definitions.find(
      (node) => node.kind === Kind.OBJECT_TYPE_DEFINITION && node.name.value === 'Thing',
    );
    expect(thing).toMatchObject({ directives: [{ name: { value: 'key' } }] });
  });

  it.each([
    ['an unknown type', 'type Nope @key(fields: "id")', /type Nope is not an object type/],
    ['an unknown field', 'type Thing { color: String @shareable }', /Thing\.color is not a field/],
    [
      'a different field type',
      'type Thing { name: String @shareable }',
      /Thing\.name is String! .*not String\./,
    ],
    [
      'arguments',
      'type Query { things(first: Int): ThingConnection @cost(weight: 1) }',
      /Query\.things lists arguments/,
    ],
    ['a new type kind', 'enum Color { RED }', /only `type` definitions/],
  ])('refuses %s, naming it', (_name, overlay, message) => {
    expect(() => applyFederationOverlay(publicSdl, parse(overlay))).toThrow(message);
    expect(() => applyFederationOverlay(publicSdl, parse(overlay))).toThrow(
      /may only add directives/,
    );
  });
});

describe('the subgraph schema', () => {
  it('has every type, field and argument of the public schema, plus only what federation adds', () => {
    const publicFields = fieldsOf(createSchema());
    const subgraphFields = fieldsOf(createSubgraphSchema());
    for (const [coordinate, signature] of publicFields) {
      expect(subgraphFields.get(coordinate), coordinate).toBe(signature);
    }
    const added = [...subgraphFields.keys()].filter((coordinate) => !publicFields.has(coordinate));
    expect(added.sort()).toEqual(['Query._entities', 'Query._service', '_Service.sdl']);
  });

  it('keeps federation out of the public schema', () => {
    const sdl = printSchema(createSchema());
    expect(sdl).not.toMatch(/@(key|link|shareable|cost|listSize)\b/);
    expect(sdl).not.toMatch(/\b_(service|entities|Entity|Any|Service)\b/);
  });

  it('declares the entities, keys and cost hints the README documents', () => {
    const sdl = printSubgraphSdl();
    expect(sdl).toContain(
      'type Session implements Node\n  @key(fields: "id")\n  @key(fields: "stackName fleetName sessionId")',
    );
    expect(sdl).toMatch(/type Stack implements Node\s+@key\(fields: "name"\)/);
    expect(sdl).toMatch(/type Fleet implements Node\s+@key\(fields: "name"\)/);
    expect(sdl).toMatch(/type PageInfo\s+@shareable/);
    const listSize =
      '@listSize(slicingArguments: ["first", "last"], sizedFields: ["edges", "nodes"], requireOneSlicingArgument: false, assumedSize: 20)';
    expect(sdl.split(`SessionConnection @cost(weight: 10) ${listSize}`)).toHaveLength(4);
  });

  it('is committed as schema/published/subgraph.graphql, fresh (run `npm run schema:subgraph`)', () => {
    const committed = readFileSync(
      new URL('../../../schema/published/subgraph.graphql', import.meta.url),
      'utf8',
    );
    expect(committed).toBe(`${printSubgraphSdl()}\n`);
  });
});
