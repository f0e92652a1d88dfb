import type {
  CampaignConfig,
  CampaignList,
  CampaignSet,
  Channel,
  Condition,
  ConditionLeaf,
  ContactType,
  SuppressionRule,
} from '../../../domain/campaigns/schema.ts';
import type { ContactFacts, CustomerFacts } from '../../../domain/campaigns/facts.ts';
import type { AppliedSuppression, ConditionExplanation, DroppedContact, SelectedContact } from '../../../domain/campaigns/decision.ts';

/**
 * A deliberately naive reading of SPEC §6 and the issue-3 brief, used as the oracle of the engine's
 * property tests. It interprets the configuration for every customer, re-sorts and re-scans
 * everything each time and never compiles anything: slow and obvious on purpose, and written without
 * the engine's code. Where the brief leaves the form of the output open it follows the engine's
 * documented choices: the origins of cross-set, cross-list and NO_CONTACTABLE_POINT suppressions,
 * dropped contacts in the order they were selected, a record asked for by two outputs selected once.
 * The A/B hash is the engine's choice too, so the reference reports only which test (if any) decides
 * the group; the properties check the groups themselves.
 */

export interface ReferenceAssignment {
  set_name: string;
  list_name: string;
  channel: Channel;
  purpose: CampaignList['purpose'];
  ab_test: string | null;
  suppressions: readonly AppliedSuppression[];
  suppressed: boolean;
  contacts: readonly SelectedContact[];
  dropped: readonly DroppedContact[];
}

export interface ReferenceDecision {
  payoffuid: string;
  account_number: string;
  assignments: readonly ReferenceAssignment[];
}

export function referenceEvaluate(config: CampaignConfig, loadDate: string, customer: CustomerFacts): ReferenceDecision {
  // Step 1 for every set first: cross-set and cross-list exclusions look at the other sets' assignments.
  const assignedListBySet = new Map<string, CampaignList>();
  for (const set of config.sets) {
    const list = assignedList(set, customer, loadDate);
    if (list !== null) assignedListBySet.set(set.name, list);
  }

  const assignments: ReferenceAssignment[] = [];
  for (const set of config.sets) {
    const list = assignedListBySet.get(set.name);
    if (list === undefined) continue;
    const channel = list.channel ?? set.channel;
    const suppressions = customerSuppressions(config, set, list, customer, loadDate, assignedListBySet);
    let contacts: SelectedContact[] = [];
    let dropped: DroppedContact[] = [];
    if (suppressions.length === 0) {
      ({ contacts, dropped } = selectContacts(config, list, channel, customer, loadDate));
      if (contacts.length === 0 && list.contact_required) {
        suppressions.push({ type: 'LIST', reason: 'NO_CONTACTABLE_POINT', origin: 'contact_selection' });
      }
    }
    assignments.push({
      set_name: set.name,
      list_name: list.name,
      channel,
      purpose: list.purpose,
      ab_test: list.ab_test?.name ?? null,
      suppressions,
      suppressed: suppressions.length > 0,
      contacts,
      dropped,
    });
  }
  return { payoffuid: customer.payoffuid, account_number: customer.account_number, assignments };
}

/** The first active list, by ascending priority, whose conditions hold; null when none does. */
export function assignedList(set: CampaignSet, customer: CustomerFacts, loadDate: string): CampaignList | null {
  const byPriority = [...set.lists].sort((a, b) => a.priority - b.priority);
  for (const list of byPriority) {
    if (!listActiveOn(list, loadDate)) continue;
    if (conditionHolds(list.conditions, customer, loadDate)) return list;
  }
  return null;
}

/** `active`, and the load date's weekday among `active_weekdays` when the list names them. */
export function listActiveOn(list: CampaignList, loadDate: string): boolean {
  const weekday = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'][new Date(`${loadDate}T12:00:00Z`).getUTCDay()]!;
  return list.active && (list.active_weekdays === undefined || (list.active_weekdays as string[]).includes(weekday));
}

function customerSuppressions(
  config: CampaignConfig,
  set: CampaignSet,
  list: CampaignList,
  customer: CustomerFacts,
  loadDate: string,
  assignedListBySet: Map<string, CampaignList>,
): AppliedSuppression[] {
  const result: AppliedSuppression[] = [];
  const applyRules = (rules: SuppressionRule[], type: AppliedSuppression['type']) => {
    const suppressedGlobally = result.some((suppression) => suppression.type === 'GLOBAL');
    for (const rule of rules) {
      if (type !== 'GLOBAL' && rule.unless_suppressed_globally && suppressedGlobally) continue;
      if (conditionHolds(rule.conditions, customer, loadDate)) result.push({ type, reason: rule.reason, origin: rule.name });
    }
  };
  const applyFeed = (matches: (entry: CustomerFacts['suppressions'][number]) => boolean, type: AppliedSuppression['type']) => {
    for (const entry of customer.suppressions) {
      if (matches(entry)) result.push({ type, reason: entry.reason, origin: 'suppression_feed' });
    }
  };

  applyRules(config.suppression_rules, 'GLOBAL');
  applyFeed((entry) => entry.scope === 'GLOBAL', 'GLOBAL');
  applyRules(set.suppression_rules, 'SET');
  applyFeed((entry) => entry.scope === 'SET' && sameText(entry.set_name, set.name), 'SET');
  applyRules(list.suppression_rules, 'LIST');
  applyFeed((entry) => entry.scope === 'LIST' && sameText(entry.set_name, set.name) && sameText(entry.list_name, list.name), 'LIST');

  // A custom field that could not be read, named by any condition the set's decisions may read: kept off the set.
  const named = JSON.stringify([config.suppression_rules, set.suppression_rules, set.lists]);
  const unreadable = customer.unreadable_custom_fields.find((field) => named.includes(JSON.stringify({ source: 'custom_field', field }).slice(1, -1)));
  if (unreadable !== undefined) result.push({ type: 'SET', reason: 'UNREADABLE_CUSTOM_FIELD', origin: `custom_field: ${unreadable}` });

  for (const otherSet of set.exclude_if_assigned_in) {
    if (assignedListBySet.has(otherSet)) result.push({ type: 'CROSS_SET', reason: 'CROSS_SET', origin: `exclude_if_assigned_in: ${otherSet}` });
  }
  for (const reference of list.exclude_if_on_lists) {
    const [setName, listName] = resolveListReference(config, reference);
    if (assignedListBySet.get(setName)?.name === listName)
      result.push({ type: 'CROSS_LIST', reason: 'CROSS_LIST', origin: `exclude_if_on_lists: ${setName}/${listName}` });
  }
  return result;
}

/** `SET/LIST`, or a bare list name that exists in exactly one set. */
function resolveListReference(config: CampaignConfig, reference: string): [string, string] {
  for (const set of config.sets) {
    for (const list of set.lists) {
      if (`${set.name}/${list.name}` === reference) return [set.name, list.name];
    }
  }
  const owners = config.sets.filter((set) => set.lists.some((list) => list.name === reference));
  if (owners.length !== 1) throw new Error(`reference: list reference ${reference} is not valid`);
  return [owners[0]!.name, reference];
}

const TYPES_BY_CHANNEL: Record<Channel, ContactType[]> = {
  call: ['mobile', 'home', 'work'],
  sms: ['mobile'],
  email: ['email'],
  mail: ['address'],
};

function selectContacts(
  config: CampaignConfig,
  list: CampaignList,
  channel: Channel,
  customer: CustomerFacts,
  loadDate: string,
): { contacts: SelectedContact[]; dropped: DroppedContact[] } {
  let outputs: CampaignList['contact_rules'][number]['outputs'] = [{ related_party_type: 'customer', contact_type: 'all' }];
  let contactConditions: Condition | undefined;
  if (list.contact_rules.length > 0) {
    outputs = [];
    const rules = [...list.contact_rules].sort((a, b) => a.rule_priority - b.rule_priority);
    for (const rule of rules) {
      if (rule.conditions === undefined || conditionHolds(rule.conditions, customer, loadDate)) {
        outputs = rule.outputs;
        contactConditions = rule.contact_conditions;
        break;
      }
    }
  }

  // A contact record is selected once, by the first output that asks for it.
  const selected: ContactFacts[] = [];
  for (const output of outputs) {
    const parties =
      output.related_party_type === 'reference_customer_all' ? ['reference_customer_parent', 'reference_customer_other'] : [output.related_party_type];
    const types: string[] = output.contact_type === 'all' ? TYPES_BY_CHANNEL[channel] : [output.contact_type];
    const matching = customer.contacts.filter(
      (contact) =>
        parties.includes(contact.related_party_type) &&
        types.includes(contact.contact_type) &&
        !selected.includes(contact) &&
        // contact_conditions read this contact alone: the customer as if it had no other contact.
        (contactConditions === undefined || conditionHolds(contactConditions, { ...customer, contacts: [contact] }, loadDate)),
    );
    // Newest first; Array.prototype.sort is stable, so equal dates keep the facts' order.
    matching.sort((a, b) => (a.created_at < b.created_at ? 1 : a.created_at > b.created_at ? -1 : 0));
    selected.push(...matching);
  }

  // The record of a value that stands, among all of the customer's (not only those selected): the newest;
  // on one date home, then work, then mobile; then the customer's own; then the first in the facts.
  const typeOrder = ['home', 'work', 'mobile', 'email', 'address'];
  const partyOrder = ['customer', 'reference_customer_parent', 'reference_customer_other'];
  const standing = new Map<string, ContactFacts>();
  const byPrecedence = [...customer.contacts].sort(
    (a, b) =>
      (a.created_at === b.created_at ? 0 : a.created_at > b.created_at ? -1 : 1) ||
      typeOrder.indexOf(a.contact_type) - typeOrder.indexOf(b.contact_type) ||
      partyOrder.indexOf(a.related_party_type) - partyOrder.indexOf(b.related_party_type),
  );
  for (const record of byPrecedence) if (!standing.has(record.contact_value)) standing.set(record.contact_value, record);

  // Dropped contacts are listed in the order they were selected, whatever drops them.
  const contacts: SelectedContact[] = [];
  const dropped: DroppedContact[] = [];
  for (const contact of selected) {
    const reason = standing.get(contact.contact_value) === contact ? contactDropReason(config, channel, contact) : 'DUPLICATE';
    if (reason !== null) {
      dropped.push({ related_party_type: contact.related_party_type, contact_type: contact.contact_type, contact_value: contact.contact_value, reason });
      continue;
    }
    contacts.push({
      related_party_type: contact.related_party_type,
      contact_type: contact.contact_type,
      contact_value: contact.contact_value,
      contact_rank: contacts.length + 1,
      timezone: null,
      window_start_utc: null,
      window_end_utc: null,
    });
  }
  return { contacts, dropped };
}

/** The default facts-based filters, in the order the brief lists them. */
function contactDropReason(config: CampaignConfig, channel: Channel, contact: ContactFacts): string | null {
  if (contact.suppression_reason !== null) return contact.suppression_reason;
  if (channel === 'call') {
    if (contact.wrong_number_count_90d >= config.bad_number.wrong_number_count) return 'BAD_NUMBER';
    if (contact.disconnected_count_90d >= config.bad_number.disconnected_count) return 'BAD_NUMBER';
  }
  if (channel === 'sms' && (contact.can_send_sms !== true || contact.opted_out)) return 'NO_SMS_CONSENT';
  if (channel === 'email') {
    if (contact.opted_out) return 'EMAIL_OPT_OUT';
    if (contact.bounced) return 'EMAIL_BOUNCED';
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// Conditions

export function conditionHolds(condition: Condition, customer: CustomerFacts, loadDate: string): boolean {
  if ('all' in condition) return condition.all.every((child) => conditionHolds(child, customer, loadDate));
  if ('any' in condition) return condition.any.some((child) => conditionHolds(child, customer, loadDate));
  if ('not' in condition) return !conditionHolds(condition.not, customer, loadDate);
  if ('any_contact' in condition) return customer.contacts.some((contact) => contactHolds(condition.any_contact, contact, customer, loadDate));
  return leafHolds(condition, customer, loadDate);
}

/** A condition read on one contact: its contact leaves see that contact only. */
function contactHolds(condition: Condition, contact: ContactFacts, customer: CustomerFacts, loadDate: string): boolean {
  return conditionHolds(condition, { ...customer, contacts: [contact] }, loadDate);
}

/** The leaf's value for this customer: one value, or every contact's value for `contact` leaves. */
function leafValues(leaf: ConditionLeaf, customer: CustomerFacts): unknown[] {
  const values = wholeValues(leaf, customer);
  if (leaf.character === undefined) return values;
  const position = leaf.character;
  return values.map((value) => (typeof value === 'string' && value.length >= position ? value.toLowerCase()[position - 1] : null));
}

function wholeValues(leaf: ConditionLeaf, customer: CustomerFacts): unknown[] {
  if (leaf.source === 'customer' && leaf.field === 'payoffuid') return [customer.payoffuid];
  if (leaf.source === 'loan' && leaf.field === 'account_number') return [customer.account_number];
  switch (leaf.source) {
    case 'list_history': {
      const days = (customer as { list_history?: Record<string, number | null> }).list_history?.[leaf.field];
      if (days === undefined) throw new Error(`reference: no list_history.${leaf.field}`);
      return [days];
    }
    case 'loan':
      return [(customer.loan as unknown as Record<string, unknown>)[leaf.field]];
    case 'customer':
      return [(customer.customer as unknown as Record<string, unknown>)[leaf.field]];
    case 'derived':
      return [(customer.derived as unknown as Record<string, unknown>)[leaf.field]];
    case 'custom_field':
      return [customer.custom_fields[leaf.field]];
    case 'contact':
      return customer.contacts.map((contact) => (contact as unknown as Record<string, unknown>)[leaf.field]);
  }
}

type LeafExplanation = Extract<ConditionExplanation, { kind: 'leaf' }>;

/**
 * What `explain` should report for a condition tree: `all` stops at its first false child, `any`
 * at its first true one; what is not evaluated has outcome null. A leaf's actual value is the
 * field's value (absent custom field: null), or every contact's value for a contact leaf.
 */
export function explainCondition(condition: Condition, customer: CustomerFacts, loadDate: string, evaluated = true): ConditionExplanation {
  if ('all' in condition || 'any' in condition) {
    const [kind, children] = 'all' in condition ? (['all', condition.all] as const) : (['any', condition.any] as const);
    const stopOn = kind === 'any';
    let stopped = !evaluated;
    const explained = children.map((child) => {
      const explanation = explainCondition(child, customer, loadDate, !stopped);
      if (explanation.outcome === stopOn) stopped = true;
      return explanation;
    });
    return { kind, outcome: evaluated ? conditionHolds(condition, customer, loadDate) : null, children: explained };
  }
  if ('not' in condition) {
    const child = explainCondition(condition.not, customer, loadDate, evaluated);
    return { kind: 'not', outcome: evaluated ? !child.outcome : null, child };
  }
  if ('any_contact' in condition) {
    const matched = customer.contacts
      .filter((contact) => contactHolds(condition.any_contact, contact, customer, loadDate))
      .map((contact) => contact.contact_value);
    return { kind: 'any_contact', condition: condition.any_contact, outcome: evaluated ? matched.length > 0 : null, matched: evaluated ? matched : undefined };
  }
  const { source, field, operator, value, character } = condition;
  const values = leafValues(condition, customer);
  return {
    kind: 'leaf',
    source,
    field,
    operator,
    value,
    ...(character === undefined ? {} : { character }),
    actual: !evaluated ? undefined : ((source === 'contact' ? values : (values[0] ?? null)) as LeafExplanation['actual']),
    outcome: evaluated ? leafHolds(condition, customer, loadDate) : null,
  };
}

function leafHolds(leaf: ConditionLeaf, customer: CustomerFacts, loadDate: string): boolean {
  // A single-valued source has one candidate; a contact leaf holds when any contact satisfies it.
  return leafValues(leaf, customer).some((value) => valueSatisfies(leaf, value, loadDate));
}

function valueSatisfies(leaf: ConditionLeaf, actual: unknown, loadDate: string): boolean {
  const isMissing = actual === null || actual === undefined;
  if (leaf.operator === 'is_null') return isMissing;
  if (leaf.operator === 'is_not_null') return !isMissing;
  if (isMissing) return false;
  const expected = leaf.value;
  switch (leaf.operator) {
    case '=':
      return actual === expected;
    case '!=':
      return actual !== expected;
    case '>':
      return (actual as number | string) > (expected as number | string);
    case '>=':
      return (actual as number | string) >= (expected as number | string);
    case '<':
      return (actual as number | string) < (expected as number | string);
    case '<=':
      return (actual as number | string) <= (expected as number | string);
    case 'in':
      return (expected as unknown[]).includes(actual);
    case 'not_in':
      return !(expected as unknown[]).includes(actual);
    case 'between': {
      const [low, high] = expected as [number | string, number | string];
      return (actual as number | string) >= low && (actual as number | string) <= high;
    }
    case 'like':
      return likeMatches(actual as string, expected as string);
    case 'days_since >':
      return daysBetween(actual as string, loadDate) > (expected as number);
    case 'days_since <':
      return daysBetween(actual as string, loadDate) < (expected as number);
  }
}

/** SQL LIKE by dynamic programming over characters: no regular expressions involved. */
function likeMatches(text: string, pattern: string): boolean {
  const t = [...text];
  const p = [...pattern];
  // matches[i][j]: the first i pattern characters match the first j text characters.
  const matches: boolean[][] = Array.from({ length: p.length + 1 }, () => new Array<boolean>(t.length + 1).fill(false));
  matches[0]![0] = true;
  for (let i = 1; i <= p.length; i++) {
    for (let j = 0; j <= t.length; j++) {
      const token = p[i - 1];
      if (token === '%') matches[i]![j] = matches[i - 1]![j]! || (j > 0 && matches[i]![j - 1]!);
      else if (j > 0) matches[i]![j] = matches[i - 1]![j - 1]! && (token === '_' || token === t[j - 1]);
    }
  }
  return matches[p.length]![t.length]!;
}

/** Whole days from `from` to `to` (ISO dates), counted on the calendar: time zones play no part. */
function daysBetween(from: string, to: string): number {
  const epochDay = (iso: string) => {
    const [year, month, day] = iso.split('-').map(Number) as [number, number, number];
    return Date.UTC(year, month - 1, day) / 86_400_000;
  };
  return epochDay(to) - epochDay(from);
}

/** Names in the suppression feed compare case-insensitively. */
function sameText(a: string | null, b: string): boolean {
  return a !== null && a.toUpperCase() === b.toUpperCase();
}
