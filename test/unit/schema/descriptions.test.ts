import {
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
  isIntrospectionType,
  isSpecifiedScalarType,
} from 'graphql';
import { describe, expect, it } from 'vitest';
import { createSchema } from '../../../src/server/schema.js';

/** Every named thing of the schema that a GraphiQL user reads about, with its description. */
function describedThings(): Array<[string, string | null | undefined]> {
  const schema = createSchema();
  const things: Array<[string, string | null | undefined]> = [];
  for (const type of Object.values(schema.getTypeMap())) {
    if (isIntrospectionType(type) || isSpecifiedScalarType(type)) continue;
    const isRoot = type === schema.getQueryType();
    if (!isRoot) things.push([type.name, type.description]);
    if (isObjectType(type) || isInterfaceType(type)) {
      for (const field of Object.values(type.getFields())) {
        things.push([`${type.name}.${field.name}`, field.description]);
        for (const arg of field.args) {
          things.push([`${type.name}.${field.name}(${arg.name})`, arg.description]);
        }
      }
    }
    if (isInputObjectType(type)) {
      for (const field of Object.values(type.getFields())) {
        things.push([`${type.name}.${field.name}`, field.description]);
      }
    }
    if (isEnumType(type)) {
      for (const value of type.getValues())
        things.push([`${type.name}.${value.name}`, value.description]);
    }
  }
  return things;
}

describe('the schema', () => {
  it('describes every type, field, argument and enum value (GraphiQL shows them)', () => {
    const things = describedThings();
    expect(things.length).toBeGreaterThan(150);
    const undocumented = things
      .filter(([, description]) => !description?.trim())
      .map(([name]) => name);
    expect(undocumented).toEqual([]);
  });

  it('keeps the public names of the sessions API', () => {
    const schema = createSchema();
    const sessions = schema.getQueryType()?.getFields().sessions;
    expect(sessions?.args.map((arg) => arg.name)).toEqual(
      expect.arrayContaining([
        'stackName',
        'fleetName',
        'userId',
        'authenticationType',
        'instanceId',
        'first',
        'after',
        'last',
        'before',
      ]),
    );
    const connection = schema.getType('SessionConnection');
    expect(isObjectType(connection) && Object.keys(connection.getFields())).toEqual([
      'edges',
      'nodes',
      'pageInfo',
      'totalCount',
    ]);
    const session = schema.getType('Session');
    expect(isObjectType(session) && Object.keys(session.getFields())).toEqual(
      expect.arrayContaining([
        'id',
        'sessionId',
        'userId',
        'stackName',
        'fleetName',
        'state',
        'connectionState',
        'startTime',
        'maxExpirationTime',
        'authenticationType',
        'networkAccessConfiguration',
        'instanceId',
        'instanceDrainStatus',
      ]),
    );
  });
});
