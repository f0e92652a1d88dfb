import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { parquetReadObjects } from 'hyparquet';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { startLocalRuntime, type LocalRuntime } from '../../../local/runtime/runtime.ts';
import { s3Client } from '../../../adapters/aws-clients.ts';
import { handler } from '../../../lambdas/consent-transform/handler.ts';
import { handler as load } from '../../../lambdas/consent-load/handler.ts';
import type { ConsentTransformOutput } from '../../../domain/run/step-outputs.ts';
import type { ConsentChange } from '../../../domain/consent/consent.ts';
import { nonfin, sandbox, writeFeeds, type Sandbox } from '../../sql/fixtures.ts';

const A = '1000000000000001';
const B = '2000000000000002';

let box: Sandbox;
let runtime: LocalRuntime;
beforeAll(async () => {
  box = await sandbox();
  runtime = await startLocalRuntime({ home: box.home, data: box.data });
});
afterAll(async () => {
  await runtime.stop();
  await box.cleanup();
});

/** The consent load of a transform's result, as the state machine runs it. */
const loadChanges = (runId: string, result: ConsentTransformOutput) =>
  load({ runId, loadDate: result.asOfDate, skipped: result.loadSkipped, changes: result.changes });

/** A result without where its changes objects are (each transform writes them under a prefix of its own). */
const withoutLocation = ({ changes: { bucket }, ...result }: ConsentTransformOutput) => ({ ...result, changes: { bucket } });

async function readChanges(bucket: string, keys: string[]): Promise<ConsentChange[]> {
  const rows: ConsentChange[] = [];
  for (const key of keys) {
    const object = await s3Client().send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    const bytes = await object.Body!.transformToByteArray();
    const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
    rows.push(...((await parquetReadObjects({ file })) as unknown as ConsentChange[]));
  }
  return rows;
}

describe('consent-transform handler (local: DuckDB + s3rver)', () => {
  it('rejects a malformed input with a clear message', async () => {
    await expect(handler({ runId: 'r1', loadDate: '2026-13-01' })).rejects.toThrow(/loadDate must be a date written YYYY-MM-DD/);
    await expect(handler({ loadDate: '2026-11-01' })).rejects.toThrow(/runId/);
  });

  it('fails clearly when no consent file is dated on or before the load date', async () => {
    // Prepare
    await writeFeeds(box.data, [{ feed: 'NON-FIN-BDL', name: '20261105', rows: [nonfin(A, '1', '2125550142')] }]);
    // Act
    const run = handler({ runId: 'r0', loadDate: '2026-11-01' });
    // Assess
    await expect(run).rejects.toThrow(/no consent data: no ENRLMT, NON-FIN-BDL or SUPPLFWD export dated on or before 2026-11-01/);
  });

  it('writes gold, rejects and the changes file; day 2 carries only the rows changed since the load of day 1; a re-run is identical', async () => {
    // Prepare
    await writeFeeds(box.data, [
      {
        feed: 'NON-FIN-BDL',
        name: '20261106',
        rows: [
          nonfin(A, '1', '(212) 555-0142', 'Y'),
          nonfin(A, '2', '312.555.0100', '', 'HOME'),
          nonfin(B, '3', '(212) 555-0142', 'N', 'CELL', 'CONSUMER'),
          nonfin(B, '4', 'not a phone', 'Y'),
        ],
      },
    ]);
    // Act
    const day1 = await handler({ runId: 'r1', loadDate: '2026-11-06' });
    await loadChanges('r1', day1);
    await writeFeeds(box.data, [
      {
        feed: 'NON-FIN-BDL',
        name: '20261107',
        rows: [
          nonfin(A, '1', '(212) 555-0142', 'N', 'CELL', 'CLIENT', { consentDate: '2026-11-07' }),
          nonfin(A, '2', '312.555.0100', '', 'HOME'),
          nonfin(B, '3', '(212) 555-0142', 'N', 'CELL', 'CONSUMER'),
        ],
      },
    ]);
    const day2 = await handler({ runId: 'r2', loadDate: '2026-11-07' });
    const day2Lines = await readChanges(day2.changes.bucket, day2.changes.keys);
    const rerun = await handler({ runId: 'r3', loadDate: '2026-11-07' });
    // Assess
    expect(day1).toEqual({
      asOfDate: '2026-11-06',
      carriedFromDate: null,
      rebuildReason: null,
      // The 11-05 export of the test before is still in the landing zone: its row is read too.
      filesRead: 2,
      previousAsOfDate: null,
      loadSkipped: null,
      rows: { bronze: 5, gold: 3, rejects: 1, changes: { new: 3, changed: 0, gone: 0 } },
      rejectsByReason: { PHONE_INVALID_CHARACTERS: 1 },
      changes: {
        bucket: 'outbound-lake',
        prefix: expect.stringMatching(/^consent\/changes\/as_of_date=2026-11-06\/run=r1-[0-9a-z]+\/$/),
        keys: [expect.any(String)],
      },
    });
    expect(day1.changes.keys).toEqual([`${day1.changes.prefix}part-00000.parquet`]);
    expect(day2).toMatchObject({
      asOfDate: '2026-11-07',
      // The changes are against what the consent table holds: the load of 11-06.
      previousAsOfDate: '2026-11-06',
      loadSkipped: null,
      // The state of 11-06 is carried: only the export of 11-07 is read, so its rejects are the day's.
      carriedFromDate: '2026-11-06',
      filesRead: 1,
      rows: { bronze: 3, gold: 3, rejects: 0, changes: { new: 0, changed: 1, gone: 0 } },
      rejectsByReason: {},
    });
    expect(day2Lines).toEqual([
      {
        account_number: A,
        phone_number: '+12125550142',
        phone_type: 'MOBILE',
        phone_status: 'ACTIVE',
        phone_technology: 'WIRELESS',
        quality_score: 80,
        phone_source: 'CLIENT',
        has_sms_consent: false,
        sms_consent_updated_at: '2026-11-07',
        is_deleted: false,
        delete_type: null,
        deleted_at: null,
        as_of_date: '2026-11-07',
        change_type: 'changed',
      },
    ]);
    // Re-run before day 2 is loaded: the same partitions and changes, in objects of its own.
    expect(withoutLocation(rerun)).toEqual(withoutLocation(day2));
    expect(rerun.changes.prefix).not.toBe(day2.changes.prefix);
    expect(await readChanges(rerun.changes.bucket, rerun.changes.keys)).toEqual(day2Lines);
    // The day-1 exports leave the landing zone (retention): their records are in the state, so the re-run of
    // day 2 still carries it (no rebuild from what is left) and gives the same day.
    const maintenance = join(box.data, 'consent/MAINTENANCE');
    for (const name of await readdir(maintenance)) if (!name.includes('-20261107')) await rm(join(maintenance, name));
    expect(withoutLocation(await handler({ runId: 'r4', loadDate: '2026-11-07' }))).toEqual(withoutLocation(day2));
  });
});
