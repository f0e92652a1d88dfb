import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { gunzipSync, gzipSync } from 'node:zlib';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { readCampaignConfigFile } from '../../../adapters/campaign-config-file.ts';
import { envNames } from '../../../config/environment.ts';
import { DECISION_TABLES, type DecisionContactRow, type DecisionListRow, type DecisionSuppressionRow } from '../../../domain/campaigns/decision-rows.ts';
import type { CustomerFacts } from '../../../domain/campaigns/facts.ts';
import type { ContactRow, CustomerRow, SuppressionRow } from '../../../domain/campaigns/facts-assembly.ts';
import type { CampaignConfig } from '../../../domain/campaigns/schema.ts';
import { decisionObjectKey, runLayout, shardName } from '../../../domain/run/run-layout.ts';
import { handler } from '../../../lambdas/evaluate-shard/handler.ts';
import { generateCustomerFacts } from '../../../local/generate/customer-facts.ts';
import { captureMetrics } from '../../support/emf.ts';

/** The shard Lambda against an in-memory S3 (aws-sdk-client-mock): facts objects in, decision objects out. */

const LOAD_DATE = '2026-11-20';
const RUN_ID = '2026-11-20-0123456789ab';
const BUCKET = 'lake-bucket';
const s3 = mockClient(S3Client);
const objects = new Map<string, Buffer>();
const gets: string[] = [];
let config: CampaignConfig;

/** Stand-in for the facts SQL: a customer-facts record as the three flat shard rows. */
function flatten(facts: readonly CustomerFacts[]) {
  const customers: CustomerRow[] = [];
  const contacts: ContactRow[] = [];
  const suppressions: SuppressionRow[] = [];
  for (const { payoffuid, account_number, loan, customer, derived, custom_fields, contacts: points, suppressions: entries } of facts) {
    customers.push({
      payoffuid,
      account_number,
      ...loan,
      ...customer,
      calls_last_7_days: derived.calls_last_7_days,
      communications_last_7_days: derived.communications_last_7_days,
      attempts_last_7_days: derived.attempts_last_7_days ?? 0,
      communications_last_24h: derived.communications_last_24h ?? 0,
      last_conversation_date: derived.last_conversation_date,
      last_attempt_date: derived.last_attempt_date,
      load_weekday: derived.load_weekday,
      days_until_next_payment: derived.days_until_next_payment,
      days_since_charge_off: derived.days_since_charge_off,
      custom_fields_json: JSON.stringify(custom_fields),
      custom_fields_unreadable: false,
    });
    for (const point of points) contacts.push({ payoffuid, ...point });
    for (const entry of entries) suppressions.push({ payoffuid, ...entry });
  }
  return { customers, contacts, suppressions };
}

const jsonLines = (rows: readonly unknown[]) => gzipSync(rows.map((row) => `${JSON.stringify(row)}\n`).join(''));

/** Writes a shard's facts as the facts step would; the customers table in two objects, as an UNLOAD may split it. */
function putShardFacts(attempt: string, shard: number, facts: readonly CustomerFacts[]): void {
  const tables = flatten(facts);
  const prefix = (table: string) => `${runLayout.factsPrefix(LOAD_DATE, attempt)}${table}/shard=${shardName(shard)}/`;
  const half = Math.ceil(tables.customers.length / 2);
  objects.set(`${prefix('customers')}part-0.jsonl.gz`, jsonLines(tables.customers.slice(0, half)));
  objects.set(`${prefix('customers')}part-1.jsonl.gz`, jsonLines(tables.customers.slice(half)));
  objects.set(`${prefix('contacts')}part-0.jsonl.gz`, jsonLines(tables.contacts));
  objects.set(`${prefix('suppressions')}part-0.jsonl.gz`, jsonLines(tables.suppressions));
}

function putSnapshot(attempt: string): void {
  objects.set(runLayout.configSnapshot(LOAD_DATE, attempt), Buffer.from(JSON.stringify(config)));
}

function decisions(attempt: string, shard: number) {
  const read = <T>(table: (typeof DECISION_TABLES)[number]) =>
    gunzipSync(objects.get(decisionObjectKey(LOAD_DATE, attempt, table, shard))!)
      .toString('utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as T);
  return { lists: read<DecisionListRow>('lists'), contacts: read<DecisionContactRow>('contacts'), suppressions: read<DecisionSuppressionRow>('suppressions') };
}

const input = (attempt: string, shard = 0) => ({ runId: RUN_ID, attempt, loadDate: LOAD_DATE, shard, prefix: runLayout.factsPrefix(LOAD_DATE, attempt) });

beforeAll(async () => {
  process.env[envNames.lakeBucket] = BUCKET;
  const loaded = await readCampaignConfigFile();
  if (!loaded.ok) throw new Error('the sample configuration is invalid');
  config = loaded.config;
});

afterAll(() => {
  delete process.env[envNames.lakeBucket];
  s3.restore();
});

beforeEach(() => {
  objects.clear();
  gets.length = 0;
  s3.reset();
  s3.on(ListObjectsV2Command).callsFake(({ Prefix }: { Prefix: string }) => ({
    Contents: [...objects.keys()]
      .filter((key) => key.startsWith(Prefix))
      .sort()
      .map((Key) => ({ Key })),
    IsTruncated: false,
  }));
  s3.on(GetObjectCommand).callsFake(({ Key }: { Key: string }) => {
    gets.push(Key);
    const body = objects.get(Key);
    if (!body) throw Object.assign(new Error(`NoSuchKey ${Key}`), { name: 'NoSuchKey' });
    return { Body: { transformToByteArray: async () => new Uint8Array(body), transformToString: async () => body.toString('utf8') } };
  });
  s3.on(PutObjectCommand).callsFake(({ Key, Body }: { Key: string; Body: Buffer }) => {
    objects.set(Key, Buffer.from(Body));
    return {};
  });
});

describe('evaluate shard handler', () => {
  it('writes the three decision objects of its shard and returns counts that match them', async () => {
    // Prepare
    putSnapshot('a1');
    putShardFacts('a1', 3, generateCustomerFacts({ seed: 7, customers: 400, loadDate: LOAD_DATE }));
    const metrics = captureMetrics();
    // Act
    const result = await handler(input('a1', 3));
    // Assess
    const written = decisions('a1', 3);
    const decisionKeys = [...objects.keys()].filter((key) => key.includes('/decisions/')).sort();
    expect(decisionKeys).toEqual(DECISION_TABLES.map((table) => decisionObjectKey(LOAD_DATE, 'a1', table, 3)).sort());
    expect(result.shard).toBe(3);
    expect(result.customers).toBe(400);
    expect(result.rows).toEqual({ lists: written.lists.length, contacts: written.contacts.length, suppressions: written.suppressions.length });
    expect(Object.values(result.lists).reduce((sum, list) => sum + list.assigned, 0)).toBe(written.lists.length);
    expect(Object.values(result.reasons).reduce((sum, count) => sum + count, 0)).toBe(written.suppressions.length);
    expect(written.lists.length).toBeGreaterThan(100);
    expect(written.contacts.length).toBeGreaterThan(100);
    // The compliance filters ran: used contacts carry their zone and calling window.
    expect(written.contacts.filter((row) => row.timezone !== null && row.window_start_utc!.endsWith('Z')).length).toBeGreaterThan(0);
    expect(written.suppressions.some((row) => row.suppression_type === 'CONTACT' && row.contact_value !== null)).toBe(true);
    expect([...written.lists, ...written.contacts, ...written.suppressions].every((row) => row.load_date === LOAD_DATE)).toBe(true);
    expect(written.lists.every((row) => row.run_id === RUN_ID)).toBe(true);
    // At most one list per set per customer, and contacts only for unsuppressed assignments.
    const assignments = new Set(written.lists.map((row) => `${row.set_name}/${row.payoffuid}`));
    expect(assignments.size).toBe(written.lists.length);
    const usable = new Set(written.lists.filter((row) => !row.suppression_flag).map((row) => `${row.set_name}/${row.list_name}/${row.payoffuid}`));
    expect(written.contacts.every((row) => usable.has(`${row.set_name}/${row.list_name}/${row.payoffuid}`))).toBe(true);
    expect(result.assembly).toMatchObject({ orphanContacts: 0, orphanSuppressions: 0, invalidCustomFieldRecords: 0 });
    expect(metrics()).toEqual([
      { namespace: 'outbound', name: 'CustomersEvaluated', unit: 'Count', value: 400, dimensions: { service: 'outbound' } },
      {
        namespace: 'outbound',
        name: 'StepDurationSeconds',
        unit: 'Seconds',
        value: expect.any(Number),
        dimensions: { service: 'outbound', step: 'evaluate-shard' },
      },
    ]);
  });

  it('rewrites exactly the same objects when the shard is retried, and compiles the configuration once per run', async () => {
    // Prepare
    putSnapshot('a2');
    const facts = generateCustomerFacts({ seed: 11, customers: 300, loadDate: LOAD_DATE });
    putShardFacts('a2', 0, facts.slice(0, 150));
    putShardFacts('a2', 1, facts.slice(150));
    // Act
    await handler(input('a2', 0));
    const first = new Map([...objects].filter(([key]) => key.includes('/decisions/')));
    await handler(input('a2', 1));
    await handler(input('a2', 0));
    // Assess
    for (const table of DECISION_TABLES) {
      const key = decisionObjectKey(LOAD_DATE, 'a2', table, 0);
      expect(objects.get(key)!.equals(first.get(key)!), key).toBe(true);
    }
    expect([...objects.keys()].filter((key) => key.includes('/decisions/'))).toHaveLength(6);
    expect(gets.filter((key) => key === runLayout.configSnapshot(LOAD_DATE, 'a2'))).toHaveLength(1);
  });

  it('compiles once for overlapping shards of a run, and does not keep a failed compilation', async () => {
    // Prepare
    const facts = generateCustomerFacts({ seed: 5, customers: 40, loadDate: LOAD_DATE });
    putShardFacts('a5', 0, facts.slice(0, 20));
    putShardFacts('a5', 1, facts.slice(20));
    // Act & Assess
    await expect(handler(input('a5', 0))).rejects.toThrow(/cannot read the configuration snapshot runs\/load_date=2026-11-20\/attempt=a5\/campaigns.json/);
    putSnapshot('a5');
    gets.length = 0;
    await Promise.all([handler(input('a5', 0)), handler(input('a5', 1))]);
    expect(gets.filter((key) => key === runLayout.configSnapshot(LOAD_DATE, 'a5'))).toHaveLength(1);
  });

  it('writes empty decision objects for an empty shard', async () => {
    // Prepare
    putSnapshot('a3');
    putShardFacts('a3', 0, []);
    // Act
    const result = await handler(input('a3'));
    // Assess
    expect(result.rows).toEqual({ lists: 0, contacts: 0, suppressions: 0 });
    expect(decisions('a3', 0)).toEqual({ lists: [], contacts: [], suppressions: [] });
  });

  it('refuses bad input, another attempt’s facts prefix and shard files of another layout', async () => {
    // Prepare
    putSnapshot('a4');
    putShardFacts('a4', 0, generateCustomerFacts({ seed: 3, customers: 5, loadDate: LOAD_DATE }));
    const contactsKey = `${runLayout.factsPrefix(LOAD_DATE, 'a4')}contacts/shard=0000/part-0.jsonl.gz`;
    // Act & Assess
    await expect(handler({ ...input('a4'), shard: -1 })).rejects.toThrow(/invalid evaluate shard input: .*shard/s);
    await expect(handler({ ...input('a4'), loadDate: '2026-13-01' })).rejects.toThrow(/loadDate/);
    await expect(handler({ ...input('a4'), prefix: runLayout.factsPrefix(LOAD_DATE, 'other') })).rejects.toThrow(/is not the facts prefix of this attempt/);
    objects.set(contactsKey, jsonLines([{ payoffuid: 'X', phone: '+12125550142' }]));
    await expect(handler(input('a4'))).rejects.toThrow(/facts table contacts: rows lack related_party_type, contact_type, contact_value/);
    // A producer from before the phone facts: refused, since read as missing facts the call lists' `not DISCONNECTED` would pass.
    const {
      phone_status: _status,
      phone_technology: _technology,
      quality_score: _score,
      ...olderRow
    } = {
      payoffuid: 'X',
      ...generateCustomerFacts({ seed: 3, customers: 1, loadDate: LOAD_DATE })[0]!.contacts[0]!,
    };
    objects.set(contactsKey, jsonLines([olderRow]));
    await expect(handler(input('a4'))).rejects.toThrow(/facts table contacts: rows lack phone_status, phone_technology, quality_score/);
    objects.set(contactsKey, gzipSync('{"payoffuid": \n'));
    await expect(handler(input('a4'))).rejects.toThrow(`s3://${BUCKET}/${contactsKey}:1: not valid JSON`);
  });
});
