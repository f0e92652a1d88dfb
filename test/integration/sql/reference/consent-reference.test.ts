import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { ConsentChange, PhoneConsentRow } from '../../../../domain/consent/consent.ts';
import { deliveredBy, enrollment, nonfin, supplfwd, type FeedFile } from '../../../sql/fixtures.ts';
import { referenceChanges, referenceTransform, type ReferenceReject } from '../../../sql/reference/consent-reference.ts';
import { PipelineRunner, type PipelineDay } from '../../../sql/reference/pipeline-runner.ts';
import { historyArb, render } from '../../../sql/reference/feed-history.ts';

// The SQL consent transform (DuckDB) against an independent model of SPEC §4 (consent-reference.ts):
// hand-written examples for each rule, then random small feed histories over two consecutive runs.

let runner: PipelineRunner;
beforeAll(async () => {
  runner = await PipelineRunner.start();
});
afterAll(async () => {
  await runner.stop();
});

type Expected = { gold: PhoneConsentRow[]; rejects: ReferenceReject[]; changes: ConsentChange[] } | { error: string };

/** The model's answer for running `dates` in order over `files` (each run compared with the previous successful one). */
function reference(files: FeedFile[], dates: string[]): Expected[] {
  let previous: PhoneConsentRow[] | null = null;
  return dates.map((date) => {
    try {
      const { gold, rejects } = referenceTransform(deliveredBy(files, date), date);
      const changes = referenceChanges(previous, gold, date);
      previous = gold;
      return { gold, rejects: sortRejects(rejects), changes };
    } catch (error) {
      return { error: (error as Error).message };
    }
  });
}

const rejectKey = (reject: ReferenceReject) => `${reject.feed}|${reject.source_file}|${reject.reject_reason}`;
const byText =
  <T>(key: (item: T) => string) =>
  (a: T, b: T) =>
    key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0;
const sortRejects = (rejects: ReferenceReject[]) => [...rejects].sort(byText(rejectKey));
const changeKey = (change: ConsentChange) => `${change.account_number}|${change.phone_number}`;

function observed(day: PipelineDay | Error): Expected {
  if (day instanceof Error) return { error: day.message };
  return {
    gold: day.gold,
    rejects: sortRejects(day.rejects.map(({ feed, source_file, reject_reason }) => ({ feed, source_file, reject_reason }))),
    changes: [...day.changes].sort(byText(changeKey)),
  };
}

const withoutRejects = (day: Expected): Expected => ('error' in day ? day : { ...day, rejects: [] });
const withoutChanges = (day: Expected): Expected => ('error' in day ? day : { ...day, changes: [] });

/**
 * Runs the pipeline and the model over the same history; asserts they agree and returns the model's answer.
 * The pipeline runs twice: each date carrying the state of the one before (gold and changes compared; its
 * rejects are those of the exports each run read), and each date from scratch (gold and rejects compared).
 */
async function agree(files: FeedFile[], dates: string[]): Promise<Expected[]> {
  const expected = reference(files, dates);
  const carried = (await runner.run(files, dates)).map(observed);
  expect(carried.map(withoutRejects)).toEqual(expected.map(withoutRejects));
  const fromScratch = (await runner.run(files, dates, { fromScratch: true })).map(observed);
  expect(fromScratch.map(withoutChanges)).toEqual(expected.map(withoutChanges));
  return expected;
}

function goldOf(result: Expected): PhoneConsentRow[] {
  if ('error' in result) throw new Error(result.error);
  return result.gold;
}

const A = '1000000000000001';
const B = '2000000000000002';
const PHONE = '+12125550142';
const OTHER = '+13125550100';

const row = (rows: PhoneConsentRow[], account: string, phone: string) => rows.find((r) => r.account_number === account && r.phone_number === phone);

describe('reference model of §4 agrees with the SQL on one example per rule', () => {
  it('account = legacy id without P; one row per (account, E.164 phone); CELL is MOBILE; the client phone facts come through', async () => {
    // Prepare
    const files: FeedFile[] = [
      {
        feed: 'NON-FIN-BDL',
        name: '20261101',
        rows: [nonfin(A, '1', '(212) 555-0142', 'Y', 'CELL', 'CLIENT', { quality: '64' }), nonfin(A, '2', '+1 212 555 0142')],
      },
    ];
    // Act
    const [day] = await agree(files, ['2026-11-01']);
    // Assess: the two records of one phone on one date merge, the most restrictive (lower quality) winning.
    expect(goldOf(day!)).toEqual([
      {
        account_number: A,
        phone_number: PHONE,
        phone_type: 'MOBILE',
        phone_status: 'ACTIVE',
        phone_technology: 'WIRELESS',
        quality_score: 64,
        phone_source: 'CLIENT',
        has_sms_consent: true,
        sms_consent_updated_at: '2026-10-01',
        is_deleted: false,
        delete_type: null,
        deleted_at: null,
        as_of_date: '2026-11-01',
      },
    ]);
  });

  it('NON-FIN duplicates by cnsmr_phn_id within a file date (across split files): the most restrictive record wins', async () => {
    // Prepare
    const files: FeedFile[] = [
      { feed: 'NON-FIN-BDL', name: '20261101_001', rows: [nonfin(A, '7', PHONE, 'Y', 'HOME', 'CLIENT')] },
      {
        feed: 'NON-FIN-BDL',
        name: '20261101_002',
        rows: [nonfin(A, '7', PHONE, '', 'WORK', 'CONSUMER'), nonfin(A, '7', PHONE, 'Y', 'HOME', 'CLIENT', { status: 'DISCONNECTED', technology: 'LANDLINE' })],
      },
    ];
    // Act
    const [day] = await agree(files, ['2026-11-01']);
    // Assess: Y beats no answer before the status, the status before the type.
    expect(goldOf(day!)).toMatchObject([{ phone_type: 'HOME', phone_status: 'DISCONNECTED', phone_technology: 'LANDLINE', has_sms_consent: true }]);
  });

  it('cnsmr_phn_id is text: 7 and 07 are two ids, and so are two ids that are not numbers', async () => {
    // Prepare: on each account, two ids naming two phones in one file; a duplicate rule that merged them would keep one.
    const files: FeedFile[] = [
      {
        feed: 'NON-FIN-BDL',
        name: '20261101_001',
        rows: [
          nonfin(A, '7', PHONE, 'Y', 'HOME', 'CLIENT'),
          nonfin(A, '07', OTHER, 'Y', 'HOME', 'CLIENT'),
          nonfin(B, 'X7', PHONE, 'N', 'CELL', 'CLIENT'),
          nonfin(B, 'Y7', OTHER, 'N', 'CELL', 'CLIENT'),
        ],
      },
    ];
    // Act
    const [day] = await agree(files, ['2026-11-01']);
    // Assess
    expect(goldOf(day!).map((r) => [r.account_number, r.phone_number])).toEqual([
      [A, PHONE],
      [A, OTHER],
      [B, PHONE],
      [B, OTHER],
    ]);
  });

  it('SUPPLFWD duplicates by (legacy id, phone, record_date): the soft delete wins and the phone formats are one event', async () => {
    // Prepare
    const files: FeedFile[] = [
      { feed: 'SUPPLFWD', name: '20261102', rows: [supplfwd(A, PHONE, 'N', 'N', '2026-11-01'), supplfwd(A, '212.555.0142', 'Y', 'Y', '2026-11-01')] },
      { feed: 'NON-FIN-BDL', name: '20261102', rows: [nonfin(B, '1', OTHER)] },
    ];
    // Act
    const [day] = await agree(files, ['2026-11-02']);
    // Assess
    expect(row(goldOf(day!), A, PHONE)).toMatchObject({ has_sms_consent: true, delete_type: 'soft_delete', deleted_at: '2026-11-01' });
  });

  it('the winner is the most recent record by event date (SUPPLFWD by record_date), SUPPLFWD winning a tie', async () => {
    // Prepare: a late SUPPLFWD event (11-01, in the 11-03 file) loses to the 11-02 snapshot; the 11-03 one ties and wins.
    const files: FeedFile[] = [
      { feed: 'NON-FIN-BDL', name: '20261102', rows: [nonfin(A, '1', PHONE, 'Y', 'HOME', 'CONSUMER')] },
      { feed: 'SUPPLFWD', name: '20261103', rows: [supplfwd(A, PHONE, 'N', 'N', '2026-11-01', 'WORK', 'CLIENT')] },
      { feed: 'NON-FIN-BDL', name: '20261103', rows: [nonfin(A, '1', PHONE, 'Y', 'HOME', 'CONSUMER')] },
      { feed: 'SUPPLFWD', name: '20261104', rows: [supplfwd(A, PHONE, '', 'N', '2026-11-03', 'OTHER', 'OTHER')] },
      { feed: 'NON-FIN-BDL', name: '20261104', rows: [nonfin(A, '1', PHONE, 'Y', 'HOME', 'CONSUMER')] },
    ];
    // Act
    const [day3, day4] = await agree(files, ['2026-11-03', '2026-11-04']);
    // Assess
    expect(goldOf(day3!)).toMatchObject([{ phone_type: 'HOME', phone_source: 'CONSUMER', has_sms_consent: true, sms_consent_updated_at: '2026-10-01' }]);
    expect(goldOf(day4!)).toMatchObject([{ phone_type: 'HOME', phone_source: 'CONSUMER', has_sms_consent: true }]);
  });

  it('hard delete: absent from the newest snapshot (over all accounts), deleted_at = first snapshot missing since it left', async () => {
    // Prepare: OTHER is in 11-01, gone 11-02, back 11-04, gone again 11-07 (snapshot dates have gaps).
    const files: FeedFile[] = [
      { feed: 'NON-FIN-BDL', name: '20261101', rows: [nonfin(A, '1', PHONE), nonfin(A, '2', OTHER)] },
      { feed: 'NON-FIN-BDL', name: '20261102', rows: [nonfin(A, '1', PHONE)] },
      { feed: 'NON-FIN-BDL', name: '20261104', rows: [nonfin(A, '1', PHONE), nonfin(A, '2', OTHER)] },
      { feed: 'NON-FIN-BDL', name: '20261107', rows: [nonfin(B, '3', OTHER)] },
    ];
    // Act
    const [day4, day7] = await agree(files, ['2026-11-04', '2026-11-07']);
    // Assess
    expect(goldOf(day4!).every((r) => !r.is_deleted)).toBe(true);
    expect(row(goldOf(day7!), A, OTHER)).toMatchObject({ is_deleted: true, delete_type: 'hard_delete', deleted_at: '2026-11-07' });
    expect(row(goldOf(day7!), A, PHONE)).toMatchObject({ is_deleted: true, delete_type: 'hard_delete', deleted_at: '2026-11-07' });
    expect(row(goldOf(day7!), B, OTHER)).toMatchObject({ is_deleted: false });
  });

  it('fail closed: change records dated after a phone left the snapshots do not bring it back', async () => {
    // Prepare: PHONE leaves the snapshots on 11-02; SUPPLFWD events of 11-03 and 11-04 say consent Y, not deleted.
    const files: FeedFile[] = [
      { feed: 'NON-FIN-BDL', name: '20261101', rows: [nonfin(A, '1', PHONE), nonfin(B, '2', OTHER)] },
      { feed: 'NON-FIN-BDL', name: '20261102', rows: [nonfin(B, '2', OTHER)] },
      { feed: 'SUPPLFWD', name: '20261104', rows: [supplfwd(A, PHONE, 'Y', 'N', '2026-11-03'), supplfwd(A, PHONE, 'Y', 'N', '2026-11-04')] },
      { feed: 'NON-FIN-BDL', name: '20261104', rows: [nonfin(B, '2', OTHER)] },
    ];
    // Act
    const [day] = await agree(files, ['2026-11-04']);
    // Assess: the values are the newest event's, the presence the newest snapshot's.
    expect(row(goldOf(day!), A, PHONE)).toMatchObject({ has_sms_consent: true, is_deleted: true, delete_type: 'hard_delete', deleted_at: '2026-11-02' });
  });

  it('soft delete: the earlier of a soft and a hard delete is recorded; a later snapshot re-adds a soft-deleted phone', async () => {
    // Prepare
    const files: FeedFile[] = [
      { feed: 'NON-FIN-BDL', name: '20261101', rows: [nonfin(A, '1', PHONE), nonfin(A, '2', OTHER)] },
      { feed: 'SUPPLFWD', name: '20261101', rows: [supplfwd(A, OTHER, 'N', 'Y', '2026-11-01'), supplfwd(A, PHONE, 'Y', 'Y', '2026-11-01')] },
      { feed: 'NON-FIN-BDL', name: '20261102', rows: [nonfin(A, '1', PHONE)] },
    ];
    // Act
    const [day1, day2] = await agree(files, ['2026-11-01', '2026-11-02']);
    // Assess
    expect(row(goldOf(day1!), A, PHONE)).toMatchObject({ delete_type: 'soft_delete', deleted_at: '2026-11-01' });
    expect(row(goldOf(day2!), A, PHONE)).toMatchObject({ is_deleted: false, delete_type: null, deleted_at: null });
    expect(row(goldOf(day2!), A, OTHER)).toMatchObject({ delete_type: 'soft_delete', deleted_at: '2026-11-01', has_sms_consent: false });
  });

  it('enrollment-only phones are included; enrollment never overrides maintenance data', async () => {
    // Prepare
    const files: FeedFile[] = [
      { feed: 'ENRLMT', name: '20261101', rows: [enrollment(A, OTHER, '2026-11-01', 'HOME')] },
      { feed: 'NON-FIN-BDL', name: '20261102', rows: [nonfin(A, '1', PHONE, 'N')] },
      { feed: 'ENRLMT', name: '20261103', rows: [enrollment(A, PHONE, '2026-11-03', 'WORK', 'THIRD_PARTY')] },
    ];
    // Act
    const [day] = await agree(files, ['2026-11-03']);
    // Assess
    const rows = goldOf(day!);
    expect(row(rows, A, OTHER)).toMatchObject({
      phone_type: 'HOME',
      has_sms_consent: null,
      sms_consent_updated_at: null,
      is_deleted: false,
      quality_score: 70,
    });
    expect(row(rows, A, PHONE)).toMatchObject({ phone_type: 'MOBILE', has_sms_consent: false });
  });

  it('the same phone on two accounts is two independent rows', async () => {
    // Prepare
    const files: FeedFile[] = [
      { feed: 'NON-FIN-BDL', name: '20261101', rows: [nonfin(A, '1', PHONE, 'Y'), nonfin(B, '2', PHONE, 'N', 'HOME', 'CONSUMER')] },
      { feed: 'SUPPLFWD', name: '20261102', rows: [supplfwd(B, PHONE, 'N', 'Y', '2026-11-02', 'HOME', 'CONSUMER')] },
    ];
    // Act
    const [day] = await agree(files, ['2026-11-02']);
    // Assess
    expect(goldOf(day!).map((r) => [r.account_number, r.is_deleted, r.has_sms_consent])).toEqual([
      [A, false, true],
      [B, true, false],
    ]);
  });

  it('rejects every invalid row with its first failing reason and its file; a co-borrower record is named as such', async () => {
    // Prepare
    const files: FeedFile[] = [
      {
        feed: 'NON-FIN-BDL',
        name: '20261101',
        rows: [
          nonfin(A, '1', PHONE),
          ['', '123P', 'x', '123456789', 'Ana', 'Lee', 'call me', 'CELL'],
          nonfin(A, '', '555-0142'),
          nonfin(A, '', PHONE, 'y'),
          nonfin(A, '2', PHONE, 'Y', 'MOBILE'),
          nonfin(A, '2', PHONE, 'Y', 'CELL', 'ROBOT'),
          nonfin(A, '2', PHONE, 'Y', 'CELL', 'CLIENT', { quality: '0' }),
          nonfin(A, '2', PHONE, 'Y', 'CELL', 'CLIENT', { consentDate: '2026-12-01' }),
          ['3', `${A}C`, '', '', '', '', PHONE, 'CELL', 'ACTIVE', 'CLIENT', 'WIRELESS', '', '', ''],
          ['', '', '', '999887777', 'Only', 'Names', '', '', '', '', '', '', '', ''],
          ['', '', 'AG', '', '', '', '', '', '', '', '', '', '', ''],
        ],
      },
      {
        feed: 'SUPPLFWD',
        name: '20261101',
        rows: [
          supplfwd(A, PHONE, 'Y', '', '2026-11-01'),
          supplfwd(A, PHONE, 'Y', 'N', '2026-11-02', 'CELL', 'CLIENT', { consentDate: '2026-10-01' }),
          supplfwd(A, PHONE, 'Y', 'N', '1899-12-31', 'CELL', 'CLIENT', { consentDate: '' }),
        ],
      },
    ];
    // Act
    const [day] = await agree(files, ['2026-11-01']);
    // Assess: the line holding only PII is blank (nothing of the phone record in it).
    if ('error' in day!) throw new Error(day.error);
    expect(day.rejects.map((r) => `${r.feed}:${r.reject_reason}`)).toEqual([
      'NON-FIN-BDL:INVALID_ACCOUNT',
      'NON-FIN-BDL:INVALID_ACCOUNT',
      'NON-FIN-BDL:INVALID_CONSENT_DATE',
      'NON-FIN-BDL:INVALID_PHONE_ID',
      'NON-FIN-BDL:INVALID_PHONE_SOURCE',
      'NON-FIN-BDL:INVALID_PHONE_TYPE',
      'NON-FIN-BDL:INVALID_QUALITY_SCORE',
      'NON-FIN-BDL:NOT_PRIMARY_CONSUMER',
      'NON-FIN-BDL:PHONE_INVALID_LENGTH',
      'SUPPLFWD:INVALID_DATE',
      'SUPPLFWD:INVALID_DATE',
      'SUPPLFWD:INVALID_DELETE_FLAG',
    ]);
  });

  it('a file whose name is not a client export name fails the run, naming the file', async () => {
    // Prepare
    const files: FeedFile[] = [{ feed: 'NON-FIN-BDL', name: '20261340', rows: [nonfin(A, '1', PHONE)] }];
    // Act
    const [day] = await agree(files, ['2026-11-01']);
    // Assess
    expect(day).toEqual({ error: expect.stringMatching(/NON-FIN-BDL_EXPORT_001\.csv\.gz: the timestamp 20261340… is not a calendar date$/) });
  });

  it('changes: every row new on the first run, then only new, changed and gone rows', async () => {
    // Prepare: day 2 changes OTHER's consent and adds B's phone.
    const files: FeedFile[] = [
      { feed: 'NON-FIN-BDL', name: '20261101', rows: [nonfin(A, '1', PHONE, 'Y'), nonfin(A, '2', OTHER, 'Y')] },
      { feed: 'NON-FIN-BDL', name: '20261102', rows: [nonfin(A, '1', PHONE, 'Y'), nonfin(A, '2', OTHER, 'N'), nonfin(B, '3', PHONE, '')] },
    ];
    // Act
    const days = await agree(files, ['2026-11-01', '2026-11-02']);
    // Assess
    expect(days.map((day) => ('error' in day ? [] : day.changes.map((c) => `${c.change_type}:${c.account_number}:${c.phone_number}`)))).toEqual([
      [`new:${A}:${PHONE}`, `new:${A}:${OTHER}`],
      [`changed:${A}:${OTHER}`, `new:${B}:${PHONE}`],
    ]);
  });
});

// CONSENT_REFERENCE_RUNS=2000 for a deeper search (about 0.6 s per history alone, two to three times that beside
// the other integration suites in CI); CONSENT_REFERENCE_SEED=n replays a failure.
const RUNS = Number(process.env.CONSENT_REFERENCE_RUNS ?? 30);

describe('reference model of §4 against the SQL on random feed histories', () => {
  it(
    'gives the same gold, rejects and changes on every date, carried from the day before or from scratch, late files included',
    async () => {
      // Prepare: what the compared histories exercised, so a generator that drifts into trivial cases fails.
      const covered = new Set<string>();
      // Act
      await fc.assert(
        fc.asyncProperty(historyArb, async (history) => {
          const { files, runDates } = render(history);
          for (const day of await agree(files, runDates)) {
            if ('error' in day) continue;
            for (const r of day.gold) covered.add(`${r.delete_type}`).add(`consent:${r.has_sms_consent}`);
            for (const r of day.rejects) covered.add(r.reject_reason);
            for (const c of day.changes) covered.add(c.change_type);
          }
        }),
        { numRuns: RUNS, ...(process.env.CONSENT_REFERENCE_SEED ? { seed: Number(process.env.CONSENT_REFERENCE_SEED) } : {}) },
      );
      // Assess
      expect([...covered].sort()).toEqual(
        expect.arrayContaining(['changed', 'consent:false', 'consent:null', 'consent:true', 'hard_delete', 'new', 'null', 'soft_delete']),
      );
      expect([...covered].filter((item) => /^(INVALID|PHONE)_/.test(item)).length).toBeGreaterThanOrEqual(3);
    },
    RUNS * 5_000,
  );
});
