import { readLandingFeed, rowsOf } from '../../local/generate/landing-reader.ts';

/**
 * An independent reference of SPEC §5.1, written from the SPEC's text alone: it reads the raw feeds a generated day
 * holds (not the facts, not the configuration) and says, per customer and set, which list the customer falls on and
 * which of the program's reason codes apply. Only the phone test's history is taken from the published table, as
 * §5.1 defines it ("who was kept … on any of its four lists on D−6…D−1"), because "kept" includes the §6 rules the
 * reference does not model. Readings where §5.1 is silent follow docs/collections-program.md.
 */

export interface ReferenceRow {
  set_name: string;
  list_name: string;
  payoffuid: string;
  /** The §5.1 reason codes that apply, sorted. */
  reasons: string[];
}

/** A customer kept (not suppressed) on a list of the phone test on an earlier day. */
export interface KeptRow {
  load_date: string;
  list_name: string;
  payoffuid: string;
}

/** The reason codes §5.1 names; the reference says nothing about the others (§6 rules, other feed reasons). */
export const PROGRAM_REASONS = new Set([
  'BANKRUPTCY',
  'CEASE_AND_DESIST',
  'NEXT_WORKABLE_DATE',
  'PENDING_PAYMENT',
  'LOAN_MODIFICATION',
  'NATURAL_DISASTER',
  'INDIVIDUAL_SUPPRESSION',
  'THIRD_PARTY_PLACEMENT',
  'STATE_REGULATION_MN',
  'STATE_REGULATION_MA',
  'STATE_REGULATION_DC',
  'DNC_PHONE',
  'DNC_TEXT',
  'DNC_LETTER',
  'DNC_EMAIL',
  'DEBT_SETTLEMENT_AGENCY',
  'PHONE_TEST',
  'AUTOPAY',
  'CROSS_SET',
]);

type Row = Record<string, string>;

const DAY = 86_400_000;
const epochDay = (date: string) => Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) / DAY;
const shift = (date: string, days: number) => new Date((epochDay(date) + days) * DAY).toISOString().slice(0, 10);
const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const weekday = (date: string) => WEEKDAYS[new Date(epochDay(date) * DAY).getUTCDay()]!;
const isDate = (value: string) => /^\d{4}-\d{2}-\d{2}$/.test(value);
const inForce = (start: string, end: string, date: string) => (start === '' || start <= date) && (end === '' || date <= end);
const number = (value: string) => (value.trim() === '' || Number.isNaN(Number(value)) ? null : Number(value));
const phoneDigits = (value: string) => value.replace(/\D/g, '').slice(-10);
/** The n-th character (1-based) of the id as delivered, lower-cased, within [from, to] in 0-9a-f order. */
const charBetween = (id: string, n: number, from: string, to: string) => {
  const c = id.charAt(n - 1);
  return /^[0-9a-f]$/.test(c) && c >= from && c <= to;
};

interface Loan {
  payoffuid: string;
  account: string;
  portfolio: string;
  status: string;
  dpd: number | null;
  asOf: string;
  origination: string;
  nextDue: string;
  chargeOff: string;
  recoveries: number | null;
  paymentMode: string;
  placement: string;
  nextWorkable: string;
  state: string;
  zip: string;
}

/** The primary loan of each customer (docs/customer-facts.md): most days past due, newest as-of date, smallest account. */
function primaryLoans(rows: Row[]): Map<string, Loan> {
  const loans = new Map<string, Loan>();
  for (const row of rows) {
    const payoffuid = row.payoffuid!.trim().toLowerCase();
    if (!/^[0-9a-f-]+$/.test(payoffuid) || !/^\d{16}$/.test(row.account_number!)) continue;
    const loan: Loan = {
      payoffuid,
      account: row.account_number!,
      portfolio: row.portfolio!.trim(),
      status: row.loan_status!.trim(),
      dpd: number(row.days_past_due!),
      asOf: row.loan_tape_asofdate!,
      origination: row.origination_date!,
      nextDue: row.next_payment_due_date!,
      chargeOff: row.charge_off_date!,
      recoveries: number(row.recoveries_paid_to_date!),
      paymentMode: row.payment_mode!.trim(),
      placement: row.placement_status!.trim(),
      nextWorkable: row.next_workable_date!,
      state: row.state!.trim().toUpperCase(),
      zip: row.zip!.trim().slice(0, 5),
    };
    const other = loans.get(payoffuid);
    const better =
      !other ||
      (loan.dpd ?? -1) > (other.dpd ?? -1) ||
      ((loan.dpd ?? -1) === (other.dpd ?? -1) && (loan.asOf > other.asOf || (loan.asOf === other.asOf && loan.account < other.account)));
    if (better) loans.set(payoffuid, loan);
  }
  return loans;
}

interface PaymentRequest {
  type: string;
  effective: string;
  status: string;
  submitted: string;
}

/**
 * Payment requests of the `date=` folders D−89 … D (docs/feeds.md), each identified by its delivered fields: the
 * newest folder's delivery gives its status, and within one folder a status other than `deleted` wins.
 */
async function paymentRequests(data: string, date: string): Promise<Map<string, PaymentRequest[]>> {
  const requests = new Map<string, PaymentRequest & { folder: string }>();
  for (const file of await readLandingFeed(data, 'payment_requests')) {
    const folder = /date=(\d{4}-\d{2}-\d{2})\//.exec(file.key)![1]!;
    if (folder < shift(date, -89) || folder > date) continue;
    for (const row of file.rows) {
      const key = [row.payoffuid!.trim().toLowerCase(), row.request_type!.trim().toUpperCase(), row.effective_date, row.submitted_at].join('|');
      const status = row.status!.trim().toLowerCase();
      const earlier = requests.get(key);
      if (earlier?.folder === folder && earlier.status !== 'deleted') continue;
      requests.set(key, {
        type: row.request_type!.trim().toUpperCase(),
        effective: row.effective_date!.trim(),
        status,
        submitted: row.submitted_at!.trim(),
        folder,
      });
    }
  }
  const byCustomer = new Map<string, PaymentRequest[]>();
  for (const [key, request] of requests) {
    const payoffuid = key.split('|')[0]!;
    byCustomer.set(payoffuid, [...(byCustomer.get(payoffuid) ?? []), request]);
  }
  return byCustomer;
}

/** §5.1 for load date D over the raw feeds under `data`; `kept` is the published phone-test history of earlier days. */
export async function referenceDay(data: string, date: string, kept: readonly KeptRow[]): Promise<ReferenceRow[]> {
  const feed = async (path: string) => rowsOf(await readLandingFeed(data, path));
  const loans = primaryLoans(await feed(`loan_tape/asof=${date}`));
  const rules = new Map<string, Row[]>();
  for (const row of await feed(`contact_rules/asof=${date}`)) {
    if (!inForce(row.rule_start_date!, row.rule_end_date!, date)) continue;
    const payoffuid = row.payoffuid!.trim().toLowerCase();
    rules.set(payoffuid, [...(rules.get(payoffuid) ?? []), row]);
  }
  const flag = (payoffuid: string, column: string) => (rules.get(payoffuid) ?? []).some((row) => row[column]!.trim().toUpperCase() === 'Y');

  // The newest register dated on or before D.
  const registers = (await readLandingFeed(data, 'suppressions')).filter((file) => /_(\d{8})\.csv\.gz$/.exec(file.key)![1]! <= date.replaceAll('-', ''));
  const entries = (registers.at(-1)?.rows ?? []).filter((row) => inForce(row.start_date!, row.end_date!, date));
  const globalReasons = new Map<string, Set<string>>();
  const settlementPhones = new Set<string>();
  for (const row of entries) {
    if (row.scope === 'GLOBAL' && row.key_type === 'payoffuid') {
      const payoffuid = row.key!.trim().toLowerCase();
      globalReasons.set(payoffuid, new Set([...(globalReasons.get(payoffuid) ?? []), row.reason!.trim()]));
    }
    if (row.key_type === 'phone' && row.reason === 'DEBT_SETTLEMENT_AGENCY') settlementPhones.add(phoneDigits(row.key!));
  }
  const ownPhones = new Map<string, Set<string>>();
  for (const row of await feed(`contacts/asof=${date}`)) {
    if (row.related_party_type !== 'customer' || row.contact_type === 'email') continue;
    const payoffuid = row.payoffuid!.trim().toLowerCase();
    ownPhones.set(payoffuid, new Set([...(ownPhones.get(payoffuid) ?? []), phoneDigits(row.contact_value!)]));
  }
  const disasterZips = new Set((await feed('reference')).filter((row) => inForce(row.start_date!, row.end_date!, date)).map((row) => row.zip!.trim()));
  const requests = await paymentRequests(data, date);
  const history = new Set(kept.filter((row) => row.load_date >= shift(date, -6) && row.load_date < date).map((row) => `${row.payoffuid}|${row.list_name}`));

  const day = weekday(date);
  const weekend = day === 'Saturday' || day === 'Sunday';
  const rows: ReferenceRow[] = [];
  for (const loan of loans.values()) {
    const id = loan.payoffuid;
    const { dpd, status } = loan;
    const internal = charBetween(id, 16, '0', '7');
    const partner = charBetween(id, 16, '8', 'f');
    const delinquent = status !== '' && dpd !== null && !(status === 'Current' && dpd < 3) && status !== 'Paid in Full' && status !== 'Sold';
    const chargedOff = status === 'Charge off';
    const sst = loan.portfolio === 'SST';
    const daysUntilDue = isDate(loan.nextDue) && isDate(loan.asOf) ? epochDay(loan.nextDue) - epochDay(loan.asOf) : null;
    const daysSinceChargeOff = isDate(loan.chargeOff) && isDate(loan.asOf) ? epochDay(loan.asOf) - epochDay(loan.chargeOff) : null;
    const dpdIn = (from: number, to: number) => dpd !== null && dpd >= from && dpd <= to;
    const dpdBelow = (bound: number) => dpd !== null && dpd < bound;

    // Global suppressions (§5.1), and the feed's own global entries.
    const global = new Set<string>(globalReasons.get(id) ?? []);
    if (flag(id, 'bankruptcy')) global.add('BANKRUPTCY');
    if (flag(id, 'cease_and_desist')) global.add('CEASE_AND_DESIST');
    if (internal && isDate(loan.nextWorkable) && loan.nextWorkable > date) global.add('NEXT_WORKABLE_DATE');
    const customerRequests = requests.get(id) ?? [];
    if (
      customerRequests.some(
        (r) => (r.type === 'ONE_TIME_PAYMENT' || r.type === 'MANUAL_BILL_PAYMENT') && r.status !== 'deleted' && (!isDate(r.effective) || r.effective >= date),
      )
    )
      global.add('PENDING_PAYMENT');
    if (internal && customerRequests.some((r) => r.type === 'LOAN_MODIFICATION' && r.status === 'completed' && r.submitted.slice(0, 10) >= shift(date, -3)))
      global.add('LOAN_MODIFICATION');
    if (disasterZips.has(loan.zip)) global.add('NATURAL_DISASTER');
    if (loan.placement !== '' && (chargedOff || loan.chargeOff !== '')) global.add('THIRD_PARTY_PLACEMENT');
    const suppressedGlobally = global.size > 0;
    const dnc = (column: string, reason: string) => (!suppressedGlobally && flag(id, column) ? [reason] : []);
    const settlement = [...(ownPhones.get(id) ?? [])].some((phone) => settlementPhones.has(phone)) ? ['DEBT_SETTLEMENT_AGENCY'] : [];
    const stateRule = (): string[] => {
      if (loan.state === 'MN' && day !== 'Wednesday' && day !== 'Friday') return ['STATE_REGULATION_MN'];
      if (loan.state === 'MA' && day !== 'Tuesday' && day !== 'Thursday') return ['STATE_REGULATION_MA'];
      if (loan.state === 'DC' && day !== 'Monday' && day !== 'Wednesday' && day !== 'Thursday') return ['STATE_REGULATION_DC'];
      return [];
    };
    const add = (set: string, list: string | null, reasons: string[]) => {
      if (list === null) return;
      const all = new Set([...global, ...reasons].filter((reason) => PROGRAM_REASONS.has(reason)));
      rows.push({ set_name: set, list_name: list, payoffuid: id, reasons: [...all].sort() });
    };

    // Call List
    if (delinquent && internal && !sst) {
      const list =
        loan.chargeOff !== ''
          ? 'Charge off'
          : loan.portfolio === 'BLUE_FCU' && dpdBelow(90)
            ? 'Blue'
            : (loan.portfolio === 'USALLIANCE' || loan.portfolio === 'MSU_FCU') && dpdBelow(90)
              ? 'Due Diligence DPD3-89'
              : dpdIn(3, 14)
                ? 'DPD3-14'
                : dpdIn(15, 29)
                  ? 'DPD15-29'
                  : dpdIn(30, 59)
                    ? 'DPD30-59'
                    : dpdIn(60, 89)
                      ? 'DPD60-89'
                      : !dpdBelow(90) && dpd !== null
                        ? 'DPD90+'
                        : null;
      const groupA = charBetween(id, 17, '0', 'c');
      const groupB = charBetween(id, 12, '0', '2');
      const inTest = ((list === 'DPD3-14' || list === 'DPD15-29') && groupA) || ((list === 'DPD30-59' || list === 'DPD60-89') && groupB);
      const keptBefore =
        (groupA && (history.has(`${id}|DPD3-14`) || history.has(`${id}|DPD15-29`))) ||
        (groupB && (history.has(`${id}|DPD30-59`) || history.has(`${id}|DPD60-89`)));
      const phoneTest = inTest && (weekend || keptBefore) ? ['PHONE_TEST'] : [];
      add('Call List', list, [...stateRule(), ...dnc('suppress_phone', 'DNC_PHONE'), ...settlement, ...phoneTest]);
    }
    // Remitter
    const remitter = dpd !== null && dpd >= 60 && !['Paid in Full', 'Sold', 'Charge off'].includes(status) && status !== '' && internal && !sst;
    if (remitter) add('Remitter', 'DPD60+ Min Pay', dnc('suppress_text', 'DNC_TEXT'));
    const crossSet = remitter ? ['CROSS_SET'] : [];
    // SMS
    if (!chargedOff && status !== '' && internal) {
      const after = loan.origination > '2023-01-23';
      const exact = [3, 6, 8, 11, 15, 17, 21, 23, 25, 28, 33, 38, 44].find((n) => dpd === n);
      const list =
        dpd === 17 && after
          ? 'TruStage DPD17'
          : dpd === 33 && after
            ? 'TruStage DPD33'
            : daysUntilDue === 4
              ? 'Payment Reminder'
              : daysUntilDue === 1
                ? 'Due Date'
                : exact !== undefined
                  ? `DPD${exact}`
                  : null;
      const autopay = (list === 'Payment Reminder' || list === 'Due Date') && loan.paymentMode === 'Auto Payer' ? ['AUTOPAY'] : [];
      add('SMS', list, [...dnc('suppress_text', 'DNC_TEXT'), ...autopay, ...crossSet]);
    }
    // GR Email
    if (delinquent && !chargedOff) add('GR Email', 'GR Email', [...dnc('suppress_email', 'DNC_EMAIL'), ...crossSet]);
    // Recovery Weekly
    if (day === 'Tuesday' && chargedOff && daysSinceChargeOff !== null && daysSinceChargeOff >= 0 && daysSinceChargeOff <= 7 && loan.recoveries === 0) {
      add('Recovery Weekly', 'Recovery Weekly', dnc('suppress_letter', 'DNC_LETTER'));
    }
    // SIMM and SST
    if (delinquent && !chargedOff && partner && !sst) add('SIMM', 'DPD3-119', dnc('suppress_phone', 'DNC_PHONE'));
    if (delinquent && !chargedOff && sst) add('SST', 'DPD3-119', [...stateRule(), ...dnc('suppress_phone', 'DNC_PHONE'), ...settlement]);
  }
  return rows;
}
