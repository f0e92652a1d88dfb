import type { Channel, Purpose } from '../../domain/campaigns/schema.ts';
import type { ContactPoint, LoanState, PresentContacts, Profile } from './customer-profile.ts';
import type { LineSink } from './snapshot-feeds.ts';
import type { LocalDays } from './geography.ts';
import { snapshotConsent } from './population.ts';
import { Rng, hash32, pickWith, weighted, type Weighted } from './random.ts';

/**
 * The contact attempts of one account on one day (dispositions feed, docs/feeds.md): a pure
 * function of the account's profile and the day, so any day can be written alone and rewriting it
 * gives the same rows. Rates in `DIALING_RATES` (docs/generator.md).
 */

export const DIALING_RATES = {
  /** Mean collection calls a day on a delinquent account, by days past due (< 30, < 60, later), and when worked harder. */
  callsEarly: 0.55,
  callsMid: 0.8,
  callsLate: 0.9,
  callsHeavy: 1.5,
  /** Recovery calls a day on a charged-off account. */
  callsRecovery: 0.2,
  /** Calls on Saturday and Sunday relative to a weekday. */
  saturday: 0.5,
  sunday: 0.1,
  /** A call goes to a reference (when the stage allows it, 60+ days past due or charged off). */
  referenceCall: 0.25,
  /** Collection texts a day up to 30 days past due; collection emails a day from 5 to 59. */
  collectionSms: 0.15,
  collectionEmail: 0.1,
  /** Current accounts signed up for the payment reminder text (5 days before the due date). */
  reminderSignup: 0.7,
  /** Current or paid-off accounts on the fortnightly newsletter (marketing email). */
  newsletterSignup: 0.5,
  /** A phone number is written as 10 digits instead of E.164 (older dialer exports). */
  nationalFormat: 0.08,
} as const;

type Disposition =
  | 'RIGHT_PARTY_CONTACT'
  | 'REFUSED'
  | 'NO_ANSWER'
  | 'VOICEMAIL'
  | 'BUSY'
  | 'THIRD_PARTY'
  | 'WRONG_NUMBER'
  | 'DISCONNECTED'
  | 'DELIVERED'
  | 'UNDELIVERED'
  | 'BOUNCED'
  | 'OPT_OUT';

const CUSTOMER_CALL = weighted<Disposition>([
  ['NO_ANSWER', 45],
  ['VOICEMAIL', 28],
  ['BUSY', 6],
  ['RIGHT_PARTY_CONTACT', 14],
  ['REFUSED', 3],
]);
const REFERENCE_CALL = weighted<Disposition>([
  ['NO_ANSWER', 50],
  ['VOICEMAIL', 30],
  ['BUSY', 5],
  ['THIRD_PARTY', 15],
]);
const WRONG_PARTY_CALL = weighted<Disposition>([
  ['WRONG_NUMBER', 65],
  ['NO_ANSWER', 20],
  ['VOICEMAIL', 15],
]);
const UNANSWERED_CALL = weighted<Disposition>([
  ['NO_ANSWER', 60],
  ['VOICEMAIL', 40],
]);
const SMS_RESULT = weighted<Disposition>([
  ['DELIVERED', 96],
  ['UNDELIVERED', 4],
]);

const CALL_HOURS: readonly [number, number] = [8, 21];
const MARKETING_HOURS: readonly [number, number] = [9, 20];
const SMS_HOURS: readonly [number, number] = [9, 19];
const EMAIL_HOURS: readonly [number, number] = [6, 22];

const DAY_STREAM = 23;

interface Attempt {
  second: number;
  channel: Channel;
  point: ContactPoint;
  disposition: Disposition;
  purpose: Purpose;
}

/** Renders the day's attempts of one account; `present` are its contact points in the contacts feed of `day`. */
export class DispositionRenderer {
  private readonly attempts: Attempt[] = [];
  private readonly phones: ContactPoint[] = [];
  private rng = new Rng(0);

  constructor(private readonly localDays: LocalDays) {}

  /** `contacts` are only computed on the (few) account-days with attempts. */
  render(profile: Profile, day: number, loan: LoanState, contacts: PresentContacts, out: LineSink): number {
    if (!profile.dialing && !mayAttempt(profile, day, loan) && !profile.eventDays.includes(day)) return 0;
    const present = contacts.points();
    const attempts = this.attempts;
    attempts.length = 0;
    this.rng = new Rng(hash32(profile.hash, DAY_STREAM, day));
    const weekday = (((day + 4) % 7) + 7) % 7; // 0 = Sunday (1970-01-01 was a Thursday)
    if (profile.dialing) this.scripted(profile, day, present);
    else this.natural(profile, day, weekday, loan, present);
    this.forced(day, present);
    if (attempts.length === 0) return 0;
    attempts.sort((a, b) => a.second - b.second);
    const { prefix, offset } = this.localDays.of(profile.address.zone, day);
    const head = `${profile.payoffuid}|${profile.account.accountNumber}|`;
    for (const attempt of attempts) {
      const conversation = attempt.disposition === 'RIGHT_PARTY_CONTACT' || attempt.disposition === 'REFUSED' ? 'Y' : 'N';
      out.add(
        `${head}${attempt.channel}|${this.valueOf(attempt)}|${prefix}${clock(attempt.second)}${offset}|${attempt.disposition}|${conversation}|${attempt.purpose}\n`,
      );
    }
    return attempts.length;
  }

  private valueOf(attempt: Attempt): string {
    if (attempt.channel === 'email') return attempt.point.text;
    return this.rng.chance(DIALING_RATES.nationalFormat) ? attempt.point.value : `+1${attempt.point.value}`;
  }

  /** Showcase accounts: fixed patterns whose every 6-day window has the situation (docs/generator.md). */
  private scripted(profile: Profile, day: number, present: readonly ContactPoint[]): void {
    const phones = this.callable(present, false, profile.dialing === 'MA_CAP');
    if (phones.length === 0) return;
    const cycle = (n: number) => ((day % n) + n) % n;
    switch (profile.dialing) {
      case 'REG_F_CAP': // 2,1,1,1,1,1: exactly 7 calls in any 6 consecutive days
        for (let k = cycle(6) === 0 ? 2 : 1; k > 0; k--) this.call(phones, day, UNANSWERED_CALL, 'collections', CALL_HOURS);
        break;
      case 'CONVERSATION': // a call a day, a conversation every 5th day
        this.call(phones, day, cycle(5) === 0 ? CONVERSATION_ONLY : UNANSWERED_CALL, 'collections', CALL_HOURS);
        break;
      case 'MA_CAP': // every 3rd day: 2 in any 6 consecutive days
        if (cycle(3) === 0) this.call(phones, day, UNANSWERED_CALL, 'collections', CALL_HOURS);
        break;
      case 'WA_CAP': // every 2nd day: 3 in any 6 consecutive days
        if (cycle(2) === 0) this.call(phones, day, UNANSWERED_CALL, 'collections', CALL_HOURS);
        break;
      case 'MARKETING_24H': {
        // 3 marketing attempts every day: at the 3-per-24-hours cap
        const mobile = this.textable(present, day);
        this.call(phones, day, UNANSWERED_CALL, 'marketing', MARKETING_HOURS);
        this.call(phones, day, UNANSWERED_CALL, 'marketing', MARKETING_HOURS);
        if (mobile) this.push(mobile, 'sms', pickWith(SMS_RESULT, this.rng.next()), 'marketing', MARKETING_HOURS);
        else this.call(phones, day, UNANSWERED_CALL, 'marketing', MARKETING_HOURS);
        break;
      }
    }
  }

  private natural(profile: Profile, day: number, weekday: number, loan: LoanState, present: readonly ContactPoint[]): void {
    const rng = this.rng;
    const weekdayFactor = weekday === 0 ? DIALING_RATES.sunday : weekday === 6 ? DIALING_RATES.saturday : 1;
    const { status, daysPastDue: dpd } = loan;
    if (status === 'DELINQUENT' || status === 'CHARGED_OFF') {
      const rate =
        status === 'CHARGED_OFF'
          ? DIALING_RATES.callsRecovery
          : profile.heavyDialing
            ? DIALING_RATES.callsHeavy
            : dpd < 30
              ? DIALING_RATES.callsEarly
              : dpd < 60
                ? DIALING_RATES.callsMid
                : DIALING_RATES.callsLate;
      const calls = poisson(rng, rate * weekdayFactor);
      if (calls > 0) {
        const customer = this.callable(present, false, false).slice();
        const withReferences = status === 'CHARGED_OFF' || dpd >= 60 ? this.callable(present, true, false) : customer;
        for (let k = 0; k < calls; k++) {
          const pool = withReferences !== customer && rng.chance(DIALING_RATES.referenceCall) ? withReferences : customer;
          if (pool.length > 0) this.call(pool, day, CUSTOMER_CALL, 'collections', CALL_HOURS);
        }
      }
      if (status === 'DELINQUENT' && dpd <= 30 && weekday !== 0 && rng.chance(DIALING_RATES.collectionSms)) {
        const mobile = this.textable(present, day);
        if (mobile) this.push(mobile, 'sms', pickWith(SMS_RESULT, rng.next()), 'collections', SMS_HOURS);
      }
      if (status === 'DELINQUENT' && dpd >= 5 && dpd <= 59 && rng.chance(DIALING_RATES.collectionEmail)) {
        const email = this.mailable(present, day);
        if (email) this.push(email, 'email', 'DELIVERED', 'collections', EMAIL_HOURS);
      }
      return;
    }
    if (reminderDay(profile, day, loan)) {
      const mobile = this.textable(present, day);
      if (mobile) this.push(mobile, 'sms', pickWith(SMS_RESULT, rng.next()), 'servicing', SMS_HOURS);
    }
    if (newsletterDay(profile, day)) {
      const email = this.mailable(present, day);
      if (email) this.push(email, 'email', 'DELIVERED', 'marketing', EMAIL_HOURS);
    }
    if (marketingDay(profile, day, weekday, loan)) {
      const mobile = rng.chance(0.6) ? this.textable(present, day) : null;
      if (mobile) this.push(mobile, 'sms', pickWith(SMS_RESULT, rng.next()), 'marketing', MARKETING_HOURS);
      else {
        const phones = this.callable(present, false, false);
        if (phones.length > 0) this.call(phones, day, CUSTOMER_CALL, 'marketing', MARKETING_HOURS);
      }
    }
  }

  /** STOP replies, unsubscribes and bounces happen on their day, on a message sent that day. */
  private forced(day: number, present: readonly ContactPoint[]): void {
    for (const point of present) {
      if (point.optOutDay === day && (point.type === 'email' ? point.bounceDay > day : point.type === 'mobile' && point.phone !== null)) {
        this.push(point, point.type === 'email' ? 'email' : 'sms', 'OPT_OUT', 'servicing', point.type === 'email' ? EMAIL_HOURS : SMS_HOURS);
      } else if (point.bounceDay === day && point.optOutDay > day) {
        this.push(point, 'email', 'BOUNCED', 'servicing', EMAIL_HOURS);
      }
    }
  }

  /** Phones present today (customer's, plus references when asked; MA: home and mobile only). Reused array. */
  private callable(present: readonly ContactPoint[], references: boolean, homeOrMobile: boolean): ContactPoint[] {
    const phones = this.phones;
    phones.length = 0;
    for (const point of present) {
      if (point.type === 'email' || (!references && point.party !== 'customer')) continue;
      if (homeOrMobile && point.type === 'work') continue;
      phones.push(point);
    }
    return phones;
  }

  /** A customer mobile of the consent feed, not opted out by SMS consent or STOP, to text today. */
  private textable(present: readonly ContactPoint[], day: number): ContactPoint | null {
    for (const point of present) {
      if (point.type !== 'mobile' || point.party !== 'customer' || !point.phone || point.optOutDay <= day) continue;
      if (snapshotConsent(point.phone, day) !== 'N') return point;
    }
    return null;
  }

  private mailable(present: readonly ContactPoint[], day: number): ContactPoint | null {
    for (const point of present) {
      if (point.type === 'email' && point.optOutDay > day && point.bounceDay > day) return point;
    }
    return null;
  }

  private call(phones: readonly ContactPoint[], day: number, outcomes: Weighted<Disposition>, purpose: Purpose, hours: readonly [number, number]): void {
    const rng = this.rng;
    const point = phones[rng.int(phones.length)];
    const disposition =
      day >= point.disconnectedDay
        ? 'DISCONNECTED'
        : point.wrongNumber
          ? pickWith(WRONG_PARTY_CALL, rng.next())
          : pickWith(point.party === 'customer' ? outcomes : REFERENCE_CALL, rng.next());
    this.push(point, 'call', disposition, purpose, hours);
  }

  private push(point: ContactPoint, channel: Channel, disposition: Disposition, purpose: Purpose, [from, to]: readonly [number, number]): void {
    this.attempts.push({ second: from * 3600 + this.rng.int((to - from) * 3600), channel, point, disposition, purpose });
  }
}

function reminderDay(profile: Profile, day: number, loan: LoanState): boolean {
  const cycle = (((day - profile.loan.start) % 30) + 30) % 30;
  return loan.status === 'CURRENT' && cycle === 25 && loan.amountDue > 0 && profile.signup < DIALING_RATES.reminderSignup;
}

function newsletterDay(profile: Profile, day: number): boolean {
  return (day + (profile.hash % 14)) % 14 === 0 && profile.signup >= 1 - DIALING_RATES.newsletterSignup;
}

function marketingDay(profile: Profile, day: number, weekday: number, loan: LoanState): boolean {
  return loan.status === 'CURRENT' && weekday !== 0 && profile.marketingDays.includes(day);
}

/**
 * The days of [from, until) on which the account may have attempts: a superset of the days where
 * `mayAttempt` holds (delinquency and charge-off days, reminder, newsletter, marketing and opt-out
 * or bounce days), so that the many quiet days of current accounts are not visited at all.
 */
export function activeDays(profile: Profile, from: number, until: number): number[] {
  if (profile.dialing) return Array.from({ length: Math.max(0, until - from) }, (_, k) => from + k);
  const days: number[] = [];
  const span = (low: number, high: number): void => {
    for (let day = Math.max(from, low); day < Math.min(until, high); day++) days.push(day);
  };
  const { loan } = profile;
  for (let i = 0; i < loan.episodes.length; i += 2) span(loan.episodes[i] + 1, loan.episodes[i + 1]);
  span(loan.chargeOffDay, until);
  const every = (first: number, period: number): void => {
    for (let day = from + ((((first - from) % period) + period) % period); day < until; day += period) days.push(day);
  };
  if (profile.signup < DIALING_RATES.reminderSignup) every(loan.start + 25, 30);
  if (profile.signup >= 1 - DIALING_RATES.newsletterSignup) every(-(profile.hash % 14), 14);
  for (const day of profile.marketingDays) if (day >= from && day < until) days.push(day);
  for (const day of profile.eventDays) if (day >= from && day < until) days.push(day);
  days.sort((a, b) => a - b);
  return days.filter((day, index) => index === 0 || day !== days[index - 1]);
}

/** Cheap test that a current or paid-off account has something planned today (most have not). */
function mayAttempt(profile: Profile, day: number, loan: LoanState): boolean {
  if (loan.status === 'DELINQUENT' || loan.status === 'CHARGED_OFF') return true;
  const weekday = (((day + 4) % 7) + 7) % 7;
  return reminderDay(profile, day, loan) || newsletterDay(profile, day) || marketingDay(profile, day, weekday, loan);
}

const CONVERSATION_ONLY = weighted<Disposition>([['RIGHT_PARTY_CONTACT', 1]]);

/** Poisson draw by inversion (small means). */
function poisson(rng: Rng, mean: number): number {
  const u = rng.next();
  let p = Math.exp(-mean);
  let cumulative = p;
  let k = 0;
  while (u > cumulative && k < 6) {
    k++;
    p *= mean / k;
    cumulative += p;
  }
  return k;
}

const TWO_DIGITS = Array.from({ length: 60 }, (_, n) => String(n).padStart(2, '0'));

function clock(second: number): string {
  return `${TWO_DIGITS[Math.floor(second / 3600)]}:${TWO_DIGITS[Math.floor(second / 60) % 60]}:${TWO_DIGITS[second % 60]}`;
}
