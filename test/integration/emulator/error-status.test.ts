import appstream from '@aws-sdk/client-appstream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../../src/emulator/index.js';
import { ERROR_HTTP_STATUS } from '../../../src/emulator/errors.js';
import type { ServiceErrorType } from '../../../src/emulator/errors.js';
import { rawCall, startEmulator } from './helpers.js';

/**
 * The service model's errors as compiled into the SDK: each `XException$` export is the error's
 * schema, `[-3, namespace, name, traits, ...]`, whose `httpError` trait is the model's
 * `httpStatusCode`. Walking the exports (not a list typed here) makes a new modeled error count.
 */
function modeledErrorStatuses(): Map<string, number> {
  const statuses = new Map<string, number>();
  for (const [key, value] of Object.entries(appstream as Record<string, unknown>)) {
    if (!key.endsWith('Exception$') || !Array.isArray(value) || value[0] !== -3) continue;
    const [, , name, traits] = value as [number, string, unknown, unknown];
    if (typeof name !== 'string' || typeof traits !== 'object' || traits === null) continue;
    const status = (traits as Record<string, unknown>)['httpError'];
    if (typeof status === 'number') statuses.set(name, status);
  }
  return statuses;
}

/**
 * Errors the emulator sends that the AppStream model does not declare: AWS's common errors of
 * the JSON protocols (their status as AWS documents them for every service), and the status of
 * a body too large to read.
 */
const COMMON_ERROR_STATUS: Readonly<Record<string, number>> = {
  ValidationException: 400,
  SerializationException: 400,
  UnknownOperationException: 400,
  ThrottlingException: 400,
  InternalServiceException: 500,
  ServiceUnavailableException: 503,
  RequestEntityTooLargeException: 413,
};

const model = modeledErrorStatuses();
const expectedStatus = (type: string): number | undefined =>
  model.get(type) ?? COMMON_ERROR_STATUS[type];

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator({ sessions: 20 });
});
afterAll(() => emulator.close());

const target = (operation: string) => `PhotonAdminProxyService.${operation}`;

/** One way to make the emulator send each error type it can send, over HTTP. */
const TRIGGERS: Record<
  ServiceErrorType,
  () => Promise<{ status: number; errorType: string | null }>
> = {
  ResourceNotFoundException: () =>
    rawCall(emulator.url, target('DescribeStacks'), '{"Names":["nope"]}'),
  InvalidParameterCombinationException: () =>
    rawCall(
      emulator.url,
      target('DescribeSessions'),
      '{"StackName":"a","FleetName":"b","UserId":"someone"}',
    ),
  ValidationException: () =>
    rawCall(
      emulator.url,
      target('DescribeSessions'),
      '{"StackName":"a","FleetName":"b","Limit":500}',
    ),
  SerializationException: () => rawCall(emulator.url, target('DescribeStacks'), '[1]'),
  UnknownOperationException: () => rawCall(emulator.url, target('DeleteStack'), '{}'),
  RequestEntityTooLargeException: () =>
    rawCall(emulator.url, target('DescribeStacks'), `{"x":"${'a'.repeat(1024 * 1024)}"}`),
  ThrottlingException: () => {
    emulator.faults.add({ operation: 'DescribeStacks', error: 'ThrottlingException', times: 1 });
    return rawCall(emulator.url, target('DescribeStacks'), '{}');
  },
  RequestLimitExceededException: () => {
    emulator.faults.add({
      operation: 'DescribeStacks',
      error: 'RequestLimitExceededException',
      times: 1,
    });
    return rawCall(emulator.url, target('DescribeStacks'), '{}');
  },
  InternalServiceException: () => {
    emulator.faults.add({ operation: 'DescribeStacks', error: 'http500', times: 1 });
    return rawCall(emulator.url, target('DescribeStacks'), '{}');
  },
  ServiceUnavailableException: () => {
    emulator.faults.add({ operation: 'DescribeStacks', error: 'http503', times: 1 });
    return rawCall(emulator.url, target('DescribeStacks'), '{}');
  },
};

describe("the emulator's HTTP statuses follow the service model", () => {
  it("reads the model's errors from the SDK (the walk is not empty)", () => {
    expect(model.get('ResourceNotFoundException')).toBe(404);
    expect(model.get('InvalidParameterCombinationException')).toBe(400);
    expect(model.size).toBeGreaterThanOrEqual(15);
  });

  it.each(Object.keys(TRIGGERS) as ServiceErrorType[])(
    'sends %s with the status the model (or AWS for common errors) declares',
    async (type) => {
      const reply = await TRIGGERS[type]();
      expect(reply.errorType).toBe(type);
      expect(reply.status).toBe(expectedStatus(type));
    },
  );

  it('its status table agrees with every modeled error it names and covers every error it sends', () => {
    for (const [type, status] of Object.entries(ERROR_HTTP_STATUS)) {
      expect([type, status]).toEqual([type, expectedStatus(type)]);
    }
    expect(Object.keys(ERROR_HTTP_STATUS).sort()).toEqual(Object.keys(TRIGGERS).sort());
  });
});
