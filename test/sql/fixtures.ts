import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { consentExportName, consentFeedLayout, parseConsentFeedKey, type ConsentFeed, type ConsentFeedFile } from '../../domain/consent/consent-feeds.ts';
import type { DuckDbEngine } from '../../adapters/duckdb-engine.ts';
import type { PhoneConsentRow } from '../../domain/consent/consent.ts';

/** Tiny consent exports for the SQL tests, written as the client's landing zone of §3.1 (gzip, `|`, header row). */
export type FeedName = ConsentFeed;

export interface FeedFile {
  feed: FeedName;
  /** The file date `YYYYMMDD`, optionally followed by `_NNN` for one of several files of that date. */
  name: string;
  /** Data lines, fields in the §3.1 column order of the feed. */
  rows: string[][];
  /** `YYYY-MM-DD` the file lands, when later than its file date (a late delivery); unset = in time. */
  deliveredOn?: string;
}

/** The files in the landing zone on `date`: those delivered by then. */
export const deliveredBy = (files: FeedFile[], date: string): FeedFile[] => files.filter((file) => (file.deliveredOn ?? '') <= date);

export const legacy = (account: string) => `${account}P`;

/** The landing-zone key of a fixture file: the client's name, its timestamp from the date and the part. */
export function feedFileKey(file: Pick<FeedFile, 'feed' | 'name'>): string {
  const [date, part = '000'] = file.name.split('_') as [string, string?];
  const layout = consentFeedLayout(file.feed);
  return `${layout.folder}${consentExportName(file.feed, `${date}060000${part}`, Number(part) + 1)}`;
}

/** A field as the client writes it: quoted when it holds `|` or `"` (§3.1). */
function csvField(value: string): string {
  return /[|"\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

export async function writeFeeds(dataDir: string, files: FeedFile[]): Promise<void> {
  for (const file of files) {
    const layout = consentFeedLayout(file.feed);
    const key = feedFileKey(file);
    await mkdir(join(dataDir, layout.folder), { recursive: true });
    const text = `${[layout.columns.join('|'), ...file.rows.map((row) => row.map(csvField).join('|'))].join('\n')}\n`;
    await writeFile(join(dataDir, key), gzipSync(text));
  }
}

/** The landing zone's consent keys, as the transform handler lists them. */
export async function consentKeys(dataDir: string): Promise<string[]> {
  const entries = await readdir(join(dataDir, 'consent'), { recursive: true, withFileTypes: true }).catch(() => []);
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => `${entry.parentPath.slice(dataDir.length + 1)}/${entry.name}`)
    .sort();
}

/** The landing zone's consent exports, as the engines register them. */
export async function consentFiles(dataDir: string): Promise<ConsentFeedFile[]> {
  return (await consentKeys(dataDir)).map((key) => {
    const parsed = parseConsentFeedKey(key);
    if (!parsed.ok) throw new Error(parsed.problem);
    return parsed.file;
  });
}

const PERSON = { agency: 'AG|01', ssn: '123456789', first: 'Ana', last: 'Smith|Jones' } as const;

/** A NON-FIN-BDL line (§3.1 order); the person's SSN and names are always there, as in the client's files. */
export function nonfin(
  account: string,
  id: string,
  phone: string,
  consent = 'Y',
  type = 'CELL',
  source = 'CLIENT',
  more: { status?: string; technology?: string; quality?: string; consentDate?: string; ssn?: string } = {},
): string[] {
  return [
    id,
    legacy(account),
    PERSON.agency,
    more.ssn ?? PERSON.ssn,
    PERSON.first,
    PERSON.last,
    phone,
    type,
    more.status ?? 'ACTIVE',
    source,
    more.technology ?? 'WIRELESS',
    more.quality ?? '80',
    consent,
    more.consentDate ?? (consent === '' ? '' : '2026-10-01'),
  ];
}

/** A SUPPLFWD line (§3.1 order): the history id, the NON-FIN columns, the soft-delete flag and the event date. */
export function supplfwd(
  account: string,
  phone: string,
  consent: string,
  deleted: string,
  recordDate: string,
  type = 'CELL',
  source = 'CLIENT',
  more: { status?: string; technology?: string; quality?: string; consentDate?: string; ssn?: string } = {},
): string[] {
  const [, ...record] = nonfin(account, '', phone, consent, type, source, { consentDate: consent === '' ? '' : recordDate, ...more });
  return [`9${recordDate.replaceAll('-', '')}`, ...record, deleted, recordDate];
}

/** An ENRLMT line (§3.1 order): its own column names, no consent flag. */
export function enrollment(account: string, phone: string, enrollmentDate: string, type = 'CELL', source = 'CLIENT', more: { ssn?: string } = {}): string[] {
  return [
    account,
    legacy(account),
    PERSON.agency,
    more.ssn ?? PERSON.ssn,
    PERSON.first,
    PERSON.last,
    phone,
    type,
    'WIRELESS',
    'ACTIVE',
    source,
    '70',
    enrollmentDate,
  ];
}

export interface Sandbox {
  home: string;
  data: string;
  cleanup(): Promise<void>;
}

export async function sandbox(): Promise<Sandbox> {
  const root = await mkdtemp(join(tmpdir(), 'outbound-sql-'));
  const home = join(root, 'home');
  const data = join(root, 'data');
  await mkdir(data, { recursive: true });
  return { home, data, cleanup: () => rm(root, { recursive: true, force: true }) };
}

export type GoldRow = Omit<PhoneConsentRow, 'as_of_date'> & { as_of_date: string };

export function gold(engine: DuckDbEngine, asOfDate: string): Promise<GoldRow[]> {
  return engine.query<GoldRow>(
    `SELECT account_number, phone_number, phone_type, phone_status, phone_technology, quality_score, phone_source, has_sms_consent,
       CAST(sms_consent_updated_at AS VARCHAR) AS sms_consent_updated_at, is_deleted, delete_type,
       CAST(deleted_at AS VARCHAR) AS deleted_at, CAST(as_of_date AS VARCHAR) AS as_of_date
     FROM phone_consent WHERE as_of_date = DATE '${asOfDate}' ORDER BY account_number, phone_number`,
  );
}
