import { FACT_CONTACT_FILTERS } from '../campaigns/contact-filters.ts';
import { addDays } from '../campaigns/dates.ts';
import type { ContactFilter, ListContext } from '../campaigns/decision.ts';
import type { ContactFacts, CustomerFacts } from '../campaigns/facts.ts';
import { hasHolidayCalendar, isPublicHoliday } from './holidays.ts';
import { localTimeToUtc, weekdayOf } from './local-time.ts';
import { KnownLocations } from './locations.ts';
import {
  rulesInForce,
  type ComplianceRule,
  type ConversationPauseRule,
  type FrequencyCapRule,
  type LocalWindow,
  type RuleTable,
  type WindowRule,
} from './rule-table.ts';
import type { ReferenceData } from './reference-data.ts';

/**
 * The compliance filters of SPEC §6.1, driven by the rule table: frequency caps (reason
 * `FREQUENCY_CAP`, and the account's budget of the day, SPEC §7 `calls_allowed_today`) and calling windows (reason `NO_CALL_WINDOW`, else the contact's zone and UTC
 * window). Each list gets, on the load date, the rows in force for its channel and purpose: the
 * federal rows (`US`) always, a state's rows when the state is one of the customer's known
 * locations or the called phone's area-code state. docs/compliance.md describes every rule.
 */

export const FREQUENCY_CAP = 'FREQUENCY_CAP';
export const NO_CALL_WINDOW = 'NO_CALL_WINDOW';

/** The compliance filters, to run after FACT_CONTACT_FILTERS. */
export function complianceContactFilters(table: RuleTable, reference: ReferenceData): ContactFilter[] {
  for (const rule of table.rules) {
    if (rule.state !== null && !reference.stateZones.has(rule.state)) {
      throw new Error(`${table.file} line ${rule.line}: jurisdiction ${rule.jurisdiction} is not in the reference data's states`);
    }
    if (rule.kind === 'window' && rule.holidays === 'none' && !hasHolidayCalendar(rule.jurisdiction)) {
      throw new Error(`${table.file} line ${rule.line}: no holiday calendar for ${rule.jurisdiction}`);
    }
  }
  const locations = new KnownLocations(reference);
  return [frequencyCapFilter(table, locations), contactWindowFilter(table, reference, locations)];
}

/** The daily workflow's whole drop pipeline; every `delegated` row must name one of its filters. */
export function dailyContactFilters(table: RuleTable, reference: ReferenceData): ContactFilter[] {
  const filters = [...FACT_CONTACT_FILTERS, ...complianceContactFilters(table, reference)];
  const names = new Set(filters.map((filter) => filter.name));
  for (const rule of table.rules) {
    if (rule.kind === 'delegated' && !names.has(rule.enforced_by)) {
      throw new Error(`${table.file} line ${rule.line}: ${rule.rule_id} is enforced by ${rule.enforced_by}, which is not in the pipeline`);
    }
  }
  return filters;
}

/** Federal rows and each state's rows, as the compiled form `compile` makes of them. */
interface ByJurisdiction<T> {
  federal: T | null;
  states: Map<string, T>;
}

function byJurisdiction<R extends ComplianceRule, T>(rules: readonly R[], compile: (rules: R[]) => T): ByJurisdiction<T> {
  const grouped = new Map<string | null, R[]>();
  for (const rule of rules) grouped.set(rule.state, [...(grouped.get(rule.state) ?? []), rule]);
  const federal = grouped.get(null);
  grouped.delete(null);
  return {
    federal: federal === undefined ? null : compile(federal),
    states: new Map([...grouped].map(([state, stateRules]) => [state!, compile(stateRules)])),
  };
}

// ---- Frequency caps ---------------------------------------------------------------------------

/** What one rule leaves of the account's attempts today; Infinity when it does not limit the count. */
type Cap = (customer: CustomerFacts) => number;

function leastLeft(caps: readonly Cap[] | null | undefined, customer: CustomerFacts, start: number): number {
  if (caps == null) return start;
  let left = start;
  for (const cap of caps) left = Math.min(left, cap(customer));
  return left;
}

/**
 * One reading of the caps for both uses: a contact is dropped (`FREQUENCY_CAP`) when nothing is left for
 * it, and the account's budget of the day (`calls_allowed_today`) is what is left over the contacts kept.
 */
function frequencyCapFilter(table: RuleTable, locations: KnownLocations): ContactFilter {
  const capsForList = (list: ListContext, loadDate: string): ByJurisdiction<Cap[]> | null => {
    const rules = rulesInForce(table, loadDate, list.channel, list.purpose).filter(
      (rule): rule is FrequencyCapRule | ConversationPauseRule => rule.kind === 'frequency_cap' || rule.kind === 'conversation_pause',
    );
    return rules.length === 0 ? null : byJurisdiction(rules, (group) => group.map((rule) => compileCap(rule, table.file, loadDate)));
  };
  /** The federal caps and those of the customer's known locations (its address and its own phones). */
  const customerLeft = (caps: ByJurisdiction<Cap[]>, customer: CustomerFacts): number => {
    let left = leastLeft(caps.federal, customer, Number.POSITIVE_INFINITY);
    for (const state of locations.of(customer).states) left = leastLeft(caps.states.get(state), customer, left);
    return left;
  };
  /** The caps of the called phone's area-code state (a reference party's phone may add a state). */
  const contactLeft = (caps: ByJurisdiction<Cap[]>, contact: ContactFacts, customer: CustomerFacts, left: number): number => {
    const phoneState = locations.areaCode(contact)?.state;
    return phoneState == null ? left : leastLeft(caps.states.get(phoneState), customer, left);
  };
  return {
    name: 'frequency_cap',
    forList: (list, { loadDate }) => {
      const caps = capsForList(list, loadDate);
      if (caps === null) return null;
      return (candidate, customer) => (contactLeft(caps, candidate.facts, customer, customerLeft(caps, customer)) <= 0 ? FREQUENCY_CAP : null);
    },
    budgetForList: (list, { loadDate }) => {
      const caps = capsForList(list, loadDate);
      if (caps === null) return null;
      return (customer, contacts) => {
        let left = customerLeft(caps, customer);
        for (const contact of contacts) left = contactLeft(caps, contact, customer, left);
        return left === Number.POSITIVE_INFINITY ? null : left;
      };
    },
  };
}

function compileCap(rule: FrequencyCapRule | ConversationPauseRule, file: string, loadDate: string): Cap {
  if (rule.kind === 'conversation_pause') {
    // The conversation's day is day 1: a conversation on or after this date still blocks today.
    const blockingSince = addDays(loadDate, 1 - rule.pause_days);
    return ({ derived }) => (derived.last_conversation_date !== null && derived.last_conversation_date >= blockingSince ? 0 : Number.POSITIVE_INFINITY);
  }
  const { counter, cap_max: max } = rule;
  return ({ derived, payoffuid }) => {
    const count = derived[counter];
    if (count === undefined) throw new Error(`customer ${payoffuid}: derived.${counter} is missing; ${rule.rule_id} (${file} line ${rule.line}) counts it`);
    return Math.max(0, max - count);
  };
}

// ---- Calling windows --------------------------------------------------------------------------

interface PlacedWindow {
  timezone: string;
  window_start_utc: string;
  window_end_utc: string;
}

const FULL_DAY: LocalWindow = { start: 0, end: 24 * 60 };
const CLOSED: LocalWindow = { start: 0, end: 0 };

/** A row's local window on the load date: its Sunday window on Sundays, closed on a public holiday when it says so. */
function windowOn(rule: WindowRule, date: string): LocalWindow {
  if (rule.holidays === 'none' && isPublicHoliday(rule.jurisdiction, date)) return CLOSED;
  if (weekdayOf(date) !== 0 || rule.sunday === 'same') return rule.window;
  return rule.sunday === 'none' ? CLOSED : rule.sunday;
}

function intersect(windows: readonly LocalWindow[]): LocalWindow {
  return windows.reduce((a, b) => ({ start: Math.max(a.start, b.start), end: Math.min(a.end, b.end) }), FULL_DAY);
}

function contactWindowFilter(table: RuleTable, reference: ReferenceData, locations: KnownLocations): ContactFilter {
  return {
    name: 'contact_window',
    forList: (list, { loadDate }) => {
      const rules = rulesInForce(table, loadDate, list.channel, list.purpose).filter((rule): rule is WindowRule => rule.kind === 'window');
      if (rules.length === 0) return null;
      const windows = byJurisdiction(rules, (group) => intersect(group.map((rule) => windowOn(rule, loadDate))));
      // The UTC window of each local window and zone set met so far: a handful per run.
      const placed = new Map<number, Map<number, PlacedWindow | null>>();
      return (candidate, customer) => {
        const known = locations.of(customer);
        const areaCode = locations.areaCode(candidate.facts);
        let ruled = windows.federal !== null;
        let { start, end } = windows.federal ?? FULL_DAY;
        const states = known.states;
        for (let index = 0; index <= states.length; index++) {
          const state = index < states.length ? states[index]! : areaCode?.state;
          const window = state == null ? undefined : windows.states.get(state);
          if (window === undefined) continue;
          ruled = true;
          start = Math.max(start, window.start);
          end = Math.min(end, window.end);
        }
        if (!ruled) return null;
        const zones = known.zones | (areaCode?.zones ?? 0);
        if (zones === 0 || start >= end) return NO_CALL_WINDOW;
        const localKey = start * 1441 + end;
        let byZones = placed.get(localKey);
        if (byZones === undefined) {
          byZones = new Map();
          placed.set(localKey, byZones);
        }
        let window = byZones.get(zones);
        if (window === undefined) {
          window = place(reference, loadDate, start, end, zones);
          byZones.set(zones, window);
        }
        if (window === null) return NO_CALL_WINDOW;
        candidate.timezone = window.timezone;
        candidate.window_start_utc = window.window_start_utc;
        candidate.window_end_utc = window.window_end_utc;
        return null;
      };
    },
  };
}

/**
 * The local window [start, end) on `date` in every zone of the mask, as the UTC span common to all;
 * null when they have none. The zone reported is the one whose end binds (the first in zone order on
 * a tie).
 */
function place(reference: ReferenceData, date: string, start: number, end: number, zones: number): PlacedWindow | null {
  let latestStart = Number.NEGATIVE_INFINITY;
  let earliestEnd = Number.POSITIVE_INFINITY;
  let timezone = '';
  reference.zones.forEach((zone, index) => {
    if ((zones & (1 << index)) === 0) return;
    latestStart = Math.max(latestStart, localTimeToUtc(date, start, zone));
    const zoneEnd = localTimeToUtc(date, end, zone);
    if (zoneEnd < earliestEnd) {
      earliestEnd = zoneEnd;
      timezone = zone;
    }
  });
  if (latestStart >= earliestEnd) return null;
  return { timezone, window_start_utc: new Date(latestStart).toISOString(), window_end_utc: new Date(earliestEnd).toISOString() };
}
