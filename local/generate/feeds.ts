import { mkdir, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { COMPRESSION_RATIO, GENERATE_DEFAULTS, generateConsentFeeds, type GenerateConsentOptions, type GenerateSummary } from './consent-feeds.ts';
import { PresentContacts, buildProfile, loanOn, type LoanState } from './customer-profile.ts';
import { compactDate, isoDate, parseIsoDate } from './days.ts';
import { DispositionRenderer, activeDays } from './dispositions.ts';
import { LocalDays } from './geography.ts';
import { SplitGzipWriter } from './gzip-writer.ts';
import { accountSpanAt, buildAccount, createWorld } from './population.ts';
import { dailyFeeds, type DailyFeed } from '../../domain/feeds/daily-feeds.ts';
import { DateText, contactLines, contactRuleLines, customFieldsLine, loanTapeLine, paymentRequestLines, suppressionLines } from './snapshot-feeds.ts';

/**
 * `outbound generate`: the consent feeds (consent-feeds.ts) and the other feeds of SPEC §3.2,
 * rendered from the same world (population.ts + customer-profile.ts) in one pass over its slots.
 * docs/feeds.md is the schema, docs/generator.md the model.
 */

/** The feeds and their columns are the ones the SQL engines read (domain/feeds/daily-feeds.ts): the header is written from them. */
type LandingFeed = DailyFeed;

interface FeedLayout {
  /** Folder of a feed-day under the landing zone. */
  folder(date: string): string;
  /** File name without `_NNN` and extension. */
  base(compact: string): string;
  extension: 'csv.gz' | 'jsonl.gz';
  /** Header row (empty for JSON Lines). */
  header: string;
}

const csvHeader = (feed: Exclude<DailyFeed, 'custom_fields'>): string => `${dailyFeeds[feed].columns.join('|')}\n`;

/** The feeds written for every day of the window (the dispositions are written for the history before it, the ZIP register once). */
type SnapshotFeed = Exclude<LandingFeed, 'dispositions' | 'zip_suppressions'>;
const SNAPSHOT_FEEDS: readonly SnapshotFeed[] = ['loan_tape', 'contacts', 'suppressions', 'custom_fields', 'contact_rules', 'payment_requests'];

export const FEED_LAYOUTS: Record<LandingFeed, FeedLayout> = {
  loan_tape: { folder: (date) => `loan_tape/asof=${date}`, base: (d) => `loan_tape_${d}`, extension: 'csv.gz', header: csvHeader('loan_tape') },
  contacts: { folder: (date) => `contacts/asof=${date}`, base: (d) => `contacts_${d}`, extension: 'csv.gz', header: csvHeader('contacts') },
  dispositions: { folder: (date) => `dispositions/date=${date}`, base: (d) => `dispositions_${d}`, extension: 'csv.gz', header: csvHeader('dispositions') },
  suppressions: { folder: () => 'suppressions', base: (d) => `suppressions_${d}`, extension: 'csv.gz', header: csvHeader('suppressions') },
  custom_fields: { folder: (date) => `custom_fields/asof=${date}`, base: (d) => `custom_fields_${d}`, extension: 'jsonl.gz', header: '' },
  contact_rules: { folder: (date) => `contact_rules/asof=${date}`, base: (d) => `contact_rules_${d}`, extension: 'csv.gz', header: csvHeader('contact_rules') },
  payment_requests: {
    folder: (date) => `payment_requests/date=${date}`,
    base: (d) => `payment_requests_${d}`,
    extension: 'csv.gz',
    header: csvHeader('payment_requests'),
  },
  zip_suppressions: { folder: () => 'reference', base: () => 'zip_suppressions', extension: 'csv.gz', header: csvHeader('zip_suppressions') },
};

export interface GenerateFeedsOptions extends GenerateConsentOptions {
  /** Days of disposition history before `date` (attempts of date - H … date - 1). */
  historyDays?: number;
  /** `consent` writes the consent feeds only. */
  feeds?: 'all' | 'consent';
}

export const HISTORY_DAYS_DEFAULT = 90;
/** gzip level of the feeds other than consent: the disposition history is the bulk, and level 1 halves its compression time for ~10% larger files. */
export const LANDING_GZIP_LEVEL = 1;

export interface LandingFile {
  /** Relative to `out`, with `/` separators. */
  path: string;
  feed: LandingFeed;
  date: string;
  rows: number;
  bytes: number;
}

export interface GenerateFeedsSummary {
  consent: GenerateSummary;
  /** Files of the other feeds written by this call. */
  files: LandingFile[];
  /** Disposition days of the history already present and kept as they were. */
  keptDispositionDays: string[];
  seconds: number;
}

/**
 * Writes every feed of the landing zone for the `days` days ending at `date`: consent, loan tape,
 * contacts, custom fields and suppression snapshots of those days, and the dispositions of the
 * `historyDays` days before `date` (the run at 06:00 on `date` sees attempts up to the day before).
 * Disposition days before the `days` window that already exist are kept: a day is a pure function
 * of (seed, customers, day), so a later call only adds the new days.
 */
export async function generateFeeds(options: GenerateFeedsOptions): Promise<GenerateFeedsSummary> {
  const started = performance.now();
  const historyDays = options.historyDays ?? HISTORY_DAYS_DEFAULT;
  if (!Number.isInteger(historyDays) || historyDays < 0 || historyDays > 1000) throw new Error(`historyDays must be an integer in 0..1000, got ${historyDays}`);
  const consent = await generateConsentFeeds(options);
  if (options.feeds === 'consent') return { consent, files: [], keptDispositionDays: [], seconds: (performance.now() - started) / 1000 };

  const endDay = parseIsoDate(options.date);
  const days = options.days ?? GENERATE_DEFAULTS.days;
  const snapshotDays = Array.from({ length: days }, (_, i) => endDay - days + 1 + i);
  const dispositionDays: number[] = [];
  const keptDispositionDays: string[] = [];
  for (let day = endDay - historyDays; day < endDay; day++) {
    if (day < endDay - days && (await hasFeedDay(options.out, 'dispositions', day))) keptDispositionDays.push(isoDate(day));
    else dispositionDays.push(day);
  }
  const world = createWorld(consent.seed, consent.customers);
  const writerOptions = {
    maxRawBytesPerFile: Math.round((options.maxFileMb ?? GENERATE_DEFAULTS.maxFileMb) * 2 ** 20 * COMPRESSION_RATIO),
    level: LANDING_GZIP_LEVEL,
  };
  const open = async (feed: LandingFeed, day: number): Promise<SplitGzipWriter> => {
    const layout = FEED_LAYOUTS[feed];
    const dir = path.join(options.out, layout.folder(isoDate(day)));
    const base = layout.base(compactDate(day));
    await mkdir(dir, { recursive: true });
    await removeFeedDay(dir, base, layout.extension);
    return new SplitGzipWriter(dir, base, layout.header, { ...writerOptions, extension: layout.extension });
  };
  const snapshots = new Map<number, Record<SnapshotFeed, SplitGzipWriter>>();
  for (const day of snapshotDays) {
    const writers = {} as Record<SnapshotFeed, SplitGzipWriter>;
    for (const feed of SNAPSHOT_FEEDS) writers[feed] = await open(feed, day);
    snapshots.set(day, writers);
  }
  const dispositions = new Map<number, SplitGzipWriter>();
  for (const day of dispositionDays) dispositions.set(day, await open('dispositions', day));

  const disasterZips = await renderSlots(world.customers, snapshotDays, dispositionDays, { world, snapshots, dispositions });
  // The ZIP register (one file, replaced): one file whatever its size, as the reader expects exactly reference/zip_suppressions.csv.gz.
  const zipDir = path.join(options.out, 'reference');
  await mkdir(zipDir, { recursive: true });
  await removeFeedDay(zipDir, 'zip_suppressions', 'csv.gz');
  const zipWriter = new SplitGzipWriter(zipDir, 'zip_suppressions', FEED_LAYOUTS.zip_suppressions.header, {
    ...writerOptions,
    maxRawBytesPerFile: 2 ** 40,
    extension: 'csv.gz',
  });
  for (const line of zipRegisterLines(disasterZips)) zipWriter.add(line);

  // Closed together: each close compresses its last chunk, and the thread pool does them in parallel.
  const closing: [LandingFeed, number, SplitGzipWriter][] = [
    ...[...snapshots].flatMap(([day, writers]) => SNAPSHOT_FEEDS.map((feed) => [feed, day, writers[feed]] as [LandingFeed, number, SplitGzipWriter])),
    ...[...dispositions].map(([day, writer]) => ['dispositions', day, writer] as [LandingFeed, number, SplitGzipWriter]),
    ['zip_suppressions', endDay, zipWriter],
  ];
  const closed = await Promise.all(closing.map(([, , writer]) => writer.close()));
  const files: LandingFile[] = closing.flatMap(([feed, day], index) =>
    closed[index].map((file) => ({
      path: path.relative(options.out, file.path).split(path.sep).join('/'),
      feed,
      date: isoDate(day),
      rows: file.rows,
      bytes: file.bytes,
    })),
  );
  return { consent, files, keptDispositionDays, seconds: (performance.now() - started) / 1000 };
}

interface PassTargets {
  world: ReturnType<typeof createWorld>;
  snapshots: Map<number, Record<SnapshotFeed, SplitGzipWriter>>;
  dispositions: Map<number, SplitGzipWriter>;
}

/** A disaster window of the ZIP register: [start, end] (end Infinity = open). */
interface DisasterWindow {
  start: number;
  end: number;
}

/**
 * The ZIP register as of the last day written: the ZIPs of the ZIP_DISASTER program accounts of that day, in a
 * window open over the account's whole life; those of ZIP_DISASTER_OVER in one that ended before it (copy 0) or
 * starts when it closes (copy 1). Sorted; every other customer of such a ZIP is suppressed with them. A function
 * of (seed, customers, last day) only, so a day written alone is written the same.
 */
function zipRegisterLines(zips: Map<string, DisasterWindow>): string[] {
  const dates = new DateText();
  return [...zips]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([zip, { start, end }]) => `${zip}|NATURAL_DISASTER|${dates.of(start)}|${end === Number.POSITIVE_INFINITY ? '' : dates.of(end)}\n`);
}

/** One pass over the slots: each account and its profile are built once and rendered on every day. Returns the disaster ZIPs met. */
async function renderSlots(
  customers: number,
  snapshotDays: readonly number[],
  dispositionDays: readonly number[],
  targets: PassTargets,
): Promise<Map<string, DisasterWindow>> {
  const { world, snapshots, dispositions } = targets;
  const writers = [...dispositions.values(), ...[...snapshots.values()].flatMap((entry) => Object.values(entry))];
  const dates = new DateText();
  const renderer = new DispositionRenderer(new LocalDays());
  const loan: LoanState = { status: 'CURRENT', daysPastDue: 0, amountDue: 0 };
  const earlier: LoanState = { status: 'CURRENT', daysPastDue: 0, amountDue: 0 };
  const zips = new Map<string, DisasterWindow>();
  const lastSnapshot = Math.max(...snapshotDays);
  const present = new PresentContacts();
  const days = [...snapshotDays, ...dispositionDays];
  const first = Math.min(...days);
  const last = Math.max(...days);
  for (let slot = 0; slot < customers; slot++) {
    // The slot's accounts one after the other; on each, the days where something is written.
    for (let from = first; from <= last; ) {
      const account = buildAccount(world, accountSpanAt(world, slot, from));
      const profile = buildProfile(world, account);
      const until = Math.min(account.closedDay, last + 1);
      for (const day of activeDays(profile, from, until)) {
        const writer = dispositions.get(day);
        if (!writer) continue;
        present.at(profile, day);
        renderer.render(profile, day, loanOn(profile.loan, day, loan), present, writer);
      }
      for (const day of snapshotDays) {
        if (day < from || day >= until) continue;
        const snapshot = snapshots.get(day)!;
        loanOn(profile.loan, day, loan);
        present.at(profile, day);
        const date = dates.of(day);
        snapshot.loan_tape.add(loanTapeLine(profile, day, loan, date, dates));
        contactRuleLines(profile, day, dates, snapshot.contact_rules);
        paymentRequestLines(profile, day, (d) => loanOn(profile.loan, d, earlier).status, dates, snapshot.payment_requests);
        const role = profile.program;
        if (day === lastSnapshot && (role?.scenario === 'ZIP_DISASTER' || role?.scenario === 'ZIP_DISASTER_OVER')) {
          const { enrolledDay, closedDay } = profile.account;
          const window =
            role.scenario === 'ZIP_DISASTER'
              ? { start: enrolledDay - 1, end: Number.POSITIVE_INFINITY }
              : role.copy % 2 === 0
                ? { start: enrolledDay - 60, end: enrolledDay - 2 }
                : { start: closedDay, end: Number.POSITIVE_INFINITY };
          // An active window wins over an expired or future one of the same ZIP.
          if (role.scenario === 'ZIP_DISASTER' || !zips.has(profile.address.zip)) zips.set(profile.address.zip, window);
        }
        contactLines(profile, present.points(), dates, snapshot.contacts);
        const custom = customFieldsLine(profile, day, loan, dates);
        if (custom) snapshot.custom_fields.add(custom);
        suppressionLines(profile, day, dates, snapshot.suppressions);
      }
      from = until;
    }
    if (slot % 16 === 15) {
      for (const writer of writers) if (writer.needsFlush) await writer.flush();
    }
  }
  return zips;
}

async function hasFeedDay(out: string, feed: LandingFeed, day: number): Promise<boolean> {
  const layout = FEED_LAYOUTS[feed];
  const pattern = feedFilePattern(layout.base(compactDate(day)), layout.extension, false);
  try {
    return (await readdir(path.join(out, layout.folder(isoDate(day))))).some((name) => pattern.test(name));
  } catch {
    return false;
  }
}

function feedFilePattern(base: string, extension: string, partial: boolean): RegExp {
  return new RegExp(`^${partial ? '\\.?' : ''}${base}(_\\d{3})?\\.${extension.replaceAll('.', '\\.')}${partial ? '(\\.partial)?' : ''}$`);
}

/** Removes the files of this feed-day left by an earlier run (it may have been split differently). */
async function removeFeedDay(dir: string, base: string, extension: string): Promise<void> {
  const pattern = feedFilePattern(base, extension, true);
  for (const name of await readdir(dir)) {
    if (pattern.test(name)) await rm(path.join(dir, name));
  }
}
