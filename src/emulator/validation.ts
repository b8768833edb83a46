import { ServiceError, validationError } from './errors.js';
import { AUTHENTICATION_TYPES, type AuthenticationType, type OperationName } from './types.js';

/** A parsed JSON request body (always an object). */
export type JsonObject = Record<string, unknown>;

interface StringSpec {
  kind: 'string';
  min?: number;
  max?: number;
  pattern?: RegExp;
  enum?: readonly string[];
}
interface IntegerSpec {
  kind: 'integer';
  min?: number;
  max?: number;
}
interface ListSpec {
  kind: 'list';
  member: StringSpec;
}
type MemberSpec = StringSpec | IntegerSpec | ListSpec;
interface InputSpec {
  required: readonly string[];
  members: Readonly<Record<string, MemberSpec>>;
}

/** `Name` in the model: StackName and FleetName of DescribeSessions. */
export const NAME_PATTERN = /^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,100}$/;
/** Largest `Limit` accepted (AWS's documented maximum). */
export const MAX_LIMIT = 50;
/** `Limit` when the request has none (AWS's documented default). */
export const DEFAULT_LIMIT = 20;

const NAME: StringSpec = { kind: 'string', pattern: NAME_PATTERN };
const STRING: StringSpec = { kind: 'string', min: 1 };

/**
 * Input constraints transcribed from the AppStream model (2016-12-01). One deliberate addition:
 * `Limit` must be in 1..50. The model types it as a bare Integer and AWS documents 50 as the
 * maximum without saying what happens above it; the emulator rejects larger values with
 * `ValidationException` so that a client which would silently get fewer items than it asked for
 * is caught in tests.
 */
const SPECS: Readonly<Record<OperationName, InputSpec>> = {
  DescribeSessions: {
    required: ['StackName', 'FleetName'],
    members: {
      StackName: NAME,
      FleetName: NAME,
      UserId: { kind: 'string', min: 2, max: 128 },
      NextToken: STRING,
      Limit: { kind: 'integer', min: 1, max: MAX_LIMIT },
      AuthenticationType: { kind: 'string', enum: AUTHENTICATION_TYPES },
      InstanceId: STRING,
    },
  },
  DescribeStacks: {
    required: [],
    members: { Names: { kind: 'list', member: STRING }, NextToken: STRING },
  },
  DescribeFleets: {
    required: [],
    members: { Names: { kind: 'list', member: STRING }, NextToken: STRING },
  },
  ListAssociatedFleets: {
    required: ['StackName'],
    members: { StackName: STRING, NextToken: STRING },
  },
  ListAssociatedStacks: {
    required: ['FleetName'],
    members: { FleetName: STRING, NextToken: STRING },
  },
};

export interface DescribeSessionsInput {
  StackName: string;
  FleetName: string;
  UserId?: string;
  NextToken?: string;
  Limit?: number;
  AuthenticationType?: AuthenticationType;
  InstanceId?: string;
}
export interface DescribeByNamesInput {
  Names?: string[];
  NextToken?: string;
}
export interface ListAssociatedFleetsInput {
  StackName: string;
  NextToken?: string;
}
export interface ListAssociatedStacksInput {
  FleetName: string;
  NextToken?: string;
}

/** The validated input type of each operation. */
export interface OperationInputs {
  DescribeSessions: DescribeSessionsInput;
  DescribeStacks: DescribeByNamesInput;
  DescribeFleets: DescribeByNamesInput;
  ListAssociatedFleets: ListAssociatedFleetsInput;
  ListAssociatedStacks: ListAssociatedStacksInput;
}

/**
 * Checks `input` against the operation's model constraints. Unknown members are ignored and
 * `null` counts as absent. Throws `SerializationException` for a member of the wrong JSON type and
 * `ValidationException` listing every violated constraint (AWS wording, camelCase member paths);
 * then `InvalidParameterCombinationException` for `UserId` without `AuthenticationType`.
 */
export function validateInput<K extends OperationName>(
  operation: K,
  input: JsonObject,
): OperationInputs[K] {
  const spec = SPECS[operation];
  const problems: string[] = [];
  const clean: JsonObject = {};
  for (const name of spec.required) {
    if (input[name] === undefined || input[name] === null) {
      problems.push(
        `Value null at '${camel(name)}' failed to satisfy constraint: Member must not be null`,
      );
    }
  }
  for (const [name, member] of Object.entries(spec.members)) {
    const value = input[name];
    if (value === undefined || value === null) continue;
    clean[name] = value;
    check(member, value, camel(name), name, problems);
  }
  if (problems.length > 0) throw validationError(problems);
  if (
    operation === 'DescribeSessions' &&
    clean['UserId'] !== undefined &&
    clean['AuthenticationType'] === undefined
  ) {
    throw new ServiceError(
      'InvalidParameterCombinationException',
      'AuthenticationType must be specified when UserId is specified.',
    );
  }
  return clean as unknown as OperationInputs[K];
}

function check(spec: MemberSpec, value: unknown, path: string, name: string, out: string[]): void {
  switch (spec.kind) {
    case 'list': {
      if (!Array.isArray(value)) throw typeError(name, 'list');
      value.forEach((item: unknown, i) => {
        check(spec.member, item, `${path}.${i + 1}.member`, name, out);
      });
      return;
    }
    case 'integer': {
      if (typeof value !== 'number' || !Number.isInteger(value)) throw typeError(name, 'integer');
      if (spec.min !== undefined && value < spec.min) {
        out.push(fail(value, path, `Member must have value greater than or equal to ${spec.min}`));
      }
      if (spec.max !== undefined && value > spec.max) {
        out.push(fail(value, path, `Member must have value less than or equal to ${spec.max}`));
      }
      return;
    }
    case 'string': {
      if (typeof value !== 'string') throw typeError(name, 'string');
      if (spec.min !== undefined && value.length < spec.min) {
        out.push(fail(value, path, `Member must have length greater than or equal to ${spec.min}`));
      }
      if (spec.max !== undefined && value.length > spec.max) {
        out.push(fail(value, path, `Member must have length less than or equal to ${spec.max}`));
      }
      if (spec.pattern !== undefined && !spec.pattern.test(value)) {
        out.push(
          fail(
            value,
            path,
            `Member must satisfy regular expression pattern: ${spec.pattern.source}`,
          ),
        );
      }
      if (spec.enum !== undefined && !spec.enum.includes(value)) {
        out.push(
          fail(value, path, `Member must satisfy enum value set: [${spec.enum.join(', ')}]`),
        );
      }
      return;
    }
  }
}

function fail(value: string | number, path: string, constraint: string): string {
  const shown = typeof value === 'number' ? String(value) : value.slice(0, 256);
  return `Value '${shown}' at '${path}' failed to satisfy constraint: ${constraint}`;
}

function typeError(name: string, expected: string): ServiceError {
  return new ServiceError('SerializationException', `Member '${name}' must be of type ${expected}`);
}

function camel(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}
