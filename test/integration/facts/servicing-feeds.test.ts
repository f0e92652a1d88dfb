import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gunzipSync, gzipSync } from 'node:zlib';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { s3Client } from '../../../adapters/aws-clients.ts';
import { listKeysUnderPrefix } from '../../../adapters/s3-prefix.ts';
import { DEFAULT_CAMPAIGN_CONFIG, readCampaignConfigFile } from '../../../adapters/campaign-config-file.ts';
import { DuckDbEngine } from '../../../adapters/duckdb-engine.ts';
import { attemptPartition } from '../../../adapters/sql-engine.ts';
import { resources } from '../../../config/resources.ts';
import type { ContactRow, CustomerRow, ListHistoryRow } from '../../../domain/campaigns/facts-assembly.ts';
import { attemptsTable } from '../../../domain/run/lake-tables.ts';
import type { CustomerFactsOutput } from '../../../domain/run/step-outputs.ts';
import { handler as consentTransform } from '../../../lambdas/consent-transform/handler.ts';
import { handler } from '../../../lambdas/build-customer-facts/handler.ts';
import { startLocalRuntime, type LocalRuntime } from '../../../local/runtime/runtime.ts';
import { readSqlFile } from '../../../sql/sql-files.ts';
import { legacy, sandbox, writeFeeds, type Sandbox } from '../../sql/fixtures.ts';
import { consentRow, contactRuleRow, csv, loanRow, putConfigSnapshot, writeDailyFeeds } from '../../facts/fixtures.ts';
import { dailyFeeds } from '../../../domain/feeds/daily-feeds.ts';

/**
 * The §3.2 loan-tape columns and the contact-rules, payment-request and ZIP-suppression feeds through the real step
 * (handler → build → unload), with the list-history facts read from published rows of earlier dates, each at its
 * boundary. Load date D = 2026-11-20, a Friday.
 */
const D = '2026-11-20';
const account = (n: number) => `10000000000000${String(n).padStart(2, '0')}`;

let box: Sandbox;
let runtime: LocalRuntime;
let result: CustomerFactsOutput;
let customers: CustomerRow[];
let contacts: ContactRow[];
let history: ListHistoryRow[];

async function readTable(prefix: string, table: string): Promise<unknown[]> {
  const rows: unknown[] = [];
  for (const key of await listKeysUnderPrefix(resources.buckets.lake, `${prefix}${table}/`)) {
    const object = await s3Client().send(new GetObjectCommand({ Bucket: resources.buckets.lake, Key: key }));
    rows.push(
      ...gunzipSync(Buffer.from(await object.Body!.transformToByteArray()))
        .toString('utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line)),
    );
  }
  return rows;
}

const customer = (payoffuid: string) => customers.find((row) => row.payoffuid === payoffuid)!;
const daysOf = (payoffuid: string, name: string) => history.find((row) => row.payoffuid === payoffuid && row.name === name)?.days ?? null;

/** A published (or, with publish false, only written) attempt of rpt_outbound_lists for `date`. */
async function listRows(engine: DuckDbEngine, date: string, attempt: string, rows: [string, string, string, boolean][], publish = true): Promise<void> {
  const values =
    rows.length === 0
      ? "SELECT 'x' AS set_name, 'x' AS list_name, 'x' AS payoffuid, false AS suppression_flag WHERE false"
      : `SELECT * FROM (VALUES ${rows.map(([set, list, id, flag]) => `('${set}', '${list}', '${id}', ${flag})`).join(', ')}) AS t (set_name, list_name, payoffuid, suppression_flag)`;
  await engine.writePartitionAt(
    attemptsTable('rpt_outbound_lists'),
    attemptPartition(date, attempt),
    `SELECT set_name, list_name, payoffuid, '1000000000000001' AS account_number, suppression_flag, DATE '${date}' AS loan_tape_asofdate, ` +
      `'call' AS channel, 'collections' AS purpose, CAST(NULL AS VARCHAR) AS ab_group, 'r' AS run_id, 'NY' AS state, CAST(NULL AS BIGINT) AS calls_allowed_today FROM (${values})`,
  );
  if (publish) await engine.publish({ loadDate: date, attempt, runId: 'r' }, [attemptsTable('rpt_outbound_lists')]);
}

beforeAll(async () => {
  box = await sandbox();
  await writeFeeds(box.data, [
    {
      feed: 'NON-FIN-BDL',
      name: '20261120',
      rows: [consentRow('NON-FIN-BDL', { cnsmr_phn_id: '1', cnsmr_idntfr_lgcy_txt: legacy(account(1)), cnsmr_phn_nmbr_txt: '2125550142' })],
    },
  ]);
  await writeDailyFeeds(box.data, D, {
    loanTape: [
      loanRow('p-1', account(1), { next_payment_due_date: '2026-11-24' }),
      loanRow('p-2', account(2), {
        loan_status: ' charge off ',
        charge_off_date: '2026-11-13',
        recoveries_paid_to_date: '0.00',
        placement_status: ' APEX RECOVERY ',
        next_workable_date: '2026-11-23',
        zip: '02134-1234',
        address_2: 'Apt 4',
        next_payment_due_date: '',
      }),
      loanRow('p-3', account(3), { zip: '30301', payment_mode: 'Auto Payer' }),
      loanRow('p-4', account(4), { zip: '60601', address_1: '' }),
      loanRow('p-5', account(5)),
      loanRow('p-6', account(6)),
      // Set aside, each by its reason: the old status code, a date that is no date, an amount that is no number.
      loanRow('p-7', account(7), { loan_status: 'CHARGED_OFF' }),
      loanRow('p-8', account(8), { origination_date: '2024-13-01' }),
      loanRow('p-9', account(9), { recoveries_paid_to_date: 'abc' }),
      loanRow('p-10', account(10), { next_workable_date: '11/25/2026' }),
      loanRow('p-11', account(11), { charge_off_date: 'yesterday' }),
    ],
    contacts: [],
    suppressions: { '20261101': [] },
    contactRules: [
      // In force from D (start inclusive); a lower-case y reads as Y.
      contactRuleRow('p-1', { bankruptcy: 'Y', suppress_phone: 'y' }, D),
      // Ending on D (end inclusive), ended the day before, starting the day after.
      contactRuleRow('P-2', { cease_and_desist: 'Y' }, '2026-01-01', D),
      contactRuleRow('p-2', { suppress_text: 'Y' }, '2026-01-01', '2026-11-19'),
      contactRuleRow('p-2', { suppress_email: 'Y' }, '2026-11-21'),
      // Unreadable flag and unreadable start: both apply (fail closed).
      contactRuleRow('p-3', { suppress_letter: 'X' }, '2026-01-01'),
      contactRuleRow('p-3', { suppress_email: 'Y' }, 'soon'),
      // An N rule in force changes nothing.
      contactRuleRow('p-4', {}, '2026-01-01'),
      contactRuleRow('p-unknown', { bankruptcy: 'Y' }, '2026-01-01'),
    ],
    paymentRequests: {
      [D]: [
        ['p-1', 'ONE_TIME_PAYMENT', D, 'pending', '2026-11-19T10:00:00'],
        ['p-2', 'MANUAL_BILL_PAYMENT', '2026-11-19', 'pending', '2026-11-15T10:00:00'],
        // Deleted in D's delivery: the same request delivered pending on D-2.
        ['p-2', 'ONE_TIME_PAYMENT', '2026-11-23', 'deleted', '2026-11-18T09:00:00'],
        ['p-3', ' one_time_payment ', '2026-11-22', 'Pending ', '2026-11-20T08:00:00'],
        ['p-4', 'LOAN_MODIFICATION', '', 'completed', '2026-11-18T16:00:00'],
        ['p-4', 'LOAN_MODIFICATION', '', 'pending', '2026-11-19T16:00:00'],
        ['p-4', 'LOAN_MODIFICATION', '', 'deleted', '2026-11-19T17:00:00'],
        ['p-5', 'LOAN_MODIFICATION', '', 'completed', 'garbage'],
        // A status that cannot be read: not deleted (pending for the payment).
        ['p-6', 'ONE_TIME_PAYMENT', '2026-11-21', 'processing', '2026-11-20T08:00:00'],
        ['p-1', 'REFUND', D, 'pending', '2026-11-19T10:00:00'],
        ['p-unknown', 'ONE_TIME_PAYMENT', D, 'pending', '2026-11-19T10:00:00'],
        ['p-1', 'ONE_TIME_PAYMENT', D],
      ],
      '2026-11-18': [
        ['p-2', 'ONE_TIME_PAYMENT', '2026-11-23', 'pending', '2026-11-18T09:00:00'],
        ['p-4', 'LOAN_MODIFICATION', '', 'completed', '2026-11-17T10:00:00'],
        // A request delivered deleted, then pending again in a newer delivery (D): pending.
        ['p-5', 'ONE_TIME_PAYMENT', '2026-11-25', 'deleted', '2026-11-17T10:00:00'],
      ],
      '2026-11-19': [['p-5', 'ONE_TIME_PAYMENT', '2026-11-25', 'pending', '2026-11-17T10:00:00']],
    },
    zipSuppressions: [
      ['10001', 'FLOOD', D, '2026-11-25'],
      ['02134', 'HURRICANE', '2026-11-10', D],
      ['30301', 'WILDFIRE', '2026-11-21', ''],
      ['30301', 'TORNADO', '2026-10-01', '2026-11-19'],
      ['60601', '', 'unknown', ''],
    ],
  });
  runtime = await startLocalRuntime({ home: box.home, data: box.data });
  await consentTransform({ runId: 'r1', loadDate: D });

  // The published list history of earlier dates (Finalize's tables and view), and D's own published rows.
  const engine = await DuckDbEngine.open({ home: box.home });
  try {
    await listRows(engine, '2026-11-19', 'a1', [
      ['COLLECTIONS_CALL', 'BLUE_FCU_60_89', 'p-1', true],
      ['COLLECTIONS_CALL', 'BLUE_FCU_30_59', 'P-2', false],
    ]);
    await listRows(engine, '2026-11-18', 'a1', []);
    // Written by an attempt of D-2 that was never published: not history.
    await listRows(engine, '2026-11-18', 'a2', [['COLLECTIONS_CALL', 'BLUE_FCU_60_89', 'p-6', false]], false);
    await listRows(engine, '2026-11-17', 'a1', [['COLLECTIONS_CALL', 'BLUE_FCU_60_89', 'p-1', false]]);
    await listRows(engine, '2026-11-13', 'a1', [['COLLECTIONS_CALL', 'BLUE_FCU_60_89', 'p-3', false]]);
    await listRows(engine, '2026-11-12', 'a1', [['COLLECTIONS_CALL', 'BLUE_FCU_60_89', 'p-4', false]]);
    await listRows(engine, D, 'a1', [['COLLECTIONS_CALL', 'BLUE_FCU_60_89', 'p-5', false]]);
    await engine.defineView('rpt_outbound_lists', await readSqlFile('published/rpt_outbound_lists.sql'));
  } finally {
    await engine.close();
  }
  const loaded = await readCampaignConfigFile(DEFAULT_CAMPAIGN_CONFIG);
  if (!loaded.ok) throw new Error('config/campaigns.yaml is invalid');
  await putConfigSnapshot(D, 'a9', {
    ...loaded.config,
    list_history: [
      { name: 'days_on_blue_week', lists: ['COLLECTIONS_CALL/BLUE_FCU_60_89', 'BLUE_FCU_30_59'], lookback_days: 7 },
      { name: 'days_on_blue_60', lists: ['BLUE_FCU_60_89'], lookback_days: 31 },
    ],
  });
  result = await handler({ runId: 'r9', attempt: 'a9', loadDate: D });
  const prefix = result.manifest[0]!.prefix;
  customers = (await readTable(prefix, 'customers')) as CustomerRow[];
  contacts = (await readTable(prefix, 'contacts')) as ContactRow[];
  history = (await readTable(prefix, 'list_history')) as ListHistoryRow[];
});
afterAll(async () => {
  await runtime?.stop();
  await box.cleanup();
});

describe('BuildCustomerFacts: the §3.2 loan-tape columns', () => {
  it("types the new columns: dates, amounts, the servicer's status in its spelling, empty placement null", () => {
    expect(customer('p-1')).toMatchObject({
      loan_id: `PL${account(1).slice(-9)}`,
      loan_status: 'Delinquent',
      origination_date: '2024-03-01',
      next_payment_due_date: '2026-11-24',
      charge_off_date: null,
      recoveries_paid_to_date: null,
      payment_mode: 'Manual',
      placement_status: null,
      next_workable_date: null,
      last_collections_contact_date: '2026-11-18',
      address_1: '1 Main St',
      address_2: null,
      city: 'New York',
    });
    expect(customer('p-2')).toMatchObject({
      loan_status: 'Charge off',
      charge_off_date: '2026-11-13',
      recoveries_paid_to_date: 0,
      placement_status: 'APEX RECOVERY',
      next_workable_date: '2026-11-23',
      next_payment_due_date: null,
      address_2: 'Apt 4',
    });
  });

  it('sets aside a row whose status, date or amount cannot be read, counted by reason (fail closed)', () => {
    expect(customers.map((row) => row.payoffuid).sort()).toEqual(['p-1', 'p-2', 'p-3', 'p-4', 'p-5', 'p-6']);
    expect(result.counts.loan_tape).toMatchObject({
      INVALID_LOAN_STATUS: 1,
      INVALID_ORIGINATION_DATE: 1,
      INVALID_RECOVERIES_PAID_TO_DATE: 1,
      INVALID_NEXT_WORKABLE_DATE: 1,
      INVALID_CHARGE_OFF_DATE: 1,
    });
  });

  it('derives the load weekday, the days until the next payment and since the charge-off', () => {
    expect(new Set(customers.map((row) => row.load_weekday))).toEqual(new Set(['Friday']));
    expect(customer('p-1')).toMatchObject({ days_until_next_payment: 4, days_since_charge_off: null });
    expect(customer('p-2')).toMatchObject({ days_until_next_payment: null, days_since_charge_off: 7 });
  });

  it('adds the postal address as a contact when address_1, city, state and zip are present', () => {
    expect(contacts.filter((row) => row.payoffuid === 'p-2')).toEqual([
      expect.objectContaining({
        related_party_type: 'customer',
        contact_type: 'address',
        contact_value: '1 Main St, Apt 4, New York, NY 02134-1234',
        created_at: D,
        suppression_reason: null,
        can_send_sms: null,
        opted_out: false,
        bounced: false,
      }),
    ]);
    expect(contacts.filter((row) => row.payoffuid === 'p-4')).toEqual([]);
  });
});

describe('BuildCustomerFacts: contact rules', () => {
  it('sets a flag from a rule in force on D, both ends inclusive, empty end open', () => {
    const flags = (id: string) => {
      const { cease_and_desist, bankruptcy, suppress_phone, suppress_text, suppress_letter, suppress_email } = customer(id);
      return { cease_and_desist, bankruptcy, suppress_phone, suppress_text, suppress_letter, suppress_email };
    };
    const none = { cease_and_desist: false, bankruptcy: false, suppress_phone: false, suppress_text: false, suppress_letter: false, suppress_email: false };
    expect(flags('p-1')).toEqual({ ...none, bankruptcy: true, suppress_phone: true });
    expect(flags('p-2')).toEqual({ ...none, cease_and_desist: true });
    // A flag or a start date that cannot be read: the rule applies.
    expect(flags('p-3')).toEqual({ ...none, suppress_letter: true, suppress_email: true });
    expect(flags('p-4')).toEqual(none);
    expect(flags('p-5')).toEqual(none);
    expect(result.counts.contact_rules).toEqual({ rows: 8, in_force: 6, unreadable_flag: 1, unreadable_date: 1, unknown_customer: 1 });
  });

  it('stops, naming file and line, on a rule whose payoffuid is missing', async () => {
    const file = join(box.data, `contact_rules/asof=${D}/contact_rules_20261120_002.csv.gz`);
    await writeFile(file, gzipSync(csv(dailyFeeds.contact_rules.columns, [contactRuleRow(' ', { bankruptcy: 'Y' }, '2026-01-01'), ['p-1', 'Y']])));
    try {
      await expect(handler({ runId: 'r9', attempt: 'b1', loadDate: D })).rejects.toThrow(
        '2 contact rules cannot be applied (a row whose fields are not where the columns say, or a payoffuid that cannot be read; the run stops rather than ' +
          `contact a customer whose rule it cannot read): contact_rules/asof=${D}/contact_rules_20261120_002.csv.gz line 2: MISSING_PAYOFFUID; ` +
          `contact_rules/asof=${D}/contact_rules_20261120_002.csv.gz line 3: TOO_FEW_FIELDS`,
      );
    } finally {
      await rm(file);
    }
  });
});

describe('BuildCustomerFacts: payment requests', () => {
  it('finds a pending payment: not deleted, effective on D or later; the newest delivery of a request wins', () => {
    expect(customers.map((row) => [row.payoffuid, row.pending_payment]).sort()).toEqual([
      // Effective D; effective D-1 and a request deleted by a newer delivery; a padded code in another case;
      // loan modifications only; deleted then pending again; a status that cannot be read.
      ['p-1', true],
      ['p-2', false],
      ['p-3', true],
      ['p-4', false],
      ['p-5', true],
      ['p-6', true],
    ]);
  });

  it('takes the latest submitted date of a completed loan modification; an unreadable one counts as D', () => {
    expect(customer('p-4').last_loan_modification_date).toBe('2026-11-18');
    expect(customer('p-5').last_loan_modification_date).toBe(D);
    expect(customer('p-1').last_loan_modification_date).toBeNull();
  });

  it('counts what it read and set aside', () => {
    expect(result.counts.payment_requests).toEqual({
      requests: 11,
      superseded_rows: 2,
      INVALID_REQUEST_TYPE: 1,
      UNKNOWN_CUSTOMER: 1,
      TOO_FEW_FIELDS: 1,
      unreadable_status: 1,
      unreadable_date: 1,
    });
    expect(result.setAside.payment_requests).toBe(3);
  });
});

describe('BuildCustomerFacts: ZIP suppressions', () => {
  it('gives the reason of an entry in force on D for the 5-digit ZIP, both ends inclusive; an unreadable date is open', () => {
    expect(customers.map((row) => [row.payoffuid, row.zip_suppression_reason]).sort()).toEqual([
      ['p-1', 'FLOOD'],
      ['p-2', 'HURRICANE'],
      ['p-3', null],
      ['p-4', 'UNSPECIFIED'],
      ['p-5', 'FLOOD'],
      ['p-6', 'FLOOD'],
    ]);
    expect(result.counts.zip_suppressions).toEqual({ rows: 5, in_force: 3, unreadable_date: 1 });
  });

  it('stops, naming file and line, on an entry whose ZIP cannot be read', async () => {
    const file = join(box.data, 'reference/zip_suppressions.csv.gz');
    await writeFile(
      file,
      gzipSync(
        csv(dailyFeeds.zip_suppressions.columns, [
          ['10001', 'FLOOD', D, ''],
          ['1000', 'FLOOD', D, ''],
        ]),
      ),
    );
    try {
      await expect(handler({ runId: 'r9', attempt: 'b2', loadDate: D })).rejects.toThrow(
        /1 ZIP suppression entry cannot be applied .*: reference\/zip_suppressions.csv.gz line 3: INVALID_ZIP$/,
      );
    } finally {
      await writeFile(file, gzipSync(csv(dailyFeeds.zip_suppressions.columns, [])));
    }
  });
});

describe('BuildCustomerFacts: list history', () => {
  it('counts days back to the latest published date in the lookback on which the customer was kept; suppressed rows, D itself and unpublished attempts do not count', () => {
    expect(['p-1', 'p-2', 'p-3', 'p-4', 'p-5', 'p-6'].map((id) => [id, daysOf(id, 'days_on_blue_week'), daysOf(id, 'days_on_blue_60')])).toEqual([
      // Suppressed on D-1, kept on D-3.
      ['p-1', 3, 3],
      // Kept on D-1 on the week fact's other list (written P-2: the same customer).
      ['p-2', 1, null],
      // D-7: the lookback's first day.
      ['p-3', 7, 7],
      // D-8: outside the week, inside the 31 days.
      ['p-4', null, 8],
      // Only on D's own published rows: a rerun of D does not read them.
      ['p-5', null, null],
      // Only in an unpublished attempt of D-2.
      ['p-6', null, null],
    ]);
  });
});
