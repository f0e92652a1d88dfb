import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { gold, legacy, sandbox, transform, writeFeeds, type GoldRow, type Sandbox } from './fixtures.ts';

// One test per rule of SPEC §4 (and per documented choice), on DuckDB over tiny gzip feeds.
const A = '1000000000000001';
const B = '2000000000000002';
const PHONE = '+12125550142';
const OTHER = '+13125550100';

let box: Sandbox;
beforeEach(async () => {
  box = await sandbox();
});
afterEach(async () => {
  await box.cleanup();
});

const nonfin = (account: string, id: string, phone: string, consent = 'Y', type = 'MOBILE', source = 'CLIENT') => [
  legacy(account),
  id,
  phone,
  type,
  source,
  consent,
];
const supplfwd = (account: string, phone: string, consent: string, deleted: string, date: string, type = 'MOBILE', source = 'CLIENT') => [
  legacy(account),
  phone,
  type,
  source,
  consent,
  deleted,
  date,
];
const enrollment = (account: string, phone: string, consent: string, date: string, type = 'MOBILE', source = 'CLIENT') => [
  legacy(account),
  phone,
  type,
  source,
  consent,
  date,
];

async function goldOf(date: string): Promise<GoldRow[]> {
  const engine = await transform(box, date);
  try {
    return await gold(engine, date);
  } finally {
    await engine.close();
  }
}

function row(rows: GoldRow[], account: string, phone: string): GoldRow | undefined {
  return rows.find((candidate) => candidate.account_number === account && candidate.phone_number === phone);
}

describe('phone consent rules (§4) on DuckDB', () => {
  it('normalises the account and the phone into one row per (account, phone)', async () => {
    // Prepare
    await writeFeeds(box.data, [
      { feed: 'NON-FIN-BDL', name: '20261101', rows: [nonfin(A, '1', '(212) 555-0142'), nonfin(A, '2', '1-212-555-0142')] },
    ]);
    // Act
    const rows = await goldOf('2026-11-01');
    // Assess
    expect(rows).toEqual([
      {
        account_number: A,
        phone_number: PHONE,
        phone_type: 'MOBILE',
        phone_source: 'CLIENT',
        has_sms_consent: true,
        sms_consent_updated_at: '2026-11-01',
        is_deleted: false,
        delete_type: null,
        deleted_at: null,
        as_of_date: '2026-11-01',
      },
    ]);
  });

  it('removes NON-FIN duplicates by cnsmr_phn_id within a file date, the most restrictive record winning', async () => {
    // Prepare: phone record 7 appears twice on one date with different numbers; the N record wins.
    await writeFeeds(box.data, [
      { feed: 'NON-FIN-BDL', name: '20261101_001', rows: [nonfin(A, '7', '2125550142', 'Y')] },
      { feed: 'NON-FIN-BDL', name: '20261101_002', rows: [nonfin(A, '7', '3125550100', 'N'), nonfin(A, '7', '3125550100', 'N')] },
    ]);
    // Act
    const rows = await goldOf('2026-11-01');
    // Assess
    expect(rows.map((r) => [r.phone_number, r.has_sms_consent])).toEqual([[OTHER, false]]);
  });

  it('scopes cnsmr_phn_id by account: two accounts reusing an id both keep their phone', async () => {
    // Prepare: ids numbered per account — A's record 1 and B's record 1 are different phones.
    await writeFeeds(box.data, [
      { feed: 'NON-FIN-BDL', name: '20261101', rows: [nonfin(A, '1', PHONE, 'Y'), nonfin(B, '1', '3125550100', 'N')] },
    ]);
    // Act
    const rows = await goldOf('2026-11-01');
    // Assess
    expect(rows.map((r) => [r.account_number, r.phone_number, r.has_sms_consent])).toEqual([
      [A, PHONE, true],
      [B, OTHER, false],
    ]);
  });

  it('removes SUPPLFWD duplicates by (legacy id, phone, rcrd_dt), so a losing duplicate does not move the consent date', async () => {
    // Prepare: N since 11-01; on 11-03 two SUPPLFWD records of the same event say Y and N; N wins.
    await writeFeeds(box.data, [
      { feed: 'NON-FIN-BDL', name: '20261101', rows: [nonfin(A, '1', PHONE, 'N')] },
      { feed: 'SUPPLFWD', name: '20261103', rows: [supplfwd(A, PHONE, 'Y', 'N', '20261103'), supplfwd(A, '212.555.0142', 'N', 'N', '20261103')] },
    ]);
    // Act
    const rows = await goldOf('2026-11-03');
    // Assess
    expect(row(rows, A, PHONE)).toMatchObject({ has_sms_consent: false, sms_consent_updated_at: '2026-11-01' });
  });

  it('takes consent, source and type from the most recent record by event date (SUPPLFWD by rcrd_dt, not file date)', async () => {
    // Prepare: a SUPPLFWD event dated 11-01 arrives in the 11-03 file; the NON-FIN snapshot of 11-02 is newer.
    await writeFeeds(box.data, [
      { feed: 'NON-FIN-BDL', name: '20261102', rows: [nonfin(A, '1', PHONE, 'Y', 'HOME', 'CONSUMER')] },
      { feed: 'NON-FIN-BDL', name: '20261103', rows: [nonfin(A, '1', PHONE, 'Y', 'HOME', 'CONSUMER')] },
      { feed: 'SUPPLFWD', name: '20261103', rows: [supplfwd(A, PHONE, 'N', 'N', '20261101', 'WORK', 'CLIENT')] },
      { feed: 'SUPPLFWD', name: '20261104', rows: [supplfwd(A, PHONE, 'N', 'N', '20261104', 'WORK', 'CLIENT')] },
    ]);
    // Act
    const day3 = await goldOf('2026-11-03');
    const day4 = await goldOf('2026-11-04');
    // Assess
    expect(row(day3, A, PHONE)).toMatchObject({ phone_type: 'HOME', phone_source: 'CONSUMER', has_sms_consent: true });
    expect(row(day4, A, PHONE)).toMatchObject({ phone_type: 'WORK', phone_source: 'CLIENT', has_sms_consent: false });
  });

  it('lets SUPPLFWD win a tie with NON-FIN on the same event date', async () => {
    // Prepare
    await writeFeeds(box.data, [
      { feed: 'NON-FIN-BDL', name: '20261101', rows: [nonfin(A, '1', PHONE, 'Y')] },
      { feed: 'SUPPLFWD', name: '20261101', rows: [supplfwd(A, PHONE, '', 'N', '20261101', 'HOME', 'OTHER')] },
    ]);
    // Act
    const rows = await goldOf('2026-11-01');
    // Assess
    expect(row(rows, A, PHONE)).toMatchObject({ phone_type: 'HOME', phone_source: 'OTHER', has_sms_consent: null });
  });

  it('hard-deletes a phone absent from the newest snapshot, deleted_at = first snapshot it was missing from', async () => {
    // Prepare: OTHER is in the snapshots of 11-01 and 11-02, missing from 11-03 and 11-04.
    await writeFeeds(box.data, [
      { feed: 'NON-FIN-BDL', name: '20261101', rows: [nonfin(A, '1', PHONE), nonfin(A, '2', OTHER)] },
      { feed: 'NON-FIN-BDL', name: '20261102', rows: [nonfin(A, '1', PHONE), nonfin(A, '2', OTHER)] },
      { feed: 'NON-FIN-BDL', name: '20261103', rows: [nonfin(A, '1', PHONE)] },
      // The newest snapshot date is over all accounts: account B alone is in 11-04.
      { feed: 'NON-FIN-BDL', name: '20261104', rows: [nonfin(B, '9', PHONE)] },
    ]);
    // Act
    const rows = await goldOf('2026-11-04');
    // Assess
    expect(row(rows, A, OTHER)).toMatchObject({ is_deleted: true, delete_type: 'hard_delete', deleted_at: '2026-11-03' });
    expect(row(rows, A, PHONE)).toMatchObject({ is_deleted: true, delete_type: 'hard_delete', deleted_at: '2026-11-04' });
    expect(row(rows, B, PHONE)).toMatchObject({ is_deleted: false, delete_type: null, deleted_at: null });
  });

  it('ignores snapshots dated after the load date', async () => {
    // Prepare
    await writeFeeds(box.data, [
      { feed: 'NON-FIN-BDL', name: '20261101', rows: [nonfin(A, '1', PHONE), nonfin(A, '2', OTHER)] },
      { feed: 'NON-FIN-BDL', name: '20261102', rows: [nonfin(A, '1', PHONE)] },
    ]);
    // Act
    const rows = await goldOf('2026-11-01');
    // Assess
    expect(rows.every((r) => !r.is_deleted)).toBe(true);
  });

  it('soft-deletes a phone whose winning SUPPLFWD event has the soft-delete flag', async () => {
    // Prepare: soft-deleted on 11-02, then absent from the snapshots; the soft delete stays a soft delete.
    await writeFeeds(box.data, [
      { feed: 'NON-FIN-BDL', name: '20261101', rows: [nonfin(A, '1', PHONE), nonfin(A, '2', OTHER)] },
      { feed: 'SUPPLFWD', name: '20261102', rows: [supplfwd(A, OTHER, 'N', 'Y', '20261102')] },
      { feed: 'NON-FIN-BDL', name: '20261102', rows: [nonfin(A, '1', PHONE), nonfin(A, '2', OTHER)] },
      { feed: 'NON-FIN-BDL', name: '20261103', rows: [nonfin(A, '1', PHONE)] },
    ]);
    // Act
    const rows = await goldOf('2026-11-03');
    // Assess
    expect(row(rows, A, OTHER)).toMatchObject({ is_deleted: true, delete_type: 'soft_delete', deleted_at: '2026-11-02', has_sms_consent: false });
  });

  it('re-adds a soft-deleted phone that is present in a later NON-FIN snapshot', async () => {
    // Prepare
    await writeFeeds(box.data, [
      { feed: 'SUPPLFWD', name: '20261101', rows: [supplfwd(A, PHONE, 'Y', 'Y', '20261101')] },
      { feed: 'NON-FIN-BDL', name: '20261102', rows: [nonfin(A, '1', PHONE, 'Y')] },
    ]);
    // Act
    const day1 = await goldOf('2026-11-01');
    const day2 = await goldOf('2026-11-02');
    // Assess
    expect(row(day1, A, PHONE)).toMatchObject({ is_deleted: true, delete_type: 'soft_delete' });
    expect(row(day2, A, PHONE)).toMatchObject({ is_deleted: false, delete_type: null, deleted_at: null });
  });

  it('lets a SUPPLFWD event on or after the first missing snapshot decide instead of the hard delete', async () => {
    // Prepare: OTHER leaves the snapshots on 11-02; a SUPPLFWD update dated 11-03 is fresher news.
    await writeFeeds(box.data, [
      { feed: 'NON-FIN-BDL', name: '20261101', rows: [nonfin(A, '1', PHONE), nonfin(A, '2', OTHER)] },
      { feed: 'NON-FIN-BDL', name: '20261102', rows: [nonfin(A, '1', PHONE)] },
      { feed: 'NON-FIN-BDL', name: '20261103', rows: [nonfin(A, '1', PHONE)] },
      { feed: 'SUPPLFWD', name: '20261103', rows: [supplfwd(A, OTHER, 'N', 'N', '20261103')] },
      // An update dated before the phone left the snapshots does not undo the hard delete.
      { feed: 'SUPPLFWD', name: '20261101', rows: [supplfwd(B, PHONE, 'N', 'N', '20261101')] },
      { feed: 'NON-FIN-BDL', name: '20261101_002', rows: [nonfin(B, '3', PHONE)] },
    ]);
    // Act
    const rows = await goldOf('2026-11-03');
    // Assess
    expect(row(rows, A, OTHER)).toMatchObject({ is_deleted: false, has_sms_consent: false, sms_consent_updated_at: '2026-11-03' });
    expect(row(rows, B, PHONE)).toMatchObject({ is_deleted: true, delete_type: 'hard_delete', deleted_at: '2026-11-02' });
  });

  it('includes enrollment-only phones and never lets enrollment override maintenance data', async () => {
    // Prepare: OTHER only enrolled; PHONE enrolled with Y on 11-03 but NON-FIN said N on 11-02.
    await writeFeeds(box.data, [
      { feed: 'ENRLMT', name: '20261101', rows: [enrollment(A, OTHER, 'Y', '20261101', 'HOME', 'CLIENT')] },
      { feed: 'NON-FIN-BDL', name: '20261102', rows: [nonfin(A, '1', PHONE, 'N')] },
      { feed: 'ENRLMT', name: '20261103', rows: [enrollment(A, PHONE, 'Y', '20261103', 'WORK', 'THIRD_PARTY')] },
    ]);
    // Act
    const rows = await goldOf('2026-11-03');
    // Assess
    expect(row(rows, A, OTHER)).toMatchObject({ phone_type: 'HOME', has_sms_consent: true, sms_consent_updated_at: '2026-11-01', is_deleted: false });
    expect(row(rows, A, PHONE)).toMatchObject({ phone_type: 'MOBILE', phone_source: 'CLIENT', has_sms_consent: false, sms_consent_updated_at: '2026-11-02' });
  });

  it('keeps the same phone on two accounts as two independent rows', async () => {
    // Prepare
    await writeFeeds(box.data, [
      { feed: 'NON-FIN-BDL', name: '20261101', rows: [nonfin(A, '1', PHONE, 'Y'), nonfin(B, '2', PHONE, 'N', 'HOME', 'CONSUMER')] },
      { feed: 'SUPPLFWD', name: '20261102', rows: [supplfwd(B, PHONE, 'N', 'Y', '20261102', 'HOME', 'CONSUMER')] },
    ]);
    // Act
    const rows = await goldOf('2026-11-02');
    // Assess
    expect(row(rows, A, PHONE)).toMatchObject({ has_sms_consent: true, is_deleted: false, phone_source: 'CLIENT' });
    expect(row(rows, B, PHONE)).toMatchObject({ has_sms_consent: false, is_deleted: true, delete_type: 'soft_delete' });
  });

  it('keeps sms_consent_updated_at at the start of the latest run of equal consent values', async () => {
    // Prepare: Y, Y, N, N, Y (empty answers are a value of their own).
    const days = ['01', '02', '03', '04', '05', '06'];
    const consent = ['Y', 'Y', 'N', 'N', 'Y', ''];
    await writeFeeds(
      box.data,
      days.map((day, index) => ({ feed: 'NON-FIN-BDL' as const, name: `202611${day}`, rows: [nonfin(A, '1', PHONE, consent[index])] })),
    );
    // Act
    const updatedAt = [];
    for (const day of days) updatedAt.push(row(await goldOf(`2026-11-${day}`), A, PHONE)!.sms_consent_updated_at);
    // Assess
    expect(updatedAt).toEqual(['2026-11-01', '2026-11-01', '2026-11-03', '2026-11-03', '2026-11-05', '2026-11-06']);
  });

  it('rejects invalid rows with a reason and the raw values, never dropping them', async () => {
    // Prepare
    await writeFeeds(box.data, [
      {
        feed: 'NON-FIN-BDL',
        name: '20261101',
        rows: [
          nonfin(A, '1', PHONE),
          ['123P', '2', PHONE, 'MOBILE', 'CLIENT', 'Y'],
          nonfin(A, '3', '555-0142'),
          nonfin(A, '4', '+44 20 7946 0958'),
          nonfin(A, '5', 'call me'),
          nonfin(A, '6', ''),
          nonfin(A, '7', '(112) 555-0142'),
          nonfin(A, '', OTHER),
          nonfin(A, '8', OTHER, 'Y', 'PAGER'),
          nonfin(A, '9', OTHER, 'Y', 'HOME', 'ROBOT'),
          nonfin(A, '10', OTHER, 'maybe'),
          [legacy(A), '11'],
        ],
      },
      { feed: 'SUPPLFWD', name: '20261101', rows: [supplfwd(A, OTHER, 'Y', 'X', '20261101'), supplfwd(A, OTHER, 'Y', 'N', '20261399')] },
      { feed: 'ENRLMT', name: '20261101', rows: [enrollment(A, OTHER, 'Y', '20261105')] },
    ]);
    // Act
    const engine = await transform(box, '2026-11-01');
    const rejects = await engine.query<{ reject_reason: string; feed: string; source_file: string; file_date: string; cnsmr_phn_nbr_txt: string | null }>(
      'SELECT reject_reason, feed, source_file, CAST(file_date AS VARCHAR) AS file_date, cnsmr_phn_nbr_txt FROM phone_consent_rejects ORDER BY feed, reject_reason',
    );
    const goldRows = await gold(engine, '2026-11-01');
    await engine.close();
    // Assess
    expect(rejects.map((r) => `${r.feed}:${r.reject_reason}`)).toEqual([
      'ENRLMT:INVALID_DATE',
      'NON-FIN-BDL:INVALID_ACCOUNT',
      'NON-FIN-BDL:INVALID_CONSENT_FLAG',
      'NON-FIN-BDL:INVALID_PHONE_ID',
      'NON-FIN-BDL:INVALID_PHONE_SOURCE',
      'NON-FIN-BDL:INVALID_PHONE_TYPE',
      'NON-FIN-BDL:PHONE_EMPTY',
      'NON-FIN-BDL:PHONE_EMPTY',
      'NON-FIN-BDL:PHONE_INVALID_CHARACTERS',
      'NON-FIN-BDL:PHONE_INVALID_LENGTH',
      'NON-FIN-BDL:PHONE_NOT_NANP',
      'NON-FIN-BDL:PHONE_NOT_NANP',
      'SUPPLFWD:INVALID_DATE',
      'SUPPLFWD:INVALID_DELETE_FLAG',
    ]);
    expect(rejects.find((r) => r.reject_reason === 'PHONE_INVALID_CHARACTERS')).toMatchObject({
      source_file: 'consent/MAINTENANCE/NON-FIN-BDL_20261101.csv.gz',
      file_date: '2026-11-01',
      cnsmr_phn_nbr_txt: 'call me',
    });
    expect(goldRows.map((r) => r.phone_number)).toEqual([PHONE]);
  });

  it('fails clearly when a file does not carry the §3.1 header', async () => {
    // Prepare
    const { writeFile, mkdir } = await import('node:fs/promises');
    const { gzipSync } = await import('node:zlib');
    await mkdir(join(box.data, 'consent/MAINTENANCE'), { recursive: true });
    await writeFile(join(box.data, 'consent/MAINTENANCE/SUPPLFWD_20261101.csv.gz'), gzipSync('a|b\n1|2\n'));
    // Act
    const run = transform(box, '2026-11-01');
    // Assess
    await expect(run).rejects.toThrow(/SUPPLFWD_20261101\.csv\.gz: header "a\|b" is not the SUPPLFWD header/);
  });
});

describe('phone consent changes on DuckDB', () => {
  async function changes(date: string): Promise<{ change_type: string; account_number: string; phone_number: string; has_sms_consent: boolean | null }[]> {
    const engine = await transform(box, date);
    try {
      return await engine.query(
        `SELECT change_type, account_number, phone_number, has_sms_consent FROM phone_consent_changes
         WHERE as_of_date = DATE '${date}' ORDER BY account_number, phone_number`,
      );
    } finally {
      await engine.close();
    }
  }

  it('marks every row new on the first run, then writes only the changed rows on day 2', async () => {
    // Prepare: day 2 repeats the snapshot with one consent change and one new phone.
    await writeFeeds(box.data, [{ feed: 'NON-FIN-BDL', name: '20261101', rows: [nonfin(A, '1', PHONE, 'Y'), nonfin(A, '2', OTHER, 'Y'), nonfin(B, '3', PHONE, '')] }]);
    const day1 = await changes('2026-11-01');
    await writeFeeds(box.data, [
      { feed: 'NON-FIN-BDL', name: '20261102', rows: [nonfin(A, '1', PHONE, 'Y'), nonfin(A, '2', OTHER, 'N'), nonfin(B, '3', PHONE, ''), nonfin(B, '4', OTHER, 'Y')] },
    ]);
    // Act
    const day2 = await changes('2026-11-02');
    // Assess
    expect(day1.map((c) => c.change_type)).toEqual(['new', 'new', 'new']);
    expect(day2).toEqual([
      { change_type: 'changed', account_number: A, phone_number: OTHER, has_sms_consent: false },
      { change_type: 'new', account_number: B, phone_number: OTHER, has_sms_consent: true },
    ]);
  });

  it('reports a row that left the gold table as gone, with its previous values', async () => {
    // Prepare: the SUPPLFWD file behind account B's row is withdrawn from the landing zone before day 2.
    await writeFeeds(box.data, [
      { feed: 'NON-FIN-BDL', name: '20261101', rows: [nonfin(A, '1', PHONE, 'Y')] },
      { feed: 'SUPPLFWD', name: '20261101', rows: [supplfwd(B, OTHER, 'N', 'N', '20261101')] },
    ]);
    await changes('2026-11-01');
    await rm(join(box.data, 'consent/MAINTENANCE/SUPPLFWD_20261101.csv.gz'));
    await writeFeeds(box.data, [{ feed: 'NON-FIN-BDL', name: '20261102', rows: [nonfin(A, '1', PHONE, 'Y')] }]);
    // Act
    const day2 = await changes('2026-11-02');
    // Assess
    expect(day2).toEqual([{ change_type: 'gone', account_number: B, phone_number: OTHER, has_sms_consent: false }]);
  });

  it('gives identical gold and changes when a date is re-run', async () => {
    // Prepare
    await writeFeeds(box.data, [
      { feed: 'NON-FIN-BDL', name: '20261101', rows: [nonfin(A, '1', PHONE, 'Y')] },
      { feed: 'NON-FIN-BDL', name: '20261102', rows: [nonfin(A, '1', PHONE, 'N'), nonfin(B, '2', OTHER)] },
    ]);
    await changes('2026-11-01');
    const first = await changes('2026-11-02');
    const firstGold = await goldOf('2026-11-02');
    // Act
    const second = await changes('2026-11-02');
    const secondGold = await goldOf('2026-11-02');
    // Assess
    expect(second).toEqual(first);
    expect(secondGold).toEqual(firstGold);
    expect(first.map((c) => c.change_type)).toEqual(['changed', 'new']);
  });
});
