import { BatchGetItemCommand, DynamoDBClient, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';

/**
 * The API's per-request reads (can_send_sms, can-call; docs/api.md "Latency"): every item a request needs, from one
 * or several tables, in one BatchGetItem, sent by a low-level DynamoDB client built for it.
 *
 * Why not the shared DynamoDBDocumentClient: per request, the SDK's cost on the caller's thread is mostly its
 * middleware stack (resolved anew on every send), serialisation and signing, not the round trip. This client sets
 * the SDK's `cacheMiddleware` option (the stack is resolved once per command class; the Document client cannot use
 * it: it binds the first command to the cached handler) and marshals with util-dynamodb itself; one BatchGetItem
 * instead of two or three requests pays that cost once. The reads are as consistent as the GetItems they replace
 * (eventually consistent by default), and nothing read is cached: an opt-out written by an event is read by the next
 * request.
 */
let reads: { endpoint: string | undefined; client: DynamoDBClient } | undefined;

/** The read client, created once per endpoint (a restarted local runtime gets new ports, hence a new client). */
export function dynamoReadClient(): DynamoDBClient {
  const endpoint = process.env.AWS_ENDPOINT_URL_DYNAMODB;
  if (reads?.endpoint !== endpoint || !reads) {
    const client = new DynamoDBClient({ cacheMiddleware: true });
    // No logger is configured, yet the SDK's logger middleware builds the log-filtered input and output of every
    // request before handing them to its no-op logger: ~5% of the request's cost, for nothing.
    client.middlewareStack.remove('loggerMiddleware');
    reads = { endpoint, client };
  }
  return reads.client;
}

/** Attempts (first call included) and full-jitter backoff for keys DynamoDB leaves unprocessed. */
export interface ReadRetry {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

/** Keys still unprocessed after the retry cap (the caller answers 503 rather than a guess). */
export class UnprocessedReadError extends Error {
  override name = 'UnprocessedError';
  constructor(
    readonly count: number,
    attempts: number,
  ) {
    super(`BatchGetItem: ${count} keys still unprocessed after ${attempts} attempts`);
  }
}

/** An item's key attributes (strings), e.g. `{ account_number, phone_number }`. */
export type ItemKey = object;

/**
 * The items of `keys` per table, aligned with them (undefined = no item), read in one BatchGetItem (at most 100
 * keys in all, no key twice within a table), retrying what comes back unprocessed.
 */
export async function readItems(
  keys: Readonly<Record<string, readonly ItemKey[]>>,
  retry: ReadRetry,
): Promise<Record<string, (Record<string, unknown> | undefined)[]>> {
  const found = new Map<string, Map<string, Record<string, unknown>>>();
  let pending: Record<string, { Keys: Record<string, AttributeValue>[] }> = {};
  for (const [table, tableKeys] of Object.entries(keys)) {
    found.set(table, new Map());
    if (tableKeys.length > 0) pending[table] = { Keys: tableKeys.map((key) => marshall(key)) };
  }
  const keyNames = Object.fromEntries(Object.entries(keys).map(([table, tableKeys]) => [table, Object.keys(tableKeys[0] ?? {})]));
  for (let attempt = 1; Object.keys(pending).length > 0; attempt += 1) {
    const output = await dynamoReadClient().send(new BatchGetItemCommand({ RequestItems: pending }));
    for (const [table, items] of Object.entries(output.Responses ?? {})) {
      for (const raw of items) {
        const item = unmarshall(raw);
        found.get(table)?.set(keyId(item, keyNames[table] ?? []), item);
      }
    }
    pending = (output.UnprocessedKeys ?? {}) as typeof pending;
    const left = Object.values(pending).reduce((sum, request) => sum + (request.Keys?.length ?? 0), 0);
    if (left === 0) break;
    if (attempt >= retry.maxAttempts) throw new UnprocessedReadError(left, attempt);
    await new Promise((resume) => setTimeout(resume, Math.floor(Math.random() * Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** (attempt - 1)))));
  }
  return Object.fromEntries(
    Object.entries(keys).map(([table, tableKeys]) => [table, tableKeys.map((key) => found.get(table)!.get(keyId(key, keyNames[table] ?? [])))]),
  );
}

function keyId(item: object, names: readonly string[]): string {
  return names.map((name) => String((item as Record<string, unknown>)[name])).join('\u0000');
}
