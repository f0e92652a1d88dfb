import { describe, expect, it } from 'vitest';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { DuckDbEngine } from '../../adapters/duckdb-engine.ts';
import { dailyFeedFiles } from '../../domain/feeds/daily-feeds.ts';
import { sandbox } from '../sql/fixtures.ts';

describe('dailyFeedFiles', () => {
  it('keeps the files a run on D reads, by feed, and ignores temporary files and other extensions', () => {
    // Prepare
    const keys = [
      'loan_tape/asof=2026-11-20/loan_tape_20261120_002.csv.gz',
      'loan_tape/asof=2026-11-20/loan_tape_20261120_001.csv.gz',
      'loan_tape/asof=2026-11-20/.loan_tape_20261120_003.csv.gz',
      'loan_tape/asof=2026-11-20/README.txt',
      'loan_tape/asof=2026-11-19/loan_tape_20261119.csv.gz',
      'custom_fields/asof=2026-11-20/custom_fields_20261120.jsonl.gz',
      'custom_fields/asof=2026-11-20/custom_fields_20261120.csv.gz',
      'dispositions/date=2026-08-22/dispositions_20260822.csv.gz',
      'dispositions/date=2026-08-23/dispositions_20260823.csv.gz',
      'dispositions/date=2026-11-21/dispositions_20261121.csv.gz',
      'suppressions/suppressions_20261120.csv.gz',
      'suppressions/suppressions_20261121.csv.gz',
      'consent/MAINTENANCE/SN_SVC_DMBDL_DataManager-20261120053000000-NON-FIN-BDL_EXPORT_002.csv.gz',
    ];
    // Act
    const files = dailyFeedFiles(keys, '2026-11-20');
    // Assess
    expect(files).toEqual({
      loan_tape: ['loan_tape/asof=2026-11-20/loan_tape_20261120_001.csv.gz', 'loan_tape/asof=2026-11-20/loan_tape_20261120_002.csv.gz'],
      contacts: [],
      dispositions: ['dispositions/date=2026-08-23/dispositions_20260823.csv.gz'],
      suppressions: ['suppressions/suppressions_20261120.csv.gz'],
      custom_fields: ['custom_fields/asof=2026-11-20/custom_fields_20261120.jsonl.gz'],
      contact_rules: [],
      payment_requests: [],
      zip_suppressions: [],
    });
  });
});

describe('DuckDB registerFeeds', () => {
  it('names the feed and the file of a file that is not gzip (zlib alone says only "incorrect header check")', async () => {
    // Prepare
    const box = await sandbox();
    const key = 'loan_tape/asof=2026-11-20/loan_tape_20261120.csv.gz';
    await mkdir(dirname(join(box.data, key)), { recursive: true });
    await writeFile(join(box.data, key), 'payoffuid|account_number\n');
    const engine = await DuckDbEngine.open({ home: box.home, dataDir: box.data, memoryLimit: '256MB' });
    // Act
    const registered = engine.registerFeeds('2026-11-20');
    // Assess
    await expect(registered).rejects.toThrow(`loan_tape file ${key} cannot be read as gzip (zlib: incorrect header check)`);
    await engine.close();
    await box.cleanup();
  });
});
