import { describe, expect, it } from 'vitest';
import { attemptPartition } from '../../../adapters/sql-engine.ts';
import { addDays } from '../../../domain/campaigns/dates.ts';
import { account, phone, qualityHarness, times, valuesSelect, type Columns, type Row } from '../../quality/fixtures.ts';

/** The lists gate on DuckDB over the attempt's §7 partitions. */

const D = '2026-11-20';
const YESTERDAY = addDays(D, -1);
const harness = qualityHarness();

const listColumns: Columns = {
  set_name: 'VARCHAR',
  list_name: 'VARCHAR',
  payoffuid: 'VARCHAR',
  account_number: 'VARCHAR',
  loan_tape_asofdate: 'DATE',
  state: 'VARCHAR',
};
const contactColumns: Columns = {
  set_name: 'VARCHAR',
  list_name: 'VARCHAR',
  payoffuid: 'VARCHAR',
  contact_type: 'VARCHAR',
  contact_value: 'VARCHAR',
  timezone: 'VARCHAR',
  window_start_utc: 'TIMESTAMP',
  window_end_utc: 'TIMESTAMP',
};
const lists = (n = 200) =>
  times(n, (i) => ({
    set_name: 'COLLECTIONS',
    list_name: 'EARLY',
    payoffuid: `p-${i}`,
    account_number: account(i),
    loan_tape_asofdate: D,
    state: i % 2 ? 'NY' : 'CA',
  }));
const contacts = (n = 200) =>
  times(n, (i) => ({
    set_name: 'COLLECTIONS',
    list_name: 'EARLY',
    payoffuid: `p-${i}`,
    ...(i % 4 === 3
      ? { contact_type: 'email', contact_value: `ann${i}@example.com`, timezone: null, window_start_utc: null, window_end_utc: null }
      : { contact_type: 'mobile', contact_value: phone(i), timezone: 'America/New_York', window_start_utc: `${D} 13:00:00`, window_end_utc: `${D} 23:00:00` }),
  }));

/** Writes the attempt's partitions of the three tables and the census reference the gate joins. */
async function tables(date: string, attempt: string, listRows: Row[], contactRows: Row[] = contacts(), suppressions = 50): Promise<void> {
  const engine = harness.engine();
  const partition = attemptPartition(date, attempt);
  await engine.writePartitionAt('rpt_outbound_lists_attempts', partition, valuesSelect(listColumns, listRows));
  await engine.writePartitionAt('rpt_outbound_list_contacts_attempts', partition, valuesSelect(contactColumns, contactRows));
  await engine.writePartitionAt(
    'rpt_outbound_lists_suppression_attempts',
    partition,
    valuesSelect(
      { payoffuid: 'VARCHAR' },
      times(suppressions, (i) => ({ payoffuid: `p-${i}` })),
    ),
  );
  await engine.createTransient(
    'state_population',
    valuesSelect({ state: 'VARCHAR', population: 'BIGINT' }, [
      { state: 'NY', population: 20_000_000 },
      { state: 'CA', population: 39_000_000 },
    ]),
  );
}

/** Yesterday's attempt, checked and published with the given sizes. */
async function publishedYesterday(listRows = lists(), contactRows = contacts(), suppressions = 50): Promise<void> {
  await tables(YESTERDAY, 'y1', listRows, contactRows, suppressions);
  const gate = harness.gate(YESTERDAY, 'y1');
  await gate.check('lists');
  await gate.acceptPublished(['lists']);
}

const patched = (rows: Row[], indexes: number[], patch: Row) => rows.map((row, i) => (indexes.includes(i) ? { ...row, ...patch } : row));
const failsWith = (message: string) => expect(harness.gate(D, 'a1').check('lists')).rejects.toThrow(message);

describe('lists gate', () => {
  it('passes good data, reading only the attempt’s partitions', async () => {
    await tables(D, 'other', [...lists(), ...lists()]);
    await tables(D, 'a1', lists());

    expect((await harness.gate(D, 'a1').check('lists')).failures).toEqual([]);
  });

  it('lists_rows: fails when the lists are much smaller than the published yesterday', async () => {
    await publishedYesterday();
    await tables(D, 'a1', lists(80), contacts(200));

    await failsWith(`gate lists.lists_rows failed: 80 rpt_outbound_lists rows, 200 on ${YESTERDAY} (-60%, threshold ±50%)`);
  });

  it('lists_key_unique: fails on a customer twice on one list', async () => {
    const rows = lists();
    await tables(D, 'a1', [...rows, rows[5]!]);

    await failsWith('gate lists.lists_key_unique failed: 1 duplicate (set_name, list_name, payoffuid) in rpt_outbound_lists (threshold 0)');
  });

  it('lists_account_number_invalid: fails on missing account numbers', async () => {
    await tables(D, 'a1', patched(lists(), [1, 2, 3], { account_number: null }));

    await failsWith(
      'gate lists.lists_account_number_invalid failed: 3 of 200 rpt_outbound_lists rows whose account_number is missing or not 16 digits (1.5%, threshold 1%)',
    );
  });

  it('lists_state_unknown: fails on states the census reference does not know', async () => {
    await tables(D, 'a1', patched(lists(), [1, 2, 3], { state: 'XX' }));

    await failsWith(
      'gate lists.lists_state_unknown failed: 3 of 200 rpt_outbound_lists rows whose state is not a state of the census reference (1.5%, threshold 1%)',
    );
  });

  it('lists_loan_tape_asofdate_missing: fails on rows without the loan tape date', async () => {
    await tables(D, 'a1', patched(lists(), [1, 2, 3], { loan_tape_asofdate: null }));

    await failsWith('gate lists.lists_loan_tape_asofdate_missing failed: 3 of 200 rpt_outbound_lists rows without loan_tape_asofdate (1.5%, threshold 1%)');
  });

  it('contacts_rows: fails when the contacts double', async () => {
    await publishedYesterday(lists(), contacts(100));
    await tables(D, 'a1', lists(), contacts(200));

    await failsWith(`gate lists.contacts_rows failed: 200 rpt_outbound_list_contacts rows, 100 on ${YESTERDAY} (+100%, threshold ±50%)`);
  });

  it('contacts_key_unique: fails on the same contact twice for one customer and list', async () => {
    const rows = contacts();
    await tables(D, 'a1', lists(), [...rows, rows[0]!]);

    await failsWith(
      'gate lists.contacts_key_unique failed: 1 duplicate (set_name, list_name, payoffuid, contact_value) in rpt_outbound_list_contacts (threshold 0)',
    );
  });

  it('contacts_phone_not_e164: fails on a phone that is not E.164', async () => {
    await tables(D, 'a1', lists(), patched(contacts(), [0], { contact_value: '+10005550100' }));

    await failsWith('gate lists.contacts_phone_not_e164 failed: 1 of 150 phone contacts not in E.164 (+1NXXNXXXXXX) (0.67%, threshold 0%)');
  });

  it('contacts_email_malformed: fails on email addresses that are not name@domain.tld', async () => {
    await tables(D, 'a1', lists(), patched(contacts(), [3, 7], { contact_value: 'ann at example.com' }));

    await failsWith('gate lists.contacts_email_malformed failed: 2 of 50 email contacts not shaped name@domain.tld (4%, threshold 1%)');
  });

  it('contacts_window_invalid: fails on a phone without a time zone, or with an empty window', async () => {
    await tables(D, 'a1', lists(), patched(patched(contacts(), [0], { timezone: null }), [1], { window_end_utc: `${D} 13:00:00` }));

    await failsWith(
      'gate lists.contacts_window_invalid failed: 2 of 150 phone contacts without a time zone or with an empty calling window (1.33%, threshold 0%)',
    );
  });

  it('suppressions_rows: fails when the suppressions jump', async () => {
    await publishedYesterday(lists(), contacts(), 100);
    await tables(D, 'a1', lists(), contacts(), 220);

    await failsWith(`gate lists.suppressions_rows failed: 220 rpt_outbound_lists_suppression rows, 100 on ${YESTERDAY} (+120%, threshold ±50%)`);
  });
});
