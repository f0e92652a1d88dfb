import fc from 'fast-check';
import { consentFeeds } from '../../../domain/consent-feeds.ts';
import { legacy, type FeedFile, type FeedName } from '../fixtures.ts';

/**
 * Random small consent feed histories for the reference test: a few accounts and phones (some shared),
 * NON-FIN-BDL snapshots in which a phone may be present or absent (hard deletes, re-adds), SUPPLFWD
 * events (same date as a snapshot or not, late arrivals), enrollments (some of phones no other feed has),
 * exact and conflicting duplicates, split files, messy phone formats, padded codes and malformed rows.
 */

const ACCOUNTS = ['1000000000000001', '2000000000000002', '3000000000000003'];
/** National numbers; the last one is used by enrollments only. */
const PHONES = ['2125550142', '3125550100', '4155550123', '6465550199', '7185550111'];
/** File dates with gaps, so "the first snapshot it was missing from" is not simply the next day. */
const DATES = ['20261101', '20261102', '20261104', '20261107', '20261108'];
const iso = (date: string) => `${date.slice(0, 4)}-${date.slice(4, 6)}-${date.slice(6, 8)}`;

const FORMATS: ((n: string) => string)[] = [
  (n) => n,
  (n) => `(${n.slice(0, 3)}) ${n.slice(3, 6)}-${n.slice(6)}`,
  (n) => `${n.slice(0, 3)}.${n.slice(3, 6)}.${n.slice(6)}`,
  (n) => `+1 ${n.slice(0, 3)} ${n.slice(3, 6)} ${n.slice(6)}`,
  (n) => `1${n}`,
  (n) => ` ${n.slice(0, 3)}-${n.slice(3, 6)}-${n.slice(6)} `,
  (n) => `+1${n}`,
  (n) => `1-${n.slice(0, 3)}-${n.slice(3, 6)}-${n.slice(6)}`,
];

/** Malformed values, by column; `*` columns are whole-row damage. */
const CORRUPTIONS: [string, string][] = [
  ['cnsmr_idntfr_lgcy_txt', '123P'],
  ['cnsmr_idntfr_lgcy_txt', '1000000000000001'],
  ['cnsmr_phn_nbr_txt', 'call me'],
  ['cnsmr_phn_nbr_txt', '555-0142'],
  ['cnsmr_phn_nbr_txt', '+44 20 7946 0958'],
  ['cnsmr_phn_nbr_txt', '(112) 555-0142'],
  ['cnsmr_phn_nbr_txt', ''],
  ['cnsmr_phn_id', ''],
  ['cnsmr_phn_typ_cd', 'mobile'],
  ['cnsmr_phn_src_cd', 'ROBOT'],
  ['cnsmr_phn_sms_cnsnt_flg', 'maybe'],
  ['cnsmr_phn_sft_dlt_flg', 'X'],
  ['cnsmr_phn_sft_dlt_flg', ''],
  ['rcrd_dt', '20261399'],
  ['rcrd_dt', '2026110'],
  ['rcrd_dt', '20991231'],
  ['*', 'truncate'],
  ['*', 'blank'],
];

const columns = (feed: FeedName): readonly string[] => consentFeeds.find((candidate) => candidate.feed === feed)!.columns;

/** `arbitrary` about once in `oneIn` lines, else null. */
const rarely = <T>(arbitrary: fc.Arbitrary<T>, oneIn: number) =>
  fc.oneof({ arbitrary: fc.constant(null), weight: oneIn - 1 }, { arbitrary, weight: 1 });

const consentArb = fc.constantFrom('Y', 'Y', 'N', '');
const typeArb = fc.constantFrom('MOBILE', 'MOBILE', 'HOME', 'WORK', 'OTHER');
const sourceArb = fc.constantFrom('CLIENT', 'CLIENT', 'CONSUMER', 'THIRD_PARTY', 'OTHER');

/** One generated line; indices are taken modulo the history's number of accounts, phones and dates. */
const lineArb = fc.record({
  feed: fc.constantFrom<FeedName>('NON-FIN-BDL', 'NON-FIN-BDL', 'NON-FIN-BDL', 'SUPPLFWD', 'SUPPLFWD', 'ENRLMT'),
  account: fc.nat(2),
  phone: fc.nat(4),
  /** Event date (SUPPLFWD, ENRLMT) or file date (NON-FIN-BDL). */
  date: fc.nat(4),
  /** SUPPLFWD and ENRLMT: the file arrives this many dates after the event. */
  delay: fc.constantFrom(0, 0, 1, 2),
  /** 0: `YYYYMMDD`, 1: `_001`, 2: `_002`. */
  part: fc.constantFrom(0, 0, 1, 2),
  format: fc.nat(FORMATS.length - 1),
  /** NON-FIN-BDL: an id shared by another phone record (rare), else one id per (account, phone). */
  sharedId: rarely(fc.nat(1), 10),
  type: typeArb,
  source: sourceArb,
  consent: consentArb,
  softDelete: fc.constantFrom('N', 'N', 'Y'),
  padCodes: fc.boolean(),
  /** The same line once more (an exact duplicate). */
  repeat: fc.constantFrom(false, false, false, true),
  corruption: rarely(fc.subarray(CORRUPTIONS, { minLength: 1, maxLength: 2 }), 8),
  badFileName: fc.oneof({ arbitrary: fc.constant(false), weight: 40 }, { arbitrary: fc.constant(true), weight: 1 }),
});

export const historyArb = fc.record({
  accounts: fc.integer({ min: 2, max: 3 }),
  phones: fc.integer({ min: 2, max: 4 }),
  dates: fc.integer({ min: 1, max: 5 }),
  lines: fc.array(lineArb, { minLength: 1, maxLength: 30, size: 'medium' }),
});

export type History = typeof historyArb extends fc.Arbitrary<infer T> ? T : never;

export function render(history: History): { files: FeedFile[]; runDates: string[] } {
  const dates = DATES.slice(0, history.dates);
  const byName = new Map<string, FeedFile>();
  for (const line of history.lines) {
    const account = ACCOUNTS[line.account % history.accounts]!;
    // Enrollment may carry a phone no other feed has.
    const phoneCount = line.feed === 'ENRLMT' ? history.phones + 1 : history.phones;
    const national = line.phone % phoneCount === history.phones ? PHONES.at(-1)! : PHONES[line.phone % phoneCount]!;
    const eventIndex = line.date % dates.length;
    const fileIndex = line.feed === 'NON-FIN-BDL' ? eventIndex : Math.min(eventIndex + line.delay, dates.length - 1);
    const fileDate = line.badFileName ? '20261340' : dates[fileIndex]!;
    const name = line.part === 0 ? fileDate : `${fileDate}_00${line.part}`;
    const pad = (code: string) => (line.padCodes ? ` ${code}\t` : code);
    const values: Record<string, string> = {
      cnsmr_idntfr_lgcy_txt: legacy(account),
      cnsmr_phn_id: String(line.sharedId ?? (line.account % history.accounts) * 10 + PHONES.indexOf(national) + 1),
      cnsmr_phn_nbr_txt: FORMATS[line.format]!(national),
      cnsmr_phn_typ_cd: pad(line.type),
      cnsmr_phn_src_cd: pad(line.source),
      cnsmr_phn_sms_cnsnt_flg: pad(line.consent),
      cnsmr_phn_sft_dlt_flg: line.softDelete,
      rcrd_dt: dates[eventIndex]!,
    };
    let fields = columns(line.feed).map((column) => values[column]!);
    for (const [column, value] of line.corruption ?? []) {
      if (column !== '*') fields = columns(line.feed).map((name, index) => (name === column ? value : fields[index]!));
      else fields = value === 'truncate' ? fields.slice(0, 2) : fields.map(() => '');
    }
    const file = byName.get(`${line.feed}/${name}`) ?? { feed: line.feed, name, rows: [] };
    byName.set(`${line.feed}/${name}`, file);
    file.rows.push(fields, ...(line.repeat ? [fields] : []));
  }
  return { files: [...byName.values()], runDates: dates.slice(-2).map(iso) };
}

