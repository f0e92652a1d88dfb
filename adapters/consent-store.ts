import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, BatchWriteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { consentLoadMarker, optOutItemAccount } from '../config/resources.ts';
import { envNames, requireEnv } from '../config/environment.ts';
import type { ConsentChange, PhoneConsentRow } from '../domain/consent/consent.ts';
import { dynamoDocumentClient } from './aws-clients.ts';
import { readItems } from './dynamo-reads.ts';

/**
 * The DynamoDB PhoneConsent table: one item per (account_number, phone_number) holding the gold
 * row's attributes, plus the load marker item that records the last completed load and, while a load
 * has not completed, the changes it may have partly written (docs/consent-sql.md "What the table holds").
 */
export interface ConsentKey {
  account_number: string;
  phone_number: string;
}

export interface ConsentLoadMarker {
  as_of_date: string;
  run_id: string;
  loaded_at: string;
}

/**
 * Changes a transform prepared for the table and no load has completed yet: the table may hold any part
 * of them. `prefix` (lake bucket) holds exactly `rows` ConsentChange lines and is never rewritten.
 */
export interface PendingConsentLoad {
  as_of_date: string;
  run_id: string;
  prefix: string;
  rows: number;
}

/** What the table holds: the last completed load (null before the first) and a load not completed since. */
export interface ConsentTableState {
  loaded: ConsentLoadMarker | null;
  pending: PendingConsentLoad | null;
}

/** The marker is not what the caller read before writing: another run loaded the table in between. */
export class ConsentTableMovedError extends Error {
  override name = 'ConsentTableMovedError';
}

/** Attempts (first call included) and full-jitter exponential backoff between them. */
export interface RetryPolicy {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

/** The API waits for the answer, so reads give up quickly; the load can afford to wait longer. */
export const readRetry: RetryPolicy = { maxAttempts: 5, baseDelayMs: 10, maxDelayMs: 200 };
export const writeRetry: RetryPolicy = { maxAttempts: 10, baseDelayMs: 50, maxDelayMs: 5_000 };

/** DynamoDB limits per request. */
export const BATCH_GET_LIMIT = 100;
export const BATCH_WRITE_LIMIT = 25;
const DEFAULT_WRITE_CONCURRENCY = 16;

/** Keys (reads) or items (writes) that DynamoDB still returned as unprocessed when the retry cap was reached. */
export class UnprocessedError extends Error {
  override name = 'UnprocessedError';
  constructor(
    readonly operation: 'BatchGetItem' | 'BatchWriteItem',
    readonly count: number,
    attempts: number,
  ) {
    super(`${operation}: ${count} ${operation === 'BatchGetItem' ? 'keys' : 'items'} still unprocessed after ${attempts} attempts`);
  }
}

function tableName(): string {
  return requireEnv(envNames.consentTable);
}

export async function getConsent(account: string, phone: string): Promise<PhoneConsentRow | undefined> {
  const { Item } = await dynamoDocumentClient().send(new GetCommand({ TableName: tableName(), Key: { account_number: account, phone_number: phone } }));
  return Item as PhoneConsentRow | undefined;
}

/**
 * What can_send_sms reads for one pair, in one request (adapters/dynamo-reads.ts): the pair's row and whether its
 * number is in the opt-out register. Never cached: an opt-out counts from the next request on.
 */
export async function getConsentAndOptOut(
  account: string,
  phone: string,
  retry: RetryPolicy = readRetry,
): Promise<{ row: PhoneConsentRow | undefined; optedOut: boolean }> {
  const table = tableName();
  const { [table]: found } = await readItems({ [table]: [{ account_number: account, phone_number: phone }, optOutKey(phone)] }, retry);
  return { row: found![0] as PhoneConsentRow | undefined, optedOut: found![1] !== undefined };
}

/**
 * Rows for the keys, aligned with them (undefined = no row). Duplicate keys are read once, as
 * BatchGetItem rejects duplicates; more than 100 keys are split into several requests.
 */
export async function batchGetConsent(keys: readonly ConsentKey[], retry: RetryPolicy = readRetry): Promise<(PhoneConsentRow | undefined)[]> {
  const unique = new Map<string, ConsentKey>();
  for (const key of keys) unique.set(keyId(key), { account_number: key.account_number, phone_number: key.phone_number });
  const found = new Map<string, PhoneConsentRow>();
  const table = tableName();

  await Promise.all(
    chunk([...unique.values()], BATCH_GET_LIMIT).map(async (batch) => {
      const left = await retryUnprocessed(batch, retry, async (pending) => {
        const output = await dynamoDocumentClient().send(new BatchGetCommand({ RequestItems: { [table]: { Keys: pending } } }));
        for (const item of output.Responses?.[table] ?? []) found.set(keyId(item as ConsentKey), item as PhoneConsentRow);
        return (output.UnprocessedKeys?.[table]?.Keys ?? []) as ConsentKey[];
      });
      if (left.length > 0) throw new UnprocessedError('BatchGetItem', left.length, retry.maxAttempts);
    }),
  );
  return keys.map((key) => found.get(keyId(key)));
}

export interface WriteOptions {
  retry?: RetryPolicy;
  /** BatchWriteItem requests in flight at once. */
  concurrency?: number;
}

/**
 * Applies consent changes: `new`/`changed` rows are put (the row's attributes, without
 * `change_type`), `gone` rows deleted. Within one call the last change of a key wins. Throws
 * UnprocessedError with the number of items left unwritten after the retry cap, so nothing is
 * silently lost.
 */
export async function writeChanges(changes: readonly ConsentChange[], options: WriteOptions = {}): Promise<{ written: number; deleted: number }> {
  const latest = new Map<string, ConsentChange>();
  for (const change of changes) latest.set(keyId(change), change);
  const requests = [...latest.values()].map(toWriteRequest);
  await writeRequests(requests, options);
  const deleted = requests.filter((request) => 'DeleteRequest' in request).length;
  return { written: requests.length - deleted, deleted };
}

/**
 * Sends the write requests to `table` (default PhoneConsent) in batches; throws UnprocessedError with the number of
 * items left unwritten after the retry cap.
 */
export async function writeRequests(requests: readonly WriteRequest[], options: WriteOptions = {}, table = tableName()): Promise<void> {
  const retry = options.retry ?? writeRetry;
  const unwritten = await mapWithConcurrency(chunk(requests, BATCH_WRITE_LIMIT), options.concurrency ?? DEFAULT_WRITE_CONCURRENCY, async (batch) => {
    const left = await retryUnprocessed(batch, retry, async (pending) => {
      const output = await dynamoDocumentClient().send(new BatchWriteCommand({ RequestItems: { [table]: pending } }));
      return (output.UnprocessedItems?.[table] ?? []) as WriteRequest[];
    });
    return left.length;
  });
  const count = unwritten.reduce((sum, n) => sum + n, 0);
  if (count > 0) throw new UnprocessedError('BatchWriteItem', count, retry.maxAttempts);
}

/**
 * The item that marks `phone` (E.164) as opted out (docs/optout-register.md): account `#OPTOUT`, the phone as
 * sort key, `opted_out_since` the first day known.
 */
export function optOutKey(phone: string): ConsentKey {
  return { account_number: optOutItemAccount, phone_number: phone };
}

/** Whether `phone` is in the opt-out register as the table holds it. */
export async function isOptedOut(phone: string): Promise<boolean> {
  const { Item } = await dynamoDocumentClient().send(new GetCommand({ TableName: tableName(), Key: optOutKey(phone) }));
  return Item !== undefined;
}

/** Marks numbers opted out (the register's new entries, loaded by the run); writing an entry again changes nothing that is read. */
export async function putOptOuts(entries: readonly { phone: string; since: string }[], options: WriteOptions = {}): Promise<void> {
  const unique = new Map(entries.map((entry) => [entry.phone, entry]));
  await writeRequests(
    [...unique.values()].map(({ phone, since }) => ({ PutRequest: { Item: { ...optOutKey(phone), opted_out_since: since } } })),
    options,
  );
}

/** Marks one number opted out at once (an SMS opt-out event), keeping the first day if it already is. */
export async function recordOptOut(phone: string, day: string): Promise<void> {
  await dynamoDocumentClient().send(
    new UpdateCommand({
      TableName: tableName(),
      Key: optOutKey(phone),
      UpdateExpression: 'SET opted_out_since = if_not_exists(opted_out_since, :day)',
      ExpressionAttributeValues: { ':day': day },
    }),
  );
}

/** The last completed load (the API's `asOf`); undefined before the first. */
export async function getLoadMarker(): Promise<ConsentLoadMarker | undefined> {
  return (await getConsentTableState()).loaded ?? undefined;
}

export async function getConsentTableState(): Promise<ConsentTableState> {
  const { Item } = await dynamoDocumentClient().send(new GetCommand({ TableName: tableName(), Key: { ...consentLoadMarker }, ConsistentRead: true }));
  const loaded =
    typeof Item?.as_of_date === 'string' ? { as_of_date: Item.as_of_date, run_id: Item.run_id as string, loaded_at: Item.loaded_at as string } : null;
  const pending =
    typeof Item?.pending_prefix === 'string'
      ? {
          as_of_date: Item.pending_as_of_date as string,
          run_id: Item.pending_run_id as string,
          prefix: Item.pending_prefix,
          rows: Item.pending_rows as number,
        }
      : null;
  return { loaded, pending };
}

/**
 * Records `pending` as the load not completed yet, replacing an earlier one (whose changes `pending`
 * includes), on condition that the table still holds the completed load `loadedAsOf` (null: none).
 */
export async function recordPendingLoad(pending: PendingConsentLoad, loadedAsOf: string | null): Promise<void> {
  await conditional(
    new UpdateCommand({
      TableName: tableName(),
      Key: { ...consentLoadMarker },
      UpdateExpression: 'SET pending_as_of_date = :date, pending_run_id = :run, pending_prefix = :prefix, pending_rows = :rows',
      ...loadedCondition(loadedAsOf),
      ExpressionAttributeValues: {
        ':date': pending.as_of_date,
        ':run': pending.run_id,
        ':prefix': pending.prefix,
        ':rows': pending.rows,
        ...(loadedAsOf === null ? {} : { ':loaded': loadedAsOf }),
      },
    }),
    `the consent table no longer holds the load of ${loadedAsOf ?? '(none)'}`,
  );
}

/**
 * Records the completed load `marker` (and forgets the pending load), on condition that the pending load
 * is still the one of `pendingPrefix`: the changes just written were prepared against the table as it is
 * (a completed load clears the pending one, a later transform replaces it). Without `expected` (seeding
 * a table: tests, benchmarks) the marker is put unconditionally.
 */
export async function putLoadMarker(marker: ConsentLoadMarker, expected?: { pendingPrefix: string }): Promise<void> {
  const item = { TableName: tableName(), Item: { ...consentLoadMarker, ...marker } };
  if (expected === undefined) {
    await dynamoDocumentClient().send(new PutCommand(item));
    return;
  }
  await conditional(
    new PutCommand({ ...item, ConditionExpression: 'pending_prefix = :prefix', ExpressionAttributeValues: { ':prefix': expected.pendingPrefix } }),
    `the consent table no longer has ${expected.pendingPrefix} as its pending load`,
  );
}

function loadedCondition(loadedAsOf: string | null): { ConditionExpression: string } {
  return { ConditionExpression: loadedAsOf === null ? 'attribute_not_exists(as_of_date)' : 'as_of_date = :loaded' };
}

async function conditional(command: UpdateCommand | PutCommand, moved: string): Promise<void> {
  try {
    await dynamoDocumentClient().send(command as PutCommand);
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException || (error as Error).name === 'ConditionalCheckFailedException') {
      throw new ConsentTableMovedError(`${moved}: another run changed it; re-run the date`);
    }
    throw error;
  }
}

export type WriteRequest = { PutRequest: { Item: Record<string, unknown> } } | { DeleteRequest: { Key: Record<string, unknown> } };

function toWriteRequest(change: ConsentChange): WriteRequest {
  const { change_type, ...row } = change;
  if (change_type === 'gone') return { DeleteRequest: { Key: { account_number: row.account_number, phone_number: row.phone_number } } };
  return { PutRequest: { Item: row } };
}

function keyId(key: ConsentKey): string {
  return `${key.account_number}\u0000${key.phone_number}`;
}

/** Full jitter: a random delay in [0, min(max, base · 2^retry)). */
export function backoffDelayMs(retry: number, policy: RetryPolicy, random: () => number = Math.random): number {
  return Math.floor(random() * Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** retry));
}

/**
 * Sends `pending` until nothing comes back unprocessed or the attempts run out; returns what is
 * still unprocessed (empty on success).
 */
export async function retryUnprocessed<T>(pending: T[], policy: RetryPolicy, send: (pending: T[]) => Promise<T[]>): Promise<T[]> {
  let left = pending;
  for (let attempt = 1; left.length > 0; attempt += 1) {
    left = await send(left);
    if (left.length === 0 || attempt >= policy.maxAttempts) break;
    await new Promise((resume) => setTimeout(resume, backoffDelayMs(attempt - 1, policy)));
  }
  return left;
}

export function chunk<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let start = 0; start < items.length; start += size) chunks.push(items.slice(start, start + size));
  return chunks;
}

/** Runs `task` over the items with at most `limit` in flight; on a failure starts no new task and rethrows it. */
export async function mapWithConcurrency<T, R>(items: readonly T[], limit: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (!failed && next < items.length) {
      const index = next++;
      try {
        results[index] = await task(items[index]!);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  const settled = await Promise.allSettled(Array.from({ length: Math.min(limit, items.length) }, worker));
  const failure = settled.find((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
  if (failure) throw failure.reason;
  return results;
}
