import { mkdir, readdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { consentExportName, consentFeedLayout, consentFeeds, parseConsentFeedKey, type ConsentFeed } from '../../domain/consent/consent-feeds.ts';
import { compactDate, isoDate, parseIsoDate } from './days.ts';
import { SplitGzipWriter, type WrittenFile } from './gzip-writer.ts';
import { STYLE_MIX, drawNationalNumber, formatPhone, typePhone } from './phone-text.ts';
import {
  accountSpanAt,
  buildAccount,
  createWorld,
  snapshotState,
  type Account,
  type Phone,
  type PhoneEvent,
  type PhoneType,
  type World,
} from './population.ts';
import { Rng, hash32, unit, weighted, type Weighted } from './random.ts';

const FEEDS = consentFeeds.map((layout) => layout.feed);

/**
 * `daily`: production (one NON-FIN-BDL snapshot, one SUPPLFWD and one ENRLMT export per day).
 * `history`: like the client's sample data, a multi-year history of monthly snapshots and weekly
 * SUPPLFWD and ENRLMT exports.
 */
export type ConsentCadence = 'daily' | 'history';
export const CONSENT_CADENCES: readonly ConsentCadence[] = ['daily', 'history'];

export interface GenerateConsentOptions {
  /** Output directory (the landing zone); files go under `consent/…` in it. */
  out: string;
  /** Last business date written, `YYYY-MM-DD`. */
  date: string;
  /** Number of accounts (slots of the world). Exclusive with `consentMb`. */
  customers?: number;
  /** Number of days covered, ending at `date` (default 3 daily, 1095 history). */
  days?: number;
  /** Integer in [0, 2^32). */
  seed?: number;
  /** Target total compressed size of the files written (MB = 2^20 bytes); sets `customers`. */
  consentMb?: number;
  /** Approximate compressed size at which one export is split into several files. */
  maxFileMb?: number;
  /** gzip level 1–9. */
  gzipLevel?: number;
  cadence?: ConsentCadence;
}

export const GENERATE_DEFAULTS = {
  customers: 500,
  days: 3,
  historyDays: 1095,
  seed: 42,
  maxFileMb: 64,
  gzipLevel: 4,
  cadence: 'daily',
} as const;

/**
 * Measured on generated feeds (docs/generator.md): compressed bytes per account per day covered at
 * the default gzip level, and the ratio of uncompressed to compressed bytes. They turn `consentMb`
 * into a number of accounts and `maxFileMb` into the uncompressed split size.
 */
export const COMPRESSED_BYTES_PER_ACCOUNT_DAY: Record<ConsentCadence, number> = { daily: 60.3, history: 2.66 };
export const COMPRESSION_RATIO = 3.9;

export interface GeneratedFile {
  /** Relative to `out`, with `/` separators. */
  path: string;
  feed: ConsentFeed;
  /** File date, `YYYY-MM-DD`. */
  date: string;
  rows: number;
  bytes: number;
}

export interface GenerateSummary {
  out: string;
  seed: number;
  customers: number;
  cadence: ConsentCadence;
  /** The days covered, first to last. */
  dates: string[];
  files: GeneratedFile[];
  /** Data rows (headers excluded), malformed rows included. */
  rows: number;
  malformedRows: number;
  /** Total compressed bytes. */
  bytes: number;
  seconds: number;
}

/** Shares of rendered rows (docs/generator.md). */
export const ROW_RATES = {
  nonFinDuplicate: 0.004,
  supplfwdDuplicate: 0.04,
  /** Share of SUPPLFWD duplicates whose number is typed differently (values are identical). */
  duplicateRetyped: 0.3,
  malformed: 0.0005,
} as const;

// Stream tags of hash32 for per-row decisions.
const DUPLICATE_STREAM = 11;
const EVENT_STYLE_STREAM = 12;
const MALFORMED_STREAM = 13;
const STYLE_STREAM = 14;
const TIMESTAMP_STREAM = 15;
/** Record ids of malformed rows: far above every real id, unique within an export. */
const MALFORMED_PHONE_ID_BASE = 900_000_000_000;
const MALFORMED_HISTORY_ID_BASE = 900_000_000_000_000;
/** `cnsmr_phn_hst_id` = phone id × this + 2 × (event day − enrollment day) + duplicate (accounts live < 1024 days). */
const HISTORY_IDS_PER_PHONE = 2048;

type MalformedKind = 'PHONE_SHORT' | 'PHONE_LETTERS' | 'PHONE_NOT_NANP' | 'LEGACY_ID' | 'CODE' | 'CONSENT_FLAG' | 'DATE' | 'QUALITY' | 'SOFT_DELETE_FLAG';

const MALFORMED_KINDS: Record<ConsentFeed, Weighted<MalformedKind>> = {
  ENRLMT: weighted<MalformedKind>([
    ['PHONE_SHORT', 3],
    ['PHONE_LETTERS', 2],
    ['PHONE_NOT_NANP', 2],
    ['LEGACY_ID', 2],
    ['CODE', 1],
    ['DATE', 2],
    ['QUALITY', 1],
  ]),
  'NON-FIN-BDL': weighted<MalformedKind>([
    ['PHONE_SHORT', 3],
    ['PHONE_LETTERS', 2],
    ['PHONE_NOT_NANP', 2],
    ['LEGACY_ID', 2],
    ['CODE', 1],
    ['CONSENT_FLAG', 1],
    ['DATE', 1],
    ['QUALITY', 1],
  ]),
  SUPPLFWD: weighted<MalformedKind>([
    ['PHONE_SHORT', 3],
    ['PHONE_LETTERS', 2],
    ['PHONE_NOT_NANP', 2],
    ['LEGACY_ID', 2],
    ['CODE', 1],
    ['CONSENT_FLAG', 1],
    ['DATE', 2],
    ['QUALITY', 1],
    ['SOFT_DELETE_FLAG', 1],
  ]),
};

/** The client's phone type for ours (SPEC §4: `MOBILE` is the client's `CELL`). */
const FEED_PHONE_TYPE: Record<PhoneType, string> = { MOBILE: 'CELL', HOME: 'HOME', WORK: 'WORK', OTHER: 'OTHER' };

/** RFC 4180 quoting, only for fields that need it. */
function quoted(text: string): string {
  return /[|"\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** The gzip writer stores each character as one byte (latin1): non-ASCII text goes in as its UTF-8 bytes. */
function utf8Bytes(text: string): string {
  return /[\u0080-\u{10ffff}]/u.test(text) ? Buffer.from(text, 'utf8').toString('latin1') : text;
}

/** Every field of one row, as text; only malformed rows are built this way (valid rows use the fast path below). */
export interface RowFields {
  recordId: string;
  accountNumber: string;
  legacyId: string;
  agencyId: string;
  ssn: string;
  firstName: string;
  lastName: string;
  phone: string;
  type: string;
  status: string;
  source: string;
  technology: string;
  quality: string;
  consent: string;
  consentDate: string;
  softDelete: string;
  date: string;
}

/** The consumer's fields after the legacy id (agency, SSN, names), quoted where needed. */
function consumerText(agencyId: string, ssn: string, firstName: string, lastName: string): string {
  return utf8Bytes(`${quoted(agencyId)}|${ssn}|${quoted(firstName)}|${quoted(lastName)}`);
}

// One line per feed, columns in the order of consentFeeds (domain/consent/consent-feeds.ts); positional arguments, no allocation per row.
// `maintenanceCodes`: type|status|source|technology|quality; `enrollmentCodes`: type|technology|status|source|quality.
function snapshotLine(
  phoneId: number | string,
  legacyId: string,
  consumer: string,
  phone: string,
  codes: string,
  consent: string,
  consentDate: string,
): string {
  return `${phoneId}|${legacyId}|${consumer}|${phone}|${codes}|${consent}|${consentDate}\n`;
}

function eventLine(
  historyId: number | string,
  legacyId: string,
  consumer: string,
  phone: string,
  codes: string,
  consent: string,
  consentDate: string,
  softDelete: string,
  recordDate: string,
): string {
  return `${historyId}|${legacyId}|${consumer}|${phone}|${codes}|${consent}|${consentDate}|${softDelete}|${recordDate}\n`;
}

function enrollmentLine(accountNumber: string, legacyId: string, consumer: string, phone: string, codes: string, enrollmentDate: string): string {
  return `${accountNumber}|${legacyId}|${consumer}|${phone}|${codes}|${enrollmentDate}\n`;
}

function maintenanceCodes(phone: Phone): string {
  return `${FEED_PHONE_TYPE[phone.type]}|${phone.status}|${phone.source}|${phone.technology}|${phone.qualityScore ?? ''}`;
}

function enrollmentCodes(phone: Phone): string {
  return `${FEED_PHONE_TYPE[phone.type]}|${phone.technology}|${phone.status}|${phone.source}|${phone.qualityScore ?? ''}`;
}

function renderFields(feed: ConsentFeed, f: RowFields): string {
  const consumer = consumerText(f.agencyId, f.ssn, f.firstName, f.lastName);
  switch (feed) {
    case 'ENRLMT':
      return enrollmentLine(f.accountNumber, f.legacyId, consumer, f.phone, `${f.type}|${f.technology}|${f.status}|${f.source}|${f.quality}`, f.date);
    case 'NON-FIN-BDL':
      return snapshotLine(
        f.recordId,
        f.legacyId,
        consumer,
        f.phone,
        `${f.type}|${f.status}|${f.source}|${f.technology}|${f.quality}`,
        f.consent,
        f.consentDate,
      );
    case 'SUPPLFWD':
      return eventLine(
        f.recordId,
        f.legacyId,
        consumer,
        f.phone,
        `${f.type}|${f.status}|${f.source}|${f.technology}|${f.quality}`,
        f.consent,
        f.consentDate,
        f.softDelete,
        f.date,
      );
  }
}

/**
 * One export of one feed: its file date `day`, and the days whose facts it carries, `from`…`to`
 * (a snapshot: its file date; SUPPLFWD: the events of those days; ENRLMT: the placements).
 */
export interface Delivery {
  feed: ConsentFeed;
  day: number;
  from: number;
  to: number;
}

/** Days a weekly export covers: the week up to and including its file date. */
const WEEK = 7;

/** The exports of a cadence over the days `first`…`last`, by file date, then in the order of consentFeeds. */
export function deliveriesOf(cadence: ConsentCadence, first: number, last: number): Delivery[] {
  const deliveries: Delivery[] = [];
  if (cadence === 'daily') {
    for (let day = first; day <= last; day++) for (const feed of FEEDS) deliveries.push({ feed, day, from: day, to: day });
    return deliveries;
  }
  for (let k = 0, day = last; day >= first; day = monthsBefore(last, ++k)) deliveries.push({ feed: 'NON-FIN-BDL', day, from: day, to: day });
  for (let day = last; day >= first; day -= WEEK) {
    for (const feed of ['ENRLMT', 'SUPPLFWD'] as const) deliveries.push({ feed, day, from: Math.max(first, day - WEEK + 1), to: day });
  }
  return deliveries.sort((a, b) => a.day - b.day || FEEDS.indexOf(a.feed) - FEEDS.indexOf(b.feed));
}

/** The same day of the month `months` months before `day`, or that month's last day when it is shorter. */
function monthsBefore(day: number, months: number): number {
  const date = new Date(day * 86_400_000);
  const month = date.getUTCFullYear() * 12 + date.getUTCMonth() - months;
  const lastOfMonth = new Date(Date.UTC(Math.floor(month / 12), (month % 12) + 1, 0)).getUTCDate();
  return Date.UTC(Math.floor(month / 12), month % 12, Math.min(date.getUTCDate(), lastOfMonth)) / 86_400_000;
}

/** Dates as text, computed once per day. */
class DateTexts {
  private readonly texts = new Map<number, string>();

  of(day: number | null): string {
    if (day === null) return '';
    let text = this.texts.get(day);
    if (text === undefined) {
      text = isoDate(day);
      this.texts.set(day, text);
    }
    return text;
  }
}

/** One delivery being written: its writer, the row-level randomness and the malformed rows. */
class Export {
  rows = 0;
  malformedRows = 0;
  private readonly malformedRng: Rng;
  /** Row-level choices (duplicates); rows are rendered in a fixed order, so the draws are reproducible. */
  private readonly noise: Rng;
  /** Index of the row followed by a guaranteed malformed row (so small samples have some), or -1. */
  private readonly floorRow: number;
  private readonly feed: ConsentFeed;

  constructor(
    readonly delivery: Delivery,
    readonly writer: SplitGzipWriter,
    world: World,
    private readonly dates: DateTexts,
  ) {
    this.feed = delivery.feed;
    this.malformedRng = new Rng(hash32(world.seedHash, MALFORMED_STREAM, delivery.day, FEEDS.indexOf(this.feed)));
    this.noise = new Rng(hash32(world.seedHash, DUPLICATE_STREAM, delivery.day, FEEDS.indexOf(this.feed)));
    this.floorRow = this.feed === 'NON-FIN-BDL' ? this.malformedRng.int(1000) : this.feed === 'SUPPLFWD' ? this.malformedRng.int(20) : -1;
  }

  /** The rows of `account` in this export, for the part of its life in `from`…`until - 1`. */
  render(account: Account, consumer: string, from: number, until: number): void {
    const first = Math.max(this.delivery.from, from);
    const last = Math.min(this.delivery.to, until - 1);
    if (first > last) return;
    switch (this.feed) {
      case 'ENRLMT':
        if (account.enrolledDay >= first && account.enrolledDay <= last) this.renderEnrollment(account, consumer);
        return;
      case 'NON-FIN-BDL':
        for (const phone of account.phones) this.renderSnapshot(account, consumer, phone);
        return;
      case 'SUPPLFWD':
        for (const phone of account.phones) {
          for (const event of phone.events) {
            if (event.day > last) break;
            if (event.day >= first && event.reported) this.renderEvent(account, consumer, phone, event);
          }
        }
    }
  }

  private renderEnrollment(account: Account, consumer: string): void {
    const date = this.dates.of(account.enrolledDay);
    for (const phone of account.phones) {
      if (!phone.atEnrollment) continue;
      const text = typePhone(
        phone.national,
        STYLE_MIX.enrollment,
        unit(hash32(phone.styleSeed, STYLE_STREAM, 1)),
        unit(hash32(phone.styleSeed, STYLE_STREAM, 2)),
      );
      this.add(enrollmentLine(account.accountNumber, account.legacyId, consumer, text, enrollmentCodes(phone), date), account, phone);
    }
  }

  private renderSnapshot(account: Account, consumer: string, phone: Phone): void {
    const state = snapshotState(phone, this.delivery.day);
    if (state === null) return;
    const line = snapshotLine(phone.id, account.legacyId, consumer, phone.storedText, maintenanceCodes(phone), state.consent, this.dates.of(state.consentDay));
    this.add(line, account, phone);
    if (this.noise.chance(ROW_RATES.nonFinDuplicate)) this.add(line, account, phone);
  }

  private renderEvent(account: Account, consumer: string, phone: Phone, event: PhoneEvent): void {
    const styleHash = hash32(phone.styleSeed, EVENT_STYLE_STREAM, event.day);
    const historyId = phone.id * HISTORY_IDS_PER_PHONE + 2 * (event.day - account.enrolledDay);
    const softDelete = event.kind === 'SOFT_DELETE' ? 'Y' : 'N';
    const codes = maintenanceCodes(phone);
    const consentDate = this.dates.of(event.consentDay);
    const date = this.dates.of(event.day);
    const line = (id: number, text: string) => eventLine(id, account.legacyId, consumer, text, codes, event.consent, consentDate, softDelete, date);
    const duplicate = this.noise.next();
    // The first event of each export is always repeated, so that every file has a duplicate.
    const repeat = this.rows === 0 || duplicate < ROW_RATES.supplfwdDuplicate;
    const text = typePhone(phone.national, STYLE_MIX.supplfwd, unit(styleHash), unit(hash32(styleHash, 1)));
    this.add(line(historyId, text), account, phone);
    if (!repeat) return;
    const retyped = duplicate < ROW_RATES.supplfwdDuplicate * ROW_RATES.duplicateRetyped;
    this.add(line(historyId + 1, retyped ? typePhone(phone.national, STYLE_MIX.supplfwd, unit(hash32(styleHash, 2)), 1) : text), account, phone);
  }

  /** Writes a valid row of `phone`, sometimes followed by a malformed one. */
  private add(line: string, account: Account, phone: Phone): void {
    this.writer.add(line);
    if (this.malformedRng.next() < ROW_RATES.malformed || this.rows === this.floorRow) {
      this.writer.add(renderFields(this.feed, this.malformed(account, phone)));
      this.malformedRows++;
    }
    this.rows++;
  }

  /**
   * A row with one field broken. It never carries a valid (account, phone) pair of the world:
   * defects other than the phone get a number of their own, so valid pairs are never disturbed.
   */
  private malformed(account: Account, phone: Phone): RowFields {
    const rng = this.malformedRng;
    const kind = rng.pick(MALFORMED_KINDS[this.feed]);
    const national = drawNationalNumber(rng);
    const serial = (this.delivery.day % 100_000) * 1_000_000 + this.malformedRows;
    const date = this.dates.of(this.delivery.day);
    const row: RowFields = {
      recordId: String((this.feed === 'SUPPLFWD' ? MALFORMED_HISTORY_ID_BASE : MALFORMED_PHONE_ID_BASE) + serial),
      accountNumber: account.accountNumber,
      legacyId: account.legacyId,
      agencyId: account.agencyId,
      ssn: account.ssn,
      firstName: account.firstName,
      lastName: account.lastName,
      phone: formatPhone(national, 'DASH'),
      type: FEED_PHONE_TYPE[phone.type],
      status: phone.status,
      source: phone.source,
      technology: phone.technology,
      quality: String(phone.qualityScore ?? ''),
      consent: 'Y',
      consentDate: date,
      softDelete: 'N',
      date,
    };
    breakField(this.feed, row, kind, rng, national);
    return row;
  }
}

function breakField(feed: ConsentFeed, row: RowFields, kind: MalformedKind, rng: Rng, national: string): void {
  switch (kind) {
    case 'PHONE_SHORT':
      row.phone = `${national.slice(3, 6)}-${national.slice(6)}`;
      break;
    case 'PHONE_LETTERS':
      row.phone = `${national.slice(0, 3)}-${national.slice(3, 6)}-${'OlSB'[rng.int(4)]}${national.slice(7)}`;
      break;
    case 'PHONE_NOT_NANP':
      row.phone = rng.chance(0.5) ? `(1${national.slice(1, 3)}) ${national.slice(3, 6)}-${national.slice(6)}` : `+44 20 7946 ${national.slice(6)}`;
      break;
    case 'LEGACY_ID': {
      const digits = row.accountNumber;
      const variant = rng.int(3);
      row.legacyId = [digits, `${digits.slice(1)}P`, `${digits.slice(0, 8)}O${digits.slice(9)}P`][variant];
      if (variant > 0) row.accountNumber = row.legacyId.slice(0, -1);
      break;
    }
    case 'CODE': {
      const field = (['type', 'status', 'source', 'technology'] as const)[rng.int(4)];
      row[field] = { type: 'MOBILE', status: 'ACTV', source: 'CLNT', technology: 'cell' }[field];
      break;
    }
    case 'CONSENT_FLAG':
      row.consent = ['X', 'YES', '1'][rng.int(3)];
      break;
    case 'DATE': {
      const compact = row.date.replaceAll('-', '');
      const bad = [`${compact.slice(4, 6)}/${compact.slice(6)}/${compact.slice(0, 4)}`, `${row.date.slice(0, 8)}32`, compact, ''][rng.int(4)];
      // NON-FIN carries one date, the consent date (never empty beside a flag); SUPPLFWD two.
      if (feed === 'NON-FIN-BDL' || (feed === 'SUPPLFWD' && rng.chance(0.3))) row.consentDate = bad || compact;
      else row.date = bad;
      break;
    }
    case 'QUALITY':
      row.quality = ['0', '101', 'HIGH', '7.5'][rng.int(4)];
      break;
    case 'SOFT_DELETE_FLAG':
      row.softDelete = ['U', 'YES'][rng.int(2)];
      break;
  }
}

/**
 * `<TS>` of an export: its file date and an early-morning time (NON-FIN 02:xx, SUPPLFWD 03:xx,
 * ENRLMT 04:xx), the parts of a split export five seconds apart.
 */
function exportTimestamp(world: World, delivery: Delivery, part: number): string {
  const hash = hash32(world.seedHash, TIMESTAMP_STREAM, delivery.day, FEEDS.indexOf(delivery.feed));
  const hour = { 'NON-FIN-BDL': 2, SUPPLFWD: 3, ENRLMT: 4 }[delivery.feed];
  const seconds = hour * 3600 + (hash % 1800) + 5 * part;
  const millis = hash32(hash, part) % 1000;
  const pad = (value: number, width = 2) => String(value).padStart(width, '0');
  return `${compactDate(delivery.day)}${pad(Math.floor(seconds / 3600))}${pad(Math.floor(seconds / 60) % 60)}${pad(seconds % 60)}${pad(millis, 3)}`;
}

interface ResolvedOptions {
  out: string;
  firstDay: number;
  endDay: number;
  customers: number;
  days: number;
  seed: number;
  maxFileMb: number;
  gzipLevel: number;
  cadence: ConsentCadence;
}

const MAX_DAYS: Record<ConsentCadence, number> = { daily: 366, history: 3660 };

function resolveOptions(options: GenerateConsentOptions): ResolvedOptions {
  const endDay = parseIsoDate(options.date);
  if (endDay < parseIsoDate('2000-01-01') || endDay > parseIsoDate('2099-12-31')) throw new Error(`date ${options.date} must be in 2000–2099`);
  const cadence = options.cadence ?? GENERATE_DEFAULTS.cadence;
  if (!CONSENT_CADENCES.includes(cadence)) throw new Error(`cadence must be daily or history, got ${String(cadence)}`);
  const days = options.days ?? (cadence === 'history' ? GENERATE_DEFAULTS.historyDays : GENERATE_DEFAULTS.days);
  if (!Number.isInteger(days) || days < 1 || days > MAX_DAYS[cadence])
    throw new Error(`days must be an integer in 1..${MAX_DAYS[cadence]} for the ${cadence} cadence, got ${days}`);
  if (endDay - days + 1 < parseIsoDate('2000-01-01')) throw new Error(`the ${days} days ending at ${options.date} must start in 2000 or later`);
  if (options.customers !== undefined && options.consentMb !== undefined) {
    throw new Error('give either customers or consentMb, not both (consentMb sets the number of customers)');
  }
  if (options.consentMb !== undefined && !(options.consentMb > 0)) throw new Error(`consentMb must be a positive number, got ${options.consentMb}`);
  const customers =
    options.consentMb !== undefined
      ? Math.max(1, Math.round((options.consentMb * 2 ** 20) / (days * COMPRESSED_BYTES_PER_ACCOUNT_DAY[cadence])))
      : (options.customers ?? GENERATE_DEFAULTS.customers);
  const maxFileMb = options.maxFileMb ?? GENERATE_DEFAULTS.maxFileMb;
  if (!(maxFileMb > 0)) throw new Error(`maxFileMb must be a positive number, got ${maxFileMb}`);
  const gzipLevel = options.gzipLevel ?? GENERATE_DEFAULTS.gzipLevel;
  if (!Number.isInteger(gzipLevel) || gzipLevel < 1 || gzipLevel > 9) throw new Error(`gzipLevel must be an integer in 1..9, got ${gzipLevel}`);
  return {
    out: options.out,
    firstDay: endDay - days + 1,
    endDay,
    customers,
    days,
    seed: options.seed ?? GENERATE_DEFAULTS.seed,
    maxFileMb,
    gzipLevel,
    cadence,
  };
}

const FOLDERS = [...new Set(consentFeeds.map((layout) => layout.folder))];
/** Base name of the files a writer produces before they get their export names (hidden, so never read as an export). */
const tempBase = (delivery: Delivery) => `.generating-${delivery.feed}-${compactDate(delivery.day)}`;
const TEMP_NAME = /^\.+generating-(ENRLMT|NON-FIN-BDL|SUPPLFWD)-(\d{8})/;

/**
 * Removes the exports dated in the window (an earlier call may have split or numbered them
 * differently) and leftovers of an interrupted one; returns, per feed, the sequence number the
 * window's first export gets: one after the highest of the exports dated before the window.
 */
async function prepareFolders(opts: ResolvedOptions): Promise<Record<ConsentFeed, number>> {
  const next = { ENRLMT: 1, 'NON-FIN-BDL': 1, SUPPLFWD: 1 } satisfies Record<ConsentFeed, number>;
  const [first, last] = [compactDate(opts.firstDay), compactDate(opts.endDay)];
  for (const folder of FOLDERS) {
    const dir = path.join(opts.out, folder);
    await mkdir(dir, { recursive: true });
    for (const name of await readdir(dir)) {
      const temp = TEMP_NAME.exec(name);
      const parsed = parseConsentFeedKey(`${folder}${name}`);
      const date = temp ? temp[2] : parsed.ok ? parsed.file.fileDate.replaceAll('-', '') : null;
      if (date === null) continue;
      if (date >= first && date <= last) await rm(path.join(dir, name));
      else if (parsed.ok && date < first) next[parsed.file.feed] = Math.max(next[parsed.file.feed], parsed.file.sequence + 1);
    }
  }
  return next;
}

/**
 * Writes the consent exports of the `days` days ending at `date`, at the given cadence. The world on
 * a date is a pure function of (seed, customers, date): separate calls for consecutive dates into
 * the same folder give consistent days, and regenerating a day rewrites byte-identical files.
 */
export async function generateConsentFeeds(options: GenerateConsentOptions): Promise<GenerateSummary> {
  const started = performance.now();
  const opts = resolveOptions(options);
  const world = createWorld(opts.seed, opts.customers);
  const sequences = await prepareFolders(opts);
  const deliveries = deliveriesOf(opts.cadence, opts.firstDay, opts.endDay);
  const files: GeneratedFile[] = [];
  let malformedRows = 0;
  for (let first = 0; first < deliveries.length; first += DELIVERIES_PER_PASS) {
    const pass = await renderPass(world, opts, deliveries.slice(first, first + DELIVERIES_PER_PASS), sequences);
    files.push(...pass.files);
    malformedRows += pass.malformedRows;
  }
  return {
    out: opts.out,
    seed: opts.seed,
    customers: opts.customers,
    cadence: opts.cadence,
    dates: Array.from({ length: opts.days }, (_, i) => isoDate(opts.firstDay + i)),
    files,
    rows: files.reduce((sum, file) => sum + file.rows, 0),
    malformedRows,
    bytes: files.reduce((sum, file) => sum + file.bytes, 0),
    seconds: (performance.now() - started) / 1000,
  };
}

/** Exports rendered in one pass over the slots; bounds the open writers and so the memory. */
const DELIVERIES_PER_PASS = 21;

/** One pass over the slots: each account is built once and rendered into every export of the pass. */
async function renderPass(
  world: World,
  opts: ResolvedOptions,
  deliveries: Delivery[],
  sequences: Record<ConsentFeed, number>,
): Promise<{ files: GeneratedFile[]; malformedRows: number }> {
  const writerOptions = { maxRawBytesPerFile: Math.round(opts.maxFileMb * 2 ** 20 * COMPRESSION_RATIO), level: opts.gzipLevel };
  const dates = new DateTexts();
  const exports = deliveries.map((delivery) => {
    const { folder, columns } = consentFeedLayout(delivery.feed);
    const writer = new SplitGzipWriter(path.join(opts.out, folder), tempBase(delivery), `${columns.join('|')}\n`, writerOptions);
    return new Export(delivery, writer, world, dates);
  });
  const first = Math.min(...deliveries.map((delivery) => delivery.from));
  const last = Math.max(...deliveries.map((delivery) => delivery.to));

  for (let slot = 0; slot < world.customers; slot++) {
    // The slot's accounts one after the other over the pass's days.
    for (let from = first; from <= last; ) {
      const account = buildAccount(world, accountSpanAt(world, slot, from));
      const until = Math.min(account.closedDay, last + 1);
      const consumer = consumerText(account.agencyId, account.ssn, account.firstName, account.lastName);
      for (const target of exports) target.render(account, consumer, from, until);
      from = until;
    }
    if (slot % 16 === 15) {
      for (const { writer } of exports) if (writer.needsFlush) await writer.flush();
    }
  }

  const files: GeneratedFile[] = [];
  let malformedRows = 0;
  for (const target of exports) {
    const { delivery } = target;
    const written: WrittenFile[] = await target.writer.close();
    malformedRows += target.malformedRows;
    for (const [part, file] of written.entries()) {
      const finalPath = path.join(
        path.dirname(file.path),
        consentExportName(delivery.feed, exportTimestamp(world, delivery, part), sequences[delivery.feed]++),
      );
      await rename(file.path, finalPath);
      files.push({
        path: path.relative(opts.out, finalPath).split(path.sep).join('/'),
        feed: delivery.feed,
        date: isoDate(delivery.day),
        rows: file.rows,
        bytes: file.bytes,
      });
    }
  }
  return { files, malformedRows };
}
