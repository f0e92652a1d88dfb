import { describe, expect, it } from 'vitest';
import { loadSql } from '../../sql/sql-files.ts';
import { allSqlFiles, calledFunctions, exampleValues, sqlKind, trinoGuardProblems } from './trino-guard.ts';

/** The Athena guard (docs/consent-sql.md) over every file of sql/, each by its kind (test/sql/trino-guard.ts). */

const files = allSqlFiles();

describe('the Athena guard over every SQL file', () => {
  it('lists the files of every folder of sql/', () => {
    expect(files).toEqual(
      expect.arrayContaining([
        'consent/consent_bronze.sql',
        'dial-gate/dial_gate_budgets.sql',
        'exports/export_rows.sql',
        'facts/facts_loans.sql',
        'finalize/finalize_checks.sql',
        'fragments/phone_normalization.sql',
        'genesys/dnc_suppressed_phones.sql',
        'optouts/optout_register.sql',
        'published/rpt_outbound_lists.sql',
        'quality/facts.sql',
        'register/athena/consent_raw_view.sql',
        'register/athena/loan_tape_files.sql',
      ]),
    );
  });

  it.each(files)('%s passes the guard of its kind', async (file) => {
    // Act
    const sql = await loadSql(file, exampleValues(file));
    // Assess
    expect(trinoGuardProblems(sql, sqlKind(file, sql))).toEqual([]);
  });

  it('tells the kinds apart: a shared file, an Athena view, an Athena table', async () => {
    const kindOf = async (file: string) => sqlKind(file, await loadSql(file, exampleValues(file)));

    expect(await kindOf('facts/facts_loans.sql')).toBe('shared');
    expect(await kindOf('register/athena/loan_tape_raw.sql')).toBe('athena-view');
    expect(await kindOf('register/athena/loan_tape_files.sql')).toBe('athena-ddl');
  });
});

describe('the guard refuses what Athena would not run', () => {
  it.each([
    ['a DuckDB-only function', "SELECT strptime(x, '%Y') AS d FROM t", 'calls functions not known to both engines: strptime'],
    ['a clause Trino does not have (QUALIFY)', 'SELECT x FROM t QUALIFY row_number() OVER (ORDER BY x) = 1', 'does not parse in the Trino dialect'],
    ['a :: cast, which the parser accepts', 'SELECT x::INTEGER AS n FROM t', 'uses syntax Trino refuses: :: cast'],
    ['ILIKE, which the parser accepts', "SELECT x FROM t WHERE x ILIKE 'a%'", 'uses syntax Trino refuses: ILIKE'],
    ['two statements', 'SELECT 1 AS a; SELECT 2 AS b', 'statements select, select, not one select'],
    ['a statement that is not a SELECT', 'DELETE FROM t WHERE x = 1', 'statements delete, not one select'],
  ])('in shared SQL: %s', (_, sql, problem) => {
    expect(trinoGuardProblems(sql, 'shared').join('\n')).toContain(problem);
  });

  it("in a shared file: its cast written with DuckDB's strftime instead", async () => {
    const sql = await loadSql('exports/export_rows.sql', exampleValues('exports/export_rows.sql'));
    const cast = 'CAST(c.window_start_utc AS varchar)';
    expect(sql).toContain(cast);

    const problems = trinoGuardProblems(sql.replace(cast, "strftime(c.window_start_utc, '%Y-%m-%d %H:%M:%S')"), 'shared');

    expect(problems).toEqual(['calls functions not known to both engines: strftime']);
  });

  it('in an Athena view: a statement that is not a view', () => {
    expect(trinoGuardProblems('SELECT 1 AS a', 'athena-view')).toEqual(['statements select, not one create']);
  });

  it('in an Athena table: a second statement', () => {
    expect(trinoGuardProblems("CREATE EXTERNAL TABLE t (a string) LOCATION 's3://b/t/'; DROP TABLE u", 'athena-ddl')).toEqual(['2 statements, not one']);
  });

  it('reads function names past keywords, comments and string literals', () => {
    expect(calledFunctions("SELECT strptime(x, 'f(y)'), regexp_matches(x, 'a') FROM t WHERE x IN (1) -- ifnull(x)")).toEqual(['regexp_matches', 'strptime']);
  });
});
