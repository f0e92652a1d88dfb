import type { PhoneConsentRow } from '../../domain/consent/consent.ts';
import { drawConsumerName, drawSsn } from './people.ts';
import { STYLE_MIX, drawNationalNumber, typePhone } from './phone-text.ts';
import { Rng, fmix32, hash32, weighted, type Weighted } from './random.ts';

/**
 * The generated world: accounts and their phones over absolute dates, a pure function of
 * (seed, customers). Every feed (consent today; loan tape, contacts, dispositions … later) is a
 * rendering of this model on a date, so all feeds agree on the same accounts and phones.
 *
 * The world has `customers` slots. A slot holds one account at a time: it is enrolled (placed)
 * on a boundary day and closed on the next one, when the slot's next account is enrolled.
 * Boundaries are periodic per slot (period 90–540 days, random phase) plus one "showcase"
 * boundary every `showcasePeriod` days, so that (in any world of 30 accounts or more) at least one
 * account is placed and one closed every day. Likewise every day one account per showcase situation (opt-out,
 * opt-in, soft delete, soft delete then re-add, hard delete followed by a late change record) gets
 * that scripted event on one of its phones: negligible in a large world, it guarantees every §4 situation in a small one.
 * docs/generator.md lists the rates.
 */

export type PhoneType = PhoneConsentRow['phone_type'];
export type PhoneSource = PhoneConsentRow['phone_source'];
export type PhoneStatus = PhoneConsentRow['phone_status'];
export type PhoneTechnology = PhoneConsentRow['phone_technology'];
/** SMS consent as the source systems carry it; empty = no explicit answer. */
export type ConsentFlag = 'Y' | 'N' | '';

export interface World {
  seed: number;
  customers: number;
  /** Hash of the seed from which every entity's random stream derives. */
  seedHash: number;
  /** Days between two showcase events of the same kind on the same slot: max(customers, 30). */
  showcasePeriod: number;
  /** Offset of the account-number bijection. */
  accountOffset: number;
}

export interface AccountSpan {
  slot: number;
  /** Unique id of the account in the world (its generation in the slot × customers + slot). */
  key: number;
  enrolledDay: number;
  /** First day the account is gone (closed); the slot's next account is enrolled that day. */
  closedDay: number;
  /** Enrolled on a showcase boundary: it then carries an enrollment-only phone. */
  showcaseEnrollment: boolean;
}

export interface Account extends AccountSpan {
  /** 16 digits. */
  accountNumber: string;
  /** `cnsmr_idntfr_lgcy_txt`: account number followed by `P`. */
  legacyId: string;
  /** The consumer as the client's system of record holds them (PII: consent exports only). */
  agencyId: string;
  ssn: string;
  firstName: string;
  lastName: string;
  phones: Phone[];
}

/**
 * `LATE_CHANGE`: a change record of a phone that has already left the snapshots (hard deleted); it is
 * reported in SUPPLFWD but never brings the phone back.
 */
export type PhoneEventKind = 'ADD' | 'CONSENT' | 'SOFT_DELETE' | 'READD' | 'HARD_DELETE' | 'LATE_CHANGE';

export interface PhoneEvent {
  day: number;
  kind: PhoneEventKind;
  /** Consent after the event. */
  consent: ConsentFlag;
  /** Day that consent answer was given (`cnsmr_phn_cnsnt_dt`); null when `consent` is empty. */
  consentDay: number | null;
  /** Emitted as a SUPPLFWD change event on `day`. */
  reported: boolean;
  /** Days after `day` until the NON-FIN snapshot shows the event (0 or 1). */
  snapshotLag: 0 | 1;
}

export interface Phone {
  /** `cnsmr_phn_id`, unique in the world. */
  id: number;
  /** 10-digit NANP national number. */
  national: string;
  type: PhoneType;
  source: PhoneSource;
  status: PhoneStatus;
  technology: PhoneTechnology;
  /** 1–100, or null (left empty by the export). */
  qualityScore: number | null;
  /** Listed in the account's enrollment (ENRLMT). */
  atEnrollment: boolean;
  /** In ENRLMT only; never reaches the maintenance system (no events). */
  enrollmentOnly: boolean;
  /** The household number shared by the two accounts of a slot pair. */
  sharedHousehold: boolean;
  /** Sorted by day, one event per day; the first is the ADD (absent for enrollment-only phones). */
  events: PhoneEvent[];
  /** The number as the servicing system stores it (the NON-FIN text), typed once. */
  storedText: string;
  /** Per-phone randomness for how the number is typed elsewhere. */
  styleSeed: number;
}

/** Lifetime rates of the world (per phone unless stated); docs/generator.md explains them. */
export const RATES = {
  minAccountDays: 90,
  maxAccountDays: 540,
  minShowcasePeriod: 30,
  initialPhones: weighted([
    [1, 30],
    [2, 35],
    [3, 22],
    [4, 13],
  ]),
  /** Per account: mean days between phones added after enrollment. */
  meanDaysBetweenAddedPhones: 500,
  maxPhonesPerAccount: 8,
  enrollmentOnlyShare: 0.03,
  /** Share of slot pairs (2m, 2m+1) whose accounts share a household phone. */
  sharedHouseholdShare: 0.04,
  meanDaysBetweenConsentChanges: 300,
  meanDaysToSoftDelete: 1500,
  meanDaysToHardDelete: 1200,
  readdShare: 0.4,
  maxReaddDays: 7,
  readdReportedShare: 0.5,
  snapshotLagShare: 0.25,
  /** Share of hard-deleted phones whose change records keep arriving (1–2 of them, 1–30 days apart). */
  lateChangeShare: 0.3,
  maxLateChangeDays: 30,
  /** Days before placement the consent of an enrollment phone was given, at most. */
  maxConsentAgeAtEnrollment: 365,
  missingQualityScore: 0.01,
} as const;

const PHONE_TYPES = weighted<PhoneType>([
  ['MOBILE', 58],
  ['HOME', 24],
  ['WORK', 12],
  ['OTHER', 6],
]);
const PHONE_SOURCES = weighted<PhoneSource>([
  ['CLIENT', 82],
  ['CONSUMER', 9],
  ['THIRD_PARTY', 6],
  ['OTHER', 3],
]);
const PHONE_STATUSES = weighted<PhoneStatus>([
  ['ACTIVE', 88],
  ['INACTIVE', 8],
  ['DISCONNECTED', 4],
]);
const TECHNOLOGIES: Record<PhoneType, Weighted<PhoneTechnology>> = {
  MOBILE: weighted<PhoneTechnology>([
    ['WIRELESS', 93],
    ['VOIP', 5],
    ['LANDLINE', 2],
  ]),
  HOME: weighted<PhoneTechnology>([
    ['LANDLINE', 70],
    ['VOIP', 20],
    ['WIRELESS', 10],
  ]),
  WORK: weighted<PhoneTechnology>([
    ['LANDLINE', 55],
    ['VOIP', 35],
    ['WIRELESS', 10],
  ]),
  OTHER: weighted<PhoneTechnology>([
    ['WIRELESS', 50],
    ['LANDLINE', 30],
    ['VOIP', 20],
  ]),
};
/** Quality score range [min, max] by status: disconnected numbers score low. */
const QUALITY_RANGE: Record<PhoneStatus, [number, number]> = { ACTIVE: [40, 100], INACTIVE: [15, 80], DISCONNECTED: [1, 30] };
/** `cnsmr_idntfr_agncy_id`: the placing agencies; one id holds a `|` (so the export quotes it). */
const AGENCY_IDS = weighted<string>([
  ['A2RGMRHG', 46],
  ['DMBDL001', 30],
  ['SNSVC014', 15],
  ['IC7730', 8.5],
  ['DMBDL|02', 0.5],
]);
const MOBILE_CONSENT = weighted<ConsentFlag>([
  ['Y', 55],
  ['N', 8],
  ['', 37],
]);
const LANDLINE_CONSENT = weighted<ConsentFlag>([
  ['Y', 25],
  ['N', 8],
  ['', 67],
]);
const CONSENT_CHANGE: Record<ConsentFlag, Weighted<ConsentFlag>> = {
  Y: weighted<ConsentFlag>([
    ['N', 95],
    ['', 5],
  ]),
  N: weighted<ConsentFlag>([
    ['Y', 70],
    ['', 30],
  ]),
  '': weighted<ConsentFlag>([
    ['Y', 70],
    ['N', 30],
  ]),
};

type Showcase = 'OPT_OUT' | 'OPT_IN' | 'SOFT_DELETE' | 'SOFT_DELETE_READD' | 'HARD_DELETE';
const SHOWCASES: readonly Showcase[] = ['OPT_OUT', 'OPT_IN', 'SOFT_DELETE', 'SOFT_DELETE_READD', 'HARD_DELETE'];

// Stream tags of hash32, so that the random streams of different entities never coincide.
const SLOT_STREAM = 1;
const ACCOUNT_STREAM = 2;
const HOUSEHOLD_STREAM = 3;
const NUMBER_OFFSET_STREAM = 4;
const PAYOFFUID_STREAM = 5;
const HOLDER_STREAM = 6;

// Account numbers: key -> (STRIDE * key + offset) mod SPACE, a bijection (STRIDE is prime, coprime to SPACE).
const ACCOUNT_SPACE = 9e15;
const ACCOUNT_STRIDE = 524_287;
const MAX_KEY = 2 ** 34;

export function createWorld(seed: number, customers: number): World {
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw new Error(`seed must be an integer in [0, 2^32), got ${seed}`);
  if (!Number.isInteger(customers) || customers < 1) throw new Error(`customers must be a positive integer, got ${customers}`);
  const seedHash = hash32(seed, 0);
  return {
    seed,
    customers,
    seedHash,
    showcasePeriod: Math.max(customers, RATES.minShowcasePeriod),
    accountOffset: (hash32(seedHash, NUMBER_OFFSET_STREAM) * 2_097_152) % ACCOUNT_SPACE,
  };
}

function mod(a: number, m: number): number {
  return ((a % m) + m) % m;
}

/** Which account occupies `slot` on `day`, without building it (cheap). */
export function accountSpanAt(world: World, slot: number, day: number): AccountSpan {
  const slotHash = hash32(world.seedHash, SLOT_STREAM, slot);
  const period = RATES.minAccountDays + (slotHash % (RATES.maxAccountDays - RATES.minAccountDays + 1));
  const phase = hash32(slotHash, SLOT_STREAM) % period;
  const q = world.showcasePeriod;
  const periodicStart = day - mod(day + phase, period);
  const showcaseStart = day - mod(day - slot, q);
  const generation = Math.floor((day + phase) / period) + Math.floor((day - slot) / q);
  const key = generation * world.customers + slot;
  if (key < 0 || key >= MAX_KEY) throw new Error(`date ${day} or customers ${world.customers} out of the generator's range`);
  return {
    slot,
    key,
    enrolledDay: Math.max(periodicStart, showcaseStart),
    closedDay: Math.min(periodicStart + period, showcaseStart + q),
    showcaseEnrollment: showcaseStart >= periodicStart,
  };
}

/** The account's lifetime facts: numbers, phones and all their events from enrollment to closing. */
export function buildAccount(world: World, span: AccountSpan): Account {
  const rng = new Rng(hash32(world.seedHash, ACCOUNT_STREAM, span.key));
  const holder = new Rng(hash32(world.seedHash, HOLDER_STREAM, span.key));
  const accountNumber = accountNumberOf(world, span.key);
  const account: Account = {
    slot: span.slot,
    key: span.key,
    enrolledDay: span.enrolledDay,
    closedDay: span.closedDay,
    showcaseEnrollment: span.showcaseEnrollment,
    accountNumber,
    legacyId: `${accountNumber}P`,
    agencyId: holder.pick(AGENCY_IDS),
    ssn: drawSsn(holder),
    ...drawConsumerName(holder),
    phones: [],
  };
  const householdHash = hash32(world.seedHash, HOUSEHOLD_STREAM, Math.floor(span.slot / 2));
  const household = householdHash / 4294967296 < RATES.sharedHouseholdShare ? drawNationalNumber(new Rng(householdHash)) : null;
  const numbers: string[] = household ? [household] : [];
  const { phones } = account;
  const initial = rng.pick(RATES.initialPhones);
  for (let k = 0; k < initial; k++) phones.push(drawPhone(rng, account, drawUnique(rng, numbers), span.enrolledDay, 'ENROLLMENT'));
  if (household) phones.push(drawPhone(rng, account, household, span.enrolledDay, 'HOUSEHOLD'));
  if (span.showcaseEnrollment) phones.push(drawPhone(rng, account, drawUnique(rng, numbers), span.enrolledDay, 'ENROLLMENT_ONLY'));
  for (let day = span.enrolledDay; phones.length < RATES.maxPhonesPerAccount; ) {
    day += rng.daysUntil(RATES.meanDaysBetweenAddedPhones);
    if (day >= span.closedDay - 1) break;
    phones.push(drawPhone(rng, account, drawUnique(rng, numbers), day, 'ADDED'));
  }
  applyShowcases(world, account);
  return account;
}

function drawUnique(rng: Rng, taken: string[]): string {
  let national: string;
  do national = drawNationalNumber(rng);
  while (taken.includes(national));
  taken.push(national);
  return national;
}

/** How a phone joined the account: with the enrollment (possibly enrollment-only), as the shared household number, or later. */
type PhoneKind = 'ENROLLMENT' | 'ENROLLMENT_ONLY' | 'HOUSEHOLD' | 'ADDED';

function drawPhone(rng: Rng, account: Account, national: string, addedDay: number, kind: PhoneKind): Phone {
  const atEnrollment = kind !== 'ADDED';
  const enrollmentOnly = kind === 'ENROLLMENT_ONLY' || (kind === 'ENROLLMENT' && rng.chance(RATES.enrollmentOnlyShare));
  const type = kind === 'HOUSEHOLD' ? 'HOME' : rng.pick(PHONE_TYPES);
  const source = rng.pick(PHONE_SOURCES);
  const consent = rng.pick(type === 'MOBILE' ? MOBILE_CONSENT : LANDLINE_CONSENT);
  const consentDay = consent === '' ? null : atEnrollment ? addedDay - rng.int(RATES.maxConsentAgeAtEnrollment + 1) : addedDay;
  const status = rng.pick(PHONE_STATUSES);
  const [minQuality, maxQuality] = QUALITY_RANGE[status];
  const quality = minQuality + rng.int(maxQuality - minQuality + 1);
  return {
    id: account.key * RATES.maxPhonesPerAccount + account.phones.length + 1,
    national,
    type,
    source,
    status,
    technology: rng.pick(TECHNOLOGIES[type]),
    qualityScore: rng.chance(RATES.missingQualityScore) ? null : quality,
    atEnrollment,
    enrollmentOnly,
    sharedHousehold: kind === 'HOUSEHOLD',
    events: enrollmentOnly ? [] : drawEvents(rng, addedDay, atEnrollment, { consent, consentDay }, account.closedDay),
    storedText: typePhone(national, STYLE_MIX.nonFin, rng.next(), rng.next()),
    styleSeed: rng.uint32(),
  };
}

/** A consent answer and the day it was given. */
type Answer = Pick<PhoneEvent, 'consent' | 'consentDay'>;

function changeAnswer(rng: Rng, current: ConsentFlag, day: number): Answer {
  const consent = rng.pick(CONSENT_CHANGE[current]);
  return { consent, consentDay: consent === '' ? null : day };
}

/** The phone's life after it is added: competing Poisson processes until deleted or the account closes. */
function drawEvents(rng: Rng, addedDay: number, atEnrollment: boolean, initial: Answer, closedDay: number): PhoneEvent[] {
  // Enrollment phones reach the snapshot the day after enrollment, without a change event.
  const events: PhoneEvent[] = [{ day: addedDay, kind: 'ADD', ...initial, reported: !atEnrollment, snapshotLag: atEnrollment ? 1 : drawLag(rng) }];
  const consentRate = 1 / RATES.meanDaysBetweenConsentChanges;
  const softRate = 1 / RATES.meanDaysToSoftDelete;
  const totalRate = consentRate + softRate + 1 / RATES.meanDaysToHardDelete;
  let answer = initial;
  for (let day = addedDay; ; ) {
    day += rng.daysUntil(1 / totalRate);
    if (day >= closedDay) break;
    const u = rng.next() * totalRate;
    if (u < consentRate) {
      answer = changeAnswer(rng, answer.consent, day);
      events.push({ day, kind: 'CONSENT', ...answer, reported: true, snapshotLag: drawLag(rng) });
    } else if (u < consentRate + softRate) {
      events.push({ day, kind: 'SOFT_DELETE', ...answer, reported: true, snapshotLag: drawLag(rng) });
      if (!rng.chance(RATES.readdShare)) break;
      day += 1 + rng.int(RATES.maxReaddDays);
      if (day >= closedDay) break;
      events.push({ day, kind: 'READD', ...answer, reported: rng.chance(RATES.readdReportedShare), snapshotLag: 0 });
    } else {
      events.push({ day, kind: 'HARD_DELETE', ...answer, reported: false, snapshotLag: 0 });
      if (rng.chance(RATES.lateChangeShare)) events.push(...drawLateChanges(rng, day, answer, closedDay));
      break;
    }
  }
  return events;
}

/** Change records that keep arriving after a hard delete (half of them change the consent). */
function drawLateChanges(rng: Rng, deletedDay: number, firstAnswer: Answer, closedDay: number): PhoneEvent[] {
  const late: PhoneEvent[] = [];
  let answer = firstAnswer;
  for (let k = 1 + rng.int(2), day = deletedDay; k > 0; k--) {
    day += 1 + rng.int(RATES.maxLateChangeDays);
    if (day >= closedDay) break;
    if (rng.chance(0.5)) answer = changeAnswer(rng, answer.consent, day);
    late.push({ day, kind: 'LATE_CHANGE', ...answer, reported: true, snapshotLag: 0 });
  }
  return late;
}

function drawLag(rng: Rng): 0 | 1 {
  return rng.chance(RATES.snapshotLagShare) ? 1 : 0;
}

/**
 * The phone's consent in the NON-FIN snapshot of `day` (some events reach the snapshot one day
 * late), or null when the phone is not in that snapshot.
 */
export function snapshotConsent(phone: Phone, day: number): ConsentFlag | null {
  return stateInSnapshot(phone.events, day)?.consent ?? null;
}

/** The event whose values the NON-FIN snapshot of `day` shows, or null when the phone is not in it. */
export function snapshotState(phone: Phone, day: number): PhoneEvent | null {
  return stateInSnapshot(phone.events, day);
}

function stateInSnapshot(events: readonly PhoneEvent[], day: number): PhoneEvent | null {
  let shown: PhoneEvent | null = null;
  for (const event of events) {
    if (event.day + event.snapshotLag > day) break;
    if (event.kind !== 'LATE_CHANGE') shown = event;
  }
  return shown && (shown.kind === 'ADD' || shown.kind === 'CONSENT' || shown.kind === 'READD') ? shown : null;
}

/** Days on which this account hosts a showcase situation, in [enrolled + 3, closed - 2]. */
function applyShowcases(world: World, account: Account): void {
  const q = world.showcasePeriod;
  const scripted: Phone[] = [];
  const first = account.enrolledDay + 3;
  for (const [index, showcase] of SHOWCASES.entries()) {
    const offset = Math.round(((index + 1) * q) / (SHOWCASES.length + 1));
    for (let day = first + mod(account.slot + offset - first, q); day <= account.closedDay - 2; day += q) {
      const phone = account.phones.find((candidate) => !scripted.includes(candidate) && scriptPhone(candidate, showcase, day));
      if (phone) scripted.push(phone);
    }
  }
}

/**
 * Replaces the phone's life from `day - 2` on with the showcase script, when the phone is in the
 * snapshot on `day - 2`. The scripted phone then lives on unchanged until the account closes.
 */
function scriptPhone(phone: Phone, showcase: Showcase, day: number): boolean {
  const kept = phone.events.filter((event) => event.day < day - 2);
  const current = stateInSnapshot(kept, day - 2);
  if (current === null) return false;
  const event = (at: number, kind: PhoneEventKind, answer: Answer = current, reported = true): PhoneEvent => ({
    day: at,
    kind,
    consent: answer.consent,
    consentDay: answer.consentDay,
    reported,
    snapshotLag: 0,
  });
  const script: PhoneEvent[] = [];
  switch (showcase) {
    case 'OPT_OUT':
    case 'OPT_IN': {
      const [from, to]: ConsentFlag[] = showcase === 'OPT_OUT' ? ['Y', 'N'] : ['N', 'Y'];
      if (current.consent !== from) script.push(event(day - 1, 'CONSENT', { consent: from, consentDay: day - 1 }));
      script.push(event(day, 'CONSENT', { consent: to, consentDay: day }));
      break;
    }
    case 'SOFT_DELETE':
      script.push(event(day, 'SOFT_DELETE'));
      break;
    case 'SOFT_DELETE_READD':
      script.push(event(day, 'SOFT_DELETE'), event(day + 1, 'READD', current, false));
      break;
    case 'HARD_DELETE':
      script.push(event(day, 'HARD_DELETE', current, false), event(day + 1, 'LATE_CHANGE'));
      break;
  }
  phone.events = kept.concat(script);
  return true;
}

/** The 16-digit account number of the account `key`: a bijection, so numbers never collide. */
export function accountNumberOf(world: World, key: number): string {
  // Scatter the key over [0, 2^34) first (fmix32 is a bijection of its low 32 bits), so that
  // consecutive keys do not give neighbouring account numbers.
  const low = key % 2 ** 32;
  const scattered = key - low + fmix32(low ^ world.seedHash);
  const offset = world.accountOffset;
  const scaled = (ACCOUNT_STRIDE * scattered) % ACCOUNT_SPACE;
  const value = scaled >= ACCOUNT_SPACE - offset ? scaled - (ACCOUNT_SPACE - offset) : scaled + offset;
  // Digits from small integers: converting a large double to text is several times slower.
  const high = Math.floor(value / 1e8);
  return `${1 + Math.floor(high / 1e7)}${String(high % 1e7).padStart(7, '0')}${String(value % 1e8).padStart(8, '0')}`;
}

/** Customer id (`payoffuid`) of the account in the other feeds: UUID-shaped, the last group encodes the key (masked), so it is unique. */
export function payoffuidOf(world: World, account: Pick<Account, 'key'>): string {
  const { key } = account;
  const low = (key % 2 ** 24) ^ (world.seedHash & 0xffffff);
  const high = Math.floor(key / 2 ** 24) ^ (world.seedHash >>> 8);
  const a = hash32(world.seedHash, PAYOFFUID_STREAM, key);
  const b = hash32(a, PAYOFFUID_STREAM);
  return `${hex(a, 8)}-${hex(b >>> 16, 4)}-4${hex(b & 0xfff, 3)}-${hex(0x8000 | (a & 0x3fff), 4)}-${hex(high & 0xffffff, 6)}${hex(low, 6)}`;
}

function hex(value: number, width: number): string {
  return value.toString(16).padStart(width, '0');
}
