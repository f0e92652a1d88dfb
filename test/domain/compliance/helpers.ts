import { readReferenceData, readRuleTable } from '../../../config/compliance/data.ts';
import type { CandidateContact, ListContext } from '../../../domain/campaigns/decision.ts';
import type { ContactFacts } from '../../../domain/campaigns/facts.ts';
import type { Channel, Purpose } from '../../../domain/campaigns/schema.ts';
import { complianceContactFilters } from '../../../domain/compliance/filters.ts';
import type { RuleTable } from '../../../domain/compliance/rule-table.ts';
import { buildConfig, contact, customerFacts, type CustomerPatch } from '../campaigns/fixtures.ts';

/** The shipped rule table and reference data, and a way to run the compliance checks on one contact. */

export const shippedRules = readRuleTable();
export const reference = readReferenceData();

const config = buildConfig({
  version: 'compliance-test',
  sets: [
    {
      name: 'S',
      channel: 'call',
      lists: [{ name: 'L', priority: 1, purpose: 'collections', conditions: { source: 'loan', field: 'days_past_due', operator: 'is_not_null' } }],
    },
  ],
});

export interface CheckResult {
  reason: string | null;
  timezone: string | null;
  window_start_utc: string | null;
  window_end_utc: string | null;
}

export interface Scenario {
  loadDate: string;
  channel: Channel;
  purpose: Purpose;
  customer?: CustomerPatch;
  /** The contact checked; it is also one of the customer's contacts unless `contacts` says otherwise. */
  contact: Partial<ContactFacts>;
  /** The customer's other contacts. */
  others?: Partial<ContactFacts>[];
  rules?: RuleTable;
}

/** Runs the compliance checks of a list (frequency caps, then the window) on one contact, as the engine does. */
export function runChecks(scenario: Scenario): CheckResult {
  const checked = contact(scenario.contact);
  const customer = customerFacts({ ...scenario.customer, contacts: [checked, ...(scenario.others ?? []).map((fields) => contact(fields))] });
  const list: ListContext = { set_name: 'S', list_name: 'L', channel: scenario.channel, purpose: scenario.purpose };
  const candidate: CandidateContact = { facts: checked, timezone: null, window_start_utc: null, window_end_utc: null };
  for (const filter of complianceContactFilters(scenario.rules ?? shippedRules, reference)) {
    const check = filter.forList(list, { loadDate: scenario.loadDate, config });
    const reason = check === null ? null : check(candidate, customer);
    if (reason !== null) return { reason, timezone: null, window_start_utc: null, window_end_utc: null };
  }
  const { timezone, window_start_utc, window_end_utc } = candidate;
  return { reason: null, timezone, window_start_utc, window_end_utc };
}

/**
 * The account's budget of the day (`calls_allowed_today`) as the engine computes it for a list: over the
 * customer (the scenario's contacts are its contacts) and the contacts it keeps, `contact` first.
 */
export function runBudget(scenario: Scenario, keptContacts: 'all' | 'none' = 'all'): number | null {
  const checked = contact(scenario.contact);
  const others = (scenario.others ?? []).map((fields) => contact(fields));
  const customer = customerFacts({ ...scenario.customer, contacts: [checked, ...others] });
  const list: ListContext = { set_name: 'S', list_name: 'L', channel: scenario.channel, purpose: scenario.purpose };
  const budgets = complianceContactFilters(scenario.rules ?? shippedRules, reference).flatMap(
    (filter) => filter.budgetForList?.(list, { loadDate: scenario.loadDate, config }) ?? [],
  );
  if (budgets.length > 1) throw new Error('one filter is expected to count the caps');
  return budgets[0]?.(customer, keptContacts === 'all' ? customer.contacts : []) ?? null;
}

/** A kept contact's window, for compact expectations. */
export function kept(timezone: string, start: string, end: string): CheckResult {
  return { reason: null, timezone, window_start_utc: start, window_end_utc: end };
}

export function dropped(reason: string): CheckResult {
  return { reason, timezone: null, window_start_utc: null, window_end_utc: null };
}
