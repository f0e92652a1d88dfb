import fc from 'fast-check';
import { consentFeedLayout } from '../../../domain/consent/consent-feeds.ts';
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
/** Fields that hold `|` or `"`, so the exports quote them (§3.1). */
const NAMES = ['Ana', 'Smith|Jones', 'O"Brien', 'Lee'];

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
  ['account', '123P'],
  ['account', '1000000000000001C'],
  ['account', '1000000000000001'],
  ['phone', 'call me'],
  ['phone', '555-0142'],
  ['phone', '+44 20 7946 0958'],
  ['phone', '(112) 555-0142'],
  ['phone', ''],
  ['cnsmr_phn_id', ''],
  ['type', 'MOBILE'],
  ['type', 'cell'],
  ['status', 'GONE'],
  ['source', 'ROBOT'],
  ['technology', ''],
  ['quality', '0'],
  ['quality', '101'],
  ['quality', 'high'],
  ['cnsmr_phn_cnsnt_flg', 'maybe'],
  ['cnsmr_phn_cnsnt_dt', '2026-13-01'],
  ['cnsmr_phn_cnsnt_dt', '2099-01-01'],
  ['cnsmr_phn_sft_dlt_flg', 'X'],
  ['cnsmr_phn_sft_dlt_flg', ''],
  ['date', '2026-11-99'],
  ['date', '20261101'],
  ['date', '2099-12-31'],
  ['*', 'truncate'],
  ['*', 'blank'],
];

/** The column of each feed that holds a value named here in the feed-neutral terms of CORRUPTIONS. */
const COLUMN: Record<string, Record<string, string>> = {
  ENRLMT: {
    account: 'account_number',
    phone: 'phone_number',
    type: 'phone_type',
    status: 'phone_status',
    source: 'phone_source',
    technology: 'phone_technology',
    quality: 'quality_score',
    date: 'enrollment_date',
  },
  'NON-FIN-BDL': {
    account: 'cnsmr_idntfr_lgcy_txt',
    phone: 'cnsmr_phn_nmbr_txt',
    type: 'cnsmr_phn_typ_val_txt',
    status: 'cnsmr_phn_stts_val_txt',
    source: 'cnsmr_phn_src_val_txt',
    technology: 'cnsmr_phn_tchnlgy_typ_val_txt',
    quality: 'cnsmr_phn_qlty_score_nmbr',
  },
};
COLUMN.SUPPLFWD = { ...COLUMN['NON-FIN-BDL']!, date: 'record_date' };

const columns = (feed: FeedName): readonly string[] => consentFeedLayout(feed).columns;

/** `arbitrary` about once in `oneIn` lines, else null. */
const rarely = <T>(arbitrary: fc.Arbitrary<T>, oneIn: number) => fc.oneof({ arbitrary: fc.constant(null), weight: oneIn - 1 }, { arbitrary, weight: 1 });

const consentArb = fc.constantFrom('Y', 'Y', 'N', '');
const typeArb = fc.constantFrom('CELL', 'CELL', 'HOME', 'WORK', 'OTHER');
const sourceArb = fc.constantFrom('CLIENT', 'CLIENT', 'CONSUMER', 'THIRD_PARTY', 'OTHER');
const statusArb = fc.constantFrom('ACTIVE', 'ACTIVE', 'ACTIVE', 'INACTIVE', 'DISCONNECTED');
const technologyArb = fc.constantFrom('WIRELESS', 'WIRELESS', 'LANDLINE', 'VOIP');
const qualityArb = fc.constantFrom('', '1', '55', '100', '7');

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
  /**
   * NON-FIN-BDL: an id shared by another phone record (rare), else one id per (account, phone). Spelled as a number
   * or as text: `1` and `01` are two ids.
   */
  sharedId: rarely(fc.constantFrom('0', '1', '01', 'P1'), 10),
  type: typeArb,
  source: sourceArb,
  status: statusArb,
  technology: technologyArb,
  quality: qualityArb,
  consent: consentArb,
  /** Days before the event date the consent answer was given (-1: no date). */
  consentAge: fc.constantFrom(-1, 0, 0, 3, 40),
  name: fc.nat(NAMES.length - 1),
  softDelete: fc.constantFrom('N', 'N', 'Y'),
  padCodes: fc.boolean(),
  /** The same line once more (an exact duplicate). */
  repeat: fc.constantFrom(false, false, false, true),
  corruption: rarely(fc.subarray(CORRUPTIONS, { minLength: 1, maxLength: 2 }), 8),
  /** The line's file lands only on the last date (a late delivery, which forces a rebuild from every export). */
  late: fc.oneof({ arbitrary: fc.constant(false), weight: 12 }, { arbitrary: fc.constant(true), weight: 1 }),
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
    const eventDate = iso(dates[eventIndex]!);
    const consentDate = line.consentAge < 0 || line.consent === '' ? '' : shiftDays(eventDate, -line.consentAge);
    const phoneText = FORMATS[line.format]!(national);
    const values: Record<string, string> = {
      // ENRLMT
      account_number: account,
      consumer_legacy_identifier: legacy(account),
      agency_id: 'AG|1',
      ssn: '123456789',
      first_name: NAMES[line.name]!,
      last_name: NAMES[(line.name + 1) % NAMES.length]!,
      phone_number: phoneText,
      phone_type: pad(line.type),
      phone_technology: pad(line.technology),
      phone_status: pad(line.status),
      phone_source: pad(line.source),
      quality_score: line.quality,
      enrollment_date: eventDate,
      // NON-FIN-BDL and SUPPLFWD
      cnsmr_phn_id: line.sharedId ?? String((line.account % history.accounts) * 10 + PHONES.indexOf(national) + 1),
      cnsmr_phn_hst_id: String(history.lines.indexOf(line) + 1),
      cnsmr_idntfr_lgcy_txt: legacy(account),
      cnsmr_idntfr_agncy_id: 'AG|1',
      cnsmr_idntfr_ssn_txt: '123456789',
      cnsmr_nm_frst_txt: NAMES[line.name]!,
      cnsmr_nm_lst_txt: NAMES[(line.name + 1) % NAMES.length]!,
      cnsmr_phn_nmbr_txt: phoneText,
      cnsmr_phn_typ_val_txt: pad(line.type),
      cnsmr_phn_stts_val_txt: pad(line.status),
      cnsmr_phn_src_val_txt: pad(line.source),
      cnsmr_phn_tchnlgy_typ_val_txt: pad(line.technology),
      cnsmr_phn_qlty_score_nmbr: line.quality,
      cnsmr_phn_cnsnt_flg: pad(line.consent),
      cnsmr_phn_cnsnt_dt: consentDate,
      cnsmr_phn_sft_dlt_flg: line.softDelete,
      record_date: eventDate,
    };
    let fields = columns(line.feed).map((column) => values[column]!);
    for (const [column, value] of line.corruption ?? []) {
      const target = COLUMN[line.feed]![column] ?? column;
      if (column !== '*') fields = columns(line.feed).map((name, index) => (name === target ? value : fields[index]!));
      else fields = value === 'truncate' ? fields.slice(0, 2) : fields.map(() => '');
    }
    const file: FeedFile = byName.get(`${line.feed}/${name}`) ?? { feed: line.feed, name, rows: [] };
    if (line.late && fileIndex < dates.length - 1) file.deliveredOn = iso(dates.at(-1)!);
    byName.set(`${line.feed}/${name}`, file);
    file.rows.push(fields, ...(line.repeat ? [fields] : []));
  }
  return { files: [...byName.values()], runDates: dates.map(iso) };
}

function shiftDays(isoDate: string, days: number): string {
  return new Date(Date.parse(`${isoDate}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}
