import { mkdir, readdir, rm } from 'node:fs/promises';
import { consentFeeds, type ConsentFeed } from '../../domain/consent-feeds.ts';
import path from 'node:path';
import { compactDate, isoDate, parseIsoDate } from './days.ts';
import { SplitGzipWriter, type WrittenFile } from './gzip-writer.ts';
import { STYLE_MIX, drawNationalNumber, formatPhone, typePhone } from './phone-text.ts';
import {
  accountSpanAt, buildAccount, createWorld, snapshotConsent, type Account, type ConsentFlag, type Phone, type PhoneEvent, type World,
} from './population.ts';
import { Rng, hash32, unit, weighted, type Weighted } from './random.ts';

const FEEDS = consentFeeds.map((layout) => layout.feed);

export interface GenerateConsentOptions {
  /** Output directory (the landing zone); files go under `consent/…` in it. */
  out: string;
  /** Last business date written, `YYYY-MM-DD`. */
  date: string;
  /** Number of accounts (slots of the world). Exclusive with `consentMb`. */
  customers?: number;
  /** Number of days written, ending at `date`. */
  days?: number;
  /** Integer in [0, 2^32). */
  seed?: number;
  /** Target total compressed size of the files written (MB = 2^20 bytes); sets `customers`. */
  consentMb?: number;
  /** Approximate compressed size at which a feed's day is split into `_NNN` files. */
  maxFileMb?: number;
  /** gzip level 1–9. */
  gzipLevel?: number;
}

export const GENERATE_DEFAULTS = {
  customers: 500,
  days: 3,
  seed: 42,
  maxFileMb: 64,
  gzipLevel: 4,
} as const;

/**
 * Measured on generated feeds (docs/generator.md): compressed bytes per account per day at the
 * default gzip level, and the ratio of uncompressed to compressed bytes. They turn `consentMb`
 * into a number of accounts and `maxFileMb` into the uncompressed split size.
 */
export const COMPRESSED_BYTES_PER_ACCOUNT_DAY = 34.6;
export const COMPRESSION_RATIO = 3.3;

export interface GeneratedFile {
  /** Relative to `out`, with `/` separators. */
  path: string;
  feed: ConsentFeed;
  date: string;
  rows: number;
  bytes: number;
}

export interface GenerateSummary {
  out: string;
  seed: number;
  customers: number;
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
/** `cnsmr_phn_id` of malformed NON-FIN rows: far above every real phone id, unique within a day. */
const MALFORMED_PHONE_ID_BASE = 900_000_000_000;

type MalformedKind =
  | 'PHONE_SHORT' | 'PHONE_LETTERS' | 'PHONE_NOT_NANP' | 'LEGACY_ID' | 'CONSENT_FLAG' | 'DATE' | 'SOFT_DELETE_FLAG';

const MALFORMED_KINDS: Record<ConsentFeed, Weighted<MalformedKind>> = {
  ENRLMT: weighted<MalformedKind>([['PHONE_SHORT', 3], ['PHONE_LETTERS', 2], ['PHONE_NOT_NANP', 2], ['LEGACY_ID', 2], ['CONSENT_FLAG', 1], ['DATE', 2]]),
  'NON-FIN-BDL': weighted<MalformedKind>([['PHONE_SHORT', 3], ['PHONE_LETTERS', 2], ['PHONE_NOT_NANP', 2], ['LEGACY_ID', 2], ['CONSENT_FLAG', 1]]),
  SUPPLFWD: weighted<MalformedKind>([
    ['PHONE_SHORT', 3], ['PHONE_LETTERS', 2], ['PHONE_NOT_NANP', 2], ['LEGACY_ID', 2], ['CONSENT_FLAG', 1], ['DATE', 2], ['SOFT_DELETE_FLAG', 1],
  ]),
};

/** Fields of one row (NON-FIN id and SUPPLFWD flag only where the feed has them). */
interface RowFields {
  legacyId: string;
  phoneId: string;
  phone: string;
  type: string;
  source: string;
  consent: string;
  softDelete: string;
  date: string;
}

// One line per feed, columns in the order of consentFeeds (domain/consent-feeds.ts) (positional arguments: no allocation per row).
function enrollmentLine(legacyId: string, phone: string, type: string, source: string, consent: string, date: string): string {
  return `${legacyId}|${phone}|${type}|${source}|${consent}|${date}\n`;
}

function snapshotLine(legacyId: string, phoneId: number | string, phone: string, type: string, source: string, consent: string): string {
  return `${legacyId}|${phoneId}|${phone}|${type}|${source}|${consent}\n`;
}

function eventLine(legacyId: string, phone: string, type: string, source: string, consent: string, softDelete: string, date: string): string {
  return `${legacyId}|${phone}|${type}|${source}|${consent}|${softDelete}|${date}\n`;
}

function renderRow(feed: ConsentFeed, f: RowFields): string {
  switch (feed) {
    case 'ENRLMT': return enrollmentLine(f.legacyId, f.phone, f.type, f.source, f.consent, f.date);
    case 'NON-FIN-BDL': return snapshotLine(f.legacyId, f.phoneId, f.phone, f.type, f.source, f.consent);
    case 'SUPPLFWD': return eventLine(f.legacyId, f.phone, f.type, f.source, f.consent, f.softDelete, f.date);
  }
}

/** One feed on one day: its writer, plus the state for malformed rows. */
class FeedDay {
  rows = 0;
  malformedRows = 0;
  private readonly date: string;
  private readonly malformedRng: Rng;
  /** Row-level choices (duplicates); rows are rendered in a fixed order, so the draws are reproducible. */
  readonly noise: Rng;
  /** Index of the row followed by a guaranteed malformed row (so small samples have some), or -1. */
  private readonly floorRow: number;

  constructor(
    readonly feed: ConsentFeed,
    readonly day: number,
    readonly writer: SplitGzipWriter,
    world: World,
  ) {
    this.date = compactDate(day);
    this.malformedRng = new Rng(hash32(world.seedHash, MALFORMED_STREAM, day, FEEDS.indexOf(feed)));
    this.noise = new Rng(hash32(world.seedHash, DUPLICATE_STREAM, day, FEEDS.indexOf(feed)));
    this.floorRow = feed === 'NON-FIN-BDL' ? this.malformedRng.int(1000) : feed === 'SUPPLFWD' ? this.malformedRng.int(20) : -1;
  }

  /** Writes a valid row of `phone` (rendered as `line`), sometimes followed by a malformed one. */
  add(line: string, legacyId: string, phone: Phone, consent: ConsentFlag): void {
    this.writer.add(line);
    if (this.malformedRng.next() < ROW_RATES.malformed || this.rows === this.floorRow) {
      this.writer.add(renderRow(this.feed, this.malformed(legacyId, phone, consent)));
      this.malformedRows++;
    }
    this.rows++;
  }

  /**
   * A row with one field broken. It never carries a valid (account, phone) pair of the world:
   * defects other than the phone get a number of their own, so valid pairs are never disturbed.
   */
  private malformed(legacyId: string, phone: Phone, consent: ConsentFlag): RowFields {
    const rng = this.malformedRng;
    const kind = rng.pick(MALFORMED_KINDS[this.feed]);
    const national = drawNationalNumber(rng);
    const row: RowFields = {
      legacyId,
      phoneId: String(MALFORMED_PHONE_ID_BASE + (this.day % 100_000) * 1_000_000 + this.malformedRows),
      phone: formatPhone(national, 'DASH'),
      type: phone.type,
      source: phone.source,
      consent,
      softDelete: 'N',
      date: this.date,
    };
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
        const digits = legacyId.slice(0, 16);
        row.legacyId = [digits, `${digits.slice(1)}P`, `${digits.slice(0, 8)}O${digits.slice(9)}P`][rng.int(3)];
        break;
      }
      case 'CONSENT_FLAG':
        row.consent = ['X', 'YES', '1'][rng.int(3)];
        break;
      case 'DATE':
        row.date = [isoDate(this.day), `${this.date.slice(0, 6)}32`, ''][rng.int(3)];
        break;
      case 'SOFT_DELETE_FLAG':
        row.softDelete = ['U', 'YES'][rng.int(2)];
        break;
    }
    return row;
  }
}

/** The rows of one account on one day, in the three feeds. */
function renderAccountDay(account: Account, feeds: Record<ConsentFeed, FeedDay>, day: number, date: string): void {
  const legacyId = account.legacyId;
  for (const phone of account.phones) {
    if (phone.atEnrollment && account.enrolledDay === day) {
      const text = typePhone(phone.national, STYLE_MIX.enrollment, unit(hash32(phone.styleSeed, STYLE_STREAM, 1)), unit(hash32(phone.styleSeed, STYLE_STREAM, 2)));
      feeds.ENRLMT.add(enrollmentLine(legacyId, text, phone.type, phone.source, phone.enrollmentConsent, date), legacyId, phone, phone.enrollmentConsent);
    }
    const consent = snapshotConsent(phone, day);
    if (consent !== null) {
      const line = snapshotLine(legacyId, phone.id, phone.storedText, phone.type, phone.source, consent);
      feeds['NON-FIN-BDL'].add(line, legacyId, phone, consent);
      if (feeds['NON-FIN-BDL'].noise.chance(ROW_RATES.nonFinDuplicate)) feeds['NON-FIN-BDL'].add(line, legacyId, phone, consent);
    }
    for (const event of phone.events) {
      if (event.day > day) break;
      if (event.day === day && event.reported) renderEvent(legacyId, phone, event, feeds.SUPPLFWD, date);
    }
  }
}

function renderEvent(legacyId: string, phone: Phone, event: PhoneEvent, feed: FeedDay, date: string): void {
  const styleHash = hash32(phone.styleSeed, EVENT_STYLE_STREAM, event.day);
  const softDelete = event.kind === 'SOFT_DELETE' ? 'Y' : 'N';
  const text = typePhone(phone.national, STYLE_MIX.supplfwd, unit(styleHash), unit(hash32(styleHash, 1)));
  const line = eventLine(legacyId, text, phone.type, phone.source, event.consent, softDelete, date);
  const duplicate = feed.noise.next();
  // The first event of each day is always repeated, so that every day's file has a duplicate.
  const repeat = feed.rows === 0 || duplicate < ROW_RATES.supplfwdDuplicate;
  feed.add(line, legacyId, phone, event.consent);
  if (!repeat) return;
  const retyped = duplicate < ROW_RATES.supplfwdDuplicate * ROW_RATES.duplicateRetyped;
  const again = retyped
    ? eventLine(legacyId, typePhone(phone.national, STYLE_MIX.supplfwd, unit(hash32(styleHash, 2)), 1), phone.type, phone.source, event.consent, softDelete, date)
    : line;
  feed.add(again, legacyId, phone, event.consent);
}

function consentFileBase(feed: ConsentFeed, day: number): string {
  return `${feed}_${compactDate(day)}`;
}

interface ResolvedOptions {
  out: string;
  endDay: number;
  customers: number;
  days: number;
  seed: number;
  maxFileMb: number;
  gzipLevel: number;
}

function resolveOptions(options: GenerateConsentOptions): ResolvedOptions {
  const endDay = parseIsoDate(options.date);
  if (endDay < parseIsoDate('2000-01-01') || endDay > parseIsoDate('2099-12-31')) throw new Error(`date ${options.date} must be in 2000–2099`);
  const days = options.days ?? GENERATE_DEFAULTS.days;
  if (!Number.isInteger(days) || days < 1 || days > 366) throw new Error(`days must be an integer in 1..366, got ${days}`);
  if (options.customers !== undefined && options.consentMb !== undefined) {
    throw new Error('give either customers or consentMb, not both (consentMb sets the number of customers)');
  }
  if (options.consentMb !== undefined && !(options.consentMb > 0)) throw new Error(`consentMb must be a positive number, got ${options.consentMb}`);
  const customers = options.consentMb !== undefined
    ? Math.max(1, Math.round((options.consentMb * 2 ** 20) / (days * COMPRESSED_BYTES_PER_ACCOUNT_DAY)))
    : options.customers ?? GENERATE_DEFAULTS.customers;
  const maxFileMb = options.maxFileMb ?? GENERATE_DEFAULTS.maxFileMb;
  if (!(maxFileMb > 0)) throw new Error(`maxFileMb must be a positive number, got ${maxFileMb}`);
  const gzipLevel = options.gzipLevel ?? GENERATE_DEFAULTS.gzipLevel;
  if (!Number.isInteger(gzipLevel) || gzipLevel < 1 || gzipLevel > 9) throw new Error(`gzipLevel must be an integer in 1..9, got ${gzipLevel}`);
  return { out: options.out, endDay, customers, days, seed: options.seed ?? GENERATE_DEFAULTS.seed, maxFileMb, gzipLevel };
}

/** Removes the files of this feed and day left by an earlier run (it may have been split differently). */
async function removeFeedDay(dir: string, base: string): Promise<void> {
  const pattern = new RegExp(`^\\.?${base.replace(/[-]/g, '\\-')}(_\\d{3})?\\.csv\\.gz(\\.partial)?$`);
  for (const name of await readdir(dir)) {
    if (pattern.test(name)) await rm(path.join(dir, name));
  }
}

/**
 * Writes the consent feeds of the `days` days ending at `date`. The world on a date is a pure
 * function of (seed, customers, date): separate calls for consecutive dates into the same folder
 * give consistent days, and regenerating a day rewrites byte-identical files.
 */
export async function generateConsentFeeds(options: GenerateConsentOptions): Promise<GenerateSummary> {
  const started = performance.now();
  const opts = resolveOptions(options);
  const world = createWorld(opts.seed, opts.customers);
  const dayNumbers = Array.from({ length: opts.days }, (_, i) => opts.endDay - opts.days + 1 + i);
  const files: GeneratedFile[] = [];
  let malformedRows = 0;
  for (let first = 0; first < dayNumbers.length; first += DAYS_PER_PASS) {
    const pass = await renderDays(world, opts, dayNumbers.slice(first, first + DAYS_PER_PASS));
    files.push(...pass.files);
    malformedRows += pass.malformedRows;
  }
  return {
    out: opts.out,
    seed: opts.seed,
    customers: opts.customers,
    dates: dayNumbers.map(isoDate),
    files,
    rows: files.reduce((sum, file) => sum + file.rows, 0),
    malformedRows,
    bytes: files.reduce((sum, file) => sum + file.bytes, 0),
    seconds: (performance.now() - started) / 1000,
  };
}

/** Days rendered in one pass over the slots; bounds the open writers (three per day) and so the memory. */
const DAYS_PER_PASS = 7;

/** One pass over the slots: each account is built once and rendered on every day of the pass. */
async function renderDays(world: World, opts: ResolvedOptions, days: number[]): Promise<{ files: GeneratedFile[]; malformedRows: number }> {
  const writerOptions = { maxRawBytesPerFile: Math.round(opts.maxFileMb * 2 ** 20 * COMPRESSION_RATIO), level: opts.gzipLevel };
  const perDay: Record<ConsentFeed, FeedDay>[] = [];
  for (const day of days) {
    const entry = {} as Record<ConsentFeed, FeedDay>;
    for (const feed of FEEDS) {
      const { folder, columns } = consentFeeds.find((layout) => layout.feed === feed)!;
      const dir = path.join(opts.out, folder);
      await mkdir(dir, { recursive: true });
      const base = consentFileBase(feed, day);
      await removeFeedDay(dir, base);
      entry[feed] = new FeedDay(feed, day, new SplitGzipWriter(dir, base, `${columns.join('|')}\n`, writerOptions), world);
    }
    perDay.push(entry);
  }
  const writers = perDay.flatMap((entry) => FEEDS.map((feed) => entry[feed].writer));
  const dates = days.map(compactDate);

  for (let slot = 0; slot < world.customers; slot++) {
    let account: Account | undefined;
    for (let index = 0; index < days.length; index++) {
      if (!account || days[index] >= account.closedDay) account = buildAccount(world, accountSpanAt(world, slot, days[index]));
      renderAccountDay(account, perDay[index], days[index], dates[index]);
    }
    if (slot % 16 === 15) {
      for (const writer of writers) if (writer.needsFlush) await writer.flush();
    }
  }

  const files: GeneratedFile[] = [];
  let malformedRows = 0;
  for (const [index, entry] of perDay.entries()) {
    for (const feed of FEEDS) {
      const written: WrittenFile[] = await entry[feed].writer.close();
      malformedRows += entry[feed].malformedRows;
      for (const file of written) {
        files.push({
          path: path.relative(opts.out, file.path).split(path.sep).join('/'),
          feed,
          date: isoDate(days[index]),
          rows: file.rows,
          bytes: file.bytes,
        });
      }
    }
  }
  return { files, malformedRows };
}
