import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { ACCOUNT_NUMBER, LEGACY_CONSUMER_ID } from '../../../domain/consent/consent.ts';
import { consentFeeds, parseConsentFeedKey, type ConsentFeed } from '../../../domain/consent/consent-feeds.ts';
import type { RowFields } from '../../../local/generate/consent-feeds.ts';
import { normalizePhone } from '../../../domain/values/phone.ts';

/** Reads generated consent exports back and finds the §4 situations in them (test helper). */

export interface FeedFile {
  feed: ConsentFeed;
  /** Key under the landing zone, e.g. `consent/MAINTENANCE/SN_SVC_DMBDL_DataManager-…-NON-FIN-BDL_EXPORT_001.csv.gz`. */
  key: string;
  /** `YYYY-MM-DD`, from the name's timestamp. */
  fileDate: string;
  sequence: number;
  /** The header row's fields. */
  columns: string[];
  /** Rows by the column names of the header. */
  rows: Record<string, string>[];
  /** Fields written between double quotes. */
  quotedFields: number;
}

/** Every file under consent/, which must all be exports named as the pipeline expects. */
export async function readFeeds(out: string): Promise<FeedFile[]> {
  const files: FeedFile[] = [];
  for (const folder of new Set(consentFeeds.map((layout) => layout.folder))) {
    for (const name of (await readdir(path.join(out, folder))).sort()) {
      const key = `${folder}${name}`;
      const parsed = parseConsentFeedKey(key);
      if (!parsed.ok) throw new Error(parsed.problem);
      const { records, quotedFields } = parsePipeDelimited(gunzipSync(await readFile(path.join(out, key))).toString('utf8'), key);
      const [columns, ...body] = records;
      const rows = body.map((fields, line) => {
        if (fields.length !== columns.length) throw new Error(`${key} record ${line + 2}: ${fields.length} fields, the header has ${columns.length}`);
        return Object.fromEntries(fields.map((value, i) => [columns[i], value]));
      });
      files.push({ feed: parsed.file.feed, key, fileDate: parsed.file.fileDate, sequence: parsed.file.sequence, columns, rows, quotedFields });
    }
  }
  return files;
}

/**
 * RFC 4180 with `|` as the delimiter: a field is either plain (no `"`, `|` or newline) or quoted
 * (`"…"`, inner quotes doubled, may hold `|` and newlines). Every record ends with `\n`.
 * Throws on anything else, so a writer's mistake cannot pass unnoticed.
 */
export function parsePipeDelimited(text: string, name = 'text'): { records: string[][]; quotedFields: number } {
  const records: string[][] = [];
  let record: string[] = [];
  let quotedFields = 0;
  let i = 0;
  const fail = (problem: string) => new Error(`${name} record ${records.length + 1}: ${problem}`);
  while (i < text.length) {
    let value: string;
    if (text[i] === '"') {
      quotedFields++;
      value = '';
      for (i++; ; ) {
        const close = text.indexOf('"', i);
        if (close < 0) throw fail('unterminated quoted field');
        value += text.slice(i, close);
        i = close + 1;
        if (text[i] !== '"') break;
        value += '"';
        i++;
      }
    } else {
      let end = i;
      while (end < text.length && text[end] !== '|' && text[end] !== '\n') end++;
      value = text.slice(i, end);
      if (value.includes('"')) throw fail(`a double quote inside an unquoted field: ${value}`);
      i = end;
    }
    record.push(value);
    if (text[i] === '|') i++;
    else if (text[i] === '\n') {
      records.push(record);
      record = [];
      i++;
    } else throw fail(i >= text.length ? 'no newline at the end' : `unexpected character after a field: ${text[i]}`);
  }
  if (record.length > 0) throw fail('no newline at the end');
  return { records, quotedFields };
}

/** The fields of a row under one set of names, whichever feed it comes from (ENRLMT has no consent, no record id). */
export type PhoneRecord = RowFields;

export function phoneRecord(feed: ConsentFeed, row: Record<string, string>): PhoneRecord {
  if (feed === 'ENRLMT') {
    return {
      recordId: '',
      accountNumber: row.account_number,
      legacyId: row.consumer_legacy_identifier,
      agencyId: row.agency_id,
      ssn: row.ssn,
      firstName: row.first_name,
      lastName: row.last_name,
      phone: row.phone_number,
      type: row.phone_type,
      status: row.phone_status,
      source: row.phone_source,
      technology: row.phone_technology,
      quality: row.quality_score,
      consent: '',
      consentDate: '',
      softDelete: '',
      date: row.enrollment_date,
    };
  }
  return {
    recordId: feed === 'NON-FIN-BDL' ? row.cnsmr_phn_id : row.cnsmr_phn_hst_id,
    accountNumber: row.cnsmr_idntfr_lgcy_txt.slice(0, -1),
    legacyId: row.cnsmr_idntfr_lgcy_txt,
    agencyId: row.cnsmr_idntfr_agncy_id,
    ssn: row.cnsmr_idntfr_ssn_txt,
    firstName: row.cnsmr_nm_frst_txt,
    lastName: row.cnsmr_nm_lst_txt,
    phone: row.cnsmr_phn_nmbr_txt,
    type: row.cnsmr_phn_typ_val_txt,
    status: row.cnsmr_phn_stts_val_txt,
    source: row.cnsmr_phn_src_val_txt,
    technology: row.cnsmr_phn_tchnlgy_typ_val_txt,
    quality: row.cnsmr_phn_qlty_score_nmbr,
    consent: row.cnsmr_phn_cnsnt_flg,
    consentDate: row.cnsmr_phn_cnsnt_dt,
    softDelete: row.cnsmr_phn_sft_dlt_flg ?? '',
    date: row.record_date ?? '',
  };
}

export const FEED_CODES = {
  type: ['CELL', 'HOME', 'WORK', 'OTHER'],
  status: ['ACTIVE', 'INACTIVE', 'DISCONNECTED'],
  source: ['CLIENT', 'CONSUMER', 'THIRD_PARTY', 'OTHER'],
  technology: ['WIRELESS', 'LANDLINE', 'VOIP'],
} as const;

/** Why a row is malformed, or null when every field is valid. */
export function defectOf(feed: ConsentFeed, row: Record<string, string>): string | null {
  const r = phoneRecord(feed, row);
  if (!LEGACY_CONSUMER_ID.test(r.legacyId) || !ACCOUNT_NUMBER.test(r.accountNumber) || r.legacyId !== `${r.accountNumber}P`) return 'LEGACY_ID';
  const phone = normalizePhone(r.phone);
  if (!phone.ok) return `PHONE_${phone.reason}`;
  for (const [field, codes] of Object.entries(FEED_CODES)) if (!(codes as readonly string[]).includes(r[field as keyof typeof FEED_CODES])) return 'CODE';
  if (r.quality !== '' && !/^[1-9][0-9]?$|^100$/.test(r.quality)) return 'QUALITY';
  if (!/^[0-9]{9}$/.test(r.ssn)) return 'SSN';
  if (feed === 'ENRLMT') return isIsoDate(r.date) ? null : 'DATE';
  if (!/^[0-9]+$/.test(r.recordId)) return 'RECORD_ID';
  if (!['Y', 'N', ''].includes(r.consent)) return 'CONSENT_FLAG';
  if (r.consentDate !== '' && !isIsoDate(r.consentDate)) return 'DATE';
  if (feed === 'SUPPLFWD' && !['Y', 'N'].includes(r.softDelete)) return 'SOFT_DELETE_FLAG';
  if (feed === 'SUPPLFWD' && !isIsoDate(r.date)) return 'DATE';
  return null;
}

export function isIsoDate(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === text;
}

export interface Situations {
  rows: number;
  malformed: number;
  malformedKinds: Set<string>;
  phoneStyles: Set<string>;
  straySpaces: number;
  quotedFields: number;
  /** Valid rows whose consent date is empty exactly when the flag is not (must be 0). */
  consentDateMismatches: number;
  /** The same cnsmr_phn_id more than once among the NON-FIN files of one file date. */
  nonFinDuplicates: number;
  supplfwdDuplicates: number;
  softDeletes: number;
  /** Soft-deleted, then in a later NON-FIN snapshot. */
  readds: number;
  /** In a NON-FIN snapshot, absent from the newest one, never soft-deleted. */
  hardDeletes: number;
  /** Hard-deleted pairs with a SUPPLFWD flag-N record dated after their last snapshot. */
  lateChanges: number;
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

/** One row of a pair's history: date, order (NON-FIN 0, SUPPLFWD 1), consent, soft delete. */
type TimelineEntry = [string, number, string, string];

export function findSituations(files: FeedFile[]): Situations {
  const s: Situations = {
    rows: 0,
    malformed: 0,
    malformedKinds: new Set(),
    phoneStyles: new Set(),
    straySpaces: 0,
    quotedFields: 0,
    consentDateMismatches: 0,
    nonFinDuplicates: 0,
    supplfwdDuplicates: 0,
    softDeletes: 0,
    readds: 0,
    hardDeletes: 0,
    lateChanges: 0,
    optOuts: 0,
    optIns: 0,
    enrollmentOnly: 0,
    sharedPhones: 0,
    retypedPairs: 0,
    nonClientSources: 0,
    emptyConsents: 0,
  };
  const timeline = new Map<string, TimelineEntry[]>();
  const snapshots = new Map<string, Set<string>>();
  const snapshotIds = new Map<string, Map<string, number>>();
  const inMaintenance = new Set<string>();
  const enrolledOn = new Map<string, string>();
  const texts = new Map<string, Set<string>>();
  const supplfwdKeys = new Map<string, number>();
  for (const file of files) {
    s.quotedFields += file.quotedFields;
    for (const row of file.rows) {
      s.rows++;
      const defect = defectOf(file.feed, row);
      if (defect) {
        s.malformed++;
        s.malformedKinds.add(defect);
        continue;
      }
      const r = phoneRecord(file.feed, row);
      s.phoneStyles.add(phoneStyle(r.phone));
      if (r.phone !== r.phone.trim() || / {2}|[-.] |^\+?\d{5,} \d{4}$/.test(r.phone)) s.straySpaces++;
      if (r.source !== 'CLIENT') s.nonClientSources++;
      const pair = `${r.legacyId}|${(normalizePhone(r.phone) as { e164: string }).e164}`;
      texts.set(pair, (texts.get(pair) ?? new Set()).add(r.phone));
      if (file.feed === 'ENRLMT') {
        enrolledOn.set(pair, r.date);
        continue;
      }
      if (r.consent === '') s.emptyConsents++;
      if ((r.consent === '') !== (r.consentDate === '')) s.consentDateMismatches++;
      inMaintenance.add(pair);
      const events = timeline.get(pair) ?? [];
      timeline.set(pair, events);
      if (file.feed === 'NON-FIN-BDL') {
        const ids = snapshotIds.get(file.fileDate) ?? new Map<string, number>();
        snapshotIds.set(file.fileDate, ids.set(r.recordId, (ids.get(r.recordId) ?? 0) + 1));
        snapshots.set(file.fileDate, (snapshots.get(file.fileDate) ?? new Set()).add(pair));
        events.push([file.fileDate, 0, r.consent, 'N']);
      } else {
        const key = `${pair}|${r.date}`;
        supplfwdKeys.set(key, (supplfwdKeys.get(key) ?? 0) + 1);
        events.push([r.date, 1, r.consent, r.softDelete]);
        if (r.softDelete === 'Y') s.softDeletes++;
      }
    }
  }
  for (const ids of snapshotIds.values()) for (const count of ids.values()) if (count > 1) s.nonFinDuplicates++;
  for (const count of supplfwdKeys.values()) if (count > 1) s.supplfwdDuplicates++;
  for (const set of texts.values()) if (set.size > 1) s.retypedPairs++;
  const newestDate = [...snapshots.keys()].sort().at(-1) ?? '';
  const newest = snapshots.get(newestDate) ?? new Set<string>();
  for (const [pair, date] of enrolledOn) if (date < newestDate && !inMaintenance.has(pair)) s.enrollmentOnly++;
  for (const [pair, events] of timeline) countPairSituations(s, events, newest.has(pair));
  const accountsByPhone = new Map<string, Set<string>>();
  for (const pair of newest) {
    const [account, phone] = pair.split('|');
    accountsByPhone.set(phone, (accountsByPhone.get(phone) ?? new Set()).add(account));
  }
  for (const accounts of accountsByPhone.values()) if (accounts.size > 1) s.sharedPhones++;
  return s;
}

function countPairSituations(s: Situations, events: TimelineEntry[], inNewest: boolean): void {
  events.sort((a, b) => a[0].localeCompare(b[0]) || a[1] - b[1]);
  const softDeletedOn = events.filter((e) => e[1] === 1 && e[3] === 'Y').map((e) => e[0]);
  const lastSnapshot = events.filter((e) => e[1] === 0).at(-1)?.[0];
  if (softDeletedOn.some((date) => events.some((e) => e[1] === 0 && e[0] > date))) s.readds++;
  if (softDeletedOn.length === 0 && lastSnapshot !== undefined && !inNewest) {
    s.hardDeletes++;
    if (events.some((e) => e[1] === 1 && e[3] === 'N' && e[0] > lastSnapshot)) s.lateChanges++;
  }
  for (let i = 1; i < events.length; i++) {
    if (events[i - 1][2] === 'Y' && events[i][2] === 'N') s.optOuts++;
    if (events[i - 1][2] === 'N' && events[i][2] === 'Y') s.optIns++;
  }
}
