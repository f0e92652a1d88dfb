/**
 * The client's three consent exports (SPEC §3.1), exactly as its system of record names and lays them out.
 * One definition for every engine, the generator and the tests.
 */

export type ConsentFeed = 'ENRLMT' | 'NON-FIN-BDL' | 'SUPPLFWD';

/** The thirteen columns NON-FIN-BDL and SUPPLFWD share, after their record id. */
const phoneRecordColumns = [
  'cnsmr_idntfr_lgcy_txt',
  'cnsmr_idntfr_agncy_id',
  'cnsmr_idntfr_ssn_txt',
  'cnsmr_nm_frst_txt',
  'cnsmr_nm_lst_txt',
  'cnsmr_phn_nmbr_txt',
  'cnsmr_phn_typ_val_txt',
  'cnsmr_phn_stts_val_txt',
  'cnsmr_phn_src_val_txt',
  'cnsmr_phn_tchnlgy_typ_val_txt',
  'cnsmr_phn_qlty_score_nmbr',
  'cnsmr_phn_cnsnt_flg',
  'cnsmr_phn_cnsnt_dt',
] as const;

/**
 * Each feed as the engines register it: the view name, the landing-zone folder, the header row (fields are
 * read by this position) and the PII columns, which the engines declare but never select (§3.1 "PII").
 */
export const consentFeeds = [
  {
    feed: 'ENRLMT',
    view: 'consent_raw_enrollment',
    folder: 'consent/ENROLLMENT/',
    columns: [
      'account_number',
      'consumer_legacy_identifier',
      'agency_id',
      'ssn',
      'first_name',
      'last_name',
      'phone_number',
      'phone_type',
      'phone_technology',
      'phone_status',
      'phone_source',
      'quality_score',
      'enrollment_date',
    ],
    piiColumns: ['ssn', 'first_name', 'last_name'],
  },
  {
    feed: 'NON-FIN-BDL',
    view: 'consent_raw_nonfin',
    folder: 'consent/MAINTENANCE/',
    columns: ['cnsmr_phn_id', ...phoneRecordColumns],
    piiColumns: ['cnsmr_idntfr_ssn_txt', 'cnsmr_nm_frst_txt', 'cnsmr_nm_lst_txt'],
  },
  {
    feed: 'SUPPLFWD',
    view: 'consent_raw_supplfwd',
    folder: 'consent/MAINTENANCE/',
    columns: ['cnsmr_phn_hst_id', ...phoneRecordColumns, 'cnsmr_phn_sft_dlt_flg', 'record_date'],
    piiColumns: ['cnsmr_idntfr_ssn_txt', 'cnsmr_nm_frst_txt', 'cnsmr_nm_lst_txt'],
  },
] as const satisfies readonly {
  feed: ConsentFeed;
  view: string;
  folder: string;
  columns: readonly string[];
  piiColumns: readonly string[];
}[];

export type ConsentFeedLayout = (typeof consentFeeds)[number];

export function consentFeedLayout(feed: ConsentFeed): ConsentFeedLayout {
  return consentFeeds.find((layout) => layout.feed === feed)!;
}

/** The columns of a feed that the engines' views expose: every column but the SSN and the names. */
export function selectableColumns(layout: ConsentFeedLayout): string[] {
  const pii: readonly string[] = layout.piiColumns;
  return layout.columns.filter((column) => !pii.includes(column));
}

/**
 * `<prefix>-<TS>-<marker>…EXPORT_<NNN>.csv.gz`: TS is `YYYYMMDDhhmmss` plus 3 digits, the marker is
 * `NON-FIN-BDL`, `SUPPLFWD` or `ENRLMT`. The prefix is not matched: it differs between the client's
 * environments.
 */
const exportName = /^[^/]*-([0-9]{8})([0-9]{9})-(NON-FIN-BDL|SUPPLFWD|ENRLMT)[-_][A-Z0-9_-]*EXPORT_([0-9]+)\.csv\.gz$/;

export interface ConsentFeedFile {
  /** Key relative to the landing zone, e.g. `consent/MAINTENANCE/SN_SVC_…-NON-FIN-BDL_EXPORT_001.csv.gz`. */
  key: string;
  feed: ConsentFeed;
  /** `YYYY-MM-DD`, the first 8 digits of the name's timestamp. */
  fileDate: string;
  /** The export's sequence number `<NNN>`. */
  sequence: number;
}

export type ParsedConsentKey = { ok: true; file: ConsentFeedFile } | { ok: false; problem: string };

/**
 * A key under `consent/`: a consent export, or why it cannot be read as one (a file that names no feed, a
 * timestamp that is no date, a feed in the other feed's folder). Such a file is never skipped silently.
 */
export function parseConsentFeedKey(key: string): ParsedConsentKey {
  const slash = key.lastIndexOf('/');
  const folder = key.slice(0, slash + 1);
  const match = exportName.exec(key.slice(slash + 1));
  if (!match) return { ok: false, problem: `${key}: not a consent export name (…-<YYYYMMDDhhmmssSSS>-NON-FIN-BDL|SUPPLFWD|ENRLMT…EXPORT_<NNN>.csv.gz)` };
  const [, digits, , feed, sequence] = match as unknown as [string, string, string, ConsentFeed, string];
  const fileDate = `${digits.slice(0, 4)}-${digits.slice(4, 6)}-${digits.slice(6, 8)}`;
  if (!isCalendarDate(fileDate)) return { ok: false, problem: `${key}: the timestamp ${digits}… is not a calendar date` };
  const expected = consentFeedLayout(feed).folder;
  if (folder !== expected) return { ok: false, problem: `${key}: a ${feed} export belongs under ${expected}` };
  return { ok: true, file: { key, feed, fileDate, sequence: Number(sequence) } };
}

function isCalendarDate(iso: string): boolean {
  const date = new Date(`${iso}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === iso;
}

/** The SPEC's default: the newest snapshot may be at most one day older than the load date. */
export const DEFAULT_MAX_SNAPSHOT_AGE_DAYS = 1;

export interface ConsentInputs {
  /** The exports a run for the load date reads: dated on or before it, in key order. */
  files: ConsentFeedFile[];
  /** The newest NON-FIN-BDL file date on or before the load date, if any. */
  newestSnapshot: string | null;
  /** Empty when the run may start. */
  problems: string[];
}

/**
 * Inputs present and fresh (§3.1): every key under `consent/` must be a readable export name; a run for
 * `loadDate` reads the files dated ≤ D, and refuses to start when the newest NON-FIN-BDL snapshot among
 * them is older than `maxSnapshotAgeDays` days (naming the date it found), or when there is none.
 */
export function checkConsentInputs(keys: readonly string[], loadDate: string, maxSnapshotAgeDays = DEFAULT_MAX_SNAPSHOT_AGE_DAYS): ConsentInputs {
  const { files, problems } = consentExportsUpTo(keys, loadDate);
  const newestSnapshot =
    files
      .filter((file) => file.feed === 'NON-FIN-BDL')
      .map((file) => file.fileDate)
      .sort()
      .at(-1) ?? null;
  if (files.length === 0) problems.push(`no consent export dated on or before ${loadDate} under consent/`);
  else if (newestSnapshot === null) problems.push(`no NON-FIN-BDL snapshot dated on or before ${loadDate} under consent/MAINTENANCE/`);
  else if (daysBetween(newestSnapshot, loadDate) > maxSnapshotAgeDays) {
    problems.push(
      `the newest NON-FIN-BDL snapshot is dated ${newestSnapshot}, ${daysBetween(newestSnapshot, loadDate)} days before ${loadDate} ` +
        `(at most ${maxSnapshotAgeDays} allowed)`,
    );
  }
  return { files, newestSnapshot, problems };
}

/** The exports among `keys` dated on or before `loadDate`, in key order, and every key that is not an export name. */
export function consentExportsUpTo(keys: readonly string[], loadDate: string): { files: ConsentFeedFile[]; problems: string[] } {
  const problems: string[] = [];
  const files: ConsentFeedFile[] = [];
  for (const key of [...keys].sort()) {
    const parsed = parseConsentFeedKey(key);
    if (!parsed.ok) problems.push(parsed.problem);
    else if (parsed.file.fileDate <= loadDate) files.push(parsed.file);
  }
  return { files, problems };
}

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** A file name in the client's layout, as its generator writes it (the generator and the tests use it). */
export function consentExportName(feed: ConsentFeed, timestamp: string, sequence: number): string {
  if (!/^[0-9]{17}$/.test(timestamp)) throw new Error(`export timestamp must be 17 digits: ${JSON.stringify(timestamp)}`);
  const nnn = String(sequence).padStart(3, '0');
  switch (feed) {
    case 'ENRLMT':
      return `IC_A2RGMRHG_DMENRL_DataManager-${timestamp}-ENRLMT-EXPORT_${nnn}.csv.gz`;
    case 'NON-FIN-BDL':
      return `SN_SVC_DMBDL_DataManager-${timestamp}-NON-FIN-BDL_EXPORT_${nnn}.csv.gz`;
    case 'SUPPLFWD':
      return `SN_SVC_DMBDL_DataManager-${timestamp}-SUPPLFWD-BDL_EXPORT_${nnn}.csv.gz`;
  }
}
