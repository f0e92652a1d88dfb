import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DuckDbEngine } from '../../adapters/duckdb-engine.ts';
import { loadSql, sqlDate, sqlString } from '../../sql/sql-files.ts';
import { legacy, sandbox, transform, writeFeeds, type Sandbox } from './fixtures.ts';
import { calledFunctions, functionsInBothEngines, trinoStatementTypes } from './trino-guard.ts';

const sqlRoot = fileURLToPath(new URL('../../sql/', import.meta.url));

/** The shared SQL: one SELECT per file, run by both engines. */
async function sharedSqlFiles(): Promise<string[]> {
  return (await readdir(join(sqlRoot, 'consent'))).filter((name) => name.endsWith('.sql')).map((name) => `consent/${name}`);
}

const values = {
  as_of_date: sqlDate('2026-11-02'),
  previous_as_of_date: sqlDate('2026-11-01'),
  location: sqlString('s3://outbound-raw/consent/'),
};
const render = (file: string) => loadSql(file, values);

describe('SQL files', () => {
  let box: Sandbox;
  let engine: DuckDbEngine;
  beforeAll(async () => {
    box = await sandbox();
    const row = (id: string, consent: string) => [legacy('1000000000000001'), id, '(212) 555-0142', 'MOBILE', 'CLIENT', consent];
    await writeFeeds(box.data, [
      { feed: 'NON-FIN-BDL', name: '20261101', rows: [row('1', 'Y')] },
      { feed: 'NON-FIN-BDL', name: '20261102', rows: [row('1', 'N'), ['bad']] },
      { feed: 'SUPPLFWD', name: '20261102', rows: [[legacy('1000000000000001'), '3125550100', 'HOME', 'CLIENT', 'Y', 'N', '20261102']] },
      { feed: 'ENRLMT', name: '20261102', rows: [[legacy('1000000000000002'), '4155550100', 'HOME', 'CLIENT', '', '20261102']] },
    ]);
    await (await transform(box, '2026-11-01')).close();
    engine = await transform(box, '2026-11-02');
  });
  afterAll(async () => {
    await engine.close();
    await box.cleanup();
  });

  it('every shared SQL file runs on DuckDB and returns rows', async () => {
    for (const file of await sharedSqlFiles()) {
      // Act
      const [result] = await engine.query<{ rows: number }>(`SELECT count(*) AS rows FROM (${await render(file)}) q`);
      // Assess
      expect(result!.rows, file).toBeGreaterThan(0);
    }
  });

  it('every shared SQL file is a single SELECT that parses in the Trino dialect', async () => {
    for (const file of await sharedSqlFiles()) {
      // Act
      const types = trinoStatementTypes(await render(file));
      // Assess
      expect(types, file).toEqual(['select']);
    }
  });

  it('the Athena view definitions parse in the Trino dialect', async () => {
    const views = (await readdir(join(sqlRoot, 'register/athena'))).filter((name) => name.startsWith('consent_raw_') && !name.endsWith('_files.sql'));
    expect(views).toHaveLength(3);
    for (const view of views) {
      const sql = await readFile(join(sqlRoot, 'register/athena', view), 'utf8');
      expect(() => trinoStatementTypes(sql), view).not.toThrow();
    }
  });

  it('the shared SQL calls only functions known to both Trino and DuckDB', async () => {
    for (const file of await sharedSqlFiles()) {
      // Act
      const unknown = calledFunctions(await render(file)).filter((name) => !functionsInBothEngines.has(name));
      // Assess
      expect(unknown, file).toEqual([]);
    }
  });

  it('the function guard catches a DuckDB-only function', () => {
    expect(calledFunctions("SELECT strptime(x, '%Y'), regexp_matches(x, 'a') FROM t WHERE x IN (1)")).toEqual(['regexp_matches', 'strptime']);
  });
});
