import {
  AppStreamClient,
  DescribeSessionsCommand,
  type DescribeSessionsCommandInput,
  type Session,
} from '@aws-sdk/client-appstream';
import {
  createEmulator,
  type Emulator,
  type EmulatorOptions,
} from '../../../src/emulator/index.js';

/** Starts an emulator on 127.0.0.1, any free port. */
export async function startEmulator(options?: EmulatorOptions): Promise<Emulator> {
  const emulator = createEmulator(options);
  await emulator.listen();
  return emulator;
}

/** A real AppStreamClient pointed at `url` with dummy credentials. */
export function clientFor(url: string, maxAttempts?: number): AppStreamClient {
  return new AppStreamClient({
    endpoint: url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    ...(maxAttempts === undefined ? {} : { maxAttempts }),
  });
}

/** The error a promise rejects with; fails the test when it resolves. */
export async function rejection(
  promise: Promise<unknown>,
): Promise<Error & { $metadata?: { httpStatusCode?: number } }> {
  try {
    await promise;
  } catch (err: unknown) {
    if (err instanceof Error) return err;
    throw new Error(`rejected with a non-Error: ${String(err)}`, { cause: err });
  }
  throw new Error('expected the call to fail, but it succeeded');
}

/** POSTs a raw body to the emulator, as the SDK would, and returns status, headers and JSON. */
export async function rawCall(
  url: string,
  target: string | undefined,
  body: string,
): Promise<{ status: number; errorType: string | null; json: unknown }> {
  const headers: Record<string, string> = { 'content-type': 'application/x-amz-json-1.1' };
  if (target !== undefined) headers['x-amz-target'] = target;
  const res = await fetch(url, { method: 'POST', headers, body });
  return {
    status: res.status,
    errorType: res.headers.get('x-amzn-errortype'),
    json: await res.json(),
  };
}

/** Follows NextToken to the end (past empty pages); returns every session and every page size. */
export async function walk(via: AppStreamClient, input: DescribeSessionsCommandInput) {
  const sessions: Session[] = [];
  const pages: number[] = [];
  const tokens: string[] = [];
  let NextToken = input.NextToken;
  do {
    const out = await via.send(new DescribeSessionsCommand({ ...input, NextToken }));
    sessions.push(...(out.Sessions ?? []));
    pages.push(out.Sessions?.length ?? 0);
    NextToken = out.NextToken;
    if (NextToken !== undefined) tokens.push(NextToken);
  } while (NextToken !== undefined);
  return { sessions, pages, tokens };
}

/** The Ids of `sessions`, in order. */
export const ids = (sessions: readonly { Id?: string | undefined }[]) => sessions.map((s) => s.Id);
