import type { ContactFacts, CustomerFacts, FieldValue, SuppressionFact } from '../../domain/campaigns/facts.ts';
import type { RelatedPartyType } from '../../domain/campaigns/schema.ts';
import { isoDate, parseIsoDate } from './days.ts';
import { drawNationalNumber } from './phone-text.ts';
import { drawAddress, STATE_BY_POPULATION } from './geography.ts';
import { EMAIL_DOMAINS, FIRST_NAMES, LAST_NAMES, TEST_LAST_NAME } from './people.ts';
import { accountNumberOf, createWorld, payoffuidOf } from './population.ts';
import { Rng, hash32, weighted } from './random.ts';

/**
 * Customer-facts records (domain/campaigns/facts.ts) as the daily workflow would compute them for
 * one load date, drawn directly rather than from feeds: for the rules benchmark and engine tests.
 * Customer `i` is a pure function of (seed, i, loadDate), so the output is a function of
 * (seed, customers, loadDate). Rates are in `FACT_RATES`; custom fields and scoped suppression-feed
 * entries use the names of the sample configuration (config/campaigns.yaml).
 *
 * Records are kept lean for a million in memory: categorical values and dates are shared strings,
 * customers without suppression-feed entries share one empty array (never mutate it).
 */

export interface GenerateCustomerFactsOptions {
  /** Integer in [0, 2^32). */
  seed: number;
  customers: number;
  /** `YYYY-MM-DD`: relative dates (created_at, last_* dates, research dates) count back from it. */
  loadDate: string;
}

type Lifecycle = 'Current' | 'Delinquent' | 'Charge off' | 'Paid in Full';

export const FACT_RATES = {
  portfolio: weighted<string | null>([
    ['BLUE_FCU', 41],
    ['USALLIANCE', 30],
    ['SST', 25],
    ['DECLINE', 3.4],
    ['OFAC', 0.5],
    [null, 0.1],
  ]),
  lifecycle: weighted<Lifecycle>([
    ['Current', 67.2],
    ['Delinquent', 16.8],
    ['Charge off', 4],
    ['Paid in Full', 12],
  ]),
  /** Delinquency stage of DELINQUENT loans: [low, high] days past due. */
  delinquencyStage: weighted<readonly [number, number]>([
    [[1, 29], 55],
    [[30, 59], 20],
    [[60, 89], 12],
    [[90, 119], 13],
  ]),
  earlyChargeOff: 0.15,
  missingDaysPastDue: 0.001,
  /** Loan-tape row of the day before (late file); otherwise the load date. */
  staleTapeRow: 0.005,
  missingName: 0.002,
  missingAddress: 0.001,
  testAccount: 0.0001,
  customerMobile: 0.9,
  customerHome: 0.4,
  customerWork: 0.2,
  customerEmail: 0.75,
  parentReference: 0.25,
  otherReference: 0.15,
  /** A contact point recorded twice (same value, older created_at, possibly another type). */
  duplicateContact: 0.02,
  contactSuppressed: 0.005,
  contactSuppressionReasons: weighted([
    ['INTERNAL_DNC', 40],
    ['CEASE_AND_DESIST', 25],
    ['ATTORNEY_REPRESENTED', 20],
    ['DECEASED', 15],
  ]),
  wrongNumberCounts: weighted([
    [0, 95],
    [1, 3],
    [2, 1.5],
    [3, 0.5],
  ]),
  disconnectedCounts: weighted([
    [0, 96],
    [1, 1.5],
    [2, 0.5],
    [3, 1.5],
    [4, 0.5],
  ]),
  mobileSmsConsent: weighted<boolean | null>([
    [true, 70],
    [null, 22],
    [false, 8],
  ]),
  landlineSmsConsent: weighted<boolean | null>([
    [null, 80],
    [false, 15],
    [true, 5],
  ]),
  phoneOptOut: 0.02,
  /** A customer phone absent from the account's consent rows (a reference's phone never has one). */
  customerPhoneWithoutConsentRow: 0.03,
  phoneStatus: weighted<ContactFacts['phone_status']>([
    ['ACTIVE', 92],
    ['INACTIVE', 5],
    ['DISCONNECTED', 3],
  ]),
  /** The line technology behind each contact type: the client's lookup often disagrees with the type recorded. */
  phoneTechnology: {
    mobile: weighted<ContactFacts['phone_technology']>([
      ['WIRELESS', 90],
      ['VOIP', 6],
      ['LANDLINE', 4],
    ]),
    home: weighted<ContactFacts['phone_technology']>([
      ['LANDLINE', 65],
      ['VOIP', 25],
      ['WIRELESS', 10],
    ]),
    work: weighted<ContactFacts['phone_technology']>([
      ['LANDLINE', 60],
      ['VOIP', 35],
      ['WIRELESS', 5],
    ]),
  },
  missingQualityScore: 0.05,
  emailOptOut: 0.04,
  emailBounced: 0.03,
  /** Per customer: suppression-feed entries keyed on the payoffuid. */
  globalFeedEntry: 0.003,
  scopedFeedEntry: 0.002,
  missingRiskScore: 0.02,
  missingPropensity: 0.03,
  researched: 0.3,
  hardshipCurrent: 0.015,
  hardshipDelinquent: 0.08,
  missingHardshipFlag: 0.07,
} as const;

const GLOBAL_FEED_REASONS = weighted([
  ['CEASE_AND_DESIST', 30],
  ['BANKRUPTCY', 30],
  ['DECEASED', 15],
  ['LITIGATION', 10],
  ['FRAUD', 15],
]);
/** Set- and list-scoped feed entries, naming sets and lists of config/campaigns.yaml. */
const SCOPED_FEED_ENTRIES = weighted<SuppressionFact>([
  [{ scope: 'SET', set_name: 'MARKETING_EMAIL', list_name: null, reason: 'INTERNAL_DNC' }, 40],
  [{ scope: 'SET', set_name: 'COLLECTIONS_CALL', list_name: null, reason: 'ATTORNEY_REPRESENTED' }, 25],
  [{ scope: 'LIST', set_name: 'COLLECTIONS_CALL', list_name: 'BLUE_FCU_60_89', reason: 'LITIGATION' }, 15],
  [{ scope: 'LIST', set_name: 'SERVICING_SMS', list_name: 'PAYMENT_REMINDER_1_15', reason: 'INTERNAL_DNC' }, 20],
]);

/** The days back from the load date that dates are drawn over (contacts up to ~12 years old). */
const MAX_DAYS_BACK = 4400;
const CUSTOMER_STREAM = 11;
/** The phone facts draw from a stream of their own, so adding them left every other drawn value as it was. */
const PHONE_FACTS_STREAM = 12;
const NO_PHONE_FACTS: PhoneFacts = { phone_status: null, phone_technology: null, quality_score: null };
const NO_SUPPRESSIONS: SuppressionFact[] = [];

// Account numbers: index -> (STRIDE * index + offset) mod SPACE, a bijection (STRIDE is prime, coprime to SPACE).

export function generateCustomerFacts(options: GenerateCustomerFactsOptions): CustomerFacts[] {
  const { seed, customers, loadDate } = options;
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw new Error(`seed must be an integer in [0, 2^32), got ${seed}`);
  if (!Number.isInteger(customers) || customers < 0 || customers > 2 ** 32) throw new Error(`customers must be an integer in [0, 2^32], got ${customers}`);
  const day = parseIsoDate(loadDate);
  const daysAgo = Array.from({ length: MAX_DAYS_BACK + 1 }, (_, back) => isoDate(day - back));
  const seedHash = hash32(seed, CUSTOMER_STREAM);
  // Ids come from the consent world's bijections, so they are unique and shaped like the feeds'.
  const world = createWorld(seed, Math.max(customers, 1));
  const facts = new Array<CustomerFacts>(customers);
  for (let index = 0; index < customers; index++) facts[index] = drawCustomer(new Rng(hash32(seedHash, index)), index);
  return facts;

  function drawCustomer(rng: Rng, index: number): CustomerFacts {
    const lifecycle = rng.pick(FACT_RATES.lifecycle);
    const portfolio = rng.pick(FACT_RATES.portfolio);
    let daysPastDue: number | null = lifecycle === 'Delinquent' ? drawStage(rng) : lifecycle === 'Charge off' ? drawChargeOffDays(rng) : 0;
    if (rng.chance(FACT_RATES.missingDaysPastDue)) daysPastDue = null;
    const original = Math.round(Math.exp(Math.log(2000) + rng.next() * Math.log(20)));
    const principal = lifecycle === 'Paid in Full' ? 0 : cents(original * (0.15 + 0.85 * rng.next()));
    const payment = cents(original * (0.025 + 0.015 * rng.next()));
    const missed = Math.ceil((daysPastDue ?? 0) / 30);
    const amountDue =
      lifecycle === 'Paid in Full'
        ? 0
        : lifecycle === 'Charge off'
          ? principal
          : lifecycle === 'Delinquent'
            ? cents(payment * missed + 25 * Math.max(0, missed - 1))
            : rng.chance(0.6)
              ? payment
              : 0; // current loans: due within the statement cycle or already paid this cycle
    const address = drawAddress(rng.pick(STATE_BY_POPULATION), rng);
    const addressKnown = !rng.chance(FACT_RATES.missingAddress);
    const named = !rng.chance(FACT_RATES.missingName);
    const firstName = FIRST_NAMES[rng.int(FIRST_NAMES.length)]!;
    const lastName = rng.chance(FACT_RATES.testAccount) ? TEST_LAST_NAME : LAST_NAMES[rng.int(LAST_NAMES.length)]!;

    const contacts = drawContacts(rng, firstName, lastName, index);
    const delinquent = (daysPastDue ?? 0) > 0;
    const calls = delinquent && rng.chance(0.65) ? Math.min(7, 1 + rng.int(3) + (rng.chance(0.1) ? 3 : 0)) : 0;
    const texts = (daysPastDue ?? 0) <= 15 && rng.chance(0.3) ? 1 + rng.int(3) : 0;
    const attempted = calls + texts > 0 || (delinquent ? rng.chance(0.6) : rng.chance(0.05));
    const conversed = delinquent || lifecycle === 'Charge off' ? rng.chance(0.55) : rng.chance(0.1);
    const risk = rng.chance(FACT_RATES.missingRiskScore) ? null : drawRiskScore(rng, lifecycle, daysPastDue ?? 0);
    const hardship = delinquent ? FACT_RATES.hardshipDelinquent : lifecycle === 'Current' ? FACT_RATES.hardshipCurrent : 0;

    return {
      payoffuid: payoffuidOf(world, { key: index }),
      account_number: accountNumberOf(world, index),
      loan: {
        loan_id: `L${accountNumberOf(world, index).slice(-10)}`,
        portfolio,
        loan_status: lifecycle,
        days_past_due: daysPastDue,
        amount_due: amountDue,
        principal_balance: principal,
        origination_date: daysAgo[Math.min(MAX_DAYS_BACK, 200 + rng.int(300))]!,
        next_payment_due_date: lifecycle === 'Current' || lifecycle === 'Delinquent' ? addIsoDays(daysAgo[0]!, 1 + rng.int(30)) : null,
        charge_off_date: lifecycle === 'Charge off' ? daysAgo[Math.min(MAX_DAYS_BACK, rng.int(200))]! : null,
        recoveries_paid_to_date: lifecycle === 'Charge off' && rng.chance(0.3) ? cents(50 + rng.int(500)) : 0,
        payment_mode: rng.chance(0.35) ? 'Auto Payer' : 'Manual',
        placement_status: lifecycle === 'Charge off' && rng.chance(0.2) ? 'AGENCY_A' : null,
        next_workable_date: rng.chance(0.01) ? addIsoDays(daysAgo[0]!, 1 + rng.int(10)) : null,
        last_collections_contact_date: delinquent && rng.chance(0.5) ? daysAgo[rng.int(30)]! : null,
        loan_tape_asofdate: daysAgo[rng.chance(FACT_RATES.staleTapeRow) ? 1 : 0]!,
      },
      customer: {
        first_name: named ? firstName : null,
        last_name: named ? lastName : null,
        address_1: addressKnown ? `${1 + rng.int(9000)} MAIN ST` : null,
        address_2: addressKnown && rng.chance(0.2) ? `APT ${1 + rng.int(40)}` : null,
        city: addressKnown ? 'SPRINGFIELD' : null,
        state: addressKnown ? address.state : null,
        zip: addressKnown ? address.zip : null,
        cease_and_desist: rng.chance(0.003),
        bankruptcy: rng.chance(0.004),
        suppress_phone: rng.chance(0.01),
        suppress_text: rng.chance(0.01),
        suppress_letter: rng.chance(0.005),
        suppress_email: rng.chance(0.01),
        pending_payment: rng.chance(0.03),
        last_loan_modification_date: rng.chance(0.01) ? daysAgo[rng.int(30)]! : null,
        zip_suppression_reason: rng.chance(0.002) ? 'NATURAL_DISASTER' : null,
      },
      derived: {
        calls_last_7_days: calls,
        communications_last_7_days: calls + texts,
        // No emails are drawn here; the week's calls and texts fall about evenly, 2 days of 7 in the last 24 hours' count.
        attempts_last_7_days: calls + texts,
        communications_last_24h: Math.ceil(((calls + texts) * 2) / 7),
        last_conversation_date: conversed ? daysAgo[Math.min(MAX_DAYS_BACK, rng.daysUntil(delinquent ? 12 : 120))]! : null,
        last_attempt_date: attempted ? daysAgo[calls + texts > 0 ? rng.int(7) : 7 + rng.int(120)]! : null,
        usable_phone_count: countUsable(contacts, isUsablePhone),
        usable_email_count: countUsable(contacts, isUsableEmail),
        load_weekday: weekdayOfIso(daysAgo[0]!),
        days_until_next_payment: null,
        days_since_charge_off: null,
      },
      custom_fields: {
        risk_score: risk,
        propensity_to_pay:
          rng.chance(FACT_RATES.missingPropensity) || risk === null
            ? null
            : Math.round(Math.min(1, Math.max(0, 1.05 - risk / 100 - 0.2 * rng.next())) * 100) / 100,
        last_research_date: rng.chance(FACT_RATES.researched) ? daysAgo[1 + rng.int(400)]! : null,
        hardship_plan: rng.chance(FACT_RATES.missingHardshipFlag) ? null : rng.chance(hardship),
      } satisfies Record<string, FieldValue>,
      unreadable_custom_fields: [],
      contacts,
      suppressions: drawFeedEntries(rng),
    };
  }

  function drawContacts(rng: Rng, firstName: string, lastName: string, index: number): ContactFacts[] {
    const contacts: ContactFacts[] = [];
    const phoneRng = new Rng(hash32(seedHash, index, PHONE_FACTS_STREAM));
    const add = (party: RelatedPartyType, type: 'mobile' | 'home' | 'work' | 'email'): void => {
      const email = type === 'email';
      const optedOut = rng.chance(email ? FACT_RATES.emailOptOut : FACT_RATES.phoneOptOut);
      contacts.push({
        related_party_type: party,
        contact_type: type,
        contact_value: email ? emailOf(rng, firstName, lastName, index) : `+1${drawNationalNumber(rng)}`,
        created_at: daysAgo[30 + rng.int(MAX_DAYS_BACK - 30)]!,
        suppression_reason: rng.chance(FACT_RATES.contactSuppressed) ? rng.pick(FACT_RATES.contactSuppressionReasons) : null,
        wrong_number_count_90d: email ? 0 : rng.pick(FACT_RATES.wrongNumberCounts),
        disconnected_count_90d: email ? 0 : rng.pick(FACT_RATES.disconnectedCounts),
        can_send_sms: email ? null : optedOut ? false : rng.pick(type === 'mobile' ? FACT_RATES.mobileSmsConsent : FACT_RATES.landlineSmsConsent),
        opted_out: optedOut,
        bounced: email && rng.chance(FACT_RATES.emailBounced),
        ...(email ? NO_PHONE_FACTS : drawPhoneFacts(phoneRng, party, type)),
      });
    };
    if (rng.chance(FACT_RATES.customerMobile)) add('customer', 'mobile');
    if (rng.chance(FACT_RATES.customerHome)) add('customer', 'home');
    if (rng.chance(FACT_RATES.customerWork)) add('customer', 'work');
    if (rng.chance(FACT_RATES.customerEmail)) add('customer', 'email');
    if (rng.chance(FACT_RATES.parentReference)) add('reference_customer_parent', rng.chance(0.7) ? 'mobile' : 'home');
    if (rng.chance(FACT_RATES.otherReference)) add('reference_customer_other', 'mobile');
    if (contacts.length > 0 && rng.chance(FACT_RATES.duplicateContact)) {
      const original = contacts[rng.int(contacts.length)]!;
      const retyped = original.contact_type === 'mobile' && rng.chance(0.5) ? 'home' : original.contact_type;
      contacts.push({ ...original, contact_type: retyped, created_at: daysAgo[Math.min(MAX_DAYS_BACK, daysBack(original.created_at) + 1 + rng.int(700))]! });
    }
    return contacts;
  }

  function daysBack(date: string): number {
    return day - parseIsoDate(date);
  }

  function drawFeedEntries(rng: Rng): SuppressionFact[] {
    const global = rng.chance(FACT_RATES.globalFeedEntry);
    const scoped = rng.chance(FACT_RATES.scopedFeedEntry);
    if (!global && !scoped) return NO_SUPPRESSIONS;
    const entries: SuppressionFact[] = [];
    if (global) entries.push({ scope: 'GLOBAL', set_name: null, list_name: null, reason: rng.pick(GLOBAL_FEED_REASONS) });
    if (scoped) entries.push(rng.pick(SCOPED_FEED_ENTRIES));
    return entries;
  }
}

type PhoneFacts = Pick<ContactFacts, 'phone_status' | 'phone_technology' | 'quality_score'>;

/** The client's facts of a phone's consent row (gold `phone_consent`); null when the account has no row for it. */
function drawPhoneFacts(rng: Rng, party: RelatedPartyType, type: 'mobile' | 'home' | 'work'): PhoneFacts {
  if (party !== 'customer' || rng.chance(FACT_RATES.customerPhoneWithoutConsentRow)) return NO_PHONE_FACTS;
  return {
    phone_status: rng.pick(FACT_RATES.phoneStatus),
    phone_technology: rng.pick(FACT_RATES.phoneTechnology[type]),
    quality_score: rng.chance(FACT_RATES.missingQualityScore) ? null : 1 + rng.int(100),
  };
}

/** Most charge-offs at 120 days past due; early ones (bankruptcy, fraud, deceased) at any stage. */
function drawChargeOffDays(rng: Rng): number {
  return rng.chance(FACT_RATES.earlyChargeOff) ? 30 + rng.int(90) : 120 + rng.int(240);
}

function drawStage(rng: Rng): number {
  const [low, high] = rng.pick(FACT_RATES.delinquencyStage);
  return low + rng.int(high - low + 1);
}

/** 0–100, higher = riskier; rises with delinquency. */
function drawRiskScore(rng: Rng, lifecycle: Lifecycle, daysPastDue: number): number {
  const base = lifecycle === 'Charge off' ? 70 : lifecycle === 'Paid in Full' ? 20 : 18 + Math.min(55, daysPastDue * 0.6);
  const noise = (rng.next() + rng.next() + rng.next() - 1.5) * 40;
  return Math.round(Math.min(100, Math.max(0, base + noise)));
}

/** The sample configuration's bad-number thresholds (2 wrong numbers, 3 disconnects in 90 days). */
function isUsablePhone(contact: ContactFacts): boolean {
  return contact.contact_type !== 'email' && contact.suppression_reason === null && contact.wrong_number_count_90d < 2 && contact.disconnected_count_90d < 3;
}

function isUsableEmail(contact: ContactFacts): boolean {
  return contact.contact_type === 'email' && contact.suppression_reason === null && !contact.opted_out && !contact.bounced;
}

/** Distinct contact values passing `usable` (a duplicate record counts once). */
function countUsable(contacts: readonly ContactFacts[], usable: (contact: ContactFacts) => boolean): number {
  let count = 0;
  for (let i = 0; i < contacts.length; i++) {
    const contact = contacts[i]!;
    if (!usable(contact)) continue;
    let seen = false;
    for (let j = 0; j < i && !seen; j++) seen = contacts[j]!.contact_value === contact.contact_value && usable(contacts[j]!);
    if (!seen) count++;
  }
  return count;
}

function emailOf(rng: Rng, firstName: string, lastName: string, index: number): string {
  const domain = rng.pick(EMAIL_DOMAINS);
  const last = lastName.replace(/[^A-Z]/g, '');
  return rng.chance(0.5) ? `${firstName}.${last}${index % 1000}@${domain}`.toLowerCase() : `${firstName[0]}${last}${index % 97}@${domain}`.toLowerCase();
}

function cents(amount: number): number {
  return Math.round(amount * 100) / 100;
}

function addIsoDays(date: string, days: number): string {
  return isoDate(parseIsoDate(date) + days);
}

function weekdayOfIso(date: string): string {
  return ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'][new Date(`${date}T00:00:00Z`).getUTCDay()]!;
}
