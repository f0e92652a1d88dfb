import { beforeEach, describe, expect, it } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { BatchGetCommand, BatchWriteCommand, DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { consentLoadMarker } from '../../config/resources.ts';
import type { ConsentChange } from '../../domain/consent/consent.ts';
import {
  backoffDelayMs,
  batchGetConsent,
  chunk,
  getLoadMarker,
  mapWithConcurrency,
  putLoadMarker,
  UnprocessedError,
  writeChanges,
  type RetryPolicy,
} from '../../adapters/consent-store.ts';

const TABLE = 'phone-consent-test';
const fast: RetryPolicy = { maxAttempts: 4, baseDelayMs: 1, maxDelayMs: 2 };
const dynamo = mockClient(DynamoDBDocumentClient);

function change(index: number, change_type: ConsentChange['change_type'] = 'new'): ConsentChange {
  return {
    change_type,
    account_number: String(1_000_000_000_000_000 + Math.floor(index / 3)),
    phone_number: `+1212555${String(1000 + index).slice(-4)}`,
    phone_type: 'MOBILE',
    phone_status: 'ACTIVE',
    phone_technology: 'WIRELESS',
    quality_score: 80,
    phone_source: 'CLIENT',
    has_sms_consent: index % 2 === 0 ? true : null,
    sms_consent_updated_at: null,
    is_deleted: false,
    delete_type: null,
    deleted_at: null,
    as_of_date: '2026-11-20',
  };
}

type WriteInput = { RequestItems: Record<string, unknown[]> };
const writeRequests = () => dynamo.commandCalls(BatchWriteCommand).map((c) => c.args[0].input.RequestItems![TABLE]!);

beforeEach(() => {
  process.env.OUTBOUND_CONSENT_TABLE = TABLE;
  dynamo.reset();
});

describe('pure helpers', () => {
  it('chunks into pieces of the given size, the last one shorter', () => {
    expect(chunk([1, 2, 3, 4, 5], 2)).toStrictEqual([[1, 2], [3, 4], [5]]);
    expect(chunk([], 25)).toStrictEqual([]);
  });

  it('backs off exponentially with full jitter, capped', () => {
    const policy: RetryPolicy = { maxAttempts: 10, baseDelayMs: 50, maxDelayMs: 1_000 };
    const highest = () => 0.999_999;

    const ceilings = [0, 1, 2, 3, 4, 5, 8].map((retry) => backoffDelayMs(retry, policy, highest));

    expect(ceilings).toStrictEqual([49, 99, 199, 399, 799, 999, 999]);
    expect(backoffDelayMs(3, policy, () => 0)).toBe(0);
  });

  it('keeps at most `limit` tasks in flight and returns results in order', async () => {
    let inFlight = 0;
    let peak = 0;

    const results = await mapWithConcurrency([5, 1, 4, 2, 3, 1, 2], 3, async (n) => {
      inFlight += 1;
      peak = Math.max(peak, inFlight);
      await new Promise((resume) => setTimeout(resume, n));
      inFlight -= 1;
      return n * 10;
    });

    expect(results).toStrictEqual([50, 10, 40, 20, 30, 10, 20]);
    expect(peak).toBe(3);
  });

  it('starts no new task after one fails and rethrows its error', async () => {
    const started: number[] = [];

    const run = mapWithConcurrency([1, 2, 3, 4, 5], 2, async (n) => {
      started.push(n);
      if (n === 2) throw new Error('boom');
      await new Promise((resume) => setTimeout(resume, 5));
    });

    await expect(run).rejects.toThrow('boom');
    expect(started).toStrictEqual([1, 2]);
  });
});

describe('writeChanges', () => {
  it('writes in chunks of 25: puts the row without change_type, deletes gone rows', async () => {
    dynamo.on(BatchWriteCommand).resolves({});
    const changes = Array.from({ length: 60 }, (_, index) => change(index, index % 10 === 9 ? 'gone' : index % 2 ? 'changed' : 'new'));

    const result = await writeChanges(changes, { retry: fast });

    expect(result).toStrictEqual({ written: 54, deleted: 6 });
    expect(writeRequests().map((requests) => requests.length)).toStrictEqual([25, 25, 10]);
    const all = writeRequests().flat();
    const { change_type: _, ...firstRow } = changes[0]!;
    expect(all[0]).toStrictEqual({ PutRequest: { Item: firstRow } });
    expect(all[9]).toStrictEqual({ DeleteRequest: { Key: { account_number: changes[9]!.account_number, phone_number: changes[9]!.phone_number } } });
  });

  it('writes a key changed twice in one call once, with its last change', async () => {
    dynamo.on(BatchWriteCommand).resolves({});

    const result = await writeChanges([change(1), { ...change(1), has_sms_consent: false }], { retry: fast });

    expect(result).toStrictEqual({ written: 1, deleted: 0 });
    expect(writeRequests().flat()).toStrictEqual([{ PutRequest: { Item: expect.objectContaining({ has_sms_consent: false }) } }]);
  });

  it('retries UnprocessedItems until they are written', async () => {
    let calls = 0;
    dynamo.on(BatchWriteCommand).callsFake((input: WriteInput) => {
      calls += 1;
      return calls <= 2 ? { UnprocessedItems: { [TABLE]: input.RequestItems[TABLE]!.slice(0, 3) } } : {};
    });

    const result = await writeChanges(
      Array.from({ length: 10 }, (_, index) => change(index)),
      { retry: fast },
    );

    expect(result).toStrictEqual({ written: 10, deleted: 0 });
    expect(writeRequests().map((requests) => requests.length)).toStrictEqual([10, 3, 3]);
  });

  it('throws naming how many items are still unwritten after the retry cap', async () => {
    dynamo.on(BatchWriteCommand).callsFake((input: WriteInput) => ({ UnprocessedItems: { [TABLE]: input.RequestItems[TABLE]!.slice(0, 2) } }));

    const write = writeChanges(
      Array.from({ length: 30 }, (_, index) => change(index)),
      { retry: fast, concurrency: 1 },
    );

    await expect(write).rejects.toThrow(new UnprocessedError('BatchWriteItem', 4, 4));
    await expect(write).rejects.toThrow('BatchWriteItem: 4 items still unprocessed after 4 attempts');
    // 2 chunks (25 + 5), each tried 4 times.
    expect(dynamo.commandCalls(BatchWriteCommand)).toHaveLength(8);
  });

  it('keeps at most `concurrency` BatchWriteItem requests in flight', async () => {
    let inFlight = 0;
    let peak = 0;
    dynamo.on(BatchWriteCommand).callsFake(async () => {
      inFlight += 1;
      peak = Math.max(peak, inFlight);
      await new Promise((resume) => setTimeout(resume, 2));
      inFlight -= 1;
      return {};
    });

    await writeChanges(
      Array.from({ length: 250 }, (_, index) => change(index)),
      { retry: fast, concurrency: 3 },
    );

    expect(dynamo.commandCalls(BatchWriteCommand)).toHaveLength(10);
    expect(peak).toBe(3);
  });

  it('propagates a DynamoDB error', async () => {
    dynamo.on(BatchWriteCommand).rejects(Object.assign(new Error('no such table'), { name: 'ResourceNotFoundException' }));

    await expect(writeChanges([change(1)], { retry: fast })).rejects.toThrow('no such table');
  });
});

describe('batchGetConsent', () => {
  type GetInput = { RequestItems: Record<string, { Keys: { account_number: string; phone_number: string }[] }> };
  const rowFor = (key: { account_number: string; phone_number: string }) => ({ ...key, phone_source: 'CLIENT' });

  it('reads at most 100 keys per request, each distinct key once, answers aligned with the keys', async () => {
    dynamo.on(BatchGetCommand).callsFake((input: GetInput) => ({
      Responses: { [TABLE]: input.RequestItems[TABLE]!.Keys.filter((key) => !key.phone_number.endsWith('0')).map(rowFor) },
    }));
    const distinct = Array.from({ length: 230 }, (_, index) => ({ account_number: '1234567890123456', phone_number: `+1212555${String(1000 + index)}` }));
    const keys = [...distinct, distinct[5]!, distinct[7]!];

    const rows = await batchGetConsent(keys, fast);

    expect(dynamo.commandCalls(BatchGetCommand).map((c) => c.args[0].input.RequestItems![TABLE]!.Keys!.length)).toStrictEqual([100, 100, 30]);
    expect(rows).toHaveLength(232);
    expect(rows[1]).toMatchObject(keys[1]!);
    expect(rows[10]).toBeUndefined();
    expect(rows[230]).toMatchObject(distinct[5]!);
    expect(rows[231]).toMatchObject(distinct[7]!);
  });

  it('retries UnprocessedKeys', async () => {
    let calls = 0;
    dynamo.on(BatchGetCommand).callsFake((input: GetInput) => {
      calls += 1;
      const keys = input.RequestItems[TABLE]!.Keys;
      if (calls === 1) return { Responses: { [TABLE]: keys.slice(0, 60).map(rowFor) }, UnprocessedKeys: { [TABLE]: { Keys: keys.slice(60) } } };
      return { Responses: { [TABLE]: keys.map(rowFor) } };
    });
    const keys = Array.from({ length: 100 }, (_, index) => ({ account_number: '1234567890123456', phone_number: `+1212555${String(1000 + index)}` }));

    const rows = await batchGetConsent(keys, fast);

    expect(rows.every((row, index) => row?.phone_number === keys[index]!.phone_number)).toBe(true);
    expect(dynamo.commandCalls(BatchGetCommand)[1]!.args[0].input.RequestItems![TABLE]!.Keys).toHaveLength(40);
  });

  it('throws with the count when keys stay unprocessed after the cap', async () => {
    dynamo.on(BatchGetCommand).callsFake((input: GetInput) => ({ Responses: {}, UnprocessedKeys: input.RequestItems }));

    const read = batchGetConsent([{ account_number: '1234567890123456', phone_number: '+12125550142' }], fast);

    await expect(read).rejects.toThrow('BatchGetItem: 1 keys still unprocessed after 4 attempts');
    expect(dynamo.commandCalls(BatchGetCommand)).toHaveLength(4);
  });
});

describe('load marker', () => {
  it('puts and reads the marker item under its reserved key', async () => {
    dynamo.on(PutCommand).resolves({});
    dynamo.on(GetCommand, { TableName: TABLE, Key: { ...consentLoadMarker } }).resolves({
      Item: { ...consentLoadMarker, as_of_date: '2026-11-20', run_id: 'run-1', loaded_at: '2026-11-20T11:00:00.000Z' },
    });
    const marker = { as_of_date: '2026-11-20', run_id: 'run-1', loaded_at: '2026-11-20T11:00:00.000Z' };

    await putLoadMarker(marker);
    const read = await getLoadMarker();

    expect(dynamo.commandCalls(PutCommand)[0]!.args[0].input).toStrictEqual({ TableName: TABLE, Item: { ...consentLoadMarker, ...marker } });
    expect(read).toStrictEqual(marker);
  });

  it('is undefined before the first load', async () => {
    dynamo.on(GetCommand).resolves({});

    expect(await getLoadMarker()).toBeUndefined();
  });
});
