import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateConsentFeeds } from '../../local/generate/consent-feeds.ts';
import { DailyRunFailedError, runDailyLocally } from '../../local/runtime/daily-run.ts';
import { startLocalRuntime } from '../../local/runtime/runtime.ts';
import { DuckDbEngine } from '../../adapters/duckdb-engine.ts';
import { decideSms, type PhoneConsentRow } from '../../domain/consent/consent.ts';
import type { RunSummary } from '../../domain/run/run-summary.ts';

/**
 * The whole consent slice, locally: generated feeds → state machine (prepare, transform, load, report)
 * → DynamoDB → can_send_sms over loopback, for day 1 (full load), day 2 (incremental) and a re-run.
 */
const DAY1 = '2026-11-20';
const DAY2 = '2026-11-21';
const feedOptions = { customers: 300, seed: 2026 };

let root: string;
let data: string;
let home: string;
let day1: RunSummary;
let day2: RunSummary;

async function gold(date: string): Promise<PhoneConsentRow[]> {
  const engine = await DuckDbEngine.open({ home });
  try {
    return await engine.query<PhoneConsentRow>(
      `select account_number, phone_number, phone_type, phone_source, has_sms_consent, cast(sms_consent_updated_at as varchar) sms_consent_updated_at,
              is_deleted, delete_type, cast(deleted_at as varchar) deleted_at, cast(as_of_date as varchar) as_of_date
       from phone_consent where as_of_date = DATE '${date}' order by account_number, phone_number`,
    );
  } finally {
    await engine.close();
  }
}

const businessColumns = (row: PhoneConsentRow) => JSON.stringify({ ...row, as_of_date: undefined });

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'outbound-it-'));
  data = join(root, 'data');
  home = join(root, 'home');
  await generateConsentFeeds({ out: data, date: DAY1, ...feedOptions });
  day1 = await runDailyLocally({ data, date: DAY1, home, steps: 'consent' });
  await generateConsentFeeds({ out: data, date: DAY2, ...feedOptions });
  day2 = await runDailyLocally({ data, date: DAY2, home, steps: 'consent' });
}, 120_000);

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('day 1: first run', () => {
  it('loads every gold row into DynamoDB (full load) and reports the rejects', () => {
    expect(day1.consent.previousAsOfDate).toBeNull();
    expect(day1.consent.fullLoad).toBe(true);
    expect(day1.consent.goldRows).toBeGreaterThan(300);
    expect(day1.consent.changes).toEqual({ new: day1.consent.goldRows, changed: 0, gone: 0 });
    expect(day1.consent.writtenToDynamoDb).toBe(day1.consent.goldRows);
    expect(day1.consent.rejectedRows).toBeGreaterThan(0);
    expect(Object.values(day1.consent.rejectsByReason).reduce((a, b) => a + b, 0)).toBe(day1.consent.rejectedRows);
  });

  it('times every step of the state machine', () => {
    expect(Object.keys(day1.durationsMs ?? {})).toEqual(expect.arrayContaining(['PrepareRun', 'ConsentTransform', 'ConsentLoad', 'Report']));
  });
});

describe('day 2: incremental', () => {
  it('writes exactly the rows whose business columns changed since day 1', async () => {
    const [before, after] = await Promise.all([gold(DAY1), gold(DAY2)]);
    const previous = new Map(before.map((row) => [`${row.account_number}|${row.phone_number}`, businessColumns(row)]));
    const current = new Map(after.map((row) => [`${row.account_number}|${row.phone_number}`, businessColumns(row)]));
    const added = [...current.keys()].filter((key) => !previous.has(key)).length;
    const changed = [...current.keys()].filter((key) => previous.has(key) && previous.get(key) !== current.get(key)).length;
    const gone = [...previous.keys()].filter((key) => !current.has(key)).length;

    expect(day2.consent.previousAsOfDate).toBe(DAY1);
    expect(day2.consent.fullLoad).toBe(false);
    expect(day2.consent.changes).toEqual({ new: added, changed, gone });
    expect(day2.consent.writtenToDynamoDb).toBe(added + changed);
    expect(day2.consent.deletedFromDynamoDb).toBe(gone);
    expect(added + changed).toBeGreaterThan(0);
    // A daily snapshot with a few percent churn, not a reload.
    expect(added + changed + gone).toBeLessThan(after.length * 0.2);
  });

  it('answers can_send_sms over loopback exactly as the rule says for every gold row of day 2', async () => {
    const rows = await gold(DAY2);
    const runtime = await startLocalRuntime({ home });
    const { startApiServer } = await import('../../local/runtime/http-server.ts');
    const server = await startApiServer(0);
    try {
      for (let start = 0; start < rows.length; start += 100) {
        const slice = rows.slice(start, start + 100);
        const response = await fetch(`${server.url}/v1/can-send-sms/batch`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          // Phones as agents type them, not as stored.
          body: JSON.stringify({
            items: slice.map((row) => ({
              account: row.account_number,
              phone: `1 (${row.phone_number.slice(2, 5)}) ${row.phone_number.slice(5, 8)}-${row.phone_number.slice(8)}`,
            })),
          }),
        });
        expect(response.status).toBe(200);
        const body = (await response.json()) as { results: { account: string; phone: string; canSendSms: boolean; reasons: string[]; asOf: string }[] };
        expect(body.results).toEqual(slice.map((row) => ({ account: row.account_number, phone: row.phone_number, ...decideSms(row), asOf: DAY2 })));
      }
      const single = await fetch(`${server.url}/v1/can-send-sms?account=${rows[0]!.account_number}&phone=${encodeURIComponent('(205) 555-0199')}`);
      expect(await single.json()).toEqual({ account: rows[0]!.account_number, phone: '+12055550199', canSendSms: false, reasons: ['NOT_FOUND'], asOf: DAY2 });
      const malformed = await fetch(`${server.url}/v1/can-send-sms?account=123&phone=abc`);
      expect(malformed.status).toBe(400);
    } finally {
      await server.close();
      await runtime.stop();
    }
  });

  it('a re-run of day 2 gives identical gold and writes nothing: the consent table already holds day 2', async () => {
    const before = await gold(DAY2);
    const rerun = await runDailyLocally({ data, date: DAY2, home, steps: 'consent' });
    expect(await gold(DAY2)).toEqual(before);
    expect(rerun.consent.previousAsOfDate).toBe(DAY2);
    expect(rerun.consent.changes).toEqual({ new: 0, changed: 0, gone: 0 });
    expect([rerun.consent.writtenToDynamoDb, rerun.consent.deletedFromDynamoDb]).toEqual([0, 0]);
  });
});

describe('failure path', () => {
  it('fails the run, sends the notification and names the snapshot date when the newest snapshot is too old', async () => {
    const failure = await runDailyLocally({ data, date: '2026-11-23', home, steps: 'consent' }).catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(DailyRunFailedError);
    expect((failure as Error).message).toMatch(
      /^InputsNotReadyError: inputs for 2026-11-23 are not ready: the newest NON-FIN-BDL snapshot is dated 2026-11-21, 2 days before 2026-11-23/,
    );
    const notification = (failure as DailyRunFailedError).notification as { message: { Subject: string; Message: string } };
    expect(notification.message.Subject).toBe('outbound daily run failed');
    expect(JSON.parse(notification.message.Message)).toMatchObject({ Error: 'InputsNotReadyError' });
    // Nothing was published for that date.
    expect(await gold('2026-11-23')).toEqual([]);
  });
});
