import { describe, expect, it } from 'vitest';
import { redactRowContents } from '../../../domain/privacy/error-redaction.ts';

describe('redactRowContents', () => {
  it("drops DuckDB's offending CSV line and reader options, keeping the kind, line, problem and file", () => {
    // Prepare: DuckDB 1.5's message for a line that is not UTF-8 (the names and SSN are the row's).
    const duckdb =
      'Invalid Input Error: CSV Error on Line: 3\nOriginal Line: 2|ANN ??LEE|987-65-4321\n' +
      'Invalid unicode (byte sequence mismatch) detected. This file is not utf-8 encoded.\n\n' +
      "Possible Solution: Set the correct encoding, if available, to read this CSV File (e.g., encoding='UTF-16')\n\n" +
      '  file = /data/consent/MAINTENANCE/SN_SVC_DMBDL_DataManager-20261120-NON-FIN-BDL_EXPORT_001.csv.gz\n  delimiter = | (Set By User)\n  quote = " (Set By User)\n';
    // Act
    const redacted = redactRowContents(duckdb);
    // Assess
    expect(redacted).toBe(
      'Invalid Input Error: CSV Error on Line: 3; Invalid unicode (byte sequence mismatch) detected. This file is not utf-8 encoded.; ' +
        'file = /data/consent/MAINTENANCE/SN_SVC_DMBDL_DataManager-20261120-NON-FIN-BDL_EXPORT_001.csv.gz',
    );
    expect(redacted).not.toMatch(/ANN|LEE|987-65-4321/);
  });

  it('replaces quoted values and drops the SQL context of a conversion error', () => {
    const message = "Conversion Error: Could not convert string 'JOHN SMITH' to INT32\n\nLINE 1: select cast('JOHN SMITH' as integer)\n               ^";
    expect(redactRowContents(message)).toBe("Conversion Error: Could not convert string '…' to INT32");
  });

  it("leaves the application's own messages as they are", () => {
    const own = 'customer facts for 2026-11-20: 1 suppression entry cannot be applied: suppressions/suppressions_20261120.csv.gz line 3: INVALID_SCOPE';
    expect(redactRowContents(own)).toBe(own);
    const apostrophes = "consent load of 2026-11-20: the consent table's pending load is none, not this run's changes changes/";
    expect(redactRowContents(apostrophes)).toBe(apostrophes);
  });
});
