import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { resources } from '../config/resources.ts';
import { envNames, requireEnv } from '../config/environment.ts';
import { addDays } from '../domain/campaigns/dates.ts';
import type { CallAttemptEvent } from '../domain/api/events.ts';
import type { DialGateDay } from '../domain/api/dial-gate.ts';
import { dynamoDocumentClient } from './aws-clients.ts';
import { optOutKey, readRetry, retryUnprocessed, UnprocessedError, writeRequests, type RetryPolicy } from './consent-store.ts';
import { readItems } from './dynamo-reads.ts';

/**
 * The DialGate table (docs/api.md "can-call"): one item per key `pk`, each expiring through `expires_at`:
 *   window#D#account#phone  the published calling window of the number on that account's call lists of day D
 *   budget#D#account        calls_allowed_today of the account on day D
 *   attempts#D#account      calls counted from events on day D (attempts, conversations, event_ids)
 *   #META#LAST_LOAD         the day the run loaded last (as_of_date, run_id, loaded_at)
 */
const tableName = () => requireEnv(envNames.dialGateTable);
const { partitionKey, ttlAttribute } = resources.tables.dialGate;

/** Days an item is kept after its day: long enough for audits of the recent days, short enough to stay small. */
const KEPT_DAYS = 8;

export const dialGateKeys = {
  window: (day: string, account: string, phone: string) => `window#${day}#${account}#${phone}`,
  budget: (day: string, account: string) => `budget#${day}#${account}`,
  attempts: (day: string, account: string) => `attempts#${day}#${account}`,
  marker: '#META#LAST_LOAD',
};

function expiresAt(day: string): number {
  return Math.floor(Date.parse(`${addDays(day, KEPT_DAYS)}T00:00:00Z`) / 1000);
}

/**
 * Counts a call attempt toward its account's day, once: one UpdateItem adds to the counters and the event's id
 * to the item's set, on condition that the set does not hold the id yet, so a redelivered event counts nothing.
 */
export async function recordCallAttempt(event: CallAttemptEvent): Promise<'counted' | 'duplicate'> {
  try {
    await dynamoDocumentClient().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: { [partitionKey]: dialGateKeys.attempts(event.day, event.account) },
        UpdateExpression: 'ADD attempts :one, conversations :conversation, event_ids :ids SET #ttl = :ttl',
        ConditionExpression: 'attribute_not_exists(event_ids) OR NOT contains(event_ids, :id)',
        ExpressionAttributeNames: { '#ttl': ttlAttribute },
        ExpressionAttributeValues: {
          ':one': 1,
          ':conversation': event.conversation ? 1 : 0,
          ':ids': new Set([event.id]),
          ':id': event.id,
          ':ttl': expiresAt(event.day),
        },
      }),
    );
    return 'counted';
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException || (error as Error).name === 'ConditionalCheckFailedException') return 'duplicate';
    throw error;
  }
}

export interface DialGateMarker {
  as_of_date: string;
  run_id: string;
  loaded_at: string;
}

export async function getDialGateMarker(): Promise<DialGateMarker | undefined> {
  const { Item } = await dynamoDocumentClient().send(
    new GetCommand({ TableName: tableName(), Key: { [partitionKey]: dialGateKeys.marker }, ConsistentRead: true }),
  );
  return typeof Item?.as_of_date === 'string' ? { as_of_date: Item.as_of_date, run_id: Item.run_id as string, loaded_at: Item.loaded_at as string } : undefined;
}

export async function putDialGateMarker(marker: DialGateMarker): Promise<void> {
  await dynamoDocumentClient().send(new PutCommand({ TableName: tableName(), Item: { [partitionKey]: dialGateKeys.marker, ...marker } }));
}

/** What the table holds for one (account, phone) on `day`: its window, its account's budget and attempts. */
export async function getDialGateDay(day: string, account: string, phone: string): Promise<DialGateDay> {
  const table = tableName();
  const keys = [dialGateKeys.window(day, account, phone), dialGateKeys.budget(day, account), dialGateKeys.attempts(day, account)];
  const found = new Map<string, Record<string, unknown>>();
  const left = await retryUnprocessed(
    keys.map((key): Record<string, string> => ({ [partitionKey]: key })),
    readRetry,
    async (pending) => {
      const output = await dynamoDocumentClient().send(new BatchGetCommand({ RequestItems: { [table]: { Keys: pending } } }));
      for (const item of output.Responses?.[table] ?? []) found.set(item[partitionKey] as string, item);
      return (output.UnprocessedKeys?.[table]?.Keys ?? []) as Record<string, string>[];
    },
  );
  if (left.length > 0) throw new UnprocessedError('BatchGetItem', left.length, readRetry.maxAttempts);
  const [window, budget, attempts] = keys.map((key) => found.get(key));
  return toDialGateDay(window, budget, attempts);
}

/**
 * What can-call reads for one (account, phone) on `day`, in one request across both tables (adapters/dynamo-reads.ts):
 * the dial gate's window, budget and attempts, and whether the number is in the opt-out register (consent table).
 * Nothing of it is cached: an attempt or an opt-out counts from the next request on.
 */
export async function getDialGateDayAndOptOut(
  day: string,
  account: string,
  phone: string,
  retry: RetryPolicy = readRetry,
): Promise<{ day: DialGateDay; optedOut: boolean }> {
  const gateTable = tableName();
  const consentTable = requireEnv(envNames.consentTable);
  const keys = [dialGateKeys.window(day, account, phone), dialGateKeys.budget(day, account), dialGateKeys.attempts(day, account)];
  const found = await readItems({ [gateTable]: keys.map((key) => ({ [partitionKey]: key })), [consentTable]: [optOutKey(phone)] }, retry);
  const [window, budget, attempts] = found[gateTable]!;
  return { day: toDialGateDay(window, budget, attempts), optedOut: found[consentTable]![0] !== undefined };
}

function toDialGateDay(
  window: Record<string, unknown> | undefined,
  budget: Record<string, unknown> | undefined,
  attempts: Record<string, unknown> | undefined,
): DialGateDay {
  return {
    window: window ? { start: window.window_start_utc as string, end: window.window_end_utc as string } : undefined,
    callsAllowedToday:
      budget === undefined
        ? undefined
        : typeof budget.calls_allowed_today === 'number'
          ? budget.calls_allowed_today
          : budget.uncapped === true
            ? null
            : undefined,
    attempts: (attempts?.attempts as number | undefined) ?? 0,
    conversations: (attempts?.conversations as number | undefined) ?? 0,
  };
}

export interface DayWindow {
  account: string;
  phone: string;
  start: string;
  end: string;
}

/** The items the run loads for `day`: each number's window and each account's budget (docs/api.md). */
export function dayItems(
  day: string,
  windows: readonly DayWindow[],
  budgets: readonly { account: string; callsAllowedToday: number | null }[],
): Record<string, unknown>[] {
  const ttl = expiresAt(day);
  return [
    ...windows.map((window) => ({
      [partitionKey]: dialGateKeys.window(day, window.account, window.phone),
      window_start_utc: window.start,
      window_end_utc: window.end,
      [ttlAttribute]: ttl,
    })),
    // No cap is said in so many words (uncapped), so that an item read without its budget is never taken for it.
    ...budgets.map((budget) => ({
      [partitionKey]: dialGateKeys.budget(day, budget.account),
      ...(budget.callsAllowedToday === null ? { uncapped: true } : { calls_allowed_today: budget.callsAllowedToday }),
      [ttlAttribute]: ttl,
    })),
  ];
}

/** Writes the day's items (dayItems); a re-run of the day writes the same items again. */
export async function putDayItems(items: readonly Record<string, unknown>[]): Promise<void> {
  await writeRequests(
    items.map((item) => ({ PutRequest: { Item: item } })),
    {},
    tableName(),
  );
}
