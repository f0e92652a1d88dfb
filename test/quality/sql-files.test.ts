import { describe, expect, it } from 'vitest';
import { readdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { QUALITY_LAYERS } from '../../domain/quality-gates.ts';
import { loadSql, sqlDate, sqlString } from '../../sql/sql-files.ts';
import { calledFunctions, functionsInBothEngines, trinoStatementTypes } from '../sql/trino-guard.ts';

/** The Athena guard (docs/consent-sql.md) over the data-quality SQL: one file per layer, each one SELECT both engines run. */

const values = { load_date: sqlDate('2026-11-20'), attempt: sqlString('local-1') };

describe('data-quality SQL', () => {
  it('has exactly one file per layer', async () => {
    const files = (await readdir(fileURLToPath(new URL('../../sql/quality/', import.meta.url)))).filter((name) => name.endsWith('.sql'));

    expect(files.sort()).toEqual(QUALITY_LAYERS.map((layer) => `${layer}.sql`).sort());
  });

  it.each(QUALITY_LAYERS)('%s.sql is a single SELECT in the Trino dialect, calling only functions of both engines', async (layer) => {
    const sql = await loadSql(`quality/${layer}.sql`, values);

    expect(trinoStatementTypes(sql)).toEqual(['select']);
    expect(calledFunctions(sql).filter((name) => !functionsInBothEngines.has(name))).toEqual([]);
  });
});
