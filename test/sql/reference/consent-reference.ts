import { consentFeedLayout, parseConsentFeedKey } from '../../../domain/consent/consent-feeds.ts';
import { normalizePhone } from '../../../domain/values/phone.ts';
import type { ConsentChange, PhoneConsentRow } from '../../../domain/consent/consent.ts';
import { feedFileKey, type FeedFile, type FeedName } from '../fixtures.ts';

/**
 * Independent reference model of SPEC §4 (bronze → silver → gold, rejects, changes), written from the
 * SPEC and the decisions of docs/consent-sql.md, not from the SQL: one pass over every export dated ≤ D,
 * records compared as tuples. Input: the landing zone as raw feed files (the `FeedFile`s the fixtures
 * write as gzip), fields as raw text in the §3.1 column order.
 */

export interface ReferenceReject {
  feed: FeedName;
  source_file: string;
  reject_reason: string;
}

export interface ReferenceResult {
  gold: PhoneConsentRow[];
  rejects: ReferenceReject[];
}

type Consent = 'Y' | 'N' | '';

/** One valid bronze row. */
interface ConsentRecord {
  feed: FeedName;
  account: string;
  phone: string;
  /** NON-FIN-BDL: file date; SUPPLFWD: record_date; ENRLMT: enrollment_date. */
  eventDate: string;
  fileDate: string;
  phoneId: string | null;
  type: string;
  status: string;
  source: string;
  technology: string;
  quality: number | null;
  consent: Consent;
  consentDate: string | null;
  softDeleted: boolean;
}

// docs/consent-sql.md: among records of one date the most restrictive wins, compared in this order.
const TYPE: Record<string, number> = { HOME: 0, CELL: 1, OTHER: 2, WORK: 3 };
const STATUS: Record<string, number> = { ACTIVE: 0, INACTIVE: 1, DISCONNECTED: 2 };
const SOURCE: Record<string, number> = { CLIENT: 0, CONSUMER: 1, OTHER: 2, THIRD_PARTY: 3 };
const TECHNOLOGY: Record<string, number> = { WIRELESS: 0, VOIP: 1, LANDLINE: 2 };
const CONSENT: Record<Consent, number> = { '': 0, Y: 1, N: 2 };

/** `YYYY-MM-DD` when it is a real date in 1900–2099, else null. */
function parseDate(text: string): string | null {
  if (!/^(19|20)[0-9]{2}-[0-9]{2}-[0-9]{2}$/.test(text)) return null;
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === text ? text : null;
}

/** docs/consent-sql.md: fields are trimmed of tab, line feed, carriage return and space (the phone by JS trim). */
const trim = (value: string | undefined): string => (value ?? '').replace(/^[\t\n\r ]+|[\t\n\r ]+$/g, '');

type Validated = { ok: true; record: ConsentRecord } | { ok: false; reason: string };

function validate(feed: FeedName, fileDate: string, row: string[]): Validated {
  const columns = consentFeedLayout(feed).columns as readonly string[];
  const raw = (column: string) => row[columns.indexOf(column)];
  const get = (column: string) => trim(raw(column));
  const enrollment = feed === 'ENRLMT';
  const accountId = get(enrollment ? 'account_number' : 'cnsmr_idntfr_lgcy_txt');
  if (enrollment ? !/^[0-9]{16}$/.test(accountId) : !/^[0-9]{16}P$/.test(accountId)) {
    return { ok: false, reason: !enrollment && /^[0-9]{16}[A-Z]$/.test(accountId) ? 'NOT_PRIMARY_CONSUMER' : 'INVALID_ACCOUNT' };
  }
  const phone = normalizePhone(raw(enrollment ? 'phone_number' : 'cnsmr_phn_nmbr_txt'));
  if (!phone.ok) return { ok: false, reason: `PHONE_${phone.reason}` };
  const phoneId = feed === 'NON-FIN-BDL' ? get('cnsmr_phn_id') : null;
  if (phoneId === '') return { ok: false, reason: 'INVALID_PHONE_ID' };
  const type = get(enrollment ? 'phone_type' : 'cnsmr_phn_typ_val_txt');
  if (!(type in TYPE)) return { ok: false, reason: 'INVALID_PHONE_TYPE' };
  const status = get(enrollment ? 'phone_status' : 'cnsmr_phn_stts_val_txt');
  if (!(status in STATUS)) return { ok: false, reason: 'INVALID_PHONE_STATUS' };
  const source = get(enrollment ? 'phone_source' : 'cnsmr_phn_src_val_txt');
  if (!(source in SOURCE)) return { ok: false, reason: 'INVALID_PHONE_SOURCE' };
  const technology = get(enrollment ? 'phone_technology' : 'cnsmr_phn_tchnlgy_typ_val_txt');
  if (!(technology in TECHNOLOGY)) return { ok: false, reason: 'INVALID_PHONE_TECHNOLOGY' };
  const qualityText = get(enrollment ? 'quality_score' : 'cnsmr_phn_qlty_score_nmbr');
  const quality = /^[0-9]{1,3}$/.test(qualityText) ? Number(qualityText) : null;
  if (qualityText !== '' && (quality === null || quality < 1 || quality > 100)) return { ok: false, reason: 'INVALID_QUALITY_SCORE' };
  const consent = enrollment ? '' : get('cnsmr_phn_cnsnt_flg');
  if (consent !== 'Y' && consent !== 'N' && consent !== '') return { ok: false, reason: 'INVALID_CONSENT_FLAG' };
  const consentText = enrollment ? '' : get('cnsmr_phn_cnsnt_dt');
  const consentDate = parseDate(consentText);
  if (consentText !== '' && (consentDate === null || consentDate > fileDate)) return { ok: false, reason: 'INVALID_CONSENT_DATE' };
  const deleteFlag = feed === 'SUPPLFWD' ? get('cnsmr_phn_sft_dlt_flg') : null;
  if (deleteFlag !== null && deleteFlag !== 'Y' && deleteFlag !== 'N') return { ok: false, reason: 'INVALID_DELETE_FLAG' };
  let eventDate = fileDate;
  if (feed !== 'NON-FIN-BDL') {
    const recordDate = parseDate(get(enrollment ? 'enrollment_date' : 'record_date'));
    if (recordDate === null || recordDate > fileDate) return { ok: false, reason: 'INVALID_DATE' };
    eventDate = recordDate;
  }
  return {
    ok: true,
    record: {
      feed,
      account: accountId.slice(0, 16),
      phone: phone.e164,
      eventDate,
      fileDate,
      phoneId,
      type,
      status,
      source,
      technology,
      quality,
      consent,
      consentDate,
      softDeleted: deleteFlag === 'Y',
    },
  };
}

/** The order of records: event date, SUPPLFWD over NON-FIN-BDL, then the most restrictive values. */
function rank(record: ConsentRecord): (number | string)[] {
  return [
    record.eventDate,
    record.feed === 'SUPPLFWD' ? 1 : 0,
    record.softDeleted ? 1 : 0,
    CONSENT[record.consent],
    STATUS[record.status]!,
    TYPE[record.type]!,
    SOURCE[record.source]!,
    TECHNOLOGY[record.technology]!,
    record.quality === null ? 127 : 101 - record.quality,
    record.consentDate ?? '',
  ];
}

function compareTuples(a: (number | string)[], b: (number | string)[]): number {
  for (let index = 0; index < a.length; index++) {
    if (a[index]! < b[index]!) return -1;
    if (a[index]! > b[index]!) return 1;
  }
  return 0;
}

function greatest<T>(items: T[], by: (item: T) => (number | string)[]): T | undefined {
  return items.reduce<T | undefined>((best, item) => (best === undefined || compareTuples(by(item), by(best)) > 0 ? item : best), undefined);
}

const hasSmsConsent = (consent: Consent): boolean | null => (consent === 'Y' ? true : consent === 'N' ? false : null);

/** Gold and rejects of the run for `asOfDate` over the landing zone `files`; throws as the run fails. */
export function referenceTransform(files: FeedFile[], asOfDate: string): ReferenceResult {
  const rejects: ReferenceReject[] = [];
  const records: ConsentRecord[] = [];
  const snapshots = new Set<string>();
  let dataRows = 0;
  const named = [...files].sort((a, b) => (feedFileKey(a) < feedFileKey(b) ? -1 : 1)).map((file) => ({ file, parsed: parseConsentFeedKey(feedFileKey(file)) }));
  // Every file name that is not an export name is named, whatever its date.
  const unreadable = named.flatMap(({ parsed }) => (parsed.ok ? [] : [parsed.problem]));
  if (unreadable.length > 0) throw new Error(`consent transform: ${unreadable.join('; ')}`);
  for (const { file, parsed } of named) {
    if (!parsed.ok) continue;
    const { fileDate } = parsed.file;
    if (fileDate > asOfDate) continue;
    const layout = consentFeedLayout(file.feed);
    for (const row of file.rows) {
      // A line whose non-PII fields are all empty is blank.
      if (layout.columns.every((column, index) => (layout.piiColumns as readonly string[]).includes(column) || !trim(row[index]))) continue;
      dataRows++;
      if (file.feed === 'NON-FIN-BDL') snapshots.add(fileDate);
      const result = validate(file.feed, fileDate, row);
      if (result.ok) records.push(result.record);
      else rejects.push({ feed: file.feed, source_file: feedFileKey(file), reject_reason: result.reason });
    }
  }
  if (dataRows === 0) {
    throw new Error(`no consent data: no ENRLMT, NON-FIN-BDL or SUPPLFWD export dated on or before ${asOfDate} holds a data row`);
  }

  // NON-FIN-BDL: one record per (account, cnsmr_phn_id, file date), the greatest (rank, phone) winning.
  const byPhoneId = new Map<string, ConsentRecord[]>();
  for (const record of records.filter((r) => r.feed === 'NON-FIN-BDL')) {
    const key = `${record.account}|${record.phoneId}|${record.fileDate}`;
    byPhoneId.set(key, [...(byPhoneId.get(key) ?? []), record]);
  }
  const kept = [...[...byPhoneId.values()].map((group) => greatest(group, (r) => [...rank(r), r.phone])!), ...records.filter((r) => r.feed !== 'NON-FIN-BDL')];
  const histories = new Map<string, ConsentRecord[]>();
  for (const record of kept) {
    const key = `${record.account}|${record.phone}`;
    histories.set(key, [...(histories.get(key) ?? []), record]);
  }

  const snapshotDates = [...snapshots].sort();
  const newest = snapshotDates.at(-1);
  const gold: PhoneConsentRow[] = [];
  for (const history of histories.values()) {
    const maintenance = history.filter((r) => r.feed !== 'ENRLMT');
    // Enrollment decides only for a phone no maintenance record names.
    const winner = greatest(maintenance.length > 0 ? maintenance : history, rank)!;
    const lastSnapshot = history
      .filter((r) => r.feed === 'NON-FIN-BDL')
      .map((r) => r.eventDate)
      .sort()
      .at(-1);
    // Presence is the newest snapshot's: a phone seen in snapshots but not in the newest is hard-deleted.
    const missingSince = lastSnapshot !== undefined && lastSnapshot < newest! ? snapshotDates.find((date) => date > lastSnapshot)! : null;
    const softDeletedAt = winner.feed === 'SUPPLFWD' && winner.softDeleted ? winner.eventDate : null;
    let deleteType: PhoneConsentRow['delete_type'] = null;
    let deletedAt: string | null = null;
    if (softDeletedAt !== null && (missingSince === null || softDeletedAt < missingSince)) [deleteType, deletedAt] = ['soft_delete', softDeletedAt];
    else if (missingSince !== null) [deleteType, deletedAt] = ['hard_delete', missingSince];
    gold.push({
      account_number: winner.account,
      phone_number: winner.phone,
      phone_type: winner.type === 'CELL' ? 'MOBILE' : (winner.type as PhoneConsentRow['phone_type']),
      phone_status: winner.status as PhoneConsentRow['phone_status'],
      phone_technology: winner.technology as PhoneConsentRow['phone_technology'],
      quality_score: winner.quality,
      phone_source: winner.source as PhoneConsentRow['phone_source'],
      has_sms_consent: hasSmsConsent(winner.consent),
      sms_consent_updated_at: winner.consentDate,
      is_deleted: deleteType !== null,
      delete_type: deleteType,
      deleted_at: deletedAt,
      as_of_date: asOfDate,
    });
  }
  gold.sort((a, b) => compareTuples([a.account_number, a.phone_number], [b.account_number, b.phone_number]));
  return { gold, rejects };
}

const CHANGE_COLUMNS = [
  'phone_type',
  'phone_status',
  'phone_technology',
  'quality_score',
  'phone_source',
  'has_sms_consent',
  'sms_consent_updated_at',
  'is_deleted',
  'delete_type',
  'deleted_at',
] as const satisfies (keyof PhoneConsentRow)[];

/** §4 changes: today's gold vs the previous gold (none on the first run), as the consent load receives them. */
export function referenceChanges(previous: PhoneConsentRow[] | null, today: PhoneConsentRow[], asOfDate: string): ConsentChange[] {
  const key = (row: PhoneConsentRow) => `${row.account_number}|${row.phone_number}`;
  const before = new Map((previous ?? []).map((row) => [key(row), row]));
  const after = new Map(today.map((row) => [key(row), row]));
  const changes: ConsentChange[] = [];
  for (const row of today) {
    const old = before.get(key(row));
    if (!old) changes.push({ ...row, change_type: 'new' });
    else if (CHANGE_COLUMNS.some((column) => old[column] !== row[column])) changes.push({ ...row, change_type: 'changed' });
  }
  for (const row of previous ?? []) {
    if (!after.has(key(row))) changes.push({ ...row, as_of_date: asOfDate, change_type: 'gone' });
  }
  return changes.sort((a, b) => compareTuples([a.account_number, a.phone_number], [b.account_number, b.phone_number]));
}
