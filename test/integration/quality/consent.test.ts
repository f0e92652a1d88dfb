import { describe, expect, it } from 'vitest';
import { addDays } from '../../../domain/campaigns/dates.ts';
import { qualityLayout } from '../../../domain/run/run-layout.ts';
import { getLakeJson } from '../../../adapters/lake-store.ts';
import { account, phone, qualityHarness, times, valuesSelect, type Columns, type Row } from '../../quality/fixtures.ts';

/** The consent gates on DuckDB: bronze and silver (run-scoped tables) and gold phone_consent (lake partition). */

const D = '2026-11-20';
const YESTERDAY = addDays(D, -1);
const harness = qualityHarness();

const bronzeColumns: Columns = {
  feed: 'VARCHAR',
  file_date: 'DATE',
  reject_reason: 'VARCHAR',
  account_key: 'BIGINT',
  phone_key: 'BIGINT',
  event_date: 'DATE',
  record_key: 'BIGINT',
  source_file: 'VARCHAR',
};
const bronzeRows = (date: string, n = 200) =>
  times(n, (i) => ({
    feed: 'NON-FIN-BDL',
    file_date: date,
    reject_reason: null,
    account_key: Number(account(i)),
    phone_key: Number(phone(i).slice(2)),
    event_date: date,
    record_key: 1_000 + i,
    source_file: null,
  }));
const rejected = (date: string): Row => ({
  feed: 'NON-FIN-BDL',
  file_date: date,
  reject_reason: 'PHONE_INVALID_LENGTH',
  account_key: null,
  phone_key: null,
  event_date: null,
  record_key: null,
  source_file: 'consent/MAINTENANCE/SN_SVC_DMBDL_DataManager-20261120060000000-NON-FIN-BDL_EXPORT_001.csv.gz',
});

const silverColumns: Columns = { account_number: 'VARCHAR', phone_number: 'VARCHAR', last_snapshot_date: 'DATE', delete_type: 'VARCHAR' };
const silverRows = (n = 20, hardDeleted = 0) =>
  times(n, (i) => ({ account_number: account(i), phone_number: phone(i), last_snapshot_date: D, delete_type: i < hardDeleted ? 'hard_delete' : null }));

const goldColumns: Columns = {
  account_number: 'VARCHAR',
  phone_number: 'VARCHAR',
  phone_source: 'VARCHAR',
  is_deleted: 'BOOLEAN',
  delete_type: 'VARCHAR',
  deleted_at: 'DATE',
};
const goldRows = (n = 20) =>
  times(n, (i) => ({ account_number: account(i), phone_number: phone(i), phone_source: 'CLIENT', is_deleted: false, delete_type: null, deleted_at: null }));

const bronze = (rows: Row[]) => harness.engine().createTransient('consent_bronze', valuesSelect(bronzeColumns, rows));
const silver = (rows: Row[]) => harness.engine().createTransient('consent_silver', valuesSelect(silverColumns, rows));
const gold = (date: string, rows: Row[]) => harness.engine().writePartition('phone_consent', 'as_of_date', date, valuesSelect(goldColumns, rows));

describe('consent_bronze gate', () => {
  it('passes good data and keeps the figures of the date', async () => {
    await bronze([...bronzeRows(D), rejected(D)]);

    const evaluation = await harness.gate(D).check('consent_bronze');

    expect(evaluation.failures).toEqual([]);
    expect(await getLakeJson(qualityLayout.accepted('consent_bronze', D))).toEqual(evaluation.figures);
  });

  it('reject_rate: fails when too many rows are rejected', async () => {
    await bronze([...bronzeRows(D, 195), ...times(5, () => rejected(D))]);

    await expect(harness.gate(D).check('consent_bronze')).rejects.toThrow(
      'gate consent_bronze.reject_rate failed: 5 of 200 bronze rows rejected (2.5%, threshold 1%)',
    );
  });

  it('rejects_without_source: fails when a rejected row lost its source file', async () => {
    await bronze([...bronzeRows(D), { ...rejected(D), source_file: null }]);

    await expect(harness.gate(D).check('consent_bronze')).rejects.toThrow(
      'gate consent_bronze.rejects_without_source failed: 1 rejected bronze rows without their source file (threshold 0)',
    );
  });

  it('valid_without_key: fails when a valid row has no phone', async () => {
    const rows = bronzeRows(D);
    rows[7] = { ...rows[7]!, phone_key: null };
    await bronze(rows);

    await expect(harness.gate(D).check('consent_bronze')).rejects.toThrow(
      'gate consent_bronze.valid_without_key failed: 1 valid bronze rows without account, phone, event date or record key (threshold 0)',
    );
  });
});

describe('consent_silver gate', () => {
  it('passes good data', async () => {
    await silver(silverRows());

    expect((await harness.gate(D).check('consent_silver')).failures).toEqual([]);
  });

  it('rows: fails when silver shrinks by more than the threshold', async () => {
    await silver(silverRows());
    await harness.gate(YESTERDAY).check('consent_silver');
    await silver(silverRows(17));

    await expect(harness.gate(D).check('consent_silver')).rejects.toThrow(
      `gate consent_silver.rows failed: 17 silver rows, 20 on ${YESTERDAY} (-15%, threshold ±10%)`,
    );
  });

  it('phones_in_newest_snapshot: fails when the newest snapshot lists far fewer phones (a truncated export)', async () => {
    await silver(silverRows(200));
    await harness.gate(YESTERDAY).check('consent_silver');
    await silver(silverRows(200, 12));

    await expect(harness.gate(D).check('consent_silver')).rejects.toThrow(
      `gate consent_silver.phones_in_newest_snapshot failed: 188 silver rows listed in the newest NON-FIN-BDL snapshot, 200 on ${YESTERDAY} (-6%, threshold ±5%)`,
    );
  });

  it('account_number_invalid: fails on an account number that is not 16 digits', async () => {
    const rows = silverRows();
    rows[0] = { ...rows[0]!, account_number: '1000000000000001P' };
    await silver(rows);

    await expect(harness.gate(D).check('consent_silver')).rejects.toThrow(
      'gate consent_silver.account_number_invalid failed: 1 of 20 silver rows whose account_number is not 16 digits (5%, threshold 0%)',
    );
  });

  it('phone_number_not_e164: fails on a phone that is not E.164', async () => {
    const rows = silverRows();
    rows[0] = { ...rows[0]!, phone_number: '2125550100' };
    rows[1] = { ...rows[1]!, phone_number: '+11125550100' };
    await silver(rows);

    await expect(harness.gate(D).check('consent_silver')).rejects.toThrow(
      'gate consent_silver.phone_number_not_e164 failed: 2 of 20 silver rows whose phone_number is not E.164 (+1NXXNXXXXXX) (10%, threshold 0%)',
    );
  });
});

describe('phone_consent gate', () => {
  it('passes good data, reading only the load date’s partition', async () => {
    await gold(YESTERDAY, [...goldRows(), goldRows()[0]!]);
    await gold(D, goldRows());

    expect((await harness.gate(D).check('phone_consent')).failures).toEqual([]);
  });

  it('rows: fails when gold grows by more than the threshold', async () => {
    await gold(YESTERDAY, goldRows());
    await harness.gate(YESTERDAY).check('phone_consent');
    await gold(D, goldRows(30));

    await expect(harness.gate(D).check('phone_consent')).rejects.toThrow(
      `gate phone_consent.rows failed: 30 phone_consent rows, 20 on ${YESTERDAY} (+50%, threshold ±10%)`,
    );
  });

  it('account_number_invalid: fails on a missing account number', async () => {
    const rows = goldRows();
    rows[2] = { ...rows[2]!, account_number: null };
    await gold(D, rows);

    await expect(harness.gate(D).check('phone_consent')).rejects.toThrow(
      'gate phone_consent.account_number_invalid failed: 1 of 20 phone_consent rows whose account_number is not 16 digits (5%, threshold 0%)',
    );
  });

  it('phone_number_not_e164: fails on a phone that is not E.164', async () => {
    const rows = goldRows();
    rows[2] = { ...rows[2]!, phone_number: '+1212555010' };
    await gold(D, rows);

    await expect(harness.gate(D).check('phone_consent')).rejects.toThrow(
      'gate phone_consent.phone_number_not_e164 failed: 1 of 20 phone_consent rows whose phone_number is not E.164 (+1NXXNXXXXXX) (5%, threshold 0%)',
    );
  });

  it('phone_source_invalid: fails on an unknown phone source', async () => {
    const rows = goldRows();
    rows[2] = { ...rows[2]!, phone_source: 'PARTNER' };
    await gold(D, rows);

    await expect(harness.gate(D).check('phone_consent')).rejects.toThrow(
      'gate phone_consent.phone_source_invalid failed: 1 of 20 phone_consent rows without a known phone_source (5%, threshold 0%)',
    );
  });

  it('delete_inconsistent: fails on a deleted row without its date, and a live row with a delete type', async () => {
    const rows = goldRows();
    rows[2] = { ...rows[2]!, is_deleted: true, delete_type: 'soft_delete', deleted_at: null };
    rows[3] = { ...rows[3]!, delete_type: 'hard_delete' };
    rows[4] = { ...rows[4]!, is_deleted: true, delete_type: 'hard_delete', deleted_at: D };
    await gold(D, rows);

    await expect(harness.gate(D).check('phone_consent')).rejects.toThrow(
      'gate phone_consent.delete_inconsistent failed: 2 phone_consent rows whose is_deleted, delete_type and deleted_at disagree (threshold 0)',
    );
  });
});
