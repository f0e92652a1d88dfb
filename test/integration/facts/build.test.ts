import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gunzipSync, gzipSync } from 'node:zlib';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { s3Client } from '../../../adapters/aws-clients.ts';
import { listKeysUnderPrefix } from '../../../adapters/s3-prefix.ts';
import { resources } from '../../../config/resources.ts';
import { decideSms } from '../../../domain/consent/consent.ts';
import type { ContactRow, CustomerRow, SuppressionRow } from '../../../domain/campaigns/facts-assembly.ts';
import { handler as consentTransform } from '../../../lambdas/consent-transform/handler.ts';
import { handler } from '../../../lambdas/build-customer-facts/handler.ts';
import type { CustomerFactsOutput } from '../../../domain/run/step-outputs.ts';
import { startLocalRuntime, type LocalRuntime } from '../../../local/runtime/runtime.ts';
import { DuckDbEngine } from '../../../adapters/duckdb-engine.ts';
import { legacy, sandbox, writeFeeds, type Sandbox } from '../../sql/fixtures.ts';
import { attempt, consentRow, loanRow, putConfigSnapshot, writeDailyFeeds } from '../../facts/fixtures.ts';

/**
 * The customer-facts SQL on DuckDB through the real step (handler → build → unload to s3rver), over
 * hand-made feeds that put every derived fact at its boundary. Load date D = 2026-11-20.
 */
const D = '2026-11-20';
const A1 = '1000000000000001';
const A2 = '1000000000000002';
const A3 = '1000000000000003';
/** p-3's second loan: fewer days past due than A3, so p-3 is evaluated on A3. */
const A4 = '1000000000000004';
const MOBILE = '+12125550142';

const nonFin = (account: string, id: string, phone: string, values: Parameters<typeof consentRow<'NON-FIN-BDL'>>[1] = {}) =>
  consentRow('NON-FIN-BDL', { cnsmr_phn_id: id, cnsmr_idntfr_lgcy_txt: legacy(account), cnsmr_phn_nmbr_txt: phone, ...values });

let box: Sandbox;
let runtime: LocalRuntime;
let result: CustomerFactsOutput;
let customers: CustomerRow[];
let contacts: ContactRow[];
let suppressions: SuppressionRow[];

async function readTable(prefix: string, table: string): Promise<unknown[]> {
  const rows: unknown[] = [];
  for (const key of await listKeysUnderPrefix(resources.buckets.lake, `${prefix}${table}/`)) {
    const object = await s3Client().send(new GetObjectCommand({ Bucket: resources.buckets.lake, Key: key }));
    const text = gunzipSync(Buffer.from(await object.Body!.transformToByteArray())).toString('utf8');
    rows.push(
      ...text
        .split('\n')
        .filter(Boolean)
        .map((line) => ({ ...JSON.parse(line), _shard: key.split('/').at(-2) })),
    );
  }
  return rows;
}

beforeAll(async () => {
  box = await sandbox();
  // Consent (§3.1) of D: the gold table gives can_send_sms for every §4 case.
  await writeFeeds(box.data, [
    {
      feed: 'NON-FIN-BDL',
      name: '20261120',
      rows: [
        nonFin(A1, '1', '(212) 555-0142', { cnsmr_phn_cnsnt_flg: 'Y' }),
        // No quality score: quality_score is null.
        nonFin(A1, '2', '2125550143', { cnsmr_phn_typ_val_txt: 'HOME', cnsmr_phn_tchnlgy_typ_val_txt: 'LANDLINE', cnsmr_phn_qlty_score_nmbr: '' }),
        nonFin(A1, '3', '2125550144', {
          cnsmr_phn_typ_val_txt: 'WORK',
          cnsmr_phn_stts_val_txt: 'DISCONNECTED',
          cnsmr_phn_tchnlgy_typ_val_txt: 'VOIP',
          cnsmr_phn_qlty_score_nmbr: '12',
          cnsmr_phn_cnsnt_flg: 'N',
        }),
        nonFin(A1, '4', '2125550145', { cnsmr_phn_src_val_txt: 'CONSUMER', cnsmr_phn_cnsnt_flg: 'Y' }),
        nonFin(A2, '5', '2125550146', { cnsmr_phn_cnsnt_flg: 'Y' }),
        // p-3's mobile: consent given on A3, withdrawn on p-3's other loan A4.
        nonFin(A3, '7', '2125550151', { cnsmr_phn_cnsnt_flg: 'Y' }),
        nonFin(A4, '8', '2125550151', { cnsmr_phn_cnsnt_flg: 'N' }),
      ],
    },
    // The soft delete of A2's phone: SUPPLFWD on D with the delete flag.
    {
      feed: 'SUPPLFWD',
      name: '20261120',
      rows: [
        consentRow('SUPPLFWD', {
          cnsmr_phn_hst_id: '6',
          cnsmr_idntfr_lgcy_txt: legacy(A2),
          cnsmr_phn_nmbr_txt: '2125550146',
          cnsmr_phn_cnsnt_flg: 'Y',
          cnsmr_phn_sft_dlt_flg: 'Y',
          record_date: '2026-11-20',
        }),
      ],
    },
  ]);
  await writeDailyFeeds(box.data, D, {
    loanTape: [
      loanRow('p-1', A1),
      // An older duplicate row of p-1: the newest loan_tape_asofdate wins, the duplicate is counted.
      loanRow('p-1', A1, { loan_tape_asofdate: '2026-11-19', portfolio: 'SST', days_past_due: '34' }),
      loanRow('p-2', A2, { portfolio: '', days_past_due: 'n/a', amount_due: '', state: '', loan_tape_asofdate: '' }),
      loanRow('p-3', A3),
      loanRow('P-3', A4, { days_past_due: '5' }),
      loanRow('', '1000000000000009'),
    ],
    contacts: [
      ['p-1', 'customer', 'mobile', '(212) 555-0142', '2026-01-01'],
      // The same phone recorded again in another format: kept (the engine drops it with DUPLICATE).
      ['p-1', 'customer', 'mobile', '212.555.0142', '2025-06-01'],
      ['p-1', 'customer', 'home', '2125550143', '2026-01-01'],
      ['p-1', 'customer', 'work', '2125550144', '2026-01-01'],
      ['p-1', 'reference_customer_parent', 'mobile', '+1 212 555 0145', '2026-01-01T10:00:00Z'],
      ['p-1', 'customer', 'mobile', '2125550199', '2026-01-01'],
      ['p-1', 'customer', 'email', ' Ann.Lee@Example.COM ', '2026-01-02'],
      ['p-1', 'customer', 'email', 'bounce@example.com', '2026-01-02'],
      ['p-2', 'customer', 'mobile', '2125550146', '2026-01-01'],
      ['p-2', 'customer', 'mobile', '2125550147', '2026-01-01'],
      ['p-2', 'customer', 'home', 'call me', '2026-01-01'],
      ['p-2', 'friend', 'mobile', '2125550148', '2026-01-01'],
      ['p-2', 'customer', 'fax', '2125550148', '2026-01-01'],
      ['p-2', 'customer', 'email', 'no-at-sign', '2026-01-01'],
      ['p-2', 'customer', 'mobile', '2125550149', 'yesterday'],
      ['p-3', 'customer', 'mobile', '2125550151', '2026-01-01'],
      ['p-unknown', 'customer', 'mobile', '2125550150', '2026-01-01'],
    ],
    dispositions: {
      // 7-day window D-6 … D: the call on D-6 counts, the one on D-7 does not.
      '2026-11-20': [attempt('p-1', A1, 'call', MOBILE, 'NO_ANSWER', 'N', '2026-11-20')],
      // A call on p-3's other loan counts toward p-3's caps.
      '2026-11-19': [
        attempt('p-1', A1, 'sms', MOBILE, 'DELIVERED', 'N', '2026-11-19'),
        attempt('p-3', A4, 'call', '2125550151', 'NO_ANSWER', 'N', '2026-11-19'),
      ],
      '2026-11-18': [
        attempt('p-1', A1, 'sms', MOBILE, 'DELIVERED', 'N', '2026-11-18'),
        attempt('p-1', A1, 'email', 'ann.lee@example.com', 'DELIVERED', 'N', '2026-11-18'),
      ],
      '2026-11-14': [attempt('p-1', A1, 'call', '2125550143', 'VOICEMAIL', 'N', '2026-11-14')],
      '2026-11-13': [
        attempt('p-1', A1, 'call', MOBILE, 'RIGHT_PARTY_CONTACT', 'Y', '2026-11-13'),
        attempt('p-1', A1, 'fax', MOBILE, 'DELIVERED', 'N', '2026-11-13'),
      ],
      // A conversation by text is not a telephone conversation.
      '2026-11-16': [attempt('p-1', A1, 'sms', MOBILE, 'DELIVERED', 'Y', '2026-11-16')],
      // 90-day window D-89 … D: wrong numbers on D-89 count, the one on D-90 does not.
      '2026-08-23': [
        attempt('p-1', A1, 'call', '(212) 555-0199', 'WRONG_NUMBER', 'N', '2026-08-23'),
        attempt('p-1', A1, 'call', '2125550199', 'WRONG_NUMBER', 'N', '2026-08-23'),
        attempt('p-1', A1, 'email', 'BOUNCE@example.com', 'BOUNCED', 'N', '2026-08-23'),
      ],
      '2026-08-22': [
        attempt('p-1', A1, 'call', '2125550199', 'WRONG_NUMBER', 'Y', '2026-08-22'),
        attempt('p-1', A1, 'call', '2125550199', 'RIGHT_PARTY_CONTACT', 'Y', '2026-08-22'),
      ],
      // Outcomes count per number, whichever account they were reached for.
      '2026-10-01': [
        attempt('p-2', A2, 'call', '2125550143', 'DISCONNECTED', 'N', '2026-10-01'),
        attempt('p-3', A3, 'call', '2125550143', 'DISCONNECTED', 'N', '2026-10-01'),
        attempt('p-3', A3, 'call', '2125550143', 'WRONG_NUMBER', 'N', '2026-10-01'),
        attempt('p-2', A2, 'sms', '2125550147', 'OPT_OUT', 'N', '2026-10-01'),
        attempt('p-1', A1, 'email', 'ann.lee@example.com', 'OPT_OUT', 'N', '2026-10-01'),
      ],
      // Account numbers as delivered by a dialer: padded (still A1's), empty (every loan of the customer, whose
      // payoffuid is in another case), unknown but of a known customer (that customer's loans), unknown altogether
      // (quarantined, counted).
      '2026-11-17': [
        attempt('p-2', ` ${A2}  `, 'CALL', '2125550146', 'NO_ANSWER', 'N', '2026-11-17'),
        attempt('P-2', '', 'call', '2125550146', 'no_answer', 'N', '2026-11-17'),
        attempt('p-2', '1000000000000077', 'call', '2125550146', 'NO_ANSWER', 'n', '2026-11-17'),
        attempt('p-nobody', '1000000000000088', 'call', '2125550146', 'NO_ANSWER', 'N', '2026-11-17'),
      ],
      // After the load date: not read.
      '2026-11-21': [attempt('p-3', A3, 'call', MOBILE, 'NO_ANSWER', 'N', '2026-11-21')],
    },
    suppressions: {
      // An older snapshot and a later one: the run reads the newest dated on or before D (20261119).
      '20261101': [['GLOBAL', '', '', 'payoffuid', 'p-3', 'FRAUD', '2026-01-01', '']],
      '20261121': [['GLOBAL', '', '', 'payoffuid', 'p-3', 'FRAUD', '2026-01-01', '']],
      '20261119': [
        ['GLOBAL', 'ignored', 'ignored', 'payoffuid', 'p-1', 'CEASE_AND_DESIST', '2026-11-20', ''],
        ['SET', 'collections', '', 'payoffuid', 'p-2', 'BANKRUPTCY', '2026-01-01', '2026-11-20'],
        ['LIST', 'collections', 'early', 'payoffuid', 'p-2', 'LITIGATION', '2026-01-01', '2026-11-19'],
        ['GLOBAL', '', '', 'payoffuid', 'p-2', 'DECEASED', '2026-11-21', ''],
        ['LIST', 'collections', 'early', 'payoffuid', 'p-3', 'FRAUD', 'someday', ''],
        ['GLOBAL', '', '', 'payoffuid', 'p-unknown', 'FRAUD', '2026-01-01', ''],
        [' GLOBAL ', '', '', 'phone', '212-555-0144', 'INTERNAL_DNC', '2026-01-01', ''],
        ['SET', 'marketing', '', 'email', 'ANN.LEE@example.com', 'ATTORNEY_REPRESENTED', '2026-01-01', ''],
        // Codes in another case and an id in another case, padded: the same entry as SET collections payoffuid p-2.
        ['Set', 'Collections', '', 'PAYOFFUID', ' P-2 ', 'litigation', '2026-01-01', ''],
        ['GLOBAL', '', '', 'phone', '555-0100', 'INTERNAL_DNC', '2026-01-01', ''],
      ],
    },
    customFields: [
      '{"account_number":"1000000000000001","fields":{"risk_score":12,"hardship_plan":true}}',
      '{"account_number":"1000000000000002","fields":{"risk_score":"high"}}',
      '{"account_number":"1000000000000002","fields":{"risk_score":40}}',
      '{"account_number":"9999999999999999","fields":{}}',
      // p-3's other loan: read, not used (p-3 is evaluated on A3).
      '{"account_number":"1000000000000004","fields":{"hardship_plan":true}}',
      // A broken line that still names its account (A3): none of A3's values can be trusted.
      ' {"account_number": "1000000000000003", "fields": {"hardship_plan": tru',
    ],
  });
  runtime = await startLocalRuntime({ home: box.home, data: box.data });
  await consentTransform({ runId: 'r1', loadDate: D });
  // A stale object of an earlier try of the same attempt: the step removes it.
  await s3Client().send(
    new PutObjectCommand({ Bucket: resources.buckets.lake, Key: `runs/load_date=${D}/attempt=a1/facts/contacts/shard=0009/part-00000.jsonl.gz`, Body: 'x' }),
  );
  await putConfigSnapshot(D, 'a1');
  result = await handler({ runId: 'r1', attempt: 'a1', loadDate: D });
  const prefix = result.manifest[0]!.prefix;
  customers = (await readTable(prefix, 'customers')) as CustomerRow[];
  contacts = (await readTable(prefix, 'contacts')) as ContactRow[];
  suppressions = (await readTable(prefix, 'suppressions')) as SuppressionRow[];
});
afterAll(async () => {
  await runtime.stop();
  await box.cleanup();
});

const customer = (payoffuid: string) => customers.find((row) => row.payoffuid === payoffuid)!;
const contactsOf = (payoffuid: string) => contacts.filter((row) => row.payoffuid === payoffuid);
const contact = (payoffuid: string, value: string) => contactsOf(payoffuid).find((row) => row.contact_value === value)!;

describe('BuildCustomerFacts on DuckDB', () => {
  it('rejects a malformed input with a clear message', async () => {
    await expect(handler({ runId: 'r1', attempt: 'a/1', loadDate: D })).rejects.toThrow(/attempt must be a plain name/);
    await expect(handler({ runId: 'r1', attempt: 'a1', loadDate: '2026-02-30' })).rejects.toThrow(/loadDate must be a date/);
  });

  it('fails clearly without the gold phone_consent partition of the load date', async () => {
    await expect(handler({ runId: 'r1', attempt: 'a1', loadDate: '2026-11-19' })).rejects.toThrow(
      /no phone_consent partition as_of_date=2026-11-19; the consent transform of the run writes it/,
    );
  });

  it('writes one shard for a small book, with the manifest and the counts', () => {
    expect(result.customers).toBe(3);
    expect(result.shards).toBe(1);
    expect(result.manifest).toEqual([{ shard: 0, prefix: `runs/load_date=${D}/attempt=a1/facts/` }]);
    expect(new Set([...customers, ...contacts, ...suppressions].map((row) => (row as { _shard?: string })._shard))).toEqual(new Set(['shard=0000']));
    expect(result.inputs).toEqual({
      loan_tape: 1,
      contacts: 1,
      dispositions: 9,
      suppressions: 1,
      custom_fields: 1,
      contact_rules: 1,
      payment_requests: 1,
      zip_suppressions: 1,
    });
    expect(result.counts.loan_tape).toEqual({ rows: 6, MISSING_PAYOFFUID: 1, duplicate_rows: 1, other_loans: 1 });
    expect(result.counts.custom_fields).toEqual({ lines: 6, unreadable_lines: 1, unknown_account: 1, other_loan_lines: 1, duplicate_lines: 1 });
    expect(result.counts.dispositions).toEqual({
      // 21 attempts read; the one of p-nobody matches no loan.
      attempts: 21,
      attributed_by_account: 17,
      attributed_by_customer_no_account: 1,
      attributed_by_customer_account_not_on_tape: 1,
      attributed_by_customer_other_loan: 1,
      attributed_by_unknown_loan: 1,
      malformed_rows: 0,
      repeated_in_another_file_7_days: 0,
      unknown_channel: 1,
      unreadable_outcome_value: 0,
    });
    // What each feed set aside: the sums of the details above that were not used.
    expect(result.setAside).toEqual({
      loan_tape: 2,
      contacts: 6,
      dispositions: 2,
      suppressions: 1,
      custom_fields: 4,
      contact_rules: 0,
      payment_requests: 0,
      zip_suppressions: 0,
    });
  });

  it('removes objects an earlier try left under the facts prefix', async () => {
    const keys = await listKeysUnderPrefix(resources.buckets.lake, result.manifest[0]!.prefix);
    expect(keys.sort()).toEqual([
      `runs/load_date=${D}/attempt=a1/facts/contacts/shard=0000/part-00000.jsonl.gz`,
      `runs/load_date=${D}/attempt=a1/facts/customers/shard=0000/part-00000.jsonl.gz`,
      `runs/load_date=${D}/attempt=a1/facts/suppressions/shard=0000/part-00000.jsonl.gz`,
    ]);
  });

  it('keeps one loan tape row per payoffuid (the newest copy of the loan with the most days past due), typed; unreadable values are null', () => {
    expect(customers.map((row) => row.payoffuid).sort()).toEqual(['p-1', 'p-2', 'p-3']);
    // p-3's loans: A3 at 35 days past due, A4 (written 'P-3') at 5: the customer is evaluated on A3.
    expect(customer('p-3')).toMatchObject({ account_number: A3, days_past_due: 35 });
    expect(customer('p-1')).toMatchObject({
      account_number: A1,
      portfolio: 'BLUE_FCU',
      loan_status: 'Delinquent',
      days_past_due: 35,
      amount_due: 120.5,
      principal_balance: 2400,
      loan_tape_asofdate: D,
      first_name: 'Ann',
      last_name: 'Lee',
      state: 'NY',
      zip: '10001',
    });
    expect(customer('p-2')).toMatchObject({ portfolio: null, days_past_due: null, amount_due: null, state: null, loan_tape_asofdate: null });
  });

  it('counts calls, calls and texts, and all attempts in the 7 days D-6 … D, and calls and texts of D-1 and D', () => {
    // Calls on D and D-6 (not D-7); texts on D-1, D-2 and D-4; an email on D-2; a fax (unknown channel) is no attempt.
    expect(customer('p-1')).toMatchObject({
      calls_last_7_days: 2,
      communications_last_7_days: 5,
      attempts_last_7_days: 6,
      communications_last_24h: 2,
    });
    // p-3's one call was placed on its other loan (A4), on D-1; the call of D+1 is not read.
    expect(customer('p-3')).toMatchObject({ calls_last_7_days: 1, communications_last_7_days: 1, attempts_last_7_days: 1, communications_last_24h: 1 });
  });

  it('takes the last telephone conversation and the last attempt within the 90 days', () => {
    // The text conversation of D-4 is not a telephone conversation; the call conversation of D-90 is outside the history.
    expect(customer('p-1').last_conversation_date).toBe('2026-11-13');
    expect(customer('p-1').last_attempt_date).toBe(D);
    expect(customer('p-2')).toMatchObject({ last_conversation_date: null, last_attempt_date: '2026-11-17' });
  });

  it("counts an attempt toward its loan whatever the padding, and toward the customer's loans when its account is empty or unknown (fail closed)", () => {
    // Padded A2, empty account of 'P-2', unknown account of p-2: all three are calls on A2 in the 7 days.
    expect(customer('p-2')).toMatchObject({ calls_last_7_days: 3, communications_last_7_days: 3 });
  });

  it('passes the custom-field record through as JSON text; the greatest of duplicates; null when absent; unreadable when a line of the account is broken', () => {
    expect(JSON.parse(customer('p-1').custom_fields_json!)).toEqual({ risk_score: 12, hardship_plan: true });
    expect(JSON.parse(customer('p-2').custom_fields_json!)).toEqual({ risk_score: 40 });
    expect(customer('p-3').custom_fields_json).toBeNull();
    expect(customers.map((row) => [row.payoffuid, row.custom_fields_unreadable]).sort()).toEqual([
      ['p-1', false],
      ['p-2', false],
      ['p-3', true],
    ]);
  });

  it('keeps every usable contact record, duplicates included, with normalised values', () => {
    expect(contactsOf('p-1').map((row) => [row.contact_type, row.contact_value, row.created_at])).toEqual(
      expect.arrayContaining([
        ['mobile', MOBILE, '2026-01-01'],
        ['mobile', MOBILE, '2025-06-01'],
        ['home', '+12125550143', '2026-01-01'],
        ['work', '+12125550144', '2026-01-01'],
        ['mobile', '+12125550145', '2026-01-01'],
        ['mobile', '+12125550199', '2026-01-01'],
        ['email', 'ann.lee@example.com', '2026-01-02'],
        ['email', 'bounce@example.com', '2026-01-02'],
        // The postal address of the loan tape, one line, recorded on the tape's date.
        ['address', '1 Main St, New York, NY 10001', D],
      ]),
    );
    expect(contactsOf('p-1')).toHaveLength(9);
    expect(
      contactsOf('p-2')
        .map((row) => row.contact_value)
        .sort(),
    ).toEqual(['+12125550146', '+12125550147']);
    expect(result.counts.contacts).toEqual({
      kept: 11,
      UNKNOWN_CUSTOMER: 1,
      INVALID_RELATED_PARTY_TYPE: 1,
      INVALID_CONTACT_TYPE: 1,
      PHONE_INVALID_CHARACTERS: 1,
      INVALID_EMAIL: 1,
      INVALID_CREATED_AT: 1,
    });
  });

  it('counts wrong numbers and disconnects per number ("on that number", §6), in the 90 days D-89 … D', () => {
    // Two wrong numbers on D-89 in two formats; the one of D-90 is outside.
    expect(contact('p-1', '+12125550199').wrong_number_count_90d).toBe(2);
    // A3's wrong number and both accounts' disconnects on A1's home phone are the number's.
    expect(contact('p-1', '+12125550143')).toMatchObject({ wrong_number_count_90d: 1, disconnected_count_90d: 2 });
    expect(contact('p-1', MOBILE)).toMatchObject({ wrong_number_count_90d: 0, disconnected_count_90d: 0 });
  });

  it('marks opt-outs (text STOP, email unsubscribe) and bounces on the contact point', () => {
    expect(contact('p-2', '+12125550147')).toMatchObject({ opted_out: true, bounced: false });
    expect(contact('p-1', 'ann.lee@example.com')).toMatchObject({ opted_out: true, bounced: false });
    expect(contact('p-1', 'bounce@example.com')).toMatchObject({ opted_out: false, bounced: true });
    expect(contact('p-1', MOBILE)).toMatchObject({ opted_out: false, bounced: false });
  });

  it('computes can_send_sms from the gold phone_consent of D exactly as decideSms (§4); null for emails', async () => {
    const engine = await DuckDbEngine.open({ home: box.home });
    try {
      const gold = await engine.query<{
        account_number: string;
        phone_number: string;
        phone_source: 'CLIENT';
        is_deleted: boolean;
        has_sms_consent: boolean | null;
      }>(`SELECT account_number, phone_number, phone_source, is_deleted, has_sms_consent FROM phone_consent WHERE as_of_date = DATE '${D}'`);
      const accountOf = (payoffuid: string) => customer(payoffuid).account_number;
      const phones = contacts.filter((row) => row.contact_type !== 'email' && row.contact_type !== 'address');
      for (const row of phones) {
        const goldRow = gold.find((candidate) => candidate.account_number === accountOf(row.payoffuid) && candidate.phone_number === row.contact_value);
        const withdrawnOnOtherLoan = row.payoffuid === 'p-3' && row.contact_value === '+12125550151';
        expect(row.can_send_sms, `${row.payoffuid} ${row.contact_value}`).toBe(decideSms(goldRow).canSendSms && !withdrawnOnOtherLoan);
      }
      // Consent given on the loan p-3 is evaluated on (A3) but withdrawn on its other loan (A4): no texts (fail closed).
      expect(decideSms(gold.find((candidate) => candidate.account_number === A3 && candidate.phone_number === '+12125550151')).canSendSms).toBe(true);
      expect(contact('p-3', '+12125550151').can_send_sms).toBe(false);
      // Every §4 outcome occurs: consent Y and unanswered, withdrawn, not CLIENT, deleted, not found.
      expect(phones.map((row) => [row.contact_value, row.can_send_sms])).toEqual(
        expect.arrayContaining([
          [MOBILE, true],
          ['+12125550143', true],
          ['+12125550144', false],
          ['+12125550145', false],
          ['+12125550146', false],
          ['+12125550199', false],
        ]),
      );
      expect(contacts.filter((row) => row.contact_type === 'email').every((row) => row.can_send_sms === null)).toBe(true);
    } finally {
      await engine.close();
    }
  });

  it("carries the client's phone_status, phone_technology and quality_score of the gold row; null for emails and phones without one", () => {
    const facts = (payoffuid: string, value: string) => {
      const { phone_status, phone_technology, quality_score } = contact(payoffuid, value);
      return { phone_status, phone_technology, quality_score };
    };
    expect(facts('p-1', MOBILE)).toEqual({ phone_status: 'ACTIVE', phone_technology: 'WIRELESS', quality_score: 80 });
    expect(facts('p-1', '+12125550143')).toEqual({ phone_status: 'ACTIVE', phone_technology: 'LANDLINE', quality_score: null });
    expect(facts('p-1', '+12125550144')).toEqual({ phone_status: 'DISCONNECTED', phone_technology: 'VOIP', quality_score: 12 });
    // Not on the account's consent rows (an unknown phone): no facts, whatever another account says.
    expect(facts('p-1', '+12125550199')).toEqual({ phone_status: null, phone_technology: null, quality_score: null });
    expect(facts('p-1', 'ann.lee@example.com')).toEqual({ phone_status: null, phone_technology: null, quality_score: null });
  });

  it('reads the newest suppressions snapshot dated ≤ D; active entries only, both date ends inclusive', () => {
    expect(suppressions.map(({ payoffuid, scope, set_name, list_name, reason }) => ({ payoffuid, scope, set_name, list_name, reason }))).toEqual(
      expect.arrayContaining([
        // Starts on D; a GLOBAL entry carries no set or list name.
        { payoffuid: 'p-1', scope: 'GLOBAL', set_name: null, list_name: null, reason: 'CEASE_AND_DESIST' },
        // Ends on D.
        { payoffuid: 'p-2', scope: 'SET', set_name: 'collections', list_name: null, reason: 'BANKRUPTCY' },
        // An unreadable start date: the entry applies (fail closed).
        { payoffuid: 'p-3', scope: 'LIST', set_name: 'collections', list_name: 'early', reason: 'FRAUD' },
        // Codes and the id compared case-insensitively; the reason in upper case.
        { payoffuid: 'p-2', scope: 'SET', set_name: 'Collections', list_name: null, reason: 'LITIGATION' },
      ]),
    );
    // Ended on D-1, starting on D+1, unknown customer: none.
    expect(suppressions).toHaveLength(4);
    expect(result.counts.suppressions).toEqual({
      active_payoffuid: 5,
      active_phone: 1,
      active_email: 1,
      inactive: 2,
      PHONE_INVALID_LENGTH: 1,
      unreadable_date: 1,
    });
  });

  it("gives a contact the reason of an active phone or email entry, keys normalised, whatever the entry's scope", () => {
    expect(contact('p-1', '+12125550144').suppression_reason).toBe('INTERNAL_DNC');
    expect(contact('p-1', 'ann.lee@example.com').suppression_reason).toBe('ATTORNEY_REPRESENTED');
    expect(contact('p-1', MOBILE).suppression_reason).toBeNull();
  });

  it('stops, naming file and line, on a suppression entry whose scope, key type, set or list cannot be read (fail closed)', async () => {
    // Prepare: a newer snapshot (dated D) with four entries that can be neither applied nor ignored.
    const snapshot = join(box.data, 'suppressions/suppressions_20261120.csv.gz');
    await writeDailyFeeds(box.data, D, {
      suppressions: {
        '20261120': [
          ['GLOBAL', '', '', 'payoffuid', 'p-1', 'FRAUD', '2026-01-01', ''],
          ['EVERYWHERE', '', '', 'payoffuid', 'p-3', 'BANKRUPTCY', '2026-01-01', ''],
          ['LIST', 'collections', '', 'payoffuid', 'p-3', 'FRAUD', '2026-01-01', ''],
          ['GLOBAL', '', '', 'loan', 'p-2', 'CEASE_AND_DESIST', '2026-01-01', ''],
          ['SET', '', '', 'phone', '2125550142', 'INTERNAL_DNC', '2026-01-01', ''],
        ],
      },
    });
    try {
      // Act / Assess: lines 3-6 (the header is line 1); no key or value in the message.
      const failure = handler({ runId: 'r1', attempt: 'a2', loadDate: D });
      await expect(failure).rejects.toThrow(
        'customer facts for 2026-11-20: 4 suppression entries cannot be applied (a row whose fields are not where the columns say, or a scope, key type, set or list that cannot be read; ' +
          'the run stops rather than contact a suppressed customer): suppressions/suppressions_20261120.csv.gz line 3: INVALID_SCOPE; ' +
          'suppressions/suppressions_20261120.csv.gz line 4: MISSING_LIST_NAME; suppressions/suppressions_20261120.csv.gz line 5: INVALID_KEY_TYPE; ' +
          'suppressions/suppressions_20261120.csv.gz line 6: MISSING_SET_NAME',
      );
      await expect(failure).rejects.not.toThrow(/p-3|2125550142/);
    } finally {
      await rm(snapshot);
    }
  });

  it('stops, naming file and line, on a custom-field line that names no account', async () => {
    // Prepare: a second custom-field file of D with a good line, a line without account and one unreadable.
    const file = join(box.data, `custom_fields/asof=${D}/custom_fields_${D.replaceAll('-', '')}_002.jsonl.gz`);
    await writeFile(file, gzipSync(['{"account_number":"1000000000000001","fields":{}}', '{"fields":{"hardship_plan":true}}', '', 'garbage'].join('\n')));
    try {
      // Act / Assess: lines 2 and 4 (the blank line 3 is no record); nothing of their contents in the message.
      const failure = handler({ runId: 'r1', attempt: 'a3', loadDate: D });
      await expect(failure).rejects.toThrow(
        'customer facts for 2026-11-20: 2 custom-field lines name no account (its values belong to a customer no one can tell; the run stops ' +
          `rather than read them as null): custom_fields/asof=${D}/custom_fields_20261120_002.jsonl.gz line 2: MISSING_ACCOUNT; ` +
          `custom_fields/asof=${D}/custom_fields_20261120_002.jsonl.gz line 4: INVALID_JSON`,
      );
      await expect(failure).rejects.not.toThrow(/hardship|garbage/);
    } finally {
      await rm(file);
    }
  });
});
