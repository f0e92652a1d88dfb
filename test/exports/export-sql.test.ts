import { describe, expect, it } from 'vitest';
import { loadSql, sqlDate } from '../../sql/sql-files.ts';
import { calledFunctions, functionsInBothEngines, trinoStatementTypes } from '../sql/trino-guard.ts';

/** The export SQL is shared with Athena: it must pass the same guard as the other shared SQL files. */
describe('sql/exports/export_rows.sql', () => {
  it('is one SELECT in the Trino dialect calling only functions both engines have', async () => {
    // Prepare
    const sql = await loadSql('exports/export_rows.sql', { load_date: sqlDate('2026-11-20') });
    // Act
    const types = trinoStatementTypes(sql);
    const unknown = calledFunctions(sql).filter((name) => !functionsInBothEngines.has(name));
    // Assess
    expect(types).toEqual(['select']);
    expect(unknown).toEqual([]);
  });
});
