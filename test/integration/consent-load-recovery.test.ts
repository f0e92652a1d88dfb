import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbEngine } from '../../adapters/duckdb-engine.ts';
import { decideSms, type ConsentChange } from '../../domain/consent/consent.ts';
import type { RunSummary } from '../../domain/run/run-summary.ts';
import { DailyRunFailedError, runDailyLocally } from '../../local/runtime/daily-run.ts';
import { startLocalRuntime } from '../../local/runtime/runtime.ts';
import { gold, nonfin, sandbox, writeFeeds, type GoldRow, type Sandbox } from '../sql/fixtures.ts';

/**
 * Issue 11 items 2 and 3, as a user sees them: the local workflow (`outbound run --steps consent`) on
 * daily NON-FIN-BDL snapshots, then can_send_sms through the API's handler, for every gold row.
 *  - item 2: a ConsentLoad that fails (or is killed after writing part of its changes) must not make the next
 *    day miss that day's changes; `asOf` names the day the table holds;
 *  - item 3: a re-run of an older date must not change what the API answers, and the next day converges.
 */
const D1 = '2026-11-20';
const D2 = '2026-11-21';
const D3 = '2026-11-22';
const A = '1000000000000001';
const B = '2000000000000002';
const C = '3000000000000003';

/**
 * The client's daily snapshots. (A, 212-555-0142) is dropped on D2: hard-deleted from then on. (A, 312-555-0100)
 * withdraws consent on D2. (B, 646-555-0123) is corrected back and forth: no consent on D1, consent on D2, and
 * on D3 exactly its D1 record again. (C, 718-555-0111) never changes.
 */
const snapshots = {
  [D1]: [
    nonfin(A, '1', '(212) 555-0142', 'Y'),
    nonfin(A, '2', '(312) 555-0100', 'Y'),
    nonfin(B, '3', '(646) 555-0123', 'N'),
    nonfin(C, '4', '(718) 555-0111', 'Y'),
  ],
  [D2]: [
    nonfin(A, '2', '(312) 555-0100', 'N', 'CELL', 'CLIENT', { consentDate: D2 }),
    nonfin(B, '3', '(646) 555-0123', 'Y', 'CELL', 'CLIENT', { consentDate: D2 }),
    nonfin(C, '4', '(718) 555-0111', 'Y'),
  ],
  [D3]: [
    nonfin(A, '2', '(312) 555-0100', 'N', 'CELL', 'CLIENT', { consentDate: D2 }),
    nonfin(B, '3', '(646) 555-0123', 'N'),
    nonfin(C, '4', '(718) 555-0111', 'Y'),
  ],
};

async function deliver(box: Sandbox, date: keyof typeof snapshots): Promise<void> {
  await writeFeeds(box.data, [{ feed: 'NON-FIN-BDL', name: date.replaceAll('-', ''), rows: snapshots[date] }]);
}

const run = (box: Sandbox, date: string, options: { faults?: { state: string }[] } = {}): Promise<RunSummary> =>
  runDailyLocally({ data: box.data, date, home: box.home, steps: 'consent', faults: options.faults as never });

async function goldOf(box: Sandbox, date: string): Promise<GoldRow[]> {
  const engine = await DuckDbEngine.open({ home: box.home });
  try {
    return await gold(engine, date);
  } finally {
    await engine.close();
  }
}

interface Answer {
  account: string;
  phone: string;
  canSendSms: boolean;
  reasons: string[];
  asOf: string | null;
}

/** The API's answers (batch route, the handler the API serves) for every row of `rows`. */
async function answers(box: Sandbox, rows: readonly GoldRow[]): Promise<Answer[]> {
  const runtime = await startLocalRuntime({ home: box.home });
  try {
    const { apiEvent, invokeApi } = await import('../../local/runtime/http-server.ts');
    const { clearAsOfCache } = await import('../../lambdas/can-send-sms/handler.ts');
    clearAsOfCache();
    const body = JSON.stringify({ items: rows.map((row) => ({ account: row.account_number, phone: row.phone_number })) });
    const result = await invokeApi(apiEvent({ method: 'POST', url: '/v1/can-send-sms/batch', body, headers: { 'content-type': 'application/json' } }));
    expect(result.statusCode).toBe(200);
    return (JSON.parse(result.body!) as { results: Answer[] }).results;
  } finally {
    await runtime.stop();
  }
}

/** What the API must answer when the table holds gold of `date`: the §4 rule on each row, `asOf` = that date. */
const expectedFrom = (rows: readonly GoldRow[], date: string): Answer[] =>
  rows.map((row) => ({ account: row.account_number, phone: row.phone_number, ...decideSms(row), asOf: date }));

/** What a ConsentLoad killed part-way leaves behind: some of the run's changes written, no load marker. */
async function writePartOfLoad(box: Sandbox, date: string, keep: (change: ConsentChange) => boolean): Promise<number> {
  const runtime = await startLocalRuntime({ home: box.home });
  try {
    const { writeChanges } = await import('../../adapters/consent-store.ts');
    const engine = await DuckDbEngine.open({ home: box.home });
    let rows: GoldRow[];
    try {
      rows = await gold(engine, date);
    } finally {
      await engine.close();
    }
    const part = rows.map((row): ConsentChange => ({ ...row, change_type: 'changed' })).filter(keep);
    await writeChanges(part);
    return part.length;
  } finally {
    await runtime.stop();
  }
}

describe('a failed consent load (issue 11 item 2)', () => {
  let box: Sandbox;
  beforeAll(async () => {
    box = await sandbox();
  });
  afterAll(async () => {
    await box.cleanup();
  });

  it('the next day loads the failed day’s changes too: every answer follows the newest gold, asOf is the day loaded', async () => {
    // Prepare: D1 loaded; D2's load fails after the transform wrote D2's gold.
    await deliver(box, D1);
    await run(box, D1);
    await deliver(box, D2);
    const failure = await run(box, D2, { faults: [{ state: 'ConsentLoad' }] }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(DailyRunFailedError);
    const [gold1, gold2] = [await goldOf(box, D1), await goldOf(box, D2)];
    expect(gold2).toHaveLength(4);
    // The table still holds D1, and says so.
    expect(await answers(box, gold2)).toEqual(expectedFrom(gold1, D1));

    // Act: the next day runs.
    await deliver(box, D3);
    const day3 = await run(box, D3);
    const gold3 = await goldOf(box, D3);

    // Assess: the hard delete and the withdrawal of D2 reach the API, under D3's asOf.
    expect(await answers(box, gold3)).toEqual(expectedFrom(gold3, D3));
    expect(gold3.find((row) => row.phone_number === '+12125550142')).toMatchObject({ is_deleted: true, delete_type: 'hard_delete' });
    // The changes were computed against what the table held (D1), not against D2's gold.
    expect(day3.consent.previousAsOfDate).toBe(D1);
  }, 120_000);

  it('a load killed after writing part of its changes: the next day overwrites what it wrote', async () => {
    // Prepare: D3 is loaded (test above). D4 gives (B, 646) consent again; its load is killed after writing that row only.
    const D4 = '2026-11-23';
    const D5 = '2026-11-24';
    await writeFeeds(box.data, [
      {
        feed: 'NON-FIN-BDL',
        name: '20261123',
        rows: [
          nonfin(A, '2', '(312) 555-0100', 'N', 'CELL', 'CLIENT', { consentDate: D2 }),
          nonfin(B, '3', '(646) 555-0123', 'Y', 'CELL', 'CLIENT', { consentDate: D4 }),
          nonfin(C, '4', '(718) 555-0111', 'Y'),
        ],
      },
    ]);
    await expect(run(box, D4, { faults: [{ state: 'ConsentLoad' }] })).rejects.toBeInstanceOf(DailyRunFailedError);
    expect(await writePartOfLoad(box, D4, (change) => change.account_number === B)).toBe(1);
    // D5 is D3 again: (B, 646) has no consent, exactly as in the state the table last completed (D3).
    await writeFeeds(box.data, [{ feed: 'NON-FIN-BDL', name: '20261124', rows: snapshots[D3] }]);

    // Act
    await run(box, D5);
    const gold5 = await goldOf(box, D5);

    // Assess: the row the killed load wrote is D5's again (no text to a number without consent).
    expect(gold5.find((row) => row.account_number === B)).toMatchObject({ has_sms_consent: false });
    expect(await answers(box, gold5)).toEqual(expectedFrom(gold5, D5));
  }, 120_000);
});

describe('a backfill of an older date (issue 11 item 3)', () => {
  let box: Sandbox;
  beforeAll(async () => {
    box = await sandbox();
    await deliver(box, D1);
    await deliver(box, D2);
    await run(box, D1);
    await run(box, D2);
  }, 120_000);
  afterAll(async () => {
    await box.cleanup();
  });

  it('re-running an older date rebuilds its lake partitions but leaves the API answering the newest load', async () => {
    // Prepare
    const gold2 = await goldOf(box, D2);
    const before = await answers(box, gold2);
    expect(before).toEqual(expectedFrom(gold2, D2));

    // Act
    const backfill = await run(box, D1);

    // Assess
    expect(await answers(box, gold2)).toEqual(before);
    expect(backfill.consent.goldRows).toBe(4);
    expect(backfill.consent.writtenToDynamoDb).toBe(0);
    expect(backfill.consent.deletedFromDynamoDb).toBe(0);
    expect(backfill.consent.loadSkipped).toMatch(new RegExp(`consent table holds ${D2}`));
  }, 120_000);

  it('the next day after a backfill converges on its own gold', async () => {
    // Act
    await deliver(box, D3);
    const day3 = await run(box, D3);
    const gold3 = await goldOf(box, D3);

    // Assess
    expect(await answers(box, gold3)).toEqual(expectedFrom(gold3, D3));
    expect(day3.consent.previousAsOfDate).toBe(D2);
  }, 120_000);
});
