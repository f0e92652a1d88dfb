import { principalOn, type ContactPoint, type LoanState, type Profile } from './customer-profile.ts';
import { isoDate } from './days.ts';
import { hash32 } from './random.ts';
import { SERVICING_RATES, nextDueDay, requestsDeliveredOn, servicingOn, type RuleKind } from './servicing.ts';

/**
 * Rows of the daily snapshot feeds for one account on one day: loan tape, contacts, custom fields,
 * and the account's entries in the suppression snapshot. docs/feeds.md is the schema.
 */

const RISK_STREAM = 31;

/** Where rows go (a SplitGzipWriter). */
export interface LineSink {
  add(line: string): void;
}

/** `isoDate` with a cache: the same few thousand dates are written millions of times. */
export class DateText {
  private readonly cache = new Map<number, string>();

  of(day: number): string {
    let text = this.cache.get(day);
    if (text === undefined) {
      text = isoDate(day);
      this.cache.set(day, text);
    }
    return text;
  }
}

/** The loan tape row (docs/feeds.md column order, domain/feeds/daily-feeds.ts). */
export function loanTapeLine(profile: Profile, day: number, loan: LoanState, asOf: string, dates: DateText): string {
  const principal = principalOn(profile.loan, day, loan);
  const plan = profile.servicing;
  const columns = servicingOn(plan, profile.program, day, loan, profile.loan.chargeOffDay);
  const open = columns.status === 'Current' || columns.status === 'Delinquent';
  const date = (value: number | null) => (value === null ? '' : dates.of(value));
  return (
    `${profile.payoffuid}|${profile.account.accountNumber}|${plan.loanId}|${profile.portfolio}|${columns.status}|${loan.daysPastDue}|` +
    `${loan.amountDue.toFixed(2)}|${principal.toFixed(2)}|${dates.of(profile.loan.start)}|${open ? dates.of(nextDueDay(profile.loan.start, day)) : ''}|` +
    `${date(columns.chargeOffDay)}|${columns.recoveries === null ? '' : columns.recoveries.toFixed(2)}|${plan.autopay ? 'Auto Payer' : 'Manual'}|` +
    `${columns.placement}|${date(columns.nextWorkableDay)}|${date(columns.lastContactDay)}|${profile.firstName}|${profile.lastName}|` +
    `${plan.address1}|${plan.address2}|${plan.city}|${profile.address.state}|${profile.address.zip}|${asOf}\n`
  );
}

const RULE_COLUMNS: readonly RuleKind[] = ['cease_and_desist', 'bankruptcy', 'suppress_phone', 'suppress_text', 'suppress_letter', 'suppress_email'];

/** The customer's contact rules recorded by `day`, in force or not (the feed is the whole register of the date). */
export function contactRuleLines(profile: Profile, day: number, dates: DateText, out: LineSink): number {
  let rows = 0;
  for (const rule of profile.servicing.rules) {
    if (rule.recordedDay > day) continue;
    const flags = RULE_COLUMNS.map((kind) => (rule.flags.has(kind) ? 'Y' : 'N')).join('|');
    out.add(`${profile.payoffuid}|${flags}|${dates.of(rule.startDay)}|${rule.endDay === Number.POSITIVE_INFINITY ? '' : dates.of(rule.endDay)}\n`);
    rows++;
  }
  return rows;
}

/** The payment requests delivered on `day`: submitted that day, or whose status changed that day. */
export function paymentRequestLines(profile: Profile, day: number, loanStatusOn: (d: number) => LoanState['status'], dates: DateText, out: LineSink): number {
  const rate = (d: number): number => {
    const status = loanStatusOn(d);
    return status === 'DELINQUENT'
      ? SERVICING_RATES.requestDelinquent
      : status === 'CURRENT'
        ? profile.servicing.autopay
          ? 0
          : SERVICING_RATES.requestCurrent
        : status === 'CHARGED_OFF'
          ? SERVICING_RATES.requestChargedOff
          : 0;
  };
  const rows = requestsDeliveredOn(profile.servicing, profile.program, day, rate);
  for (const row of rows) {
    const time = `${String(Math.floor(row.second / 3600)).padStart(2, '0')}:${String(Math.floor(row.second / 60) % 60).padStart(2, '0')}:${String(row.second % 60).padStart(2, '0')}`;
    out.add(
      `${profile.payoffuid}|${row.type}|${row.effectiveDay === null ? '' : dates.of(row.effectiveDay)}|${row.status}|${dates.of(row.submittedDay)}T${time}\n`,
    );
  }
  return rows.length;
}

/** The contact rows of `present` (with their older duplicate records). */
export function contactLines(profile: Profile, present: readonly ContactPoint[], dates: DateText, out: LineSink): void {
  const head = `${profile.payoffuid}|`;
  for (const point of present) {
    out.add(`${head}${point.party}|${point.type}|${point.text}|${dates.of(point.createdDay)}\n`);
    const duplicate = point.duplicate;
    if (duplicate) out.add(`${head}${point.party}|${duplicate.type}|${duplicate.text}|${dates.of(duplicate.createdDay)}\n`);
  }
}

/**
 * The custom-field record of the account (JSON Lines), or null when the models did not score it.
 * Risk (0–100, higher = riskier) follows the delinquency with a per-account offset and a weekly
 * drift; propensity to pay falls with risk.
 */
export function customFieldsLine(profile: Profile, day: number, loan: LoanState, dates: DateText): string | null {
  const plan = profile.custom;
  if (plan.missing) return null;
  const base = loan.status === 'CHARGED_OFF' ? 75 : loan.status === 'PAID_OFF' ? 15 : 18 + Math.min(55, loan.daysPastDue * 0.6);
  const drift = (hash32(profile.hash, RISK_STREAM, Math.floor(day / 7)) / 4294967296 - 0.5) * 6;
  const risk = Math.round(Math.min(100, Math.max(0, base + plan.riskNoise + drift)));
  const propensity = Math.round(Math.min(1, Math.max(0, 1.05 - risk / 100 - 0.2 * plan.propensityNoise)) * 100) / 100;
  let research: number | null = null;
  for (const researched of plan.researchDays) {
    if (researched > day) break;
    research = researched;
  }
  return (
    `{"account_number":"${profile.account.accountNumber}","fields":{"risk_score":${plan.riskMissing ? 'null' : risk},` +
    `"propensity_to_pay":${plan.propensityMissing ? 'null' : propensity},` +
    `"last_research_date":${research === null ? 'null' : `"${dates.of(research)}"`},` +
    `"hardship_plan":${day >= plan.hardshipFrom && day < plan.hardshipTo}}}\n`
  );
}

/** The account's entries recorded by `day`, including expired and future-dated ones (the snapshot is the whole register). */
export function suppressionLines(profile: Profile, day: number, dates: DateText, out: LineSink): number {
  let rows = 0;
  for (const entry of profile.suppressions) {
    if (entry.recordedDay > day) continue;
    const end = entry.endDay === Number.POSITIVE_INFINITY ? '' : dates.of(entry.endDay);
    out.add(`${entry.scope}|${entry.setName}|${entry.listName}|${entry.keyType}|${entry.key}|${entry.reason}|${dates.of(entry.startDay)}|${end}\n`);
    rows++;
  }
  return rows;
}
