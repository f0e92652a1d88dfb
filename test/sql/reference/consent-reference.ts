import { consentFeeds } from '../../../domain/consent-feeds.ts';
import { normalizePhone } from '../../../domain/phone.ts';
import type { ConsentChange, PhoneConsentRow } from '../../../domain/consent.ts';
import type { FeedFile, FeedName } from '../fixtures.ts';

/**
 * Independent reference model of SPEC §4 (bronze → silver → gold, rejects, changes), written from the
 * SPEC and the decisions of docs/consent-sql.md, not from the SQL. Input: the landing zone as raw feed
 * files (the same `FeedFile`s the fixtures write as gzip), fields as raw text in the §3.1 column order.
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
type PhoneType = PhoneConsentRow['phone_type'];
type PhoneSource = PhoneConsentRow['phone_source'];

/** One valid bronze row. */
interface ConsentRecord {
  feed: FeedName;
  account: string;
  phone: string;
  /** NON-FIN-BDL: file date; SUPPLFWD and ENRLMT: rcrd_dt. */
  eventDate: string;
  fileDate: string;
  phoneId: string | null;
  type: PhoneType;
  source: PhoneSource;
  consent: Consent;
  softDeleted: boolean;
}

const TYPES: PhoneType[] = ['MOBILE', 'HOME', 'WORK', 'OTHER'];
const SOURCES: PhoneSource[] = ['CLIENT', 'CONSUMER', 'THIRD_PARTY', 'OTHER'];
// docs/consent-sql.md: among duplicates with different values the most restrictive wins, compared in this order.
const TYPE_RESTRICTION: Record<PhoneType, number> = { HOME: 0, MOBILE: 1, OTHER: 2, WORK: 3 };
const SOURCE_RESTRICTION: Record<PhoneSource, number> = { CLIENT: 0, CONSUMER: 1, OTHER: 2, THIRD_PARTY: 3 };
const CONSENT_RESTRICTION: Record<Consent, number> = { '': 0, Y: 1, N: 2 };

export function sourceFile(file: Pick<FeedFile, 'feed' | 'name'>): string {
  const feed = consentFeeds.find((candidate) => candidate.feed === file.feed)!;
  return `${feed.folder}${feed.filePrefix}${file.name}.csv.gz`;
}

/** `YYYYMMDD` → `YYYY-MM-DD` when it is a real date in 1900–2099, else null. */
function parseDate(text: string): string | null {
  if (!/^[0-9]{8}$/.test(text)) return null;
  const [year, month, day] = [Number(text.slice(0, 4)), Number(text.slice(4, 6)), Number(text.slice(6, 8))];
  if (year < 1900 || year > 2099) return null;
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null;
  return `${text.slice(0, 4)}-${text.slice(4, 6)}-${text.slice(6, 8)}`;
}

/** The file date of a file name `YYYYMMDD[_NNN]`, or null when it carries no valid date. */
export function fileDateOf(name: string): string | null {
  const match = /^([0-9]{8})(?:_[0-9]{3})?$/.exec(name);
  return match ? parseDate(match[1]!) : null;
}

/** docs/consent-sql.md: fields are trimmed of tab, line feed, carriage return and space (the phone by JS trim). */
function field(row: string[], index: number): string | null {
  const value = row[index];
  return value === undefined ? null : value.replace(/^[\t\n\r ]+|[\t\n\r ]+$/g, '');
}

type Validated = { ok: true; record: ConsentRecord } | { ok: false; reason: string };

const feedColumns = (feed: FeedName): readonly string[] => consentFeeds.find((candidate) => candidate.feed === feed)!.columns;

function validate(feed: FeedName, fileDate: string, row: string[]): Validated {
  const columns = feedColumns(feed);
  const get = (column: string) => {
    const index = columns.indexOf(column);
    return index < 0 ? null : field(row, index);
  };
  const legacyId = get('cnsmr_idntfr_lgcy_txt');
  if (legacyId === null || !/^[0-9]{16}P$/.test(legacyId)) return { ok: false, reason: 'INVALID_ACCOUNT' };
  const phone = normalizePhone(row[columns.indexOf('cnsmr_phn_nbr_txt')]);
  if (!phone.ok) return { ok: false, reason: `PHONE_${phone.reason}` };
  const phoneId = get('cnsmr_phn_id');
  if (feed === 'NON-FIN-BDL' && !phoneId) return { ok: false, reason: 'INVALID_PHONE_ID' };
  const type = get('cnsmr_phn_typ_cd');
  if (!TYPES.includes(type as PhoneType)) return { ok: false, reason: 'INVALID_PHONE_TYPE' };
  const source = get('cnsmr_phn_src_cd');
  if (!SOURCES.includes(source as PhoneSource)) return { ok: false, reason: 'INVALID_PHONE_SOURCE' };
  const consent = get('cnsmr_phn_sms_cnsnt_flg') ?? '';
  if (consent !== 'Y' && consent !== 'N' && consent !== '') return { ok: false, reason: 'INVALID_CONSENT_FLAG' };
  const deleteFlag = get('cnsmr_phn_sft_dlt_flg');
  if (feed === 'SUPPLFWD' && deleteFlag !== 'Y' && deleteFlag !== 'N') return { ok: false, reason: 'INVALID_DELETE_FLAG' };
  let eventDate = fileDate;
  if (feed !== 'NON-FIN-BDL') {
    const recordDate = parseDate(get('rcrd_dt') ?? '');
    if (recordDate === null || recordDate > fileDate) return { ok: false, reason: 'INVALID_DATE' };
    eventDate = recordDate;
  }
  return {
    ok: true,
    record: {
      feed,
      account: legacyId.slice(0, 16),
      phone: phone.e164,
      eventDate,
      fileDate,
      phoneId,
      type: type as PhoneType,
      source: source as PhoneSource,
      consent,
      softDeleted: deleteFlag === 'Y',
    },
  };
}

/** Most restrictive first: soft delete, then consent N > Y > none, then type, then source. */
function restriction(record: ConsentRecord): number[] {
  return [
    record.softDeleted ? 1 : 0,
    CONSENT_RESTRICTION[record.consent],
    TYPE_RESTRICTION[record.type],
    SOURCE_RESTRICTION[record.source],
  ];
}

function compareTuples(a: (number | string)[], b: (number | string)[]): number {
  for (let index = 0; index < a.length; index++) {
    if (a[index]! < b[index]!) return -1;
    if (a[index]! > b[index]!) return 1;
  }
  return 0;
}

/** Keeps one record per group key: the greatest by `rank`. */
function keepGreatest(records: ConsentRecord[], key: (record: ConsentRecord) => string, rank: (record: ConsentRecord) => (number | string)[]): ConsentRecord[] {
  const kept = new Map<string, ConsentRecord>();
  for (const record of records) {
    const current = kept.get(key(record));
    if (!current || compareTuples(rank(record), rank(current)) > 0) kept.set(key(record), record);
  }
  return [...kept.values()];
}

const FEED_ORDER: Record<FeedName, number> = { ENRLMT: 0, 'NON-FIN-BDL': 0, SUPPLFWD: 1 };
const byEventOrder = (a: ConsentRecord, b: ConsentRecord) =>
  a.eventDate === b.eventDate ? FEED_ORDER[a.feed] - FEED_ORDER[b.feed] : a.eventDate < b.eventDate ? -1 : 1;

const hasSmsConsent = (consent: Consent): boolean | null => (consent === 'Y' ? true : consent === 'N' ? false : null);

/** Gold and rejects of the run for `asOfDate` over the landing zone `files`. */
export function referenceTransform(files: FeedFile[], asOfDate: string): ReferenceResult {
  const rejects: ReferenceReject[] = [];
  const records: ConsentRecord[] = [];
  let dataRows = 0;
  // Snapshot dates, over all accounts: the dates of NON-FIN-BDL files holding a data row, valid or rejected
  // (not documented: a file with no data row, e.g. header only, is not a snapshot; this is what the SQL does).
  const snapshots = new Set<string>();
  for (const file of files) {
    const fileDate = fileDateOf(file.name);
    if (fileDate !== null && fileDate > asOfDate) continue;
    for (const row of file.rows) {
      if (feedColumns(file.feed).every((_, index) => !field(row, index))) continue;
      dataRows++;
      if (file.feed === 'NON-FIN-BDL' && fileDate !== null) snapshots.add(fileDate);
      const result = fileDate === null ? ({ ok: false, reason: 'INVALID_FILE_NAME' } as const) : validate(file.feed, fileDate, row);
      if (result.ok) records.push(result.record);
      else rejects.push({ feed: file.feed, source_file: sourceFile(file), reject_reason: result.reason });
    }
  }
  if (dataRows === 0) {
    throw new Error(`no consent data: no ENRLMT, NON-FIN-BDL or SUPPLFWD file dated on or before ${asOfDate} holds a data row`);
  }

  // Duplicates: NON-FIN by (account, cnsmr_phn_id, file date), then every feed by (account, phone, event date, feed).
  const nonFin = keepGreatest(
    records.filter((record) => record.feed === 'NON-FIN-BDL'),
    (record) => `${record.account}|${record.phoneId}|${record.fileDate}`,
    (record) => [...restriction(record), record.phone],
  );
  const events = keepGreatest(
    [...nonFin, ...records.filter((record) => record.feed !== 'NON-FIN-BDL')],
    (record) => `${record.account}|${record.phone}|${record.eventDate}|${record.feed}`,
    restriction,
  );

  // A phone whose last snapshot is older than the newest one left on the first snapshot date after its last appearance.
  const snapshotDates = [...snapshots].sort();
  const histories = new Map<string, ConsentRecord[]>();
  for (const record of events) {
    const key = `${record.account}|${record.phone}`;
    histories.set(key, [...(histories.get(key) ?? []), record]);
  }

  const gold: PhoneConsentRow[] = [];
  for (const all of histories.values()) {
    const maintenance = all.filter((record) => record.feed !== 'ENRLMT');
    const history = (maintenance.length > 0 ? maintenance : all).sort(byEventOrder);
    const winner = history.at(-1)!;
    let start = history.length - 1;
    while (start > 0 && history[start - 1]!.consent === winner.consent) start--;

    let deleteType: PhoneConsentRow['delete_type'] = null;
    let deletedAt: string | null = null;
    const lastSnapshot = history.filter((record) => record.feed === 'NON-FIN-BDL').at(-1)?.eventDate;
    const firstMissing = lastSnapshot === undefined ? undefined : snapshotDates.find((date) => date > lastSnapshot);
    if (winner.feed === 'SUPPLFWD' && winner.softDeleted) {
      deleteType = 'soft_delete';
      deletedAt = winner.eventDate;
    } else if (firstMissing !== undefined && winner.eventDate < firstMissing) {
      deleteType = 'hard_delete';
      deletedAt = firstMissing;
    }
    gold.push({
      account_number: winner.account,
      phone_number: winner.phone,
      phone_type: winner.type,
      phone_source: winner.source,
      has_sms_consent: hasSmsConsent(winner.consent),
      sms_consent_updated_at: history[start]!.eventDate,
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
