import { describe, expect, it } from 'vitest';
import { checkConsentInputs, consentExportName, parseConsentFeedKey } from '../../../domain/consent/consent-feeds.ts';

const nonfin = 'consent/MAINTENANCE/SN_SVC_DMBDL_DataManager-20261121053012345-NON-FIN-BDL_EXPORT_003.csv.gz';
const supplfwd = 'consent/MAINTENANCE/SN_SVC_DMBDL_DataManager-20261119060000000-SUPPLFWD-BDL_EXPORT_012.csv.gz';
const enrollment = 'consent/ENROLLMENT/IC_A2RGMRHG_DMENRL_DataManager-20261120060000000-ENRLMT-EXPORT_001.csv.gz';

describe('consent export names (§3.1)', () => {
  it('takes the feed from the marker, the file date from the timestamp and the sequence number', () => {
    expect(parseConsentFeedKey(nonfin)).toEqual({ ok: true, file: { key: nonfin, feed: 'NON-FIN-BDL', fileDate: '2026-11-21', sequence: 3 } });
    expect(parseConsentFeedKey(supplfwd)).toMatchObject({ ok: true, file: { feed: 'SUPPLFWD', fileDate: '2026-11-19', sequence: 12 } });
    expect(parseConsentFeedKey(enrollment)).toMatchObject({ ok: true, file: { feed: 'ENRLMT', fileDate: '2026-11-20' } });
  });

  it('matches the markers, not the prefix, which differs between the client environments', () => {
    const key = 'consent/MAINTENANCE/UAT2_SVC_DataManager-20261121053012345-NON-FIN-BDL_EXPORT_1.csv.gz';
    expect(parseConsentFeedKey(key)).toMatchObject({ ok: true, file: { feed: 'NON-FIN-BDL', fileDate: '2026-11-21', sequence: 1 } });
  });

  it('names what is wrong with a file it cannot read, instead of skipping it', () => {
    expect(parseConsentFeedKey('consent/MAINTENANCE/NON-FIN-BDL_20261121.csv.gz')).toEqual({
      ok: false,
      problem: expect.stringContaining('consent/MAINTENANCE/NON-FIN-BDL_20261121.csv.gz: not a consent export name'),
    });
    expect(parseConsentFeedKey(nonfin.replace('20261121', '20261321'))).toMatchObject({ ok: false, problem: expect.stringContaining('not a calendar date') });
    expect(parseConsentFeedKey(enrollment.replace('ENROLLMENT', 'MAINTENANCE'))).toMatchObject({
      ok: false,
      problem: expect.stringContaining('a ENRLMT export belongs under consent/ENROLLMENT/'),
    });
  });

  it('writes the client names that it reads back', () => {
    for (const feed of ['ENRLMT', 'NON-FIN-BDL', 'SUPPLFWD'] as const) {
      const name = consentExportName(feed, '20261120060000000', 7);
      const folder = feed === 'ENRLMT' ? 'consent/ENROLLMENT/' : 'consent/MAINTENANCE/';
      expect(parseConsentFeedKey(`${folder}${name}`)).toMatchObject({ ok: true, file: { feed, fileDate: '2026-11-20', sequence: 7 } });
    }
  });
});

describe('inputs present and fresh', () => {
  const keys = [enrollment, supplfwd, nonfin.replace('20261121', '20261118'), nonfin];

  it('is ready when the newest snapshot is at most the maximum age old, and lists only files up to the load date', () => {
    const { files, newestSnapshot, problems } = checkConsentInputs(keys, '2026-11-20', 2);
    expect(problems).toEqual([]);
    expect(newestSnapshot).toBe('2026-11-18');
    expect(files.map((file) => file.fileDate).sort()).toEqual(['2026-11-18', '2026-11-19', '2026-11-20']);
  });

  it('refuses a run whose newest snapshot is older than the maximum age, naming the date it found', () => {
    expect(checkConsentInputs(keys, '2026-11-20').problems).toEqual([
      'the newest NON-FIN-BDL snapshot is dated 2026-11-18, 2 days before 2026-11-20 (at most 1 allowed)',
    ]);
    expect(checkConsentInputs(keys, '2026-11-21').problems).toEqual([]);
  });

  it('refuses a date before any export, a history without a snapshot, and a file it cannot read', () => {
    expect(checkConsentInputs(keys, '2026-11-01').problems).toEqual(['no consent export dated on or before 2026-11-01 under consent/']);
    expect(checkConsentInputs([enrollment], '2026-11-20').problems).toEqual([
      'no NON-FIN-BDL snapshot dated on or before 2026-11-20 under consent/MAINTENANCE/',
    ]);
    expect(checkConsentInputs([...keys, 'consent/MAINTENANCE/notes.txt'], '2026-11-21').problems).toEqual([
      expect.stringContaining('consent/MAINTENANCE/notes.txt: not a consent export name'),
    ]);
  });
});
