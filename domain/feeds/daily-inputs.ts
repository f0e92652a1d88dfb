import { addDays } from '../campaigns/dates.ts';

/**
 * The §3.2 feeds a daily run needs besides consent (docs/feeds.md), and the check that they are
 * present and fresh for the load date D: the loan tape, contacts and custom fields as of D, the
 * dispositions of D − 1 (the last complete day before the 06:00 run), a suppression snapshot dated ≤ D.
 */
export function checkDailyInputs(keys: readonly string[], loadDate: string): { problems: string[] } {
  const problems: string[] = [];
  const datedFolder = (feed: string, partition: string, date: string) => keys.some((key) => key.startsWith(`${feed}/${partition}=${date}/`));
  for (const feed of ['loan_tape', 'contacts', 'custom_fields', 'contact_rules']) {
    if (!datedFolder(feed, 'asof', loadDate)) {
      const newest = keys
        .filter((key) => key.startsWith(`${feed}/asof=`))
        .map((key) => key.slice(feed.length + 6, feed.length + 16))
        .sort()
        .at(-1);
      problems.push(`${feed}: nothing under ${feed}/asof=${loadDate}/ (newest: ${newest ?? 'none'})`);
    }
  }
  const yesterday = addDays(loadDate, -1);
  if (!datedFolder('dispositions', 'date', yesterday)) problems.push(`dispositions: nothing under dispositions/date=${yesterday}/`);
  if (snapshotsUpTo(keys, loadDate).length === 0) problems.push(`suppressions: no suppressions_YYYYMMDD.csv.gz dated on or before ${loadDate}`);
  // The day's payment requests and the ZIP register: without them a pending payment or a disaster ZIP would go unseen (fail closed).
  if (!datedFolder('payment_requests', 'date', loadDate)) problems.push(`payment_requests: nothing under payment_requests/date=${loadDate}/`);
  if (!keys.includes(ZIP_SUPPRESSIONS_FILE)) problems.push(`zip_suppressions: no ${ZIP_SUPPRESSIONS_FILE}`);
  return { problems };
}

/**
 * Days from the newest loan tape (`loan_tape/asof=YYYY-MM-DD/`) dated on or before the load date to the load
 * date: 0 when today's tape is there (metric LoanTapeAgeDays). Null when there is no such tape at all.
 */
export function loanTapeAgeDays(keys: readonly string[], loadDate: string): number | null {
  const newest = keys
    .map((key) => /^loan_tape\/asof=(\d{4}-\d{2}-\d{2})\//.exec(key)?.[1])
    .filter((asOf): asOf is string => asOf !== undefined && asOf <= loadDate)
    .sort()
    .at(-1);
  return newest === undefined ? null : Math.round((Date.parse(loadDate) - Date.parse(newest)) / 86_400_000);
}

/** Days of disposition history the facts read: the 90 days ending on the load date. */
export const DISPOSITION_HISTORY_DAYS = 90;

/**
 * Days of payment-request deliveries the facts read: the `date=` folders of the 90 days ending on the load date, so a
 * request is seen whether a delivery holds every open request (a snapshot) or only the day's changes (docs/feeds.md).
 */
export const PAYMENT_REQUEST_HISTORY_DAYS = 90;

/** The ZIP suppression register (domain/feeds/daily-feeds.ts ZIP_SUPPRESSIONS_KEY). */
const ZIP_SUPPRESSIONS_FILE = 'reference/zip_suppressions.csv.gz';

/** The day of a `payment_requests/date=YYYY-MM-DD/` key (its folder), or undefined for another key. */
export function paymentRequestsDate(key: string): string | undefined {
  return /^payment_requests\/date=(\d{4}-\d{2}-\d{2})\//.exec(key)?.[1];
}

/** The day of the attempts of a `dispositions/date=YYYY-MM-DD/` key (its folder), or undefined for another key. */
export function dispositionsDate(key: string): string | undefined {
  return /^dispositions\/date=(\d{4}-\d{2}-\d{2})\//.exec(key)?.[1];
}

/** The feed files a run on `loadDate` reads (and whose names identify its inputs). */
export function dailyInputKeys(keys: readonly string[], loadDate: string): string[] {
  const oldestDisposition = addDays(loadDate, -(DISPOSITION_HISTORY_DAYS - 1));
  const oldestRequests = addDays(loadDate, -(PAYMENT_REQUEST_HISTORY_DAYS - 1));
  const snapshot = snapshotsUpTo(keys, loadDate).at(-1);
  return keys.filter((key) => {
    const asOf = /^(?:loan_tape|contacts|custom_fields|contact_rules)\/asof=(\d{4}-\d{2}-\d{2})\//.exec(key)?.[1];
    if (asOf !== undefined) return asOf === loadDate;
    const attempted = dispositionsDate(key);
    if (attempted !== undefined) return attempted >= oldestDisposition && attempted <= loadDate;
    const requested = paymentRequestsDate(key);
    if (requested !== undefined) return requested >= oldestRequests && requested <= loadDate;
    return key === snapshot || key === ZIP_SUPPRESSIONS_FILE;
  });
}

/** The suppression snapshots (`suppressions/suppressions_YYYYMMDD.csv.gz`) dated on or before the load date, oldest first. */
function snapshotsUpTo(keys: readonly string[], loadDate: string): string[] {
  const limit = loadDate.replaceAll('-', '');
  return keys
    .filter((key) => {
      const date = /^suppressions\/suppressions_(\d{8})\.csv\.gz$/.exec(key)?.[1];
      return date !== undefined && date <= limit;
    })
    .sort();
}
