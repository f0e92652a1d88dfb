import { describe, expect, it } from 'vitest';
import { expandMacros, RECORD_KEY_FIELDS } from '../../sql/sql-files.ts';

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

describe('the record-key macros', () => {
  it('write the multiplier of a field and read a field back, by name', () => {
    expect(expandMacros('x * {{record_key_unit consent_code}}')).toBe('x * CAST(4294967296 AS BIGINT)');
    expect(expandMacros('{{record_key_field winner_key consent_code}}')).toBe('CAST(floor(winner_key / 4294967296) AS BIGINT) % 4');
    expect(expandMacros('{{record_key_field winner_key event_day}}')).toBe('CAST(floor(winner_key / 68719476736) AS BIGINT)');
    expect(expandMacros('{{record_key_field winner_key consent_day}}')).toBe('CAST(winner_key AS BIGINT) % 131072');
    expect(() => expandMacros('{{record_key_unit phone_number}}')).toThrow('not a field of the record key: phone_number');
  });

  it('lays the fields side by side without overlap, and keeps a key of any day up to 2199 below 2^53', () => {
    const fields = Object.values(RECORD_KEY_FIELDS).sort((a, b) => a.bit - b.bit);
    for (let i = 1; i < fields.length; i++) expect(fields[i - 1]!.bit + fields[i - 1]!.width!).toBeLessThanOrEqual(fields[i]!.bit);
    const lastDay = (Date.UTC(2199, 11, 31) - Date.UTC(1900, 0, 1)) / 86_400_000;
    expect((lastDay + 1) * 2 ** RECORD_KEY_FIELDS.event_day.bit).toBeLessThan(2 ** 53);
  });
});
