import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { mockClient } from 'aws-sdk-client-mock';
import { GetObjectCommand, HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { BatchWriteCommand, DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { consentLoadMarker } from '../../../config/resources.ts';
import type { ConsentChange } from '../../../domain/consent/consent.ts';
import { handler } from '../../../lambdas/consent-load/handler.ts';
import { captureMetrics, type PublishedMetric } from '../../support/emf.ts';

const TABLE = 'phone-consent-test';
const BUCKET = 'lake';
const s3 = mockClient(S3Client);
const dynamo = mockClient(DynamoDBDocumentClient);
let files: Map<string, Buffer>;
let metrics: () => PublishedMetric[];

function change(index: number, change_type: ConsentChange['change_type'] = 'new'): ConsentChange {
  return {
    change_type,
    account_number: String(1_000_000_000_000_000 + index),
    phone_number: '+12125550142',
    phone_type: 'MOBILE',
    phone_status: 'ACTIVE',
    phone_technology: 'WIRELESS',
    quality_score: 80,
    phone_source: 'CLIENT',
    has_sms_consent: index % 3 === 0 ? null : index % 3 === 1,
    sms_consent_updated_at: '2026-11-19',
    is_deleted: change_type === 'gone',
    delete_type: change_type === 'gone' ? 'hard_delete' : null,
    deleted_at: change_type === 'gone' ? '2026-11-20' : null,
    as_of_date: '2026-11-20',
  };
}

/** The changes file's columns as the transform writes them (sql/consent/phone_consent_changes_export.sql). */
const COLUMNS: Record<string, string> = {
  change_type: 'VARCHAR',
  account_number: 'VARCHAR',
  phone_number: 'VARCHAR',
  phone_type: 'VARCHAR',
  phone_status: 'VARCHAR',
  phone_technology: 'VARCHAR',
  quality_score: 'INTEGER',
  phone_source: 'VARCHAR',
  has_sms_consent: 'BOOLEAN',
  sms_consent_updated_at: 'VARCHAR',
  is_deleted: 'BOOLEAN',
  delete_type: 'VARCHAR',
  deleted_at: 'VARCHAR',
  as_of_date: 'VARCHAR',
};
let scratch: string;
let duckdb: DuckDBConnection;
beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'consent-load-'));
  duckdb = await (await DuckDBInstance.create(':memory:')).connect();
});
afterAll(async () => {
  duckdb.closeSync();
  await rm(scratch, { recursive: true, force: true });
});

/** A changes file written by DuckDB, in row groups of 1,024 rows; `types` overrides a column's type (a broken file). */
async function putFile(key: string, rows: object[], types: Record<string, string> = {}): Promise<string> {
  const json = join(scratch, 'rows.jsonl');
  const parquet = join(scratch, 'rows.parquet');
  await writeFile(json, rows.map((row) => `${JSON.stringify(row)}\n`).join(''));
  const columns = Object.entries({ ...COLUMNS, ...types }).map(([column, type]) => `'${column}': '${type}'`);
  await duckdb.run(
    `COPY (SELECT * FROM read_json('${json}', columns = {${columns.join(', ')}}, format = 'newline_delimited')) TO '${parquet}' (FORMAT PARQUET, ROW_GROUP_SIZE 1024)`,
  );
  files.set(key, await readFile(parquet));
  return key;
}

const PREFIX = 'changes/';
/** The step's input: the changes of 2026-11-20, computed against the load of 2026-11-19 the table holds. */
const event = (keys: string[]) => ({
  runId: 'run-2026-11-20',
  loadDate: '2026-11-20',
  fullLoad: false,
  skipped: null,
  changes: { bucket: BUCKET, prefix: PREFIX, keys },
});
/** The marker item as the transform left it: the completed load of 11-19, the changes of 11-20 pending. */
const markerItem = {
  ...consentLoadMarker,
  as_of_date: '2026-11-19',
  run_id: 'run-2026-11-19',
  loaded_at: '2026-11-19T11:00:00.000Z',
  pending_as_of_date: '2026-11-20',
  pending_run_id: 'run-2026-11-20',
  pending_prefix: PREFIX,
  pending_rows: 4,
};
const writes = () => [...dynamo.commandCalls(BatchWriteCommand), ...dynamo.commandCalls(PutCommand)];
const writtenItems = () => dynamo.commandCalls(BatchWriteCommand).flatMap((c) => c.args[0].input.RequestItems![TABLE]!);

beforeEach(() => {
  process.env.OUTBOUND_CONSENT_TABLE = TABLE;
  files = new Map();
  s3.reset();
  dynamo.reset();
  const stored = (key: string) => {
    const body = files.get(key);
    if (!body) throw Object.assign(new Error('The specified key does not exist.'), { name: 'NoSuchKey' });
    return body;
  };
  s3.on(HeadObjectCommand).callsFake((input: { Key: string }) => ({ ContentLength: stored(input.Key).length }));
  s3.on(GetObjectCommand).callsFake((input: { Key: string; Range?: string }) => {
    const [, start, end] = /^bytes=(\d+)-(\d+)$/.exec(input.Range ?? '') ?? [];
    const body = stored(input.Key);
    const bytes = start === undefined ? body : body.subarray(Number(start), Number(end) + 1);
    return { Body: { transformToByteArray: async () => new Uint8Array(bytes) } };
  });
  dynamo.on(GetCommand).resolves({ Item: markerItem });
  dynamo.on(BatchWriteCommand).resolves({});
  dynamo.on(PutCommand).resolves({});
  // The handler's logger and metrics write to stdout.
  metrics = captureMetrics();
});

afterEach(() => {
  vi.restoreAllMocks();
});

describe('consent load', () => {
  it('puts new and changed rows, deletes gone rows, then writes the marker last', async () => {
    const first = await putFile('changes/part-0.parquet', [change(1), change(2, 'changed')]);
    const second = await putFile('changes/part-1.parquet', [change(3, 'gone'), change(4)]);

    const output = await handler(event([first, second]));

    expect(output).toStrictEqual({ written: 3, deleted: 1, files: 2, skipped: null });
    const { change_type: _, ...row } = change(2, 'changed');
    expect(writtenItems()).toContainEqual({ PutRequest: { Item: row } });
    expect(writtenItems()).toContainEqual({ DeleteRequest: { Key: { account_number: change(3).account_number, phone_number: '+12125550142' } } });
    const calls = dynamo.calls();
    const last = calls[calls.length - 1]!.args[0];
    expect(last).toBeInstanceOf(PutCommand);
    expect((last as PutCommand).input.Item).toMatchObject({ ...consentLoadMarker, as_of_date: '2026-11-20', run_id: 'run-2026-11-20' });
    // The new marker replaces the item (the pending changes are forgotten) only if they are still this run's.
    expect((last as PutCommand).input.Item).not.toHaveProperty('pending_prefix');
    expect((last as PutCommand).input).toMatchObject({ ConditionExpression: 'pending_prefix = :prefix', ExpressionAttributeValues: { ':prefix': PREFIX } });
    expect(dynamo.commandCalls(PutCommand)).toHaveLength(1);
    expect(metrics()).toContainEqual({ namespace: 'outbound', name: 'ConsentRowsLoaded', unit: 'Count', value: 4, dimensions: { service: 'outbound' } });
  });

  it('streams a large file in bounded batches of writes', async () => {
    const key = await putFile(
      'changes/big.parquet',
      Array.from({ length: 2_600 }, (_, index) => change(index)),
    );

    const output = await handler(event([key]));

    expect(output).toStrictEqual({ written: 2_600, deleted: 0, files: 1, skipped: null });
    expect(dynamo.commandCalls(BatchWriteCommand)).toHaveLength(104);
    expect(new Set(writtenItems().map((item) => item)).size).toBe(2_600);
  });

  it('writes the same items when re-run (idempotent)', async () => {
    const key = await putFile('changes/part-0.parquet', [change(1), change(2, 'gone')]);
    await handler(event([key]));
    const firstRun = writtenItems();
    dynamo.resetHistory();

    await handler(event([key]));

    expect(writtenItems()).toStrictEqual(firstRun);
  });

  it('writes only the marker when there are no changes', async () => {
    const output = await handler(event([]));

    expect(output).toStrictEqual({ written: 0, deleted: 0, files: 0, skipped: null });
    expect(dynamo.commandCalls(BatchWriteCommand)).toHaveLength(0);
    expect(dynamo.commandCalls(PutCommand)).toHaveLength(1);
  });

  it('fails naming the file and row of a row that breaks the contract, before writing anything', async () => {
    // Prepare: the second file's third row has a national phone.
    const good = await putFile('changes/part-0.parquet', [change(1)]);
    const bad = await putFile('changes/part-1.parquet', [change(2), change(3), { ...change(4), phone_number: '2125550142' }]);

    // Act
    const load = handler(event([good, bad]));

    // Assess
    await expect(load).rejects.toThrow('s3://lake/changes/part-1.parquet: row 3: phone_number: expected an E.164 US number');
    expect(writes()).toHaveLength(0);
  });

  it('fails on a column of the wrong type, naming the first row', async () => {
    const key = await putFile('changes/part-0.parquet', [change(1), change(2)], { has_sms_consent: 'VARCHAR' });

    await expect(handler(event([key]))).rejects.toThrow(
      's3://lake/changes/part-0.parquet: row 1: has_sms_consent: Invalid input: expected boolean, received string',
    );
    expect(writes()).toHaveLength(0);
  });

  it('names the row across row groups, counting from the first row of the file', async () => {
    const rows = Array.from({ length: 1_500 }, (_, index) => change(index));
    const key = await putFile('changes/part-0.parquet', [...rows.slice(0, 1_200), { ...rows[1_200]!, phone_type: 'CELL' }, ...rows.slice(1_201)]);

    await expect(handler(event([key]))).rejects.toThrow('s3://lake/changes/part-0.parquet: row 1201: phone_type: Invalid option');
    expect(writes()).toHaveLength(0);
  });

  it('fails naming a file that is not Parquet', async () => {
    files.set('changes/plain.jsonl.gz', Buffer.from(`${JSON.stringify(change(1))}\n`));

    await expect(handler(event(['changes/plain.jsonl.gz']))).rejects.toThrow('s3://lake/changes/plain.jsonl.gz: not a Parquet file');
    expect(writes()).toHaveLength(0);
  });

  it('fails naming a missing file', async () => {
    await expect(handler(event(['changes/missing.parquet']))).rejects.toThrow('s3://lake/changes/missing.parquet: NoSuchKey');
  });

  it('does not write the marker when a write fails', async () => {
    const key = await putFile('changes/part-0.parquet', [change(1)]);
    dynamo.on(BatchWriteCommand).rejects(Object.assign(new Error('throughput exceeded'), { name: 'ProvisionedThroughputExceededException' }));

    await expect(handler(event([key]))).rejects.toThrow('throughput exceeded');
    expect(dynamo.commandCalls(PutCommand)).toHaveLength(0);
    // A failed step still reports its duration, and no rows loaded.
    expect(metrics().map((metric) => [metric.name, metric.dimensions])).toEqual([['StepDurationSeconds', { service: 'outbound', step: 'consent-load' }]]);
  });

  it('a backfill (the transform skipped the load) writes nothing, the marker included', async () => {
    const key = await putFile('changes/part-0.parquet', [change(1)]);
    const reason = 'backfill: the consent table holds 2026-11-21, newer than 2026-11-20';

    const output = await handler({ ...event([key]), skipped: reason });

    expect(output).toStrictEqual({ written: 0, deleted: 0, files: 0, skipped: reason });
    expect(dynamo.calls()).toHaveLength(0);
  });

  it('fails without writing when the table completed another load since the transform (no pending load left)', async () => {
    const key = await putFile('changes/part-0.parquet', [change(1)]);
    dynamo
      .on(GetCommand)
      .resolves({ Item: { ...consentLoadMarker, as_of_date: '2026-11-21', run_id: 'run-2026-11-21', loaded_at: '2026-11-21T11:00:00.000Z' } });

    await expect(handler(event([key]))).rejects.toThrow(
      "consent load of 2026-11-20: the consent table's pending load is none, not this run's changes changes/; another run changed the table since this run's transform: re-run the date",
    );
    expect(writes()).toHaveLength(0);
  });

  it('fails without writing when another transform recorded other pending changes since', async () => {
    const key = await putFile('changes/part-0.parquet', [change(1)]);
    dynamo.on(GetCommand).resolves({ Item: { ...markerItem, pending_as_of_date: '2026-11-21', pending_prefix: 'changes/other/' } });

    await expect(handler(event([key]))).rejects.toThrow(/pending load is changes\/other\/ \(2026-11-21\), not this run's changes changes\//);
    expect(writes()).toHaveLength(0);
  });

  it('fails, without a marker, when the pending load changes while the changes are written', async () => {
    const key = await putFile('changes/part-0.parquet', [change(1)]);
    dynamo.on(PutCommand).rejects(Object.assign(new Error('The conditional request failed'), { name: 'ConditionalCheckFailedException' }));

    await expect(handler(event([key]))).rejects.toThrow(
      /the consent table no longer has changes\/ as its pending load: another run changed it; re-run the date/,
    );
  });

  it('rejects an invalid input naming the field', async () => {
    await expect(handler({ ...event([]), loadDate: '2026-02-30' })).rejects.toThrow(/loadDate/);
    await expect(handler({ runId: 'r' })).rejects.toThrow(/changes/);
  });
});
