import { readdirSync, readFileSync } from 'node:fs';
import { makeExecutableSchema } from '@graphql-tools/schema';
import type { GraphQLSchema } from 'graphql';
import { resolvers } from '../resolvers/index.js';

const schemaDir = new URL('../../schema/', import.meta.url);

/** The SDL files of `schema/`, in a stable order. They are the source of truth for the API. */
export function loadTypeDefs(): string[] {
  return readdirSync(schemaDir)
    .filter((name) => name.endsWith('.graphql'))
    .sort()
    .map((name) => readFileSync(new URL(name, schemaDir), 'utf8'));
}

/** The executable schema: `schema/*.graphql` plus the resolvers of `src/resolvers/`. */
export function createSchema(): GraphQLSchema {
  return makeExecutableSchema({
    typeDefs: loadTypeDefs(),
    resolvers,
    inheritResolversFromInterfaces: true,
  });
}
