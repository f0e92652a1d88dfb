import { describe, expect, it } from 'vitest';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { dailyFeeds } from '../../domain/daily-feeds.ts';
import { loadSql, renderSql, sqlDate, sqlInteger, sqlString } from '../../sql/sql-files.ts';
import { calledFunctions, functionsInBothEngines, trinoStatementTypes } from '../sql/trino-guard.ts';

const sqlRoot = fileURLToPath(new URL('../../sql/', import.meta.url));
const values = {
  load_date: sqlDate('2026-11-20'),
  history_start: sqlDate('2026-08-23'),
  week_start: sqlDate('2026-11-14'),
  previous_date: sqlDate('2026-11-19'),
  shard_count: sqlInteger(20),
};

async function factsFiles(): Promise<string[]> {
  return (await readdir(join(sqlRoot, 'facts'))).filter((name) => name.endsWith('.sql')).map((name) => `facts/${name}`);
}

describe('customer-facts SQL (the Athena guard)', () => {
  it('every facts SQL file is a single SELECT that parses in the Trino dialect', async () => {
    const files = await factsFiles();
    expect(files.length).toBeGreaterThanOrEqual(9);
    for (const file of files) expect(trinoStatementTypes(await loadSql(file, values)), file).toEqual(['select']);
  });

  it('the facts SQL calls only functions known to both Trino and DuckDB', async () => {
    for (const file of await factsFiles()) {
      const unknown = calledFunctions(await loadSql(file, values)).filter((name) => !functionsInBothEngines.has(name));
      expect(unknown, file).toEqual([]);
    }
  });

  it('the Athena views of the daily feeds parse in the Trino dialect', async () => {
    for (const { view } of Object.values(dailyFeeds)) {
      const sql = renderSql(await readFile(join(sqlRoot, 'register/athena', `${view}.sql`), 'utf8'), {
        load_date: sqlString('2026-11-20'),
        first_date: sqlString('2026-08-23'),
        snapshot: sqlString('s3://outbound-raw/suppressions/suppressions_20261120.csv.gz'),
      });
      expect(trinoStatementTypes(sql), view).toEqual(['create']);
    }
  });
});

describe('Athena tables of the daily feeds', () => {
  it.each(['loan_tape', 'contacts', 'dispositions', 'suppressions'] as const)(
    'declares the %s columns in the order both engines read them by position (domain/daily-feeds.ts)',
    async (feed) => {
      const ddl = await readFile(join(sqlRoot, 'register', 'athena', `${feed}_files.sql`), 'utf8');

      const body = /CREATE EXTERNAL TABLE IF NOT EXISTS \w+ \(([^)]*)\)/.exec(ddl)?.[1] ?? '';
      const columns = body.split(',').map((column) => column.trim().split(/\s+/)[0]!.replaceAll('`', ''));

      // One column past the feed's: a row with more fields shows in it (row_problem of the views).
      expect(columns).toEqual([...dailyFeeds[feed].columns, 'extra_fields']);
    },
  );
});
