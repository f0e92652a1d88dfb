import { abGroup } from './ab-test.ts';
import { compileCondition, type CompileContext, type CompiledCondition, type LeafTrace } from './condition-compiler.ts';
import { FACT_CONTACT_FILTERS } from './contact-filters.ts';
import type {
  AppliedSuppression, CandidateContact, ContactCheck, ContactFilter, CustomerDecision, CustomerExplanation,
  DroppedContact, ListAssignment, ListContext, SelectedContact, SuppressionType,
} from './decision.ts';
import { explainCustomer } from './explanation.ts';
import type { ContactFacts, CustomerFacts, FieldValue } from './facts.ts';
import { fieldRegistry } from './fields.ts';
import { resolveListReference } from './references.ts';
import type {
  CampaignConfig, CampaignList, CampaignSet, Channel, ContactOutput, ContactType, RelatedPartyType, SuppressionRule,
} from './schema.ts';

/**
 * The campaign engine: the configuration compiled once per process into closures over generated
 * condition functions (§6). `evaluate` and `explain` run the same code; `explain` passes a trace.
 */
export interface CampaignEngine {
  readonly config: CampaignConfig;
  readonly loadDate: string;
  readonly sets: readonly CompiledSet[];
  readonly globalRules: readonly CompiledRule[];
  evaluate(customer: CustomerFacts): CustomerDecision;
  explain(customer: CustomerFacts): CustomerExplanation;
}

export interface CompileOptions {
  /** ISO load date: `days_since` and the filters are relative to it. */
  loadDate: string;
  /** Drop filters run after de-duplication, in order. Defaults to the facts-based filters of §6.3. */
  contactFilters?: readonly ContactFilter[];
}

export interface CompiledRule {
  readonly name: string;
  readonly reason: string;
  readonly level: SuppressionType;
  readonly condition: CompiledCondition;
}

export interface CompiledContactRule {
  readonly rulePriority: number;
  readonly condition: CompiledCondition;
  readonly outputs: readonly CompiledOutput[];
}

interface CompiledOutput {
  readonly parties: ReadonlySet<RelatedPartyType>;
  readonly types: ReadonlySet<ContactType>;
}

export interface CompiledList {
  readonly definition: CampaignList;
  readonly context: ListContext;
  readonly setIndex: number;
  readonly condition: CompiledCondition;
  readonly suppressionRules: readonly CompiledRule[];
  /** Lists named in `exclude_if_on_lists`, resolved after every list is compiled. */
  crossLists: readonly CompiledList[];
  readonly contactRules: readonly CompiledContactRule[];
  /** The outputs used when the list has no contact rules at all. */
  readonly defaultOutputs: readonly CompiledOutput[] | null;
  readonly checks: readonly ContactCheck[];
}

export interface CompiledSet {
  readonly definition: CampaignSet;
  readonly index: number;
  /** Every list, in priority order; inactive ones are never tried. */
  readonly lists: readonly CompiledList[];
  readonly activeLists: readonly CompiledList[];
  readonly suppressionRules: readonly CompiledRule[];
  /** Indexes of the sets named in `exclude_if_assigned_in`. */
  readonly crossSets: readonly number[];
}

/** What an evaluation records when explaining: each leaf's value and outcome, each rule's outcome. */
export class EvaluationTrace implements LeafTrace {
  readonly leaves = new Map<number, { actual: FieldValue | FieldValue[] | undefined; outcome: boolean }>();
  readonly rules = new Map<CompiledList | CompiledRule | CompiledContactRule, boolean>();

  leaf(id: number, actual: FieldValue | FieldValue[] | undefined, outcome: boolean): void {
    this.leaves.set(id, { actual, outcome });
  }
}

const CHANNEL_CONTACT_TYPES: Record<Channel, readonly ContactType[]> = {
  call: ['mobile', 'home', 'work'],
  sms: ['mobile'],
  email: ['email'],
};
const REFERENCE_PARTIES: readonly RelatedPartyType[] = ['reference_customer_parent', 'reference_customer_other'];

export function compileCampaigns(config: CampaignConfig, options: CompileOptions): CampaignEngine {
  const registry = fieldRegistry(config.custom_fields);
  let leafIds = 0;
  const context: CompileContext = { registry, loadDate: options.loadDate, nextLeafId: () => leafIds++ };
  const filters = options.contactFilters ?? FACT_CONTACT_FILTERS;
  const rules = (definitions: readonly SuppressionRule[], level: SuppressionType): CompiledRule[] =>
    definitions.map((rule) => ({ name: rule.name, reason: rule.reason, level, condition: compileCondition(rule.conditions, context) }));

  const globalRules = rules(config.suppression_rules, 'GLOBAL');
  const sets: CompiledSet[] = config.sets.map((set, setIndex) => {
    const lists = [...set.lists]
      .sort((a, b) => a.priority - b.priority)
      .map((list) => compileList(list, set, setIndex));
    return {
      definition: set,
      index: setIndex,
      lists,
      activeLists: lists.filter((list) => list.definition.active),
      suppressionRules: rules(set.suppression_rules, 'SET'),
      crossSets: set.exclude_if_assigned_in.map((name) => config.sets.findIndex((other) => other.name === name)),
    };
  });
  for (const set of sets) {
    for (const list of set.lists) {
      list.crossLists = list.definition.exclude_if_on_lists.map((reference) => {
        const resolved = resolveListReference(config, reference);
        if (!resolved.ok) throw new Error(`${set.definition.name}/${list.definition.name}: ${resolved.problem}`);
        return sets[resolved.setIndex]!.lists.find((other) => other.definition === config.sets[resolved.setIndex]!.lists[resolved.listIndex])!;
      });
    }
  }

  function compileList(list: CampaignList, set: CampaignSet, setIndex: number): CompiledList {
    const listContext: ListContext = { set_name: set.name, list_name: list.name, channel: list.channel ?? set.channel, purpose: list.purpose };
    const channelTypes = CHANNEL_CONTACT_TYPES[listContext.channel];
    const output = ({ related_party_type: party, contact_type: type }: ContactOutput): CompiledOutput => ({
      parties: new Set(party === 'reference_customer_all' ? REFERENCE_PARTIES : [party]),
      types: new Set(type === 'all' ? channelTypes : channelTypes.filter((channelType) => channelType === type)),
    });
    return {
      definition: list,
      context: listContext,
      setIndex,
      condition: compileCondition(list.conditions, context),
      suppressionRules: rules(list.suppression_rules, 'LIST'),
      crossLists: [],
      contactRules: [...list.contact_rules]
        .sort((a, b) => a.rule_priority - b.rule_priority)
        .map((rule) => ({ rulePriority: rule.rule_priority, condition: compileCondition(rule.conditions, context), outputs: rule.outputs.map(output) })),
      defaultOutputs: list.contact_rules.length === 0 ? [output({ related_party_type: 'customer', contact_type: 'all' })] : null,
      checks: filters.flatMap((filter) => filter.forList(listContext, { loadDate: options.loadDate, config }) ?? []),
    };
  }

  function run(customer: CustomerFacts, trace: EvaluationTrace | null): CustomerDecision {
    const assigned: (CompiledList | null)[] = new Array(sets.length);
    for (const set of sets) {
      let chosen: CompiledList | null = null;
      for (const list of set.activeLists) {
        const holds = list.condition.test(customer, trace);
        trace?.rules.set(list, holds);
        if (holds) {
          chosen = list;
          break;
        }
      }
      assigned[set.index] = chosen;
    }
    const assignments: ListAssignment[] = [];
    let globalSuppressions: AppliedSuppression[] | null = null;
    for (const set of sets) {
      const list = assigned[set.index];
      if (!list) continue;
      if (globalSuppressions === null) {
        globalSuppressions = [];
        addSuppressions(globalSuppressions, globalRules, 'GLOBAL', customer, trace, (entry) => entry.scope === 'GLOBAL');
      }
      const suppressions = globalSuppressions.slice();
      addSuppressions(suppressions, set.suppressionRules, 'SET', customer, trace,
        (entry) => entry.scope === 'SET' && entry.set_name === set.definition.name);
      addSuppressions(suppressions, list.suppressionRules, 'LIST', customer, trace,
        (entry) => entry.scope === 'LIST' && entry.set_name === set.definition.name && entry.list_name === list.definition.name);
      for (const other of set.crossSets) {
        if (assigned[other]) suppressions.push({ type: 'CROSS_SET', reason: 'CROSS_SET', origin: `exclude_if_assigned_in: ${sets[other]!.definition.name}` });
      }
      for (const other of list.crossLists) {
        if (assigned[other.setIndex] === other) {
          suppressions.push({ type: 'CROSS_LIST', reason: 'CROSS_LIST', origin: `exclude_if_on_lists: ${other.context.set_name}/${other.context.list_name}` });
        }
      }
      const selection = suppressions.length === 0 ? selectContacts(list, customer, trace) : NO_SELECTION;
      if (suppressions.length === 0 && selection.contacts.length === 0 && list.definition.contact_required) {
        suppressions.push({ type: 'LIST', reason: 'NO_CONTACTABLE_POINT', origin: 'contact_selection' });
      }
      const suppressed = suppressions.length > 0;
      const test = list.definition.ab_test;
      assignments.push({
        ...list.context,
        ab_group: test ? abGroup(customer.payoffuid, test.name, test.split) : null,
        suppressions,
        suppressed,
        contacts: suppressed ? [] : selection.contacts,
        dropped: selection.dropped,
      });
    }
    return { payoffuid: customer.payoffuid, account_number: customer.account_number, assignments };
  }

  return {
    config,
    loadDate: options.loadDate,
    sets,
    globalRules,
    evaluate: (customer) => run(customer, null),
    explain: (customer) => {
      const trace = new EvaluationTrace();
      return explainCustomer({ sets, globalRules }, run(customer, trace), trace);
    },
  };
}

const NO_SELECTION = { contacts: [] as SelectedContact[], dropped: [] as DroppedContact[] };

/** Appends every rule of one level that holds, then the suppression-feed entries of that level. */
function addSuppressions(
  applied: AppliedSuppression[],
  rules: readonly CompiledRule[],
  level: SuppressionType,
  customer: CustomerFacts,
  trace: EvaluationTrace | null,
  feedEntryApplies: (entry: CustomerFacts['suppressions'][number]) => boolean,
): void {
  for (const rule of rules) {
    const holds = rule.condition.test(customer, trace);
    trace?.rules.set(rule, holds);
    if (holds) applied.push({ type: level, reason: rule.reason, origin: rule.name });
  }
  for (const entry of customer.suppressions) {
    if (feedEntryApplies(entry)) applied.push({ type: level, reason: entry.reason, origin: 'suppression_feed' });
  }
}

/** §6.3: the first contact rule that holds picks contacts in rank order; duplicates and the filters drop some. */
function selectContacts(list: CompiledList, customer: CustomerFacts, trace: EvaluationTrace | null): { contacts: SelectedContact[]; dropped: DroppedContact[] } {
  let outputs = list.defaultOutputs;
  for (const rule of list.contactRules) {
    const holds = rule.condition.test(customer, trace);
    trace?.rules.set(rule, holds);
    if (holds) {
      outputs = rule.outputs;
      break;
    }
  }
  const contacts: SelectedContact[] = [];
  const dropped: DroppedContact[] = [];
  if (outputs === null) return { contacts, dropped };

  const chosen: ContactFacts[] = [];
  for (const output of outputs) {
    const start = chosen.length;
    for (const contact of customer.contacts) {
      if (output.parties.has(contact.related_party_type) && output.types.has(contact.contact_type) && !chosen.includes(contact)) {
        chosen.push(contact);
      }
    }
    sortNewestFirst(chosen, start);
  }
  for (const contact of chosen) {
    if (isSupersededDuplicate(contact, chosen)) {
      dropped.push(droppedContact(contact, 'DUPLICATE'));
      continue;
    }
    const candidate: CandidateContact = { facts: contact, timezone: null, window_start_utc: null, window_end_utc: null };
    let reason: string | null = null;
    for (const check of list.checks) {
      reason = check(candidate, customer);
      if (reason !== null) break;
    }
    if (reason !== null) {
      dropped.push(droppedContact(contact, reason));
      continue;
    }
    contacts.push({
      related_party_type: contact.related_party_type,
      contact_type: contact.contact_type,
      contact_value: contact.contact_value,
      contact_rank: contacts.length + 1,
      timezone: candidate.timezone,
      window_start_utc: candidate.window_start_utc,
      window_end_utc: candidate.window_end_utc,
    });
  }
  return { contacts, dropped };
}

/** Stable insertion sort of `contacts[start..]` by `created_at`, newest first (a handful of contacts). */
function sortNewestFirst(contacts: ContactFacts[], start: number): void {
  for (let i = start + 1; i < contacts.length; i++) {
    const contact = contacts[i]!;
    let j = i - 1;
    while (j >= start && contacts[j]!.created_at < contact.created_at) {
      contacts[j + 1] = contacts[j]!;
      j--;
    }
    contacts[j + 1] = contact;
  }
}

/** Same customer + value: the newest record is kept; on equal dates, the first selected. */
function isSupersededDuplicate(contact: ContactFacts, chosen: readonly ContactFacts[]): boolean {
  const position = chosen.indexOf(contact);
  for (let i = 0; i < chosen.length; i++) {
    const other = chosen[i]!;
    if (i === position || other.contact_value !== contact.contact_value) continue;
    if (other.created_at > contact.created_at || (other.created_at === contact.created_at && i < position)) return true;
  }
  return false;
}

function droppedContact(contact: ContactFacts, reason: string): DroppedContact {
  return { related_party_type: contact.related_party_type, contact_type: contact.contact_type, contact_value: contact.contact_value, reason };
}
