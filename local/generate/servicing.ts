import type { Account } from './population.ts';
import { PROGRAM_CHARGE_OFF_DPD, type ProgramRole } from './program.ts';
import { Rng, hash32, unit, weighted } from './random.ts';

/**
 * What the servicing system knows of a loan beside its delinquency (SPEC §3.2, docs/generator.md "Servicing
 * facts"): its display id, street address, payment mode, placements, sales and recoveries after a charge-off,
 * next workable dates, the customer's contact rules and payment requests. Drawn from the account's own stream
 * (SERVICING_STREAM), so the draws of every other feed are those they were before these facts existed.
 */

const SERVICING_STREAM = 41;
const REQUEST_STREAM = 42;
const WORKABLE_STREAM = 43;

export const SERVICING_RATES = {
  autopay: 0.35,
  secondAddressLine: 0.15,
  /** A charged-off loan placed with an agency, after 20–60 days. */
  placement: 0.4,
  /** A charged-off loan sold, after 60–240 days (status `Sold`). */
  sold: 0.2,
  /** A charged-off loan with recoveries paid, the first 0–10 days after the charge-off. */
  recoveries: 0.3,
  /** Per delinquent loan and 14-day block: a promise to pay sets a next workable date at the block's end. */
  nextWorkable: 0.02,
  /** A contact rule in the customer's life, and its kind. */
  contactRule: 0.04,
  ruleKind: weighted<RuleKind>([
    ['suppress_phone', 28],
    ['suppress_text', 24],
    ['suppress_email', 20],
    ['suppress_letter', 8],
    ['bankruptcy', 12],
    ['cease_and_desist', 8],
  ]),
  /** A rule with an end date (30–365 days after its start); the others stay open. */
  ruleEnds: 0.3,
  /** A payment request submitted on a given day, by loan state. */
  requestDelinquent: 0.02,
  requestCurrent: 0.003,
  requestChargedOff: 0.004,
  requestType: weighted<RequestType>([
    ['ONE_TIME_PAYMENT', 68],
    ['MANUAL_BILL_PAYMENT', 27],
    ['LOAN_MODIFICATION', 5],
  ]),
  /** A payment request deleted before its effective date; a loan modification declined (deleted). */
  requestDeleted: 0.15,
  modificationDeleted: 0.3,
} as const;

export type RuleKind = 'cease_and_desist' | 'bankruptcy' | 'suppress_phone' | 'suppress_text' | 'suppress_letter' | 'suppress_email';
export type RequestType = 'ONE_TIME_PAYMENT' | 'MANUAL_BILL_PAYMENT' | 'LOAN_MODIFICATION';

export interface ContactRule {
  flags: ReadonlySet<RuleKind>;
  recordedDay: number;
  startDay: number;
  /** Last day in force; Infinity = open. */
  endDay: number;
}

export interface ServicingPlan {
  loanId: string;
  address1: string;
  address2: string;
  city: string;
  autopay: boolean;
  placement: { agency: string; lagDays: number } | null;
  soldLagDays: number | null;
  recoveries: { firstLagDays: number; amount: number } | null;
  rules: ContactRule[];
  /** Seed of the per-day request and workable-date draws. */
  seed: number;
}

const STREETS = [
  'MAIN',
  'OAK',
  'MAPLE',
  'CEDAR',
  'PINE',
  'ELM',
  'WASHINGTON',
  'LAKE',
  'HILL',
  'PARK',
  'RIDGE',
  'CHURCH',
  'MILL',
  'RIVER',
  'SUNSET',
  'HIGHLAND',
];
const SUFFIXES = ['ST', 'AVE', 'RD', 'DR', 'LN', 'CT', 'BLVD', 'WAY'];
const CITIES = [
  'SPRINGFIELD',
  'FRANKLIN',
  'GREENVILLE',
  'BRISTOL',
  'CLINTON',
  'FAIRVIEW',
  'SALEM',
  'MADISON',
  'GEORGETOWN',
  'ARLINGTON',
  'ASHLAND',
  'BURLINGTON',
  'CHESTER',
  'DAYTON',
  'JACKSON',
  'MILFORD',
  'NEWPORT',
  'OXFORD',
  'RIVERSIDE',
  'WINCHESTER',
];
const AGENCIES = weighted([
  ['APEX RECOVERY GROUP', 45],
  ['SUMMIT COLLECTIONS LLC', 35],
  ['HARBOR CREDIT SERVICES', 20],
]);

export function drawServicing(hash: number, account: Account, role: ProgramRole | null): ServicingPlan {
  const rng = new Rng(hash32(hash, SERVICING_STREAM));
  const plan: ServicingPlan = {
    loanId: `PL${account.accountNumber.slice(-9)}`,
    address1: `${1 + rng.int(9899)} ${STREETS[rng.int(STREETS.length)]} ${SUFFIXES[rng.int(SUFFIXES.length)]}`,
    address2: rng.chance(SERVICING_RATES.secondAddressLine) ? `${rng.chance(0.7) ? 'APT' : 'UNIT'} ${1 + rng.int(40)}` : '',
    city: CITIES[rng.int(CITIES.length)]!,
    autopay: rng.chance(SERVICING_RATES.autopay),
    placement: rng.chance(SERVICING_RATES.placement) ? { agency: rng.pick(AGENCIES), lagDays: 20 + rng.int(41) } : null,
    soldLagDays: rng.chance(SERVICING_RATES.sold) ? 60 + rng.int(181) : null,
    recoveries: rng.chance(SERVICING_RATES.recoveries) ? { firstLagDays: rng.int(11), amount: 25 + rng.int(176) } : null,
    rules: [],
    seed: hash32(hash, REQUEST_STREAM),
  };
  if (rng.chance(SERVICING_RATES.contactRule)) {
    const recordedDay = account.enrolledDay - 30 + rng.int(Math.max(1, account.closedDay - account.enrolledDay + 30));
    const startDay = recordedDay + (rng.chance(0.1) ? 1 + rng.int(14) : 0);
    const endDay = rng.chance(SERVICING_RATES.ruleEnds) ? startDay + 30 + rng.int(336) : Number.POSITIVE_INFINITY;
    plan.rules.push({ flags: new Set([rng.pick(SERVICING_RATES.ruleKind)]), recordedDay, startDay, endDay });
  }
  if (role) applyRole(plan, account, role);
  return plan;
}

/** The program role's servicing facts: its autopay and recoveries, its scenario's contact rule, no random ones. */
function applyRole(plan: ServicingPlan, account: Account, role: ProgramRole): void {
  plan.autopay = role.autopay;
  plan.recoveries = role.recoveries ? { firstLagDays: 0, amount: 40 } : null;
  plan.placement = role.scenario === 'PLACEMENT' ? { agency: 'APEX RECOVERY GROUP', lagDays: 5 } : null;
  plan.soldLagDays = null;
  plan.rules = [];
  const open = { recordedDay: account.enrolledDay - 1, startDay: account.enrolledDay - 1, endDay: Number.POSITIVE_INFINITY };
  const rule = (kind: RuleKind, span = open) => plan.rules.push({ flags: new Set([kind]), ...span });
  switch (role.scenario) {
    case 'BANKRUPTCY_RULE':
      return void rule('bankruptcy');
    case 'CEASE_AND_DESIST_RULE':
      return void rule('cease_and_desist');
    case 'DNC_PHONE':
      return void rule('suppress_phone');
    case 'DNC_TEXT':
      return void rule('suppress_text');
    case 'DNC_LETTER':
      return void rule('suppress_letter');
    case 'DNC_EMAIL':
      return void rule('suppress_email');
    case 'EXPIRED_RULE':
      // A bankruptcy that ended before the placement, and a cease and desist that starts after it closes: never in force.
      rule('bankruptcy', { recordedDay: account.enrolledDay - 400, startDay: account.enrolledDay - 400, endDay: account.enrolledDay - 2 });
      rule('cease_and_desist', { recordedDay: account.enrolledDay - 1, startDay: account.closedDay, endDay: Number.POSITIVE_INFINITY });
      return;
    default:
  }
}

/** The loan's servicing columns on one day, given its status and days past due there. */
export interface ServicingColumns {
  status: string;
  chargeOffDay: number | null;
  recoveries: number | null;
  placement: string;
  nextWorkableDay: number | null;
  lastContactDay: number | null;
}

/**
 * `Current`, `Delinquent`, `Charge off`, `Paid in Full` or `Sold` and the columns that follow from it; the
 * charge-off day of a cyclic program loan is the day it reached 120 days past due.
 */
export function servicingOn(
  plan: ServicingPlan,
  role: ProgramRole | null,
  day: number,
  loan: { status: string; daysPastDue: number },
  naturalChargeOffDay: number,
): ServicingColumns {
  const chargedOff = loan.status === 'CHARGED_OFF';
  const chargeOffDay = !chargedOff ? null : role?.loan.kind === 'cycle' ? day - (loan.daysPastDue - PROGRAM_CHARGE_OFF_DPD) : naturalChargeOffDay;
  const sold = chargeOffDay !== null && plan.soldLagDays !== null && day >= chargeOffDay + plan.soldLagDays;
  const status = sold
    ? 'Sold'
    : chargedOff
      ? 'Charge off'
      : loan.status === 'PAID_OFF'
        ? 'Paid in Full'
        : loan.status === 'DELINQUENT'
          ? 'Delinquent'
          : 'Current';
  let recoveries: number | null = null;
  if (chargeOffDay !== null) {
    const since = day - chargeOffDay - (plan.recoveries?.firstLagDays ?? 0);
    recoveries = plan.recoveries && since >= 0 ? plan.recoveries.amount * (1 + Math.floor(since / 30)) : 0;
  }
  const placement = chargeOffDay !== null && plan.placement && day >= chargeOffDay + plan.placement.lagDays ? plan.placement.agency : '';
  let nextWorkableDay: number | null = null;
  if (role?.scenario === 'NEXT_WORKABLE') {
    // After today, tomorrow, today (not after today: workable), yesterday.
    nextWorkableDay = day + [3, 1, 0, -2][role.copy % 4]!;
  } else if (loan.status === 'DELINQUENT') {
    const block = Math.floor(day / 14);
    if (unit(hash32(plan.seed, WORKABLE_STREAM, block)) < SERVICING_RATES.nextWorkable) nextWorkableDay = (block + 1) * 14;
  }
  const worked = loan.status === 'DELINQUENT' || chargedOff;
  const lastContactDay = worked ? day - 1 - ((((day + (plan.seed & 0xff)) % 6) + 6) % 6) : null;
  return { status, chargeOffDay, recoveries, placement, nextWorkableDay, lastContactDay };
}

/** The first due date on or after `day` of a loan originated on `start` (due every 30 days). */
export function nextDueDay(start: number, day: number): number {
  const cycle = (((day - start) % 30) + 30) % 30;
  return cycle === 0 ? day : day + 30 - cycle;
}

/** A payment request as a feed row: submitted on `submittedDay`, its status on the row's delivery day. */
export interface RequestRow {
  type: RequestType;
  effectiveDay: number | null;
  status: 'pending' | 'completed' | 'deleted';
  submittedDay: number;
  /** Seconds after midnight of the submission (the time part of submitted_at). */
  second: number;
}

/**
 * The requests delivered on `day` (the feed carries each day's changes, docs/feeds.md): those submitted on it, and
 * those whose status changed on it (completed on the effective date, deleted before it; a loan modification decided
 * 1–3 days after its submission). `requestRate(d)` is the chance of a submission on day d (the loan's state then).
 */
export function requestsDeliveredOn(plan: ServicingPlan, role: ProgramRole | null, day: number, requestRate: (d: number) => number): RequestRow[] {
  const rows: RequestRow[] = [];
  for (let submitted = day - 10; submitted <= day; submitted++) {
    const request = requestSubmittedOn(plan, role, submitted, requestRate);
    if (request === null) continue;
    const { type, effectiveDay, changeDay, finalStatus, second } = request;
    if (submitted === day) rows.push({ type, effectiveDay, status: changeDay === submitted ? finalStatus : 'pending', submittedDay: submitted, second });
    else if (changeDay === day) rows.push({ type, effectiveDay, status: finalStatus, submittedDay: submitted, second });
  }
  return rows;
}

interface SubmittedRequest {
  type: RequestType;
  effectiveDay: number | null;
  changeDay: number;
  finalStatus: 'completed' | 'deleted';
  second: number;
}

function requestSubmittedOn(plan: ServicingPlan, role: ProgramRole | null, day: number, requestRate: (d: number) => number): SubmittedRequest | null {
  const rng = new Rng(hash32(plan.seed, REQUEST_STREAM, day));
  const second = 8 * 3600 + rng.int(12 * 3600);
  if (role?.scenario === 'PENDING_PAYMENT') {
    // Every 6 days a payment effective 2 days later: on a given day its effective date is today or later for 3 days
    // in 6, yesterday the day after. Copy 2 asks for manual bill payments, copy 3 deletes them the day after.
    if ((((day + role.copy) % 6) + 6) % 6 !== 0) return null;
    const type = role.copy === 2 ? 'MANUAL_BILL_PAYMENT' : 'ONE_TIME_PAYMENT';
    return role.copy === 3
      ? { type, effectiveDay: day + 2, changeDay: day + 1, finalStatus: 'deleted', second }
      : { type, effectiveDay: day + 2, changeDay: day + 2, finalStatus: 'completed', second };
  }
  if (role?.scenario === 'LOAN_MODIFICATION') {
    // A completed modification every 5 days, the copies a day apart: 0–4 days old on every day.
    if ((((day + role.copy) % 5) + 5) % 5 !== 0) return null;
    return { type: 'LOAN_MODIFICATION', effectiveDay: null, changeDay: day, finalStatus: 'completed', second };
  }
  if (role !== null) return null;
  if (!rng.chance(requestRate(day))) return null;
  const type = rng.pick(SERVICING_RATES.requestType);
  if (type === 'LOAN_MODIFICATION') {
    return {
      type,
      effectiveDay: null,
      changeDay: day + 1 + rng.int(3),
      finalStatus: rng.chance(SERVICING_RATES.modificationDeleted) ? 'deleted' : 'completed',
      second,
    };
  }
  const effectiveDay = day + rng.int(8);
  const deleted = effectiveDay > day && rng.chance(SERVICING_RATES.requestDeleted);
  return {
    type,
    effectiveDay,
    changeDay: deleted ? day + 1 + rng.int(effectiveDay - day) : effectiveDay,
    finalStatus: deleted ? 'deleted' : 'completed',
    second,
  };
}
