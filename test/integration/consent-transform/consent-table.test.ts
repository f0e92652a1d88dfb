import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalRuntime, type LocalRuntime } from '../../../local/runtime/runtime.ts';
import { handler } from '../../../lambdas/consent-transform/handler.ts';
import { handler as load } from '../../../lambdas/consent-load/handler.ts';
import type { ConsentTransformOutput } from '../../../domain/run/step-outputs.ts';
import { getConsentTableState, putLoadMarker, recordPendingLoad } from '../../../adapters/consent-store.ts';
import { nonfin, sandbox, writeFeeds, type Sandbox } from '../../sql/fixtures.ts';

/**
 * The consent transform against what the consent table holds (docs/consent-sql.md "What the table holds"):
 * a backfill leaves it alone, and what cannot be known fails the run instead of loading too little.
 */
const A = '1000000000000001';
const B = '2000000000000002';

let box: Sandbox;
let runtime: LocalRuntime;
beforeAll(async () => {
  box = await sandbox();
  runtime = await startLocalRuntime({ home: box.home, data: box.data });
  await writeFeeds(box.data, [
    { feed: 'NON-FIN-BDL', name: '20261106', rows: [nonfin(A, '1', '(212) 555-0142', 'Y'), nonfin(B, '2', '(312) 555-0100', 'Y')] },
    {
      feed: 'NON-FIN-BDL',
      name: '20261107',
      rows: [nonfin(A, '1', '(212) 555-0142', 'N', 'CELL', 'CLIENT', { consentDate: '2026-11-07' }), nonfin(B, '2', '(312) 555-0100', 'Y')],
    },
  ]);
  for (const [runId, loadDate] of [
    ['r6', '2026-11-06'],
    ['r7', '2026-11-07'],
  ] as const) {
    const result = await handler({ runId, loadDate });
    await loadChanges(runId, result);
  }
});
afterAll(async () => {
  await runtime.stop();
  await box.cleanup();
});

const loadChanges = (runId: string, result: ConsentTransformOutput) =>
  load({ runId, loadDate: result.asOfDate, skipped: result.loadSkipped, changes: result.changes });

describe('consent transform and the consent table', () => {
  it('a backfill of a date older than the table’s load rebuilds the lake partitions, prepares nothing to load and records nothing', async () => {
    // Prepare
    const before = await getConsentTableState();
    // Act
    const backfill = await handler({ runId: 'r6-again', loadDate: '2026-11-06' });
    const loaded = await loadChanges('r6-again', backfill);
    // Assess
    expect(backfill).toMatchObject({
      asOfDate: '2026-11-06',
      loadSkipped: 'backfill: the consent table holds 2026-11-07, newer than 2026-11-06; it is left as it is (the API keeps answering from 2026-11-07)',
      rows: { gold: 2 },
      changes: { keys: [] },
    });
    expect(loaded).toMatchObject({ written: 0, deleted: 0, skipped: backfill.loadSkipped });
    expect(await getConsentTableState()).toEqual(before);
  });

  it('fails when the changes of an unfinished load are no longer all in the lake, unless a full load is asked for', async () => {
    // Prepare: the table says a load of 11-08 was left unfinished with 3 changes, under a prefix that holds none.
    const state = await getConsentTableState();
    await recordPendingLoad(
      { as_of_date: '2026-11-08', run_id: 'r8', prefix: 'consent/changes/as_of_date=2026-11-08/run=lost/', rows: 3 },
      state.loaded!.as_of_date,
    );
    // Act
    const run = handler({ runId: 'r8', loadDate: '2026-11-08' });
    // Assess
    await expect(run).rejects.toThrow(
      'consent transform: the unfinished consent load of 2026-11-08 (lake consent/changes/as_of_date=2026-11-08/run=lost/) should hold 3 changes, found 0; run with fullLoad (--full-load) to write every row',
    );
    const full = await handler({ runId: 'r8', loadDate: '2026-11-08', fullLoad: true });
    expect(full).toMatchObject({ previousAsOfDate: '2026-11-07', loadSkipped: null, rows: { gold: 2, changes: { new: 0, changed: 2, gone: 0 } } });
    expect(await loadChanges('r8', full)).toMatchObject({ written: 2, deleted: 0 });
    expect(await getConsentTableState()).toMatchObject({ loaded: { as_of_date: '2026-11-08' }, pending: null });
  });

  it('fails when the table holds a load whose gold partition the lake does not have; a full load writes every row', async () => {
    // Prepare: the table claims a load of 11-05, a date the lake has no gold for.
    await putLoadMarker({ as_of_date: '2026-11-05', run_id: 'elsewhere', loaded_at: '2026-11-05T11:00:00.000Z' });
    // Act
    const run = handler({ runId: 'r9', loadDate: '2026-11-09' });
    // Assess
    await expect(run).rejects.toThrow(
      'consent transform: the consent table holds the load of 2026-11-05, but the lake has no phone_consent partition for 2026-11-05 to compare with; run 2026-11-09 with fullLoad (--full-load) to write every row',
    );
    const full = await handler({ runId: 'r9', loadDate: '2026-11-09', fullLoad: true });
    expect(full).toMatchObject({ previousAsOfDate: null, rows: { gold: 2, changes: { new: 2, changed: 0, gone: 0 } } });
  });
});
