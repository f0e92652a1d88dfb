import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DuckDbEngine } from '../../../adapters/duckdb-engine.ts';
import { resources } from '../../../config/resources.ts';
import { consentChangeColumns, runConsentTransform } from '../../../lambdas/consent-transform/transform.ts';
import { startLocalRuntime, type LocalRuntime } from '../../../local/runtime/runtime.ts';
import { loadSql, sqlDate, sqlInteger, sqlString } from '../../../sql/sql-files.ts';
import { consentKeys, enrollment, nonfin, sandbox, supplfwd, writeFeeds, type Sandbox } from '../../sql/fixtures.ts';

const sqlRoot = fileURLToPath(new URL('../../../sql/', import.meta.url));

/** The consent SQL, run on DuckDB (the Athena guard of every file: test/sql/trino-guard.test.ts). */
async function sharedSqlFiles(): Promise<string[]> {
  return (await readdir(join(sqlRoot, 'consent'))).filter((name) => name.endsWith('.sql')).map((name) => `consent/${name}`);
}

const values = {
  as_of_date: sqlDate('2026-11-02'),
  base_as_of_date: sqlDate('2026-11-01'),
  full_load: sqlInteger(0),
  carried_from_date: sqlDate('2026-11-01'),
  location: sqlString('s3://outbound-raw/consent/'),
};
const render = (file: string) => loadSql(file, values);

describe('consent SQL files on DuckDB', () => {
  let box: Sandbox;
  let runtime: LocalRuntime;
  let engine: DuckDbEngine;
  beforeAll(async () => {
    box = await sandbox();
    runtime = await startLocalRuntime({ home: box.home, data: box.data });
    const account = '1000000000000001';
    await writeFeeds(box.data, [
      { feed: 'NON-FIN-BDL', name: '20261101', rows: [nonfin(account, '1', '(212) 555-0142', 'Y')] },
      { feed: 'NON-FIN-BDL', name: '20261102', rows: [nonfin(account, '1', '(212) 555-0142', 'N'), ['bad']] },
      { feed: 'SUPPLFWD', name: '20261102', rows: [supplfwd(account, '3125550100', 'Y', 'N', '2026-11-02', 'HOME')] },
      { feed: 'ENRLMT', name: '20261102', rows: [enrollment('1000000000000002', '4155550100', '2026-11-02', 'HOME')] },
    ]);
    engine = await DuckDbEngine.open({ home: box.home, dataDir: box.data, memoryLimit: '256MB' });
    let changesPrefix = '';
    for (const asOfDate of ['2026-11-01', '2026-11-02']) {
      changesPrefix = (await runConsentTransform(engine, { asOfDate, lakeBucket: resources.buckets.lake, consentKeys: await consentKeys(box.data) })).changes
        .prefix;
    }
    // consent_pending_read.sql reads the changes of a load left unfinished: those of 11-02 stand for one.
    await engine.registerParquet('consent_pending_changes', `s3://${resources.buckets.lake}/${changesPrefix}`, consentChangeColumns);
  });
  afterAll(async () => {
    await engine.close();
    await runtime.stop();
    await box.cleanup();
  });

  it('every shared SQL file runs on DuckDB and returns rows (the empty initial state excepted)', async () => {
    for (const file of (await sharedSqlFiles()).filter((name) => !name.endsWith('_initial.sql'))) {
      // Act
      const [result] = await engine.query<{ rows: number }>(`SELECT count(*) AS rows FROM (${await render(file)}) q`);
      // Assess
      expect(result!.rows, file).toBeGreaterThan(0);
    }
  });
});
