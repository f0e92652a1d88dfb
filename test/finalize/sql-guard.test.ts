import { describe, expect, it } from 'vitest';
import { readdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { loadSql, sqlDate, sqlString } from '../../sql/sql-files.ts';
import { calledFunctions, functionsInBothEngines, trinoStatementTypes } from '../sql/trino-guard.ts';

/** The Athena guard (docs/consent-sql.md) over Finalize's SQL and the published views' definitions. */

const values = { load_date: sqlDate('2026-11-20'), history_start: sqlDate('2026-11-13'), load_date_text: sqlString('2026-11-20'), attempt: sqlString('local-1'), run_id: sqlString('2026-11-20-0123456789ab') };

async function files(): Promise<string[]> {
  const list = async (folder: string) =>
    (await readdir(fileURLToPath(new URL(`../../sql/${folder}/`, import.meta.url)))).filter((name) => name.endsWith('.sql')).map((name) => `${folder}/${name}`);
  return [...(await list('finalize')), ...(await list('published'))];
}

describe('Finalize SQL', () => {
  it('every file is a single SELECT in the Trino dialect, calling only functions of both engines', async () => {
    const all = await files();
    expect(all.length).toBe(10);
    for (const file of all) {
      // Act
      const sql = await loadSql(file, values);
      // Assess
      expect(trinoStatementTypes(sql), file).toEqual(['select']);
      expect(calledFunctions(sql).filter((name) => !functionsInBothEngines.has(name)), file).toEqual([]);
    }
  });
});
