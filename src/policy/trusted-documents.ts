/**
 * Trusted documents (persisted-query allow-list): with `TRUSTED_DOCUMENTS=manifest.json`, only the
 * operations of the manifest run. Two manifest formats load:
 *
 * - Apollo's (`@apollo/generate-persisted-query-manifest`):
 *   `{"format":"apollo-persisted-query-manifest","version":1,"operations":[{"id","name","type","body"}]}`
 *   where `id` is the SHA-256 of `body`;
 * - relay-compiler's persisted output (`persistConfig`): `{"<id>": "<document text>"}`.
 *
 * A request names its operation by id, as `extensions.persistedQuery.sha256Hash` (Apollo Client's
 * persisted-query link), `documentId` (the GraphQL-over-HTTP draft), `doc_id` or `id` (Relay
 * network layers), or sends the document itself, which runs when its SHA-256 is that of a listed
 * document.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Kind, parse } from 'graphql';
import { ErrorCode, GatewayError } from '../errors.js';

/** The documents of a manifest, by id and by the SHA-256 of their text. */
export interface TrustedDocuments {
  /** How many documents the manifest lists. */
  readonly size: number;
  /** The names of the operations the documents define (the only names that can run). */
  readonly operationNames: ReadonlySet<string>;
  /**
   * Resolves one GraphQL request (the JSON object of a POST body, or GET's parameters) to the
   * request Apollo should run: the listed document as `query`, the id fields removed. Throws a
   * `PERSISTED_QUERY_NOT_FOUND` or `OPERATION_NOT_TRUSTED` {@link GatewayError}.
   */
  resolve(request: Readonly<Record<string, unknown>>): Record<string, unknown>;
}

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Reads either manifest format into id → document text. Throws an Error saying what is wrong. */
export function parseManifest(json: unknown): Map<string, string> {
  const documents = new Map<string, string>();
  if (!isRecord(json)) throw new Error('the manifest must be a JSON object');
  if (json.format === 'apollo-persisted-query-manifest') {
    if (json.version !== 1 || !Array.isArray(json.operations)) {
      throw new Error('an Apollo manifest needs "version": 1 and an "operations" array');
    }
    for (const operation of json.operations as unknown[]) {
      if (!isRecord(operation) || typeof operation.id !== 'string') {
        throw new Error('every Apollo manifest operation needs a string "id" and "body"');
      }
      if (typeof operation.body !== 'string') {
        throw new Error(`operation "${operation.id}" of the Apollo manifest has no string "body"`);
      }
      documents.set(operation.id, operation.body);
    }
    return documents;
  }
  for (const [id, text] of Object.entries(json)) {
    if (typeof text !== 'string') {
      throw new Error(
        `entry "${id}" must map an id to the document's text (relay-compiler format)`,
      );
    }
    documents.set(id, text);
  }
  return documents;
}

function requestedId(request: Readonly<Record<string, unknown>>): string | undefined {
  const extensions = request.extensions;
  const persisted = isRecord(extensions) ? extensions.persistedQuery : undefined;
  const candidates = [
    isRecord(persisted) ? persisted.sha256Hash : undefined,
    request.documentId,
    request.doc_id,
    request.id,
  ];
  return candidates.find((candidate): candidate is string => typeof candidate === 'string');
}

/** Builds the allow-list of a parsed manifest. */
export function createTrustedDocuments(documents: ReadonlyMap<string, string>): TrustedDocuments {
  const byHash = new Map<string, string>();
  for (const text of documents.values()) byHash.set(sha256(text), text);
  return {
    size: documents.size,
    operationNames: operationNamesOf(byHash.values()),
    resolve(request) {
      const id = requestedId(request);
      const query = typeof request.query === 'string' ? request.query : undefined;
      let text: string | undefined;
      if (query !== undefined) {
        text = byHash.get(sha256(query));
        if (text === undefined) {
          throw new GatewayError(
            ErrorCode.OPERATION_NOT_TRUSTED,
            'This gateway only runs trusted documents and this operation is not one of them; ' +
              "add it to the frontend's persisted-query manifest and redeploy the manifest.",
          );
        }
      } else if (id !== undefined) {
        text = documents.get(id) ?? byHash.get(id);
      }
      if (text === undefined) {
        throw new GatewayError(
          ErrorCode.PERSISTED_QUERY_NOT_FOUND,
          id === undefined
            ? 'This gateway only runs trusted documents: send a listed document id ' +
                '(extensions.persistedQuery.sha256Hash or documentId) or a listed document.'
            : 'No trusted document has this id; regenerate the manifest from the frontend ' +
                'and redeploy it with the gateway.',
        );
      }
      const resolved: Record<string, unknown> = { ...request, query: text };
      delete resolved.documentId;
      delete resolved.doc_id;
      delete resolved.id;
      if (isRecord(request.extensions)) {
        const extensions = { ...request.extensions };
        delete extensions.persistedQuery;
        resolved.extensions = extensions;
      }
      return resolved;
    },
  };
}

/** Names of the operations `texts` define; a text that does not parse defines none. */
function operationNamesOf(texts: Iterable<string>): Set<string> {
  const names = new Set<string>();
  for (const text of texts) {
    try {
      for (const definition of parse(text, { noLocation: true }).definitions) {
        if (definition.kind === Kind.OPERATION_DEFINITION && definition.name !== undefined) {
          names.add(definition.name.value);
        }
      }
    } catch {
      // Not GraphQL: it fails when it is run, with the error it would have anyway.
    }
  }
  return names;
}

/**
 * Loads a manifest file at start. Throws an Error whose message names the file and the problem,
 * so that a bad manifest stops the process with one clear line.
 */
export function loadTrustedDocuments(path: string): TrustedDocuments {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error: unknown) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`TRUSTED_DOCUMENTS: cannot read ${path}: ${reason}`, { cause: error });
  }
  try {
    return createTrustedDocuments(parseManifest(json));
  } catch (error: unknown) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`TRUSTED_DOCUMENTS: ${path} is not a manifest: ${reason}`, { cause: error });
  }
}
