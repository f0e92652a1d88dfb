import { describe, expect, it } from 'vitest';
import { checkConsentInputs, parseConsentFeedKey } from '../../domain/consent-feeds.ts';

describe('consent feed file names (§3.1)', () => {
  it('takes the feed and the file date from the name, with or without the _NNN split', () => {
    expect(parseConsentFeedKey('consent/ENROLLMENT/ENRLMT_20261120.csv.gz')).toEqual({ key: 'consent/ENROLLMENT/ENRLMT_20261120.csv.gz', feed: 'ENRLMT', fileDate: '2026-11-20' });
    expect(parseConsentFeedKey('consent/MAINTENANCE/NON-FIN-BDL_20261121_003.csv.gz')?.fileDate).toBe('2026-11-21');
    expect(parseConsentFeedKey('consent/MAINTENANCE/SUPPLFWD_20261119_012.csv.gz')?.feed).toBe('SUPPLFWD');
  });

  it('ignores files that are not consent feeds', () => {
    expect(parseConsentFeedKey('consent/MAINTENANCE/NON-FIN-BDL_2026112.csv.gz')).toBeUndefined();
    expect(parseConsentFeedKey('consent/ENROLLMENT/ENRLMT_20261120.csv')).toBeUndefined();
    expect(parseConsentFeedKey('loan_tape/asof=2026-11-20/part-0.csv.gz')).toBeUndefined();
  });
});

describe('inputs present and fresh', () => {
  const keys = [
    'consent/ENROLLMENT/ENRLMT_20261120.csv.gz',
    'consent/MAINTENANCE/NON-FIN-BDL_20261120_001.csv.gz',
    'consent/MAINTENANCE/SUPPLFWD_20261120.csv.gz',
    'consent/MAINTENANCE/NON-FIN-BDL_20261122.csv.gz',
  ];

  it('is ready when the snapshot of the load date is there, and counts only files up to that date', () => {
    const { files, problems } = checkConsentInputs(keys, '2026-11-20');
    expect(problems).toEqual([]);
    expect(files).toHaveLength(3);
  });

  it('refuses a day whose NON-FIN snapshot is missing, naming the newest one it saw', () => {
    const { problems } = checkConsentInputs(keys, '2026-11-21');
    expect(problems).toEqual(['no NON-FIN-BDL snapshot dated 2026-11-21 under consent/MAINTENANCE/ (the newest is 2026-11-20)']);
  });

  it('refuses a date before any feed', () => {
    expect(checkConsentInputs(keys, '2026-11-01').problems).toEqual(['no consent feed files dated on or before 2026-11-01 under consent/']);
  });
});
