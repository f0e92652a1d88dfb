import { describe, expect, it } from 'vitest';
import { getLakeJson } from '../../../adapters/lake-store.ts';
import { listKeysUnderPrefix } from '../../../adapters/s3-prefix.ts';
import { resources } from '../../../config/resources.ts';
import { addDays } from '../../../domain/campaigns/dates.ts';
import { qualityLayout } from '../../../domain/run/run-layout.ts';
import { account, phone, qualityHarness, times, valuesSelect, type Columns, type Row } from '../../quality/fixtures.ts';

/**
 * The customer-facts gate on DuckDB, over the run-scoped tables facts_loans and facts_contacts and the other feeds'
 * facts_* tables (the §3.2 contact rules, payment requests and ZIP register included).
 */

const D = '2026-11-20';
const YESTERDAY = addDays(D, -1);
const harness = qualityHarness();

const loanColumns: Columns = {
  payoffuid: 'VARCHAR',
  customer_key: 'VARCHAR',
  account_number: 'VARCHAR',
  state: 'VARCHAR',
  zip: 'VARCHAR',
  loan_tape_asofdate: 'DATE',
  days_past_due: 'INTEGER',
  tape_rows: 'BIGINT',
  loan_count: 'BIGINT',
};
const suppressionColumns: Columns = { reject_reason: 'VARCHAR' };
const customFieldColumns: Columns = { lines: 'BIGINT', unreadable_lines: 'BIGINT' };
const dispositionColumns: Columns = { attributed_by: 'VARCHAR', attempts: 'BIGINT', unknown_channel_attempts: 'BIGINT', malformed_rows: 'BIGINT' };
const contactColumns: Columns = { reject_reason: 'VARCHAR', contact_type: 'VARCHAR', contact_value: 'VARCHAR' };
const contactRuleColumns: Columns = { customer_key: 'VARCHAR', reject_reason: 'VARCHAR', has_unreadable_flag: 'BOOLEAN', has_unreadable_date: 'BOOLEAN' };
const paymentRequestColumns: Columns = { is_current: 'BOOLEAN', reject_reason: 'VARCHAR', has_unreadable_status: 'BOOLEAN', has_unreadable_date: 'BOOLEAN' };
const zipSuppressionColumns: Columns = { has_unreadable_date: 'BOOLEAN' };
const customers = (n = 200) =>
  times(n, (i) => ({
    payoffuid: `p-${i}`,
    customer_key: `p${i}`,
    account_number: account(i),
    state: 'NY',
    zip: i % 2 ? '10001' : '10001-1234',
    loan_tape_asofdate: D,
    days_past_due: 30,
    tape_rows: 1,
    loan_count: 1,
  }));
const contacts = (n = 200) =>
  times(n, (i) =>
    i % 4 === 3
      ? { reject_reason: null, contact_type: 'email', contact_value: `ann.lee${i}@example.com` }
      : { reject_reason: null, contact_type: i % 4 === 0 ? 'mobile' : 'home', contact_value: phone(i) },
  );
const rejectedContact: Row = { reject_reason: 'PHONE_INVALID_LENGTH', contact_type: 'mobile', contact_value: null };
/** Contact rules of the first `n` customers of the tape (customer_key p0 … p<n-1>), every flag and date readable. */
const contactRules = (n = 100) => times(n, (i) => ({ customer_key: `p${i}`, reject_reason: null, has_unreadable_flag: false, has_unreadable_date: false }));
/** Current payment requests, every status and date readable. */
const paymentRequests = (n = 100) => times(n, () => ({ is_current: true, reject_reason: null, has_unreadable_status: false, has_unreadable_date: false }));
/** ZIP suppression entries, every date readable. */
const zipSuppressions = (n = 40) => times(n, () => ({ has_unreadable_date: false }));

/** The other feeds' facts, every row usable unless given. */
interface OtherFeeds {
  loanTape?: Row[];
  suppressions?: Row[];
  customFields?: Row[];
  dispositions?: Row[];
  repeated?: Row;
  contactRules?: Row[];
  paymentRequests?: Row[];
  zipSuppressions?: Row[];
}

async function facts(loans: Row[], contactRows: Row[] = contacts(), other: OtherFeeds = {}): Promise<void> {
  const engine = harness.engine();
  await engine.createTransient('facts_loans', valuesSelect(loanColumns, loans));
  await engine.createTransient('facts_loan_tape', valuesSelect({ reject_reason: 'VARCHAR' }, other.loanTape ?? loans.map(() => ({ reject_reason: null }))));
  await engine.createTransient('facts_contacts', valuesSelect(contactColumns, contactRows));
  await engine.createTransient('facts_suppressions', valuesSelect(suppressionColumns, other.suppressions ?? times(200, () => ({ reject_reason: null }))));
  await engine.createTransient('facts_custom_fields', valuesSelect(customFieldColumns, other.customFields ?? [{ lines: 200, unreadable_lines: 0 }]));
  await engine.createTransient(
    'facts_repeated_attempts',
    valuesSelect({ repeated_rows: 'BIGINT', window_rows: 'BIGINT' }, [other.repeated ?? { repeated_rows: 0, window_rows: 300 }]),
  );
  await engine.createTransient(
    'facts_dispositions',
    valuesSelect(dispositionColumns, other.dispositions ?? [{ attributed_by: 'account', attempts: 1000, unknown_channel_attempts: 0, malformed_rows: 0 }]),
  );
  await engine.createTransient('facts_contact_rules', valuesSelect(contactRuleColumns, other.contactRules ?? contactRules(Math.ceil(loans.length / 2))));
  await engine.createTransient('facts_payment_requests', valuesSelect(paymentRequestColumns, other.paymentRequests ?? paymentRequests()));
  await engine.createTransient('facts_zip_suppressions', valuesSelect(zipSuppressionColumns, other.zipSuppressions ?? zipSuppressions()));
}

/** Customers with `bad` of them changed by `patch`. */
const withBad = (bad: number, patch: Row) => customers().map((row, i) => (i < bad ? { ...row, ...patch } : row));

const failsWith = (message: string) => expect(harness.gate(D, 'a2').check('facts')).rejects.toThrow(message);

describe('facts gate', () => {
  it('passes good data and keeps the figures as the attempt’s, accepted only by the publication', async () => {
    await facts(customers(), [...contacts(), rejectedContact]);
    const gate = harness.gate(D, 'a1');

    const evaluation = await gate.check('facts');
    const attemptFigures = await getLakeJson(qualityLayout.attempt('facts', D, 'a1'));
    const acceptedBefore = await listKeysUnderPrefix(resources.buckets.lake, qualityLayout.acceptedPrefix('facts'));
    await gate.acceptPublished(['facts']);

    expect(evaluation.failures).toEqual([]);
    expect(attemptFigures).toEqual(evaluation.figures);
    expect(acceptedBefore).toEqual([]);
    expect(await getLakeJson(qualityLayout.accepted('facts', D))).toEqual(evaluation.figures);
  });

  it('customers_rows: fails when the published yesterday had far more customers', async () => {
    await facts(customers());
    const yesterday = harness.gate(YESTERDAY, 'y1');
    await yesterday.check('facts');
    await yesterday.acceptPublished(['facts']);
    await facts(customers(120));

    await failsWith(`gate facts.customers_rows failed: 120 customers, 200 on ${YESTERDAY} (-40%, threshold ±20%)`);
  });

  it('customers_rows: compares with the published attempt only, not with an unpublished one', async () => {
    await facts(customers(40));
    await harness.gate(YESTERDAY, 'unpublished').check('facts');
    await facts(customers());

    expect((await harness.gate(D, 'a2').check('facts')).results.find((result) => result.gate === 'facts.customers_rows')?.status).toBe('skipped');
  });

  it('loan_tape_duplicate_rate: fails on loan tape rows repeating a loan, counted before one row per customer is kept', async () => {
    await facts(customers().map((row, i) => (i < 2 ? { ...row, tape_rows: 3 } : row)));

    await failsWith('gate facts.loan_tape_duplicate_rate failed: 4 of 204 loan tape rows repeating a loan of their customer (set aside) (1.96%, threshold 1%)');
  });

  it("loan_tape_duplicate_rate: a customer's other loans are no duplicates", async () => {
    await facts(customers().map((row, i) => (i < 10 ? { ...row, tape_rows: 3, loan_count: 3 } : row)));

    expect((await harness.gate(D, 'a1').check('facts')).results.find((result) => result.gate === 'facts.loan_tape_duplicate_rate')?.status).toBe('passed');
  });

  it('suppressions_reject_rate: fails when entries are set aside for unreadable keys', async () => {
    await facts(customers(), contacts(), { suppressions: times(200, (i) => ({ reject_reason: i < 3 ? 'MISSING_KEY' : null })) });

    await failsWith('gate facts.suppressions_reject_rate failed: 3 of 200 suppression entries set aside (key unreadable) (1.5%, threshold 1%)');
  });

  it('custom_fields_unreadable_rate: fails on custom-field lines that are not JSON', async () => {
    await facts(customers(), contacts(), {
      customFields: [
        { lines: 150, unreadable_lines: 0 },
        { lines: 50, unreadable_lines: 5 },
      ],
    });

    await failsWith('gate facts.custom_fields_unreadable_rate failed: 5 of 200 custom-field lines that are not JSON (2.5%, threshold 1%)');
  });

  it('dispositions_unknown_loan_rate and dispositions_unknown_channel_rate: fail on attempts no loan or channel can be found for', async () => {
    await facts(customers(), contacts(), {
      dispositions: [
        { attributed_by: 'account', attempts: 400, unknown_channel_attempts: 20, malformed_rows: 15 },
        { attributed_by: 'unknown_loan', attempts: 600, unknown_channel_attempts: 0, malformed_rows: 0 },
      ],
    });

    await failsWith('gate facts.dispositions_unknown_loan_rate failed: 600 of 1000 attempts that match no loan (set aside) (60%, threshold 50%)');
    await failsWith('gate facts.dispositions_unknown_channel_rate failed: 20 of 1000 attempts whose channel is not call, sms or email (2%, threshold 1%)');
    await failsWith('gate facts.dispositions_malformed_rate failed: 15 of 1000 attempt rows with too few or too many fields (1.5%, threshold 1%)');
  });

  it('dispositions_repeated_rate: fails when the 7 days hold attempts delivered again in another file', async () => {
    await facts(customers(), contacts(), { repeated: { repeated_rows: 150, window_rows: 300 } });

    await failsWith('gate facts.dispositions_repeated_rate failed: 150 of 300 attempts of the 7 days delivered again in another file (50%, threshold 0.5%)');
  });

  it('loan_tape_reject_rate: fails when loan tape rows are set aside (an account number of 15 digits, a payoffuid missing)', async () => {
    await facts(customers(), contacts(), {
      loanTape: times(200, (i) => ({ reject_reason: i < 2 ? 'INVALID_ACCOUNT_NUMBER' : i < 3 ? 'MISSING_PAYOFFUID' : null })),
    });

    await failsWith(
      'gate facts.loan_tape_reject_rate failed: 3 of 200 loan tape rows set aside (payoffuid missing or unreadable, account number not 16 digits) (1.5%, threshold 1%)',
    );
  });

  it('customers_state_invalid: fails on state names instead of codes', async () => {
    await facts(withBad(4, { state: 'New York' }));

    await failsWith('gate facts.customers_state_invalid failed: 4 of 200 customers whose state is missing or not two capital letters (2%, threshold 1%)');
  });

  it('customers_zip_invalid: fails on malformed ZIP codes', async () => {
    await facts(withBad(6, { zip: '1001' }));

    await failsWith('gate facts.customers_zip_invalid failed: 6 of 200 customers whose zip is missing or not NNNNN[-NNNN] (3%, threshold 2%)');
  });

  it('customers_loan_tape_asofdate_invalid: fails when the as-of date could not be read', async () => {
    await facts(withBad(3, { loan_tape_asofdate: null }));

    await failsWith(
      'gate facts.customers_loan_tape_asofdate_invalid failed: 3 of 200 customers whose loan_tape_asofdate is missing or not an ISO date (1.5%, threshold 1%)',
    );
  });

  it('customers_days_past_due_missing: fails when days past due are missing', async () => {
    await facts(withBad(3, { days_past_due: null }));

    await failsWith(
      'gate facts.customers_days_past_due_missing failed: 3 of 200 customers whose days_past_due is missing or not an integer (1.5%, threshold 1%)',
    );
  });

  it('contacts_rows: fails when usable contacts grow by more than the threshold', async () => {
    await facts(customers(), contacts(100));
    const yesterday = harness.gate(YESTERDAY, 'y1');
    await yesterday.check('facts');
    await yesterday.acceptPublished(['facts']);
    await facts(customers(), contacts(130));

    await failsWith(`gate facts.contacts_rows failed: 130 usable contacts, 100 on ${YESTERDAY} (+30%, threshold ±25%)`);
  });

  it('contacts_reject_rate: fails when many contact records are rejected', async () => {
    await facts(customers(), [...contacts(180), ...times(20, () => rejectedContact)]);

    await failsWith('gate facts.contacts_reject_rate failed: 20 of 200 contact records rejected (10%, threshold 5%)');
  });

  it('contacts_phone_not_e164: fails on a usable phone that is not E.164', async () => {
    const rows = contacts();
    rows[0] = { ...rows[0]!, contact_value: '(212) 555-0100' };
    await facts(customers(), rows);

    await failsWith('gate facts.contacts_phone_not_e164 failed: 1 of 150 usable phone contacts not in E.164 (+1NXXNXXXXXX) (0.67%, threshold 0%)');
  });

  it('contacts_email_malformed: fails on email addresses without a domain', async () => {
    const rows = contacts().map((row, i) => (i === 3 || i === 7 ? { ...row, contact_value: 'ann.lee@localhost' } : row));
    await facts(customers(), rows);

    await failsWith('gate facts.contacts_email_malformed failed: 2 of 50 usable email contacts not shaped name@domain.tld (4%, threshold 1%)');
  });

  it('contact_rules_unreadable_rate and contact_rules_unknown_customer_rate: fail on unreadable rules and rules of customers not on the tape', async () => {
    const rules = contactRules().map((row, i) =>
      i < 2 ? { ...row, has_unreadable_flag: true } : i < 3 ? { ...row, has_unreadable_date: true } : i < 9 ? { ...row, customer_key: `x${i}` } : row,
    );
    await facts(customers(), contacts(), { contactRules: rules });

    await failsWith(
      'gate facts.contact_rules_unreadable_rate failed: 3 of 100 contact rules with a Y/N flag or a date that cannot be read (applied fail closed) (3%, threshold 1%)',
    );
    await failsWith(
      'gate facts.contact_rules_unknown_customer_rate failed: 6 of 100 contact rules of customers not on the loan tape (set aside) (6%, threshold 5%)',
    );
  });

  it('payment_requests_reject_rate and payment_requests_unreadable_rate: fail on rows set aside and requests that cannot be read', async () => {
    const rejected = times(2, () => ({ is_current: false, reject_reason: 'UNKNOWN_CUSTOMER', has_unreadable_status: false, has_unreadable_date: false }));
    const superseded = times(50, () => ({ is_current: false, reject_reason: null, has_unreadable_status: false, has_unreadable_date: false }));
    const current = paymentRequests(98).map((row, i) =>
      i < 2 ? { ...row, has_unreadable_status: true } : i < 4 ? { ...row, has_unreadable_date: true } : row,
    );
    await facts(customers(), contacts(), { paymentRequests: [...current, ...rejected, ...superseded] });

    await failsWith(
      'gate facts.payment_requests_reject_rate failed: 2 of 100 payment request rows set aside (fields, payoffuid, request type, customer not on the tape) (2%, threshold 1%)',
    );
    await failsWith(
      'gate facts.payment_requests_unreadable_rate failed: 4 of 100 payment requests with a status or date that cannot be read (applied fail closed) (4%, threshold 1%)',
    );
  });

  it('zip_suppressions_unreadable_rate: fails on ZIP suppression entries whose dates cannot be read', async () => {
    await facts(customers(), contacts(), { zipSuppressions: zipSuppressions().map((row, i) => (i < 3 ? { has_unreadable_date: true } : row)) });

    await failsWith(
      'gate facts.zip_suppressions_unreadable_rate failed: 3 of 40 ZIP suppression entries with a date that cannot be read (applied as open) (7.5%, threshold 5%)',
    );
  });
});
