import type { ContactType, RelatedPartyType } from '../../domain/campaigns/schema.ts';
import { addressStateFor, drawAddress, drawNumberInState, type Address } from './geography.ts';
import { EMAIL_DOMAINS, FIRST_NAMES, LAST_NAMES, TEST_LAST_NAME } from './people.ts';
import { drawNationalNumber, typePhone, type PhoneStyle } from './phone-text.ts';
import { payoffuidOf, snapshotConsent, type Account, type Phone, type World } from './population.ts';
import { Rng, hash32, weighted, type Weighted } from './random.ts';
import { PROGRAM_CHARGE_OFF_DPD, PROGRAM_ROLES, PROGRAM_SLOTS, cycleDaysPastDue, withProgramCharacters, type ProgramRole } from './program.ts';
import { drawServicing, type ServicingPlan } from './servicing.ts';

/**
 * The customer behind an account of the consent world (population.ts): name, address, loan,
 * contact points, suppression entries and custom-field drivers, all lifetime facts drawn from the
 * account's own random stream (the consent rendering is untouched). The loan tape, contacts,
 * custom-field, suppression and disposition feeds are renderings of these facts on a date, so
 * they agree with each other and with the consent feeds. Rates: `PROFILE_RATES`, docs/generator.md.
 */

export type LoanStatus = 'CURRENT' | 'DELINQUENT' | 'CHARGED_OFF' | 'PAID_OFF';

/**
 * Scripted dialing situations of the compliance rules (§6.1), each held by two reserved slots so
 * that every load date has them in its trailing week (docs/generator.md).
 */
export type DialingShowcase = 'REG_F_CAP' | 'CONVERSATION' | 'MA_CAP' | 'WA_CAP' | 'MARKETING_24H';
export const DIALING_SHOWCASES: readonly DialingShowcase[] = ['REG_F_CAP', 'CONVERSATION', 'MA_CAP', 'WA_CAP', 'MARKETING_24H'];
const SHOWCASE_COPIES = 2;
/** States of the showcase accounts, per copy (MARKETING_24H: the 3-per-24-hours states). */
const SHOWCASE_STATES: Partial<Record<DialingShowcase, readonly string[]>> = { MA_CAP: ['MA', 'MA'], WA_CAP: ['WA', 'WA'], MARKETING_24H: ['FL', 'OK'] };

/** Suppression-feed situations guaranteed by reserved slots (after the dialing ones). */
export type SuppressionShowcase =
  | 'CEASE_AND_DESIST'
  | 'BANKRUPTCY'
  | 'DECEASED'
  | 'LITIGATION'
  | 'FRAUD'
  | 'ATTORNEY_REPRESENTED'
  | 'EXPIRED'
  | 'FUTURE'
  | 'SET'
  | 'LIST'
  | 'PHONE_DNC'
  | 'EMAIL_DNC';
export const SUPPRESSION_SHOWCASES: readonly SuppressionShowcase[] = [
  'CEASE_AND_DESIST',
  'BANKRUPTCY',
  'DECEASED',
  'LITIGATION',
  'FRAUD',
  'ATTORNEY_REPRESENTED',
  'EXPIRED',
  'FUTURE',
  'SET',
  'LIST',
  'PHONE_DNC',
  'EMAIL_DNC',
];
/** Slots [0, RESERVED_SLOTS) hold the showcases: dialing ones first, then suppression ones. */
export const RESERVED_SLOTS = DIALING_SHOWCASES.length * SHOWCASE_COPIES + SUPPRESSION_SHOWCASES.length;

export type PortfolioName = 'BLUE_FCU' | 'USALLIANCE' | 'MSU_FCU' | 'SST' | 'DECLINE' | 'OFAC';

/** Slots [RESERVED_SLOTS, RESERVED_SLOTS + PROGRAM_SLOTS) hold the §5.1 program's roles (program.ts). */
export function programRole(slot: number): ProgramRole | null {
  const index = slot - RESERVED_SLOTS;
  return index >= 0 && index < PROGRAM_SLOTS ? PROGRAM_ROLES[index]! : null;
}

/** Delinquency episode outcome: cured after [low, high] days past due, or charged off (null). */
type EpisodeOutcome = readonly [number, number] | null;

export const PROFILE_RATES = {
  portfolio: weighted<PortfolioName>([
    ['BLUE_FCU', 33],
    ['USALLIANCE', 22],
    ['MSU_FCU', 8],
    ['SST', 18],
    ['DECLINE', 18.5],
    ['OFAC', 0.5],
  ]),
  /** Days the loan was originated before its placement (uniform). */
  maxLoanAgeAtPlacement: 720,
  /** Mean days between delinquency episodes while current. */
  meanDaysBetweenEpisodes: 150,
  episodeOutcome: weighted<EpisodeOutcome>([
    [[1, 29], 60],
    [[30, 59], 18],
    [[60, 89], 10],
    [[90, 119], 9],
    [null, 2],
  ]),
  /** Charged off at 120 days past due, or earlier (bankruptcy, fraud, deceased) in this share. */
  earlyChargeOff: 0.15,
  /** The loan is paid off before the account leaves the servicer; PAID_OFF rows stay on the tape until then. */
  paidOff: 0.45,
  paidOffDaysBeforeClosing: [20, 150] as const,
  missingName: 0.002,
  testAccount: 0.0005,
  customerEmail: 0.75,
  secondEmail: 0.1,
  parentReference: 0.25,
  otherReference: 0.15,
  secondReferencePhone: 0.1,
  /** A reference's number is in the customer's state. */
  referenceInState: 0.85,
  /** A contact point recorded twice (older created_at, retyped, sometimes another type). */
  duplicate: 0.02,
  /** Days a phone stays in the contacts feed after it left the consent snapshot. */
  removalLag: weighted<0 | 1 | 2>([
    [0, 80],
    [1, 12],
    [2, 8],
  ]),
  wrongNumber: 0.03,
  disconnected: 0.025,
  smsOptOut: 0.04,
  emailBounce: 0.04,
  emailOptOut: 0.05,
  /** Mean days between marketing calls or texts (made only while the loan is current). */
  meanDaysBetweenMarketing: 125,
  /** Delinquent accounts the dialer works harder (1.5 calls a day): the 7-in-7 cases. */
  heavyDialing: 0.06,
  globalSuppression: 0.004,
  scopedSuppression: 0.003,
  contactSuppression: 0.005,
  /** Suppression entries with an end date, entries starting after they are recorded. */
  suppressionEnds: 0.15,
  suppressionFutureStart: 0.1,
  missingCustomFields: 0.003,
  missingRiskScore: 0.02,
  missingPropensity: 0.03,
  meanDaysBetweenResearch: 1000,
  hardship: 0.08,
} as const;

export const GLOBAL_REASONS = weighted([
  ['CEASE_AND_DESIST', 25],
  ['BANKRUPTCY', 20],
  ['DECEASED', 10],
  ['LITIGATION', 10],
  ['FRAUD', 10],
  ['ATTORNEY_REPRESENTED', 15],
  ['INDIVIDUAL_SUPPRESSION', 10],
]);
const CONTACT_REASONS = weighted([
  ['INTERNAL_DNC', 75],
  ['CEASE_AND_DESIST', 8],
  ['ATTORNEY_REPRESENTED', 7],
  ['DEBT_SETTLEMENT_AGENCY', 10],
]);

export interface ScopedName {
  scope: 'SET' | 'LIST';
  setName: string;
  listName: string;
  reason: string;
}
/** Set- and list-scoped entries name sets and lists of config/campaigns.yaml. */
export const SCOPED_ENTRIES: Weighted<ScopedName> = weighted<ScopedName>([
  [{ scope: 'SET', setName: 'MARKETING_EMAIL', listName: '', reason: 'INTERNAL_DNC' }, 35],
  [{ scope: 'SET', setName: 'COLLECTIONS_CALL', listName: '', reason: 'ATTORNEY_REPRESENTED' }, 25],
  [{ scope: 'LIST', setName: 'COLLECTIONS_CALL', listName: 'BLUE_FCU_60_89', reason: 'LITIGATION' }, 15],
  [{ scope: 'LIST', setName: 'SERVICING_SMS', listName: 'PAYMENT_REMINDER_1_15', reason: 'INTERNAL_DNC' }, 15],
  [{ scope: 'SET', setName: 'SERVICING_SMS', listName: '', reason: 'INTERNAL_DNC' }, 10],
]);

/** How the contacts system stores numbers typed by agents and customers. */
export const CONTACTS_STYLE_MIX: Weighted<PhoneStyle> = weighted<PhoneStyle>([
  ['PAREN', 30],
  ['DASH', 25],
  ['PLAIN', 20],
  ['DOT', 8],
  ['E164', 7],
  ['INTL_SPACE', 5],
  ['ELEVEN', 3],
  ['ONE_DASH', 2],
]);

// Stream tags of hash32 (population.ts uses 1–5, consent-feeds.ts 11–14).
const PROFILE_STREAM = 21;
const CONSENT_PHONE_STREAM = 22;

export interface ContactPoint {
  party: RelatedPartyType;
  type: ContactType;
  /** 10-digit national number, or the email address as stored. */
  value: string;
  /** As written in the contacts feed: typed phone, email as stored. */
  text: string;
  createdDay: number;
  /** The consent phone behind a customer phone (present while in the consent snapshot); null for the contacts system's own points. */
  phone: Phone | null;
  /** Days in the contacts feed, as [from, to) pairs. */
  spans: number[];
  /** A second record of the same value, older. */
  duplicate: { text: string; type: ContactType; createdDay: number } | null;
  /** Rings somebody else: calls end WRONG_NUMBER. */
  wrongNumber: boolean;
  /** From this day on, calls end DISCONNECTED (Infinity = never). */
  disconnectedDay: number;
  /** The day of the STOP reply (mobiles) or unsubscribe (emails); nothing is sent after it. */
  optOutDay: number;
  /** The day an email to it bounced; nothing is sent after it. */
  bounceDay: number;
}

export interface SuppressionEntry {
  scope: 'GLOBAL' | 'SET' | 'LIST';
  setName: string;
  listName: string;
  keyType: 'payoffuid' | 'phone' | 'email';
  key: string;
  reason: string;
  /** Day the entry enters the suppression system (first snapshot that lists it). */
  recordedDay: number;
  startDay: number;
  /** Last day in force; Infinity = open. */
  endDay: number;
}

export interface LoanPlan {
  /** Origination day; due dates are start + 30k. */
  start: number;
  original: number;
  payment: number;
  termDays: number;
  /** Delinquency episodes as [due, cure) pairs: days past due = day - due for due < day < cure. */
  episodes: number[];
  chargeOffDay: number;
  /** Due date of the episode that charged off (days past due keep counting from it). */
  chargeOffDue: number;
  paidOffDay: number;
  /**
   * Showcase loans: always delinquent (10–69 days past due, rolled back by partial payments) or always current;
   * PROGRAM: the cyclic delinquency of a §5.1 program role (program.ts), `phase` its phase.
   */
  forced: 'DELINQUENT' | 'CURRENT' | 'PROGRAM' | null;
  phase: number;
}

export interface CustomFieldPlan {
  missing: boolean;
  riskNoise: number;
  propensityNoise: number;
  riskMissing: boolean;
  propensityMissing: boolean;
  researchDays: number[];
  hardshipFrom: number;
  hardshipTo: number;
}

export interface Profile {
  account: Account;
  payoffuid: string;
  /** Seed of the per-day draws (dispositions). */
  hash: number;
  firstName: string;
  lastName: string;
  address: Address;
  portfolio: PortfolioName;
  loan: LoanPlan;
  dialing: DialingShowcase | null;
  heavyDialing: boolean;
  /** Uniform draw: signed up for payment-reminder texts when low, for the newsletter when high. */
  signup: number;
  contacts: ContactPoint[];
  /** Days of the contact points' STOP replies, unsubscribes and bounces. */
  eventDays: number[];
  /** Days of a marketing call or text, if the loan is current then. */
  marketingDays: number[];
  suppressions: SuppressionEntry[];
  custom: CustomFieldPlan;
  /** The §5.1 program role of the slot (program.ts), or null. */
  program: ProgramRole | null;
  /** Loan id, street address, payment mode, placements, contact rules, payment requests (servicing.ts). */
  servicing: ServicingPlan;
}

function reservedDialing(slot: number): { kind: DialingShowcase; copy: number } | null {
  if (slot >= DIALING_SHOWCASES.length * SHOWCASE_COPIES) return null;
  return { kind: DIALING_SHOWCASES[slot % DIALING_SHOWCASES.length], copy: Math.floor(slot / DIALING_SHOWCASES.length) };
}

function reservedSuppression(slot: number): SuppressionShowcase | null {
  const index = slot - DIALING_SHOWCASES.length * SHOWCASE_COPIES;
  return index >= 0 && index < SUPPRESSION_SHOWCASES.length ? SUPPRESSION_SHOWCASES[index] : null;
}

export function buildProfile(world: World, account: Account): Profile {
  const hash = hash32(world.seedHash, PROFILE_STREAM, account.key);
  const rng = new Rng(hash);
  const showcase = reservedDialing(account.slot);
  const role = programRole(account.slot);
  const primary = account.phones[0];
  const coupledState = addressStateFor(Number(primary.national.slice(0, 3)), rng.next(), rng.next());
  const state = showcase && SHOWCASE_STATES[showcase.kind] ? SHOWCASE_STATES[showcase.kind]![showcase.copy] : (role?.state ?? coupledState);
  const address = drawAddress(state, rng);
  const named = !rng.chance(PROFILE_RATES.missingName);
  const firstName = FIRST_NAMES[rng.int(FIRST_NAMES.length)];
  const lastName = rng.chance(PROFILE_RATES.testAccount) ? TEST_LAST_NAME : LAST_NAMES[rng.int(LAST_NAMES.length)];
  const drawnPortfolio = rng.pick(PROFILE_RATES.portfolio);
  const portfolio = showcase ? 'BLUE_FCU' : (role?.portfolio ?? drawnPortfolio);
  const loan = drawLoan(rng, account, showcase ? (showcase.kind === 'MARKETING_24H' ? 'CURRENT' : 'DELINQUENT') : null);
  if (role) applyProgramLoan(loan, role, account);
  const payoffuid = payoffuidOf(world, account);
  const profile: Profile = {
    account,
    payoffuid: role ? withProgramCharacters(payoffuid, role) : payoffuid,
    hash,
    firstName: named ? firstName : '',
    lastName: named ? lastName : '',
    address,
    portfolio,
    loan,
    dialing: showcase?.kind ?? null,
    heavyDialing: rng.chance(PROFILE_RATES.heavyDialing),
    signup: rng.next(),
    contacts: [],
    eventDays: [],
    marketingDays: [],
    suppressions: [],
    custom: drawCustomPlan(rng, account, loan),
    program: role,
    servicing: drawServicing(hash, account, role),
  };
  drawContacts(rng, profile, firstName, lastName);
  drawSuppressions(rng, profile, reservedSuppression(account.slot));
  for (
    let day = account.enrolledDay + rng.daysUntil(PROFILE_RATES.meanDaysBetweenMarketing);
    day < account.closedDay;
    day += rng.daysUntil(PROFILE_RATES.meanDaysBetweenMarketing)
  ) {
    profile.marketingDays.push(day);
  }
  for (const point of profile.contacts) {
    if (point.optOutDay !== Number.POSITIVE_INFINITY) profile.eventDays.push(point.optOutDay);
    if (point.bounceDay !== Number.POSITIVE_INFINITY) profile.eventDays.push(point.bounceDay);
  }
  if (showcase || role) {
    // Dialing showcases and program roles stay collectible: no suppression entry but their scenario's, no hardship plan.
    profile.suppressions = [];
    profile.custom.hardshipFrom = Number.POSITIVE_INFINITY;
  }
  if (role) programSuppressions(profile, role);
  return profile;
}

/** A program role's loan: its cyclic delinquency, or a current loan whose due dates fall on the role's residue. */
function applyProgramLoan(plan: LoanPlan, role: ProgramRole, account: Account): void {
  plan.episodes = [];
  plan.chargeOffDay = Number.POSITIVE_INFINITY;
  plan.chargeOffDue = Number.POSITIVE_INFINITY;
  plan.paidOffDay = Number.POSITIVE_INFINITY;
  // Originated before or after 2023-01-23 (day 19380), the TruStage lists' bound.
  const originated = role.recentOrigination ? Math.max(19_381, account.enrolledDay - 400) : 19_380 - 30 - (account.key % 300);
  if (role.loan.kind === 'cycle') {
    plan.forced = 'PROGRAM';
    plan.phase = role.loan.phase;
    plan.start = originated;
  } else {
    plan.forced = 'CURRENT';
    // Due dates (start + 30k) on the role's residue: the next payment is due in (residue - day) mod 30 days.
    plan.start = originated - ((((originated - role.loan.dueResidue) % 30) + 30) % 30);
  }
}

/** The suppression-feed entries of a program role's scenario, open for the account's life. */
function programSuppressions(profile: Profile, role: ProgramRole): void {
  const { account, payoffuid } = profile;
  const open = { recordedDay: account.enrolledDay - 1, startDay: account.enrolledDay - 1, endDay: Number.POSITIVE_INFINITY };
  if (role.scenario === 'INDIVIDUAL_SUPPRESSION') {
    profile.suppressions.push({ scope: 'GLOBAL', setName: '', listName: '', keyType: 'payoffuid', key: payoffuid, reason: 'INDIVIDUAL_SUPPRESSION', ...open });
  }
  if (role.scenario === 'DEBT_SETTLEMENT') {
    const phone = profile.contacts.find((point) => point.party === 'customer' && point.type !== 'email');
    if (phone)
      profile.suppressions.push({ scope: 'GLOBAL', setName: '', listName: '', keyType: 'phone', key: phone.value, reason: 'DEBT_SETTLEMENT_AGENCY', ...open });
  }
}

function drawLoan(rng: Rng, account: Account, forced: LoanPlan['forced']): LoanPlan {
  const start = account.enrolledDay - rng.int(PROFILE_RATES.maxLoanAgeAtPlacement + 1);
  const original = Math.round(Math.exp(Math.log(2000) + rng.next() * Math.log(20)));
  const termMonths = [36, 48, 60][rng.int(3)];
  const plan: LoanPlan = {
    start,
    original,
    payment: cents((original * (1 + 0.01 * termMonths * 0.6)) / termMonths),
    termDays: termMonths * 30,
    episodes: [],
    chargeOffDay: Number.POSITIVE_INFINITY,
    chargeOffDue: Number.POSITIVE_INFINITY,
    paidOffDay: Number.POSITIVE_INFINITY,
    forced,
    phase: rng.int(60),
  };
  if (forced) return plan;
  const [minBefore, maxBefore] = PROFILE_RATES.paidOffDaysBeforeClosing;
  if (rng.chance(PROFILE_RATES.paidOff)) {
    const day = account.closedDay - minBefore - rng.int(maxBefore - minBefore + 1);
    if (day > account.enrolledDay + minBefore) plan.paidOffDay = day;
  }
  const last = Math.min(account.closedDay, plan.paidOffDay);
  for (let day = start; ; ) {
    const due = start + 30 * Math.ceil((day + rng.daysUntil(PROFILE_RATES.meanDaysBetweenEpisodes) - start) / 30);
    if (due >= last) break;
    const outcome = rng.pick(PROFILE_RATES.episodeOutcome);
    if (outcome === null) {
      plan.chargeOffDue = due;
      plan.chargeOffDay = due + (rng.chance(PROFILE_RATES.earlyChargeOff) ? 30 + rng.int(90) : 120);
      plan.episodes.push(due, plan.chargeOffDay);
      if (plan.chargeOffDay < plan.paidOffDay) plan.paidOffDay = Number.POSITIVE_INFINITY;
      break;
    }
    const cure = due + outcome[0] + rng.int(outcome[1] - outcome[0] + 1) + 1;
    plan.episodes.push(due, cure);
    day = cure;
  }
  return plan;
}

/** The loan on one day (a reused object: copy what you keep). */
export interface LoanState {
  status: LoanStatus;
  daysPastDue: number;
  amountDue: number;
}

/** Status, days past due and amount due of the loan on `day` (principal: `principalOn`, only the tape needs it). */
export function loanOn(plan: LoanPlan, day: number, out: LoanState): LoanState {
  if (plan.forced === 'PROGRAM') {
    const dpd = cycleDaysPastDue(plan.phase, day);
    if (dpd >= PROGRAM_CHARGE_OFF_DPD) return setLoan(out, 'CHARGED_OFF', dpd, principalAt(plan, day - (dpd - PROGRAM_CHARGE_OFF_DPD), dpd));
    return setLoan(out, 'DELINQUENT', dpd, delinquentDue(plan, dpd));
  }
  if (plan.forced === 'DELINQUENT') {
    const dpd = 10 + ((((day + plan.phase) % 60) + 60) % 60);
    return setLoan(out, 'DELINQUENT', dpd, delinquentDue(plan, dpd));
  }
  if (day >= plan.paidOffDay) return setLoan(out, 'PAID_OFF', 0, 0);
  if (day >= plan.chargeOffDay) return setLoan(out, 'CHARGED_OFF', day - plan.chargeOffDue, principalAt(plan, plan.chargeOffDay, 0));
  const { episodes } = plan;
  for (let i = 0; i < episodes.length && episodes[i] < day; i += 2) {
    if (day < episodes[i + 1]) {
      const dpd = day - episodes[i];
      return setLoan(out, 'DELINQUENT', dpd, delinquentDue(plan, dpd));
    }
  }
  // Statement 20 days before each due date; paid on the due date.
  const cycle = (((day - plan.start) % 30) + 30) % 30;
  return setLoan(out, 'CURRENT', 0, cycle >= 10 ? plan.payment : 0);
}

/** Principal balance on `day` for the loan in `state` on that day. */
export function principalOn(plan: LoanPlan, day: number, state: LoanState): number {
  if (state.status === 'PAID_OFF') return 0;
  if (state.status === 'CHARGED_OFF') return state.amountDue;
  return principalAt(plan, day, plan.forced === 'DELINQUENT' || plan.forced === 'PROGRAM' ? state.daysPastDue : 0);
}

function setLoan(out: LoanState, status: LoanStatus, daysPastDue: number, amountDue: number): LoanState {
  out.status = status;
  out.daysPastDue = daysPastDue;
  out.amountDue = amountDue;
  return out;
}

/** Missed installments plus a $25 late fee for each one after the first. */
function delinquentDue(plan: LoanPlan, dpd: number): number {
  const missed = Math.ceil(dpd / 30);
  return cents(plan.payment * missed + 25 * (missed - 1));
}

/** Straight-line amortisation over the days paid (delinquent days do not amortise), at least 3% left. */
function principalAt(plan: LoanPlan, day: number, extraUnpaidDays: number): number {
  let unpaid = extraUnpaidDays;
  const { episodes } = plan;
  for (let i = 0; i < episodes.length && episodes[i] < day; i += 2) unpaid += Math.min(day, episodes[i + 1]) - episodes[i];
  const paidShare = Math.max(0, day - plan.start - unpaid) / plan.termDays;
  return cents(plan.original * Math.max(0.03, 1 - paidShare));
}

function cents(amount: number): number {
  return Math.round(amount * 100) / 100;
}

function drawCustomPlan(rng: Rng, account: Account, loan: LoanPlan): CustomFieldPlan {
  const researchDays: number[] = [];
  for (
    let day = loan.start + rng.daysUntil(PROFILE_RATES.meanDaysBetweenResearch);
    day < account.closedDay;
    day += rng.daysUntil(PROFILE_RATES.meanDaysBetweenResearch)
  ) {
    researchDays.push(day);
  }
  const hardship = rng.chance(PROFILE_RATES.hardship);
  const hardshipFrom = hardship ? account.enrolledDay - 60 + rng.int(Math.max(1, account.closedDay - account.enrolledDay + 60)) : Number.POSITIVE_INFINITY;
  return {
    missing: rng.chance(PROFILE_RATES.missingCustomFields),
    riskNoise: (rng.next() + rng.next() + rng.next() - 1.5) * 40,
    propensityNoise: rng.next(),
    riskMissing: rng.chance(PROFILE_RATES.missingRiskScore),
    propensityMissing: rng.chance(PROFILE_RATES.missingPropensity),
    researchDays,
    hardshipFrom,
    hardshipTo: hardshipFrom + 60 + rng.int(120),
  };
}

/** A day within the account's life after `from` (uniform), or Infinity if none. */
function dayInLife(rng: Rng, account: Account, from: number): number {
  const span = account.closedDay - from;
  return span > 0 ? from + rng.int(span) : Number.POSITIVE_INFINITY;
}

function drawContacts(rng: Rng, profile: Profile, firstName: string, lastName: string): void {
  const { account } = profile;
  for (const phone of account.phones) {
    if (phone.enrollmentOnly) continue;
    const phoneRng = new Rng(hash32(phone.styleSeed, CONSENT_PHONE_STREAM));
    const type: ContactType = phone.type === 'MOBILE' ? 'mobile' : phone.type === 'WORK' ? 'work' : 'home';
    const text = typePhone(phone.national, CONTACTS_STYLE_MIX, phoneRng.next(), phoneRng.next());
    profile.contacts.push(drawPoint(phoneRng, account, 'customer', type, phone.national, text, phone.events[0].day, phone));
  }
  if (rng.chance(PROFILE_RATES.customerEmail)) {
    const emails = rng.chance(PROFILE_RATES.secondEmail) ? 2 : 1;
    for (let k = 0; k < emails; k++) {
      const created = k === 0 && rng.chance(0.7) ? account.enrolledDay : dayInLife(rng, account, account.enrolledDay);
      if (created === Number.POSITIVE_INFINITY) continue;
      const email = emailOf(rng, firstName, lastName);
      profile.contacts.push(drawPoint(rng, account, 'customer', 'email', email, email, created, null));
    }
  }
  for (const [party, share] of [
    ['reference_customer_parent', PROFILE_RATES.parentReference],
    ['reference_customer_other', PROFILE_RATES.otherReference],
  ] as const) {
    if (!rng.chance(share)) continue;
    const created = rng.chance(0.6) ? account.enrolledDay : dayInLife(rng, account, account.enrolledDay);
    if (created === Number.POSITIVE_INFINITY) continue;
    const phones = rng.chance(PROFILE_RATES.secondReferencePhone) ? 2 : 1;
    for (let k = 0; k < phones; k++) {
      const national = rng.chance(PROFILE_RATES.referenceInState) ? drawNumberInState(profile.address.state, rng) : drawNationalNumber(rng);
      const text = typePhone(national, CONTACTS_STYLE_MIX, rng.next(), rng.next());
      profile.contacts.push(drawPoint(rng, account, party, rng.chance(0.7) ? 'mobile' : 'home', national, text, created, null));
    }
  }
}

function drawPoint(
  rng: Rng,
  account: Account,
  party: RelatedPartyType,
  type: ContactType,
  value: string,
  text: string,
  createdDay: number,
  phone: Phone | null,
): ContactPoint {
  const email = type === 'email';
  const point: ContactPoint = {
    party,
    type,
    value,
    text,
    createdDay,
    phone,
    spans: phone ? contactSpans(phone, createdDay, rng.pick(PROFILE_RATES.removalLag)) : [createdDay, Number.POSITIVE_INFINITY],
    duplicate: null,
    wrongNumber: !email && rng.chance(PROFILE_RATES.wrongNumber),
    disconnectedDay: !email && rng.chance(PROFILE_RATES.disconnected) ? dayInLife(rng, account, createdDay) : Number.POSITIVE_INFINITY,
    optOutDay: rng.chance(email ? PROFILE_RATES.emailOptOut : type === 'mobile' ? PROFILE_RATES.smsOptOut : 0)
      ? dayInLife(rng, account, createdDay)
      : Number.POSITIVE_INFINITY,
    bounceDay: email && rng.chance(PROFILE_RATES.emailBounce) ? dayInLife(rng, account, createdDay) : Number.POSITIVE_INFINITY,
  };
  if (rng.chance(PROFILE_RATES.duplicate)) {
    const retype = !email && rng.chance(0.3);
    point.duplicate = {
      text: email ? value.toLowerCase() : typePhone(value, CONTACTS_STYLE_MIX, rng.next(), 1),
      type: retype ? (type === 'mobile' ? 'home' : 'mobile') : type,
      createdDay: createdDay - 1 - rng.int(700),
    };
  }
  return point;
}

function emailOf(rng: Rng, firstName: string, lastName: string): string {
  const last = lastName.replace(/[^A-Z]/g, '');
  const digits = rng.chance(0.6) ? String(rng.int(1000)) : '';
  const local = [`${firstName}.${last}${digits}`, `${firstName[0]}${last}${digits}`, `${firstName}${last[0] ?? ''}${digits}`, `${firstName}_${last}`][
    rng.int(4)
  ];
  const domain = rng.pick(EMAIL_DOMAINS);
  const style = rng.next();
  if (style < 0.8) return `${local}@${domain}`.toLowerCase();
  if (style < 0.95) return `${capitalize(local)}@${capitalize(domain)}`;
  return `${local}@${domain}`.toUpperCase();
}

function capitalize(text: string): string {
  return text.toLowerCase().replace(/(^|[._])([a-z])/g, (_, sep: string, letter: string) => sep + letter.toUpperCase());
}

/** The account's contact points in the contacts feed of a day, computed on first use (reused object). */
export class PresentContacts {
  private profile: Profile | undefined;
  private day = 0;
  private computed = false;
  private readonly present: ContactPoint[] = [];

  at(profile: Profile, day: number): void {
    this.profile = profile;
    this.day = day;
    this.computed = false;
  }

  points(): readonly ContactPoint[] {
    if (!this.computed) {
      this.present.length = 0;
      for (const point of this.profile!.contacts) if (contactPresent(point, this.day)) this.present.push(point);
      this.computed = true;
    }
    return this.present;
  }
}

/** Whether the contact point is in the contacts feed of `day`. */
export function contactPresent(point: ContactPoint, day: number): boolean {
  const { spans } = point;
  for (let i = 0; i < spans.length; i += 2) if (day >= spans[i] && day < spans[i + 1]) return true;
  return false;
}

/**
 * The days a consent phone is in the contacts feed: its days in the NON-FIN snapshot, from the day
 * before (the contacts system records a phone when it is added, a day before a new placement's
 * phones reach the snapshot) to `removalLag` days after it left it. The snapshot presence only
 * changes on the days events reach it.
 */
function contactSpans(phone: Phone, createdDay: number, removalLag: number): number[] {
  const changes = [...new Set(phone.events.map((event) => event.day + event.snapshotLag))].sort((a, b) => a - b);
  const spans: number[] = [];
  let from = -1;
  for (const [index, day] of changes.entries()) {
    const inSnapshot = snapshotConsent(phone, day) !== null;
    if (inSnapshot && from < 0) from = day;
    const next = changes[index + 1] ?? Number.POSITIVE_INFINITY;
    if (from >= 0 && (!inSnapshot || next === Number.POSITIVE_INFINITY)) {
      spans.push(Math.max(createdDay, from - 1), inSnapshot ? Number.POSITIVE_INFINITY : day + removalLag);
      from = -1;
    }
  }
  return spans;
}

function drawSuppressions(rng: Rng, profile: Profile, showcase: SuppressionShowcase | null): void {
  const { account } = profile;
  const entry = (
    scope: SuppressionEntry['scope'],
    keyType: SuppressionEntry['keyType'],
    key: string,
    reason: string,
    setName = '',
    listName = '',
  ): SuppressionEntry => {
    const recordedDay = dayInLife(rng, account, account.enrolledDay - 30);
    const startDay = rng.chance(PROFILE_RATES.suppressionFutureStart) ? recordedDay + 1 + rng.int(30) : recordedDay;
    const endDay = rng.chance(PROFILE_RATES.suppressionEnds) ? startDay + 30 + rng.int(335) : Number.POSITIVE_INFINITY;
    return { scope, setName, listName, keyType, key, reason, recordedDay, startDay, endDay };
  };
  const { suppressions, payoffuid } = profile;
  if (rng.chance(PROFILE_RATES.globalSuppression)) suppressions.push(entry('GLOBAL', 'payoffuid', payoffuid, rng.pick(GLOBAL_REASONS)));
  if (rng.chance(PROFILE_RATES.scopedSuppression)) {
    const scoped = rng.pick(SCOPED_ENTRIES);
    suppressions.push(entry(scoped.scope, 'payoffuid', payoffuid, scoped.reason, scoped.setName, scoped.listName));
  }
  for (const point of profile.contacts) {
    if (point.party === 'customer' && rng.chance(PROFILE_RATES.contactSuppression)) {
      suppressions.push(entry('GLOBAL', point.type === 'email' ? 'email' : 'phone', point.value, rng.pick(CONTACT_REASONS)));
    }
  }
  if (!showcase) return;
  // Showcase entries are in every snapshot of the account's life: recorded before its placement.
  const scripted = (entry: Omit<SuppressionEntry, 'recordedDay'>): void => void suppressions.push({ ...entry, recordedDay: account.enrolledDay - 1 });
  const open = { startDay: account.enrolledDay - 1, endDay: Number.POSITIVE_INFINITY };
  switch (showcase) {
    case 'EXPIRED':
      scripted({
        scope: 'GLOBAL',
        setName: '',
        listName: '',
        keyType: 'payoffuid',
        key: payoffuid,
        reason: 'BANKRUPTCY',
        startDay: account.enrolledDay - 400,
        endDay: account.enrolledDay - 2,
      });
      break;
    case 'FUTURE':
      scripted({
        scope: 'GLOBAL',
        setName: '',
        listName: '',
        keyType: 'payoffuid',
        key: payoffuid,
        reason: 'LITIGATION',
        startDay: account.closedDay,
        endDay: Number.POSITIVE_INFINITY,
      });
      break;
    case 'SET':
    case 'LIST': {
      const scoped = SCOPED_ENTRIES.values.find((value) => value.scope === showcase)!;
      scripted({
        scope: scoped.scope,
        setName: scoped.setName,
        listName: scoped.listName,
        keyType: 'payoffuid',
        key: payoffuid,
        reason: scoped.reason,
        ...open,
      });
      break;
    }
    case 'PHONE_DNC':
    case 'EMAIL_DNC': {
      const keyType = showcase === 'PHONE_DNC' ? 'phone' : 'email';
      const target =
        profile.contacts.find((point) => point.party === 'customer' && (point.type === 'email') === (keyType === 'email')) ?? addScriptedEmail(rng, profile);
      scripted({
        scope: 'GLOBAL',
        setName: '',
        listName: '',
        keyType: target.type === 'email' ? 'email' : 'phone',
        key: target.value,
        reason: 'INTERNAL_DNC',
        ...open,
      });
      break;
    }
    default:
      scripted({ scope: 'GLOBAL', setName: '', listName: '', keyType: 'payoffuid', key: payoffuid, reason: showcase, ...open });
  }
}

/** A customer email recorded at placement, for a showcase that needs one. */
function addScriptedEmail(rng: Rng, profile: Profile): ContactPoint {
  const email = emailOf(rng, profile.firstName || 'PAT', profile.lastName || 'DOE');
  const point = drawPoint(rng, profile.account, 'customer', 'email', email, email, profile.account.enrolledDay, null);
  profile.contacts.push(point);
  return point;
}
