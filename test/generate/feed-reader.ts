import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { LEGACY_CONSUMER_ID } from '../../domain/consent.ts';
import { parseConsentFeedKey, type ConsentFeed } from '../../domain/consent-feeds.ts';
import { normalizePhone } from '../../domain/phone.ts';

/** Reads generated consent feeds back and finds the §4 situations in them (test helper). */

export interface FeedFile {
  feed: ConsentFeed;
  /** Key under the landing zone, e.g. `consent/MAINTENANCE/SUPPLFWD_20261120.csv.gz`. */
  key: string;
  /** `YYYYMMDD` from the file name. */
  date: string;
  header: string;
  /** Rows by the column names of the header. */
  rows: Record<string, string>[];
}

/** Every file under consent/, which must all be feed files named as the pipeline expects. */
export async function readFeeds(out: string): Promise<FeedFile[]> {
  const files: FeedFile[] = [];
  for (const folder of ['consent/ENROLLMENT', 'consent/MAINTENANCE']) {
    for (const name of (await readdir(path.join(out, folder))).sort()) {
      const key = `${folder}/${name}`;
      const parsed = parseConsentFeedKey(key);
      if (!parsed) throw new Error(`unexpected file ${key}`);
      const lines = gunzipSync(await readFile(path.join(out, key))).toString('utf8').split('\n');
      if (lines.pop() !== '') throw new Error(`${key} does not end with a newline`);
      const [header, ...body] = lines;
      const columns = header.split('|');
      const rows = body.map((line) => Object.fromEntries(line.split('|').map((value, i) => [columns[i], value])));
      files.push({ feed: parsed.feed, key, date: parsed.fileDate.replaceAll('-', ''), header, rows });
    }
  }
  return files;
}

/** Why a row is malformed, or null when every field is valid. */
export function defectOf(feed: ConsentFeed, row: Record<string, string>): string | null {
  if (!LEGACY_CONSUMER_ID.test(row.cnsmr_idntfr_lgcy_txt)) return 'LEGACY_ID';
  const phone = normalizePhone(row.cnsmr_phn_nbr_txt);
  if (!phone.ok) return `PHONE_${phone.reason}`;
  if (!['MOBILE', 'HOME', 'WORK', 'OTHER'].includes(row.cnsmr_phn_typ_cd)) return 'TYPE';
  if (!['CLIENT', 'CONSUMER', 'THIRD_PARTY', 'OTHER'].includes(row.cnsmr_phn_src_cd)) return 'SOURCE';
  if (!['Y', 'N', ''].includes(row.cnsmr_phn_sms_cnsnt_flg)) return 'CONSENT_FLAG';
  if (feed === 'SUPPLFWD' && !['Y', 'N'].includes(row.cnsmr_phn_sft_dlt_flg)) return 'SOFT_DELETE_FLAG';
  if (feed !== 'NON-FIN-BDL' && !isCompactDate(row.rcrd_dt)) return 'DATE';
  if (feed === 'NON-FIN-BDL' && !/^\d+$/.test(row.cnsmr_phn_id)) return 'PHONE_ID';
  return null;
}

function isCompactDate(text: string): boolean {
  if (!/^\d{8}$/.test(text)) return false;
  const iso = `${text.slice(0, 4)}-${text.slice(4, 6)}-${text.slice(6)}`;
  return !Number.isNaN(Date.parse(iso)) && new Date(iso).toISOString().slice(0, 10) === iso;
}

export interface Situations {
  rows: number;
  malformed: number;
  malformedKinds: Set<string>;
  phoneStyles: Set<string>;
  straySpaces: number;
  nonFinDuplicates: number;
  supplfwdDuplicates: number;
  softDeletes: number;
  /** Soft-deleted, then in a later NON-FIN snapshot. */
  readds: number;
  /** In a NON-FIN snapshot, absent from the newest one, never soft-deleted. */
  hardDeletes: number;
  optOuts: number;
  optIns: number;
  /** Enrolled before the newest snapshot date, never in NON-FIN or SUPPLFWD. */
  enrollmentOnly: number;
  /** Same number on two accounts in the newest NON-FIN snapshot. */
  sharedPhones: number;
  /** Same pair whose number is typed differently in different rows. */
  retypedPairs: number;
  nonClientSources: number;
  emptyConsents: number;
}

/** Shape of a typed number, digits replaced by 9: `(999) 999-9999`. */
export function phoneStyle(text: string): string {
  return text.trim().replace(/[0-9]/g, '9');
}

export function findSituations(files: FeedFile[]): Situations {
  const s: Situations = {
    rows: 0, malformed: 0, malformedKinds: new Set(), phoneStyles: new Set(), straySpaces: 0, nonFinDuplicates: 0,
    supplfwdDuplicates: 0, softDeletes: 0, readds: 0, hardDeletes: 0, optOuts: 0, optIns: 0, enrollmentOnly: 0,
    sharedPhones: 0, retypedPairs: 0, nonClientSources: 0, emptyConsents: 0,
  };
  // Timeline per (account, E.164): [date, order (NON-FIN 0, SUPPLFWD 1), consent, soft delete].
  const timeline = new Map<string, [string, number, string, string][]>();
  const snapshots = new Map<string, Set<string>>();
  const inMaintenance = new Set<string>();
  const enrolledOn = new Map<string, string>();
  const texts = new Map<string, Set<string>>();
  const supplfwdKeys = new Map<string, number>();
  for (const file of files) {
    const ids = new Map<string, number>();
    for (const row of file.rows) {
      s.rows++;
      const defect = defectOf(file.feed, row);
      if (defect) {
        s.malformed++;
        s.malformedKinds.add(defect);
        continue;
      }
      const text = row.cnsmr_phn_nbr_txt;
      s.phoneStyles.add(phoneStyle(text));
      if (text !== text.trim() || /  |[-.] |^\+?\d{5,} \d{4}$/.test(text)) s.straySpaces++;
      if (row.cnsmr_phn_src_cd !== 'CLIENT') s.nonClientSources++;
      if (row.cnsmr_phn_sms_cnsnt_flg === '') s.emptyConsents++;
      const pair = `${row.cnsmr_idntfr_lgcy_txt}|${(normalizePhone(text) as { e164: string }).e164}`;
      texts.set(pair, (texts.get(pair) ?? new Set()).add(text));
      const events = timeline.get(pair) ?? [];
      timeline.set(pair, events);
      if (file.feed === 'ENRLMT') enrolledOn.set(pair, file.date);
      else inMaintenance.add(pair);
      if (file.feed === 'NON-FIN-BDL') {
        ids.set(row.cnsmr_phn_id, (ids.get(row.cnsmr_phn_id) ?? 0) + 1);
        const day = snapshots.get(file.date) ?? new Set();
        snapshots.set(file.date, day.add(pair));
        events.push([file.date, 0, row.cnsmr_phn_sms_cnsnt_flg, 'N']);
      }
      if (file.feed === 'SUPPLFWD') {
        const key = `${pair}|${row.rcrd_dt}`;
        supplfwdKeys.set(key, (supplfwdKeys.get(key) ?? 0) + 1);
        events.push([row.rcrd_dt, 1, row.cnsmr_phn_sms_cnsnt_flg, row.cnsmr_phn_sft_dlt_flg]);
        if (row.cnsmr_phn_sft_dlt_flg === 'Y') s.softDeletes++;
      }
    }
    for (const count of ids.values()) if (count > 1) s.nonFinDuplicates++;
  }
  for (const count of supplfwdKeys.values()) if (count > 1) s.supplfwdDuplicates++;
  for (const set of texts.values()) if (set.size > 1) s.retypedPairs++;
  const snapshotDates = [...snapshots.keys()].sort();
  const newest = snapshots.get(snapshotDates.at(-1) ?? '') ?? new Set<string>();
  for (const [pair, date] of enrolledOn) if (date < (snapshotDates.at(-1) ?? '') && !inMaintenance.has(pair)) s.enrollmentOnly++;
  for (const [pair, events] of timeline) {
    events.sort((a, b) => a[0].localeCompare(b[0]) || a[1] - b[1]);
    const softDeletedOn = events.filter((e) => e[1] === 1 && e[3] === 'Y').map((e) => e[0]);
    if (softDeletedOn.some((date) => events.some((e) => e[1] === 0 && e[0] > date))) s.readds++;
    if (softDeletedOn.length === 0 && events.some((e) => e[1] === 0) && !newest.has(pair)) s.hardDeletes++;
    for (let i = 1; i < events.length; i++) {
      if (events[i - 1][2] === 'Y' && events[i][2] === 'N') s.optOuts++;
      if (events[i - 1][2] === 'N' && events[i][2] === 'Y') s.optIns++;
    }
  }
  const accountsByPhone = new Map<string, Set<string>>();
  for (const pair of newest) {
    const [account, phone] = pair.split('|');
    accountsByPhone.set(phone, (accountsByPhone.get(phone) ?? new Set()).add(account));
  }
  for (const accounts of accountsByPhone.values()) if (accounts.size > 1) s.sharedPhones++;
  return s;
}
