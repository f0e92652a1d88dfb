import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, describe, expect, it } from 'vitest';
import { checkConsentInputs, consentExportName, consentFeedLayout, parseConsentFeedKey, type ConsentFeed } from '../../../domain/consent/consent-feeds.ts';
import { normalizePhone } from '../../../domain/values/phone.ts';
import {
  COMPRESSED_BYTES_PER_ACCOUNT_DAY,
  deliveriesOf,
  generateConsentFeeds,
  type ConsentCadence,
  type GenerateConsentOptions,
} from '../../../local/generate/consent-feeds.ts';
import { parseIsoDate } from '../../../local/generate/days.ts';
import { defectOf, findSituations, isIsoDate, parsePipeDelimited, phoneRecord, readFeeds, type FeedFile, type PhoneRecord } from './feed-reader.ts';

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

/** The files by `feed date` (names differ only in the sequence number when the window differs). */
function byDelivery(files: Map<string, Buffer>): Map<string, Buffer> {
  return new Map(
    [...files].map(([name, bytes]) => {
      const parsed = parseConsentFeedKey(name);
      if (!parsed.ok) throw new Error(parsed.problem);
      return [`${parsed.file.feed} ${parsed.file.fileDate}`, bytes];
    }),
  );
}

function records(files: FeedFile[], feed: ConsentFeed, valid = true): (PhoneRecord & { fileDate: string })[] {
  return files
    .filter((file) => file.feed === feed)
    .flatMap((file) =>
      file.rows.filter((row) => !valid || defectOf(feed, row) === null).map((row) => ({ ...phoneRecord(feed, row), fileDate: file.fileDate })),
    );
}

function nonFinRows(files: FeedFile[], date: string): Map<string, string> {
  const rows = new Map<string, string>();
  for (const file of files.filter((f) => f.feed === 'NON-FIN-BDL' && f.fileDate === date)) {
    for (const row of file.rows) rows.set(row.cnsmr_phn_id, Object.values(row).join('|'));
  }
  return rows;
}

function e164(text: string): string {
  const phone = normalizePhone(text);
  if (!phone.ok) throw new Error(`not a phone: ${text}`);
  return phone.e164;
}

const daysBetween = (from: string, to: string) => parseIsoDate(to) - parseIsoDate(from);

afterAll(async () => {
  await Promise.all(roots.map((root) => rm(root, { recursive: true, force: true })));
});

describe('generateConsentFeeds, daily cadence', () => {
  it('names each export as the client does: its folder, an early-morning timestamp of the file date, a sequence counting across days', async () => {
    const { dir, summary } = await generate({ date: '2026-11-20', customers: 200 });

    const names = [...(await snapshotDir(dir)).keys()].sort();
    const parsed = names.map((name) => {
      const result = parseConsentFeedKey(name);
      if (!result.ok) throw new Error(result.problem);
      return result.file;
    });

    expect(parsed.map((file) => `${file.feed} ${file.fileDate} ${file.sequence}`).sort()).toEqual([
      'ENRLMT 2026-11-18 1',
      'ENRLMT 2026-11-19 2',
      'ENRLMT 2026-11-20 3',
      'NON-FIN-BDL 2026-11-18 1',
      'NON-FIN-BDL 2026-11-19 2',
      'NON-FIN-BDL 2026-11-20 3',
      'SUPPLFWD 2026-11-18 1',
      'SUPPLFWD 2026-11-19 2',
      'SUPPLFWD 2026-11-20 3',
    ]);
    for (const file of parsed) {
      const timestamp = /-(\d{17})-/.exec(file.key)![1];
      expect(file.key).toBe(`${consentFeedLayout(file.feed).folder}${consentExportName(file.feed, timestamp, file.sequence)}`);
      expect(timestamp.slice(0, 8)).toBe(file.fileDate.replaceAll('-', ''));
      expect(Number(timestamp.slice(8, 10))).toBeGreaterThanOrEqual(2);
      expect(Number(timestamp.slice(8, 10))).toBeLessThan(5);
    }
    expect(checkConsentInputs(names, '2026-11-20')).toMatchObject({ newestSnapshot: '2026-11-20', problems: [] });
    expect(summary.dates).toEqual(['2026-11-18', '2026-11-19', '2026-11-20']);
    expect(summary.files.map((file) => file.path).sort()).toEqual(names);
    expect(summary.rows).toBe(summary.files.reduce((sum, file) => sum + file.rows, 0));
  });

  it('writes each header exactly as the feed layout lists its columns, and quotes the fields that hold | or " (RFC 4180), as DuckDB reads them', async () => {
    const { dir } = await generate({ date: '2026-11-20', customers: 1500, days: 1 });

    const files = await readFeeds(dir);

    for (const file of files) expect(file.columns).toEqual([...consentFeedLayout(file.feed).columns]);
    const names = records(files, 'NON-FIN-BDL').map((r) => r.lastName);
    expect(names.some((name) => /^[A-Z' -]+\|[A-Z' -]+$/.test(name))).toBe(true);
    expect(records(files, 'NON-FIN-BDL').some((r) => /^[A-Z]+ "[A-Z]+"$/.test(r.firstName))).toBe(true);
    expect(names.some((name) => /[ÑÉÁÍÓÚ]/.test(name))).toBe(true);
    const quoted = files.reduce((sum, file) => sum + file.quotedFields, 0);
    const rows = files.reduce((sum, file) => sum + file.rows.length, 0);
    expect(quoted / rows).toBeGreaterThan(0.002);
    expect(quoted / rows).toBeLessThan(0.05);
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    try {
      for (const file of files) {
        const reader = await connection.runAndReadAll(
          `select * from read_csv('${path.join(dir, file.key)}', delim = '|', quote = '"', escape = '"', header = true, all_varchar = true)`,
        );
        const read = (reader.getRowObjectsJson() as Record<string, string | null>[]).map((row) =>
          Object.fromEntries(Object.entries(row).map(([k, v]) => [k, v ?? ''])),
        );
        expect(read, file.key).toEqual(file.rows);
      }
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
  });

  it('parses quoted fields with delimiters, doubled quotes and newlines, and refuses broken quoting', () => {
    expect(parsePipeDelimited('a|"b|c"|"say ""hi"""|"x\ny"|\n1||3|4|5\n')).toEqual({
      records: [
        ['a', 'b|c', 'say "hi"', 'x\ny', ''],
        ['1', '', '3', '4', '5'],
      ],
      quotedFields: 3,
    });
    expect(() => parsePipeDelimited('a|"b\n')).toThrow(/unterminated/);
    expect(() => parsePipeDelimited('a|"b"c\n')).toThrow(/unexpected character/);
    expect(() => parsePipeDelimited('a|b"c\n')).toThrow(/double quote inside an unquoted field/);
    expect(() => parsePipeDelimited('a|b')).toThrow(/no newline/);
  });

  it("fills every column with the client's values: ids, legacy id, SSN and names stable per account, codes, quality, consent dates", async () => {
    const { dir } = await generate({ date: '2026-11-20', customers: 3000 });
    const files = await readFeeds(dir);
    const nonFin = records(files, 'NON-FIN-BDL');
    const events = records(files, 'SUPPLFWD');
    const enrollments = records(files, 'ENRLMT');
    const all = [...nonFin, ...events, ...enrollments];

    const perAccount = new Map<string, Set<string>>();
    for (const r of all) perAccount.set(r.legacyId, (perAccount.get(r.legacyId) ?? new Set()).add(`${r.ssn}|${r.firstName}|${r.lastName}|${r.agencyId}`));
    expect([...perAccount.values()].every((set) => set.size === 1)).toBe(true);
    for (const r of all) {
      expect(r.ssn).toMatch(/^(?!000|666|9)\d{3}(?!00)\d{2}(?!0000)\d{4}$/);
      expect(r.legacyId).toBe(`${r.accountNumber}P`);
    }
    const phoneIds = new Map<string, Set<string>>();
    for (const r of nonFin) phoneIds.set(`${r.legacyId}|${e164(r.phone)}`, (phoneIds.get(`${r.legacyId}|${e164(r.phone)}`) ?? new Set()).add(r.recordId));
    expect([...phoneIds.values()].every((ids) => ids.size === 1)).toBe(true);
    expect(new Set(events.map((r) => r.recordId)).size).toBe(events.length);
    const share = (rows: PhoneRecord[], predicate: (r: PhoneRecord) => boolean) => rows.filter(predicate).length / rows.length;
    const cells = nonFin.filter((r) => r.type === 'CELL');
    const homes = nonFin.filter((r) => r.type === 'HOME');
    expect(share(cells, (r) => r.technology === 'WIRELESS')).toBeGreaterThan(0.85);
    expect(share(homes, (r) => r.technology === 'LANDLINE')).toBeGreaterThan(0.55);
    expect(share(nonFin, (r) => r.status === 'ACTIVE')).toBeGreaterThan(0.8);
    expect(new Set(nonFin.map((r) => r.status))).toEqual(new Set(['ACTIVE', 'INACTIVE', 'DISCONNECTED']));
    expect(new Set(nonFin.map((r) => r.technology))).toEqual(new Set(['WIRELESS', 'LANDLINE', 'VOIP']));
    expect(new Set(enrollments.map((r) => r.type))).toEqual(new Set(['CELL', 'HOME', 'WORK', 'OTHER']));
    expect(nonFin.some((r) => r.quality === '')).toBe(true);
    expect(nonFin.every((r) => r.quality === '' || (Number(r.quality) >= 1 && Number(r.quality) <= 100))).toBe(true);
    for (const r of [...nonFin, ...events]) {
      expect(r.consentDate === '', `${r.consent} ${r.consentDate}`).toBe(r.consent === '');
      if (r.consentDate) expect(r.consentDate <= r.fileDate).toBe(true);
    }
    for (const r of events) expect(r.date).toBe(r.fileDate);
    for (const r of enrollments) expect(r.date).toBe(r.fileDate);
    // The consent date is the day the current answer was given: the same in the next snapshot while the answer stands.
    const yesterday = new Map(nonFin.filter((r) => r.fileDate === '2026-11-19').map((r) => [r.recordId, r]));
    const today = nonFin.filter((r) => r.fileDate === '2026-11-20' && yesterday.get(r.recordId)?.consent === r.consent);
    expect(today.length).toBeGreaterThan(1000);
    for (const r of today) expect(r.consentDate).toBe(yesterday.get(r.recordId)!.consentDate);
  });

  it('gives byte-identical files for the same seed and different files for another seed', async () => {
    const first = await snapshotDir((await generate({ date: '2026-11-20', customers: 300, seed: 7 })).dir);
    const again = await snapshotDir((await generate({ date: '2026-11-20', customers: 300, seed: 7 })).dir);
    const other = byDelivery(await snapshotDir((await generate({ date: '2026-11-20', customers: 300, seed: 8 })).dir));

    expect(again).toEqual(first);
    for (const [name, bytes] of byDelivery(first)) expect(bytes.equals(other.get(name)!), name).toBe(false);
  });

  it('generates day 2 in a separate call consistently with day 1: same days rewritten identically, the new day numbered next and evolved by ~1%', async () => {
    const { dir } = await generate({ date: '2026-11-20', customers: 2000 });
    const day1 = await snapshotDir(dir);
    const before = await readFeeds(dir);

    await generate({ date: '2026-11-21', customers: 2000 }, dir);
    const day2 = await snapshotDir(dir);
    const after = await readFeeds(dir);

    for (const [name, bytes] of day1) expect(day2.get(name)?.equals(bytes), name).toBe(true);
    expect(day2.size).toBe(day1.size + 3);
    expect(after.filter((file) => file.fileDate === '2026-11-21').map((file) => file.sequence)).toEqual([4, 4, 4]);
    const yesterday = nonFinRows(before, '2026-11-20');
    const today = nonFinRows(after, '2026-11-21');
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

  it("writes a day's contents identically whether it is generated alone or among many days (rendered in several passes)", async () => {
    const first = byDelivery(await snapshotDir((await generate({ date: '2026-11-12', customers: 300, days: 1 })).dir));
    const last = byDelivery(await snapshotDir((await generate({ date: '2026-11-20', customers: 300, days: 1 })).dir));
    const { dir, summary } = await generate({ date: '2026-11-20', customers: 300, days: 9 });
    const among = byDelivery(await snapshotDir(dir));

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
    expect(s.lateChanges).toBeGreaterThan(0);
    expect(s.optOuts).toBeGreaterThan(0);
    expect(s.optIns).toBeGreaterThan(0);
    expect(s.enrollmentOnly).toBeGreaterThan(0);
    expect(s.sharedPhones).toBeGreaterThan(0);
    expect(s.nonClientSources).toBeGreaterThan(0);
    expect(s.emptyConsents).toBeGreaterThan(0);
    expect(s.consentDateMismatches).toBe(0);
    expect(s.malformed).toBeGreaterThan(0);
  });

  it('keeps malformed rows rare and of several kinds, and every other row valid', async () => {
    const { dir, summary } = await generate({ date: '2026-11-20', customers: 8000 });

    const s = findSituations(await readFeeds(dir));

    expect(s.malformed).toBe(summary.malformedRows);
    expect(s.malformed / s.rows).toBeLessThan(0.002);
    expect([...s.malformedKinds]).toEqual(
      expect.arrayContaining(['CODE', 'DATE', 'LEGACY_ID', 'PHONE_INVALID_CHARACTERS', 'PHONE_INVALID_LENGTH', 'PHONE_NOT_NANP', 'QUALITY']),
    );
  });

  it('keeps the proportions of a realistic book: mostly CLIENT sources, 1–4+ phones per account, a few duplicates', async () => {
    const { dir } = await generate({ date: '2026-11-20', customers: 5000, days: 1 });

    const valid = records(await readFeeds(dir), 'NON-FIN-BDL');
    const accounts = new Set(valid.map((r) => r.legacyId));
    const share = (predicate: (r: PhoneRecord) => boolean) => valid.filter(predicate).length / valid.length;

    expect(accounts.size).toBeGreaterThan(4500);
    expect(valid.length / accounts.size).toBeGreaterThan(1.5);
    expect(valid.length / accounts.size).toBeLessThan(3);
    expect(share((r) => r.source === 'CLIENT')).toBeGreaterThan(0.7);
    expect(share((r) => r.type === 'CELL')).toBeGreaterThan(0.4);
    expect(share((r) => r.consent === 'Y')).toBeGreaterThan(0.25);
    expect(share((r) => r.consent === 'N')).toBeGreaterThan(0.03);
    expect(1 - new Set(valid.map((r) => r.recordId)).size / valid.length).toBeLessThan(0.02);
  });

  it('splits a large export into several files of the same file date with the next sequence numbers, each with the header, the same rows in order', async () => {
    const whole = await readFeeds((await generate({ date: '2026-11-20', customers: 2000, days: 2 })).dir);
    const { dir, summary } = await generate({ date: '2026-11-20', customers: 2000, days: 2, maxFileMb: 0.01 });

    const split = await readFeeds(dir);
    const parts = split.filter((file) => file.feed === 'NON-FIN-BDL');
    const day1 = parts.filter((file) => file.fileDate === '2026-11-19');
    const day2 = parts.filter((file) => file.fileDate === '2026-11-20');

    expect(day1.length).toBeGreaterThan(3);
    expect(parts.map((file) => file.sequence)).toEqual(parts.map((_, i) => i + 1));
    expect(day2[0].sequence).toBe(day1.length + 1);
    expect(new Set(parts.map((file) => file.columns.join('|'))).size).toBe(1);
    for (const [date, files] of [
      ['2026-11-19', day1],
      ['2026-11-20', day2],
    ] as const) {
      expect(files.flatMap((file) => file.rows)).toEqual(whole.find((file) => file.feed === 'NON-FIN-BDL' && file.fileDate === date)!.rows);
    }
    expect(summary.files.filter((file) => file.feed === 'NON-FIN-BDL').every((file) => file.bytes < 0.03 * 2 ** 20)).toBe(true);
  });

  it('replaces the files of a regenerated window even when they were split differently before', async () => {
    const { dir } = await generate({ date: '2026-11-20', customers: 2000, days: 1, maxFileMb: 0.01 });

    await generate({ date: '2026-11-20', customers: 2000, days: 1 }, dir);

    const names = [...(await snapshotDir(dir)).keys()];
    expect(names.filter((name) => name.includes('NON-FIN-BDL'))).toHaveLength(1);
    expect(names.filter((name) => name.includes('NON-FIN-BDL'))[0]).toMatch(/NON-FIN-BDL_EXPORT_001\.csv\.gz$/);
  });

  it.each<[ConsentCadence, number, number]>([
    ['daily', 3, 1.5],
    ['history', 730, 1.5],
  ])('sizes the world from consentMb to come near the target size (%s, %i days)', async (cadence, days, mb) => {
    const { summary } = await generate({ date: '2026-11-20', consentMb: mb, cadence, days });

    expect(summary.customers).toBe(Math.round((mb * 2 ** 20) / (days * COMPRESSED_BYTES_PER_ACCOUNT_DAY[cadence])));
    expect(summary.bytes / (mb * 2 ** 20)).toBeGreaterThan(0.8);
    expect(summary.bytes / (mb * 2 ** 20)).toBeLessThan(1.2);
  });

  it.each<[string, Omit<GenerateConsentOptions, 'out'>, RegExp]>([
    ['both customers and consentMb', { date: '2026-11-20', customers: 10, consentMb: 1 }, /either customers or consentMb/],
    ['an impossible date', { date: '2026-02-30' }, /invalid date "2026-02-30"/],
    ['zero days', { date: '2026-11-20', days: 0 }, /days must be an integer in 1\.\.366/],
    ['a daily window of more than a year', { date: '2026-11-20', days: 400 }, /days must be an integer in 1\.\.366 for the daily cadence/],
    ['an unknown cadence', { date: '2026-11-20', cadence: 'weekly' as ConsentCadence }, /cadence must be daily or history/],
    ['a negative seed', { date: '2026-11-20', seed: -1 }, /seed must be an integer/],
  ])('rejects %s with a clear message', async (_, options, message) => {
    await expect(generate(options)).rejects.toThrow(message);
  });
});

describe('generateConsentFeeds, history cadence', () => {
  const DATE = '2026-11-20';
  let files: FeedFile[];
  let keys: string[];

  it('writes monthly snapshots, weekly SUPPLFWD and ENRLMT exports over the span, the last ones on --date', async () => {
    const { dir, summary } = await generate({ date: DATE, customers: 400, cadence: 'history', days: 1095 });
    files = await readFeeds(dir);
    keys = files.map((file) => file.key);

    const datesOf = (feed: ConsentFeed) => [...new Set(files.filter((file) => file.feed === feed).map((file) => file.fileDate))].sort();
    const snapshots = datesOf('NON-FIN-BDL');
    const weekly = datesOf('SUPPLFWD');
    expect(summary.dates[0]).toBe('2023-11-22');
    expect(summary.dates.at(-1)).toBe(DATE);
    expect(snapshots).toHaveLength(36);
    expect(snapshots.at(-1)).toBe(DATE);
    expect(snapshots.every((date) => date.endsWith('-20'))).toBe(true);
    expect(weekly).toHaveLength(157);
    expect(weekly.at(-1)).toBe(DATE);
    expect(weekly.slice(1).every((date, i) => daysBetween(weekly[i], date) === 7)).toBe(true);
    expect(datesOf('ENRLMT')).toEqual(weekly);
    for (const feed of ['NON-FIN-BDL', 'SUPPLFWD', 'ENRLMT'] as const) {
      expect(files.filter((file) => file.feed === feed).map((file) => file.sequence)).toEqual(datesOf(feed).map((_, i) => i + 1));
    }
    for (const r of [...records(files, 'SUPPLFWD'), ...records(files, 'ENRLMT')]) {
      expect(daysBetween(r.date, r.fileDate), `${r.date} in ${r.fileDate}`).toBeGreaterThanOrEqual(0);
      expect(daysBetween(r.date, r.fileDate)).toBeLessThan(7);
    }
    expect(records(files, 'SUPPLFWD').every((r) => isIsoDate(r.date))).toBe(true);
  });

  it('is fresh for --date, and for dates in between with the ~35-day snapshot age the monthly history needs', () => {
    expect(checkConsentInputs(keys, DATE).problems).toEqual([]);
    expect(checkConsentInputs(keys, '2026-11-15', 35).problems).toEqual([]);
    expect(checkConsentInputs(keys, '2026-11-15').problems).toEqual([expect.stringMatching(/dated 2026-10-20, 26 days before 2026-11-15/)]);
  });

  it('has every §4 situation', () => {
    const s = findSituations(files);

    for (const count of [
      'nonFinDuplicates',
      'supplfwdDuplicates',
      'softDeletes',
      'readds',
      'hardDeletes',
      'lateChanges',
      'optOuts',
      'optIns',
      'enrollmentOnly',
      'sharedPhones',
      'retypedPairs',
      'malformed',
    ] as const) {
      expect(s[count], count).toBeGreaterThan(0);
    }
    expect(s.consentDateMismatches).toBe(0);
    expect(s.quotedFields).toBeGreaterThan(0);
    // Every SUPPLFWD export has a malformed row, so the kinds of that feed show up here.
    expect([...s.malformedKinds].sort()).toEqual([
      'CODE',
      'CONSENT_FLAG',
      'DATE',
      'LEGACY_ID',
      'PHONE_INVALID_CHARACTERS',
      'PHONE_INVALID_LENGTH',
      'PHONE_NOT_NANP',
      'QUALITY',
      'SOFT_DELETE_FLAG',
    ]);
  });

  it('lists the deliveries of a short span: no export before the span, weekly ones clipped to it', () => {
    const first = parseIsoDate('2026-11-01');
    const last = parseIsoDate('2026-11-20');

    expect(deliveriesOf('history', first, last).map((d) => `${d.feed} ${d.day - first} ${d.from - first}..${d.to - first}`)).toEqual([
      'ENRLMT 5 0..5',
      'SUPPLFWD 5 0..5',
      'ENRLMT 12 6..12',
      'SUPPLFWD 12 6..12',
      'ENRLMT 19 13..19',
      'NON-FIN-BDL 19 19..19',
      'SUPPLFWD 19 13..19',
    ]);
    expect(
      deliveriesOf('history', parseIsoDate('2026-01-01'), parseIsoDate('2026-03-31'))
        .filter((d) => d.feed === 'NON-FIN-BDL')
        .map((d) => d.day),
    ).toEqual(['2026-01-31', '2026-02-28', '2026-03-31'].map(parseIsoDate));
  });
});
