import { describe, expect, it } from 'vitest';
import { expandMacros } from '../../sql/sql-files.ts';

/** The trimming macros of the SQL files (sql/sql-files.ts, docs/architecture.md "How a step is built"). */
const BLANKS = 'chr(9) || chr(10) || chr(13) || chr(32)';

describe('expandMacros', () => {
  it('writes {{trim X}} as trim() of the blanks, for a column or a qualified column', () => {
    expect(expandMacros('SELECT {{trim payoffuid}} AS p, {{ trim f.zip }} AS z')).toBe(`SELECT trim(payoffuid, ${BLANKS}) AS p, trim(f.zip, ${BLANKS}) AS z`);
  });

  it("writes {{trim_or_empty X}} as '' for NULL, X itself when no edge is a blank, else trimmed", () => {
    const sql = expandMacros('{{trim_or_empty account_raw}}');
    expect(
      sql.startsWith("CASE WHEN account_raw IS NULL THEN '' WHEN NOT (account_raw LIKE ' %' OR account_raw LIKE '% ' OR account_raw LIKE chr(9) || '%'"),
    ).toBe(true);
    expect(sql.endsWith(`account_raw LIKE '%' || chr(13)) THEN account_raw ELSE trim(account_raw, ${BLANKS}) END`)).toBe(true);
    expect(sql.match(/LIKE/g)).toHaveLength(8);
  });

  it('writes {{trim_code X among (…)}} with the valid codes taken as they are', () => {
    expect(expandMacros("{{trim_code consent_raw among ('Y', 'N')}}")).toBe(
      `CASE WHEN consent_raw IN ('Y', 'N') THEN consent_raw WHEN consent_raw IS NULL THEN '' ELSE trim(consent_raw, ${BLANKS}) END`,
    );
  });

  it('leaves placeholders, fragments and anything else alone', () => {
    const sql = 'SELECT {{load_date}} AS d FROM ({{fragment phone_normalization over trimmed}}) t';
    expect(expandMacros(sql)).toBe(sql);
  });
});
