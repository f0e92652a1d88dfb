import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { COMPRESSED_BYTES_PER_ACCOUNT_DAY, generateConsentFeeds, type GenerateConsentOptions } from '../../local/generate/consent-feeds.ts';
import { defectOf, findSituations, readFeeds, type FeedFile } from './feed-reader.ts';

const roots: string[] = [];

async function generate(options: Omit<GenerateConsentOptions, 'out'>, out?: string) {
  const dir = out ?? (await mkdtemp(path.join(tmpdir(), 'outbound-generate-')));
  if (!out) roots.push(dir);
  const summary = await generateConsentFeeds({ out: dir, ...options });
  return { dir, summary };
}

/** Every file under `dir`, by relative path, with its bytes. */
async function snapshotDir(dir: string): Promise<Map<string, Buffer>> {
  const files = new Map<string, Buffer>();
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const full = path.join(entry.parentPath, entry.name);
    files.set(path.relative(dir, full), await readFile(full));
  }
  return files;
}

function nonFinRows(files: FeedFile[], date: string): Map<string, string> {
  const rows = new Map<string, string>();
  for (const file of files.filter((f) => f.feed === 'NON-FIN-BDL' && f.date === date)) {
    for (const row of file.rows) rows.set(row.cnsmr_phn_id, Object.values(row).join('|'));
  }
  return rows;
}

afterAll(async () => {
  await Promise.all(roots.map((root) => rm(root, { recursive: true, force: true })));
});

describe('generateConsentFeeds', () => {
  it('writes the three feeds of each of the K days ending at --date, named as SPEC §3.1 says', async () => {
    const { dir, summary } = await generate({ date: '2026-11-20', customers: 200 });

    const names = [...(await snapshotDir(dir)).keys()].sort();

    expect(names).toEqual([
      'consent/ENROLLMENT/ENRLMT_20261118.csv.gz',
      'consent/ENROLLMENT/ENRLMT_20261119.csv.gz',
      'consent/ENROLLMENT/ENRLMT_20261120.csv.gz',
      'consent/MAINTENANCE/NON-FIN-BDL_20261118.csv.gz',
      'consent/MAINTENANCE/NON-FIN-BDL_20261119.csv.gz',
      'consent/MAINTENANCE/NON-FIN-BDL_20261120.csv.gz',
      'consent/MAINTENANCE/SUPPLFWD_20261118.csv.gz',
      'consent/MAINTENANCE/SUPPLFWD_20261119.csv.gz',
      'consent/MAINTENANCE/SUPPLFWD_20261120.csv.gz',
    ]);
    expect(summary.dates).toEqual(['2026-11-18', '2026-11-19', '2026-11-20']);
    expect(summary.files.map((file) => file.path).sort()).toEqual(names);
    expect(summary.rows).toBe(summary.files.reduce((sum, file) => sum + file.rows, 0));
  });

  it('writes the header of each feed exactly as the SPEC §3.1 table lists its columns', async () => {
    const { dir } = await generate({ date: '2026-11-20', customers: 50, days: 1 });

    const headers = Object.fromEntries((await readFeeds(dir)).map((file) => [file.feed, file.header]));

    expect(headers).toEqual({
      ENRLMT: 'cnsmr_idntfr_lgcy_txt|cnsmr_phn_nbr_txt|cnsmr_phn_typ_cd|cnsmr_phn_src_cd|cnsmr_phn_sms_cnsnt_flg|rcrd_dt',
      'NON-FIN-BDL': 'cnsmr_idntfr_lgcy_txt|cnsmr_phn_id|cnsmr_phn_nbr_txt|cnsmr_phn_typ_cd|cnsmr_phn_src_cd|cnsmr_phn_sms_cnsnt_flg',
      SUPPLFWD:
        'cnsmr_idntfr_lgcy_txt|cnsmr_phn_nbr_txt|cnsmr_phn_typ_cd|cnsmr_phn_src_cd|cnsmr_phn_sms_cnsnt_flg|cnsmr_phn_sft_dlt_flg|rcrd_dt',
    });
  });

  it('gives byte-identical files for the same seed and different files for another seed', async () => {
    const first = await snapshotDir((await generate({ date: '2026-11-20', customers: 300, seed: 7 })).dir);
    const again = await snapshotDir((await generate({ date: '2026-11-20', customers: 300, seed: 7 })).dir);
    const other = await snapshotDir((await generate({ date: '2026-11-20', customers: 300, seed: 8 })).dir);

    expect(again).toEqual(first);
    for (const [name, bytes] of other) expect(bytes.equals(first.get(name)!), name).toBe(false);
  });

  it('generates day 2 in a separate call consistently with day 1: same days rewritten identically, the new day evolved by ~1%', async () => {
    const { dir } = await generate({ date: '2026-11-20', customers: 2000 });
    const day1 = await snapshotDir(dir);
    const before = await readFeeds(dir);

    await generate({ date: '2026-11-21', customers: 2000 }, dir);
    const day2 = await snapshotDir(dir);
    const after = await readFeeds(dir);

    for (const [name, bytes] of day1) expect(day2.get(name)?.equals(bytes), name).toBe(true);
    expect(day2.size).toBe(day1.size + 3);
    const yesterday = nonFinRows(before, '20261120');
    const today = nonFinRows(after, '20261121');
    const unchanged = [...today].filter(([id, row]) => yesterday.get(id) === row).length;
    const changed = [...today].filter(([id, row]) => yesterday.has(id) && yesterday.get(id) !== row).length;
    const added = [...today.keys()].filter((id) => !yesterday.has(id)).length;
    const gone = [...yesterday.keys()].filter((id) => !today.has(id)).length;
    expect(unchanged / yesterday.size).toBeGreaterThan(0.97);
    expect(changed).toBeGreaterThan(0);
    expect(added).toBeGreaterThan(0);
    expect(gone).toBeGreaterThan(0);
    expect((changed + added + gone) / yesterday.size).toBeLessThan(0.05);
  });

  it('writes a day identically whether it is generated alone or among many days (rendered in several passes)', async () => {
    const first = await snapshotDir((await generate({ date: '2026-11-12', customers: 300, days: 1 })).dir);
    const last = await snapshotDir((await generate({ date: '2026-11-20', customers: 300, days: 1 })).dir);
    const { dir, summary } = await generate({ date: '2026-11-20', customers: 300, days: 9 });
    const among = await snapshotDir(dir);

    expect(summary.dates).toHaveLength(9);
    expect(among.size).toBe(27);
    for (const [name, bytes] of [...first, ...last]) expect(among.get(name)?.equals(bytes), name).toBe(true);
  });

  it.each([42, 1, 2])('has every §4 situation in a 3-day sample of 500 accounts (seed %i)', async (seed) => {
    const { dir } = await generate({ date: '2026-11-20', customers: 500, seed });

    const s = findSituations(await readFeeds(dir));

    for (const style of ['(999) 999-9999', '999.999.9999', '+9 999 999 9999', '99999999999', '999-999-9999', '9999999999']) {
      expect(s.phoneStyles, style).toContain(style);
    }
    expect(s.straySpaces).toBeGreaterThan(0);
    expect(s.retypedPairs).toBeGreaterThan(0);
    expect(s.nonFinDuplicates).toBeGreaterThan(0);
    expect(s.supplfwdDuplicates).toBeGreaterThan(0);
    expect(s.softDeletes).toBeGreaterThan(0);
    expect(s.readds).toBeGreaterThan(0);
    expect(s.hardDeletes).toBeGreaterThan(0);
    expect(s.optOuts).toBeGreaterThan(0);
    expect(s.optIns).toBeGreaterThan(0);
    expect(s.enrollmentOnly).toBeGreaterThan(0);
    expect(s.sharedPhones).toBeGreaterThan(0);
    expect(s.nonClientSources).toBeGreaterThan(0);
    expect(s.emptyConsents).toBeGreaterThan(0);
    expect(s.malformed).toBeGreaterThan(0);
  });

  it('keeps malformed rows rare and of several kinds, and every other row valid', async () => {
    const { dir, summary } = await generate({ date: '2026-11-20', customers: 8000 });

    const s = findSituations(await readFeeds(dir));

    expect(s.malformed).toBe(summary.malformedRows);
    expect(s.malformed / s.rows).toBeLessThan(0.002);
    expect([...s.malformedKinds].sort()).toEqual(
      expect.arrayContaining(['CONSENT_FLAG', 'DATE', 'LEGACY_ID', 'PHONE_INVALID_CHARACTERS', 'PHONE_INVALID_LENGTH', 'PHONE_NOT_NANP']),
    );
  });

  it('keeps the proportions of a realistic book: mostly CLIENT sources, 1–4+ phones per account, a few duplicates', async () => {
    const { dir } = await generate({ date: '2026-11-20', customers: 5000, days: 1 });

    const [snapshot] = (await readFeeds(dir)).filter((file) => file.feed === 'NON-FIN-BDL');
    const valid = snapshot.rows.filter((row) => defectOf('NON-FIN-BDL', row) === null);
    const accounts = new Set(valid.map((row) => row.cnsmr_idntfr_lgcy_txt));
    const share = (predicate: (row: Record<string, string>) => boolean) => valid.filter(predicate).length / valid.length;

    expect(accounts.size).toBeGreaterThan(4500);
    expect(valid.length / accounts.size).toBeGreaterThan(1.5);
    expect(valid.length / accounts.size).toBeLessThan(3);
    expect(share((row) => row.cnsmr_phn_src_cd === 'CLIENT')).toBeGreaterThan(0.7);
    expect(share((row) => row.cnsmr_phn_typ_cd === 'MOBILE')).toBeGreaterThan(0.4);
    expect(share((row) => row.cnsmr_phn_sms_cnsnt_flg === 'Y')).toBeGreaterThan(0.25);
    expect(share((row) => row.cnsmr_phn_sms_cnsnt_flg === 'N')).toBeGreaterThan(0.03);
    expect(1 - new Set(valid.map((row) => row.cnsmr_phn_id)).size / valid.length).toBeLessThan(0.02);
  });

  it('splits a feed-day into _NNN files when it exceeds the file size, each with the header, with the same rows in order', async () => {
    const whole = await readFeeds((await generate({ date: '2026-11-20', customers: 2000, days: 1 })).dir);
    const { dir, summary } = await generate({ date: '2026-11-20', customers: 2000, days: 1, maxFileMb: 0.01 });

    const split = await readFeeds(dir);
    const parts = split.filter((file) => file.feed === 'NON-FIN-BDL');

    expect(parts.length).toBeGreaterThan(3);
    expect(parts.map((file) => path.basename(file.key))).toEqual(
      parts.map((_, i) => `NON-FIN-BDL_20261120_${String(i + 1).padStart(3, '0')}.csv.gz`),
    );
    expect(new Set(parts.map((file) => file.header)).size).toBe(1);
    expect(parts.flatMap((file) => file.rows)).toEqual(whole.find((file) => file.feed === 'NON-FIN-BDL')!.rows);
    expect(summary.files.filter((file) => file.feed === 'NON-FIN-BDL').every((file) => file.bytes < 0.03 * 2 ** 20)).toBe(true);
  });

  it('replaces the files of a regenerated day even when they were split differently before', async () => {
    const { dir } = await generate({ date: '2026-11-20', customers: 2000, days: 1, maxFileMb: 0.01 });

    await generate({ date: '2026-11-20', customers: 2000, days: 1 }, dir);

    expect([...(await snapshotDir(dir)).keys()].filter((name) => name.includes('NON-FIN-BDL'))).toEqual([
      'consent/MAINTENANCE/NON-FIN-BDL_20261120.csv.gz',
    ]);
  });

  it('sizes the world from consentMb to come near the target size', async () => {
    const { summary } = await generate({ date: '2026-11-20', consentMb: 1.5 });

    expect(summary.customers).toBe(Math.round((1.5 * 2 ** 20) / (3 * COMPRESSED_BYTES_PER_ACCOUNT_DAY)));
    expect(summary.bytes / (1.5 * 2 ** 20)).toBeGreaterThan(0.8);
    expect(summary.bytes / (1.5 * 2 ** 20)).toBeLessThan(1.2);
  });

  it.each<[string, Omit<GenerateConsentOptions, 'out'>, RegExp]>([
    ['both customers and consentMb', { date: '2026-11-20', customers: 10, consentMb: 1 }, /either customers or consentMb/],
    ['an impossible date', { date: '2026-02-30' }, /invalid date "2026-02-30"/],
    ['zero days', { date: '2026-11-20', days: 0 }, /days must be an integer/],
    ['a negative seed', { date: '2026-11-20', seed: -1 }, /seed must be an integer/],
  ])('rejects %s with a clear message', async (_, options, message) => {
    await expect(generate(options)).rejects.toThrow(message);
  });
});
