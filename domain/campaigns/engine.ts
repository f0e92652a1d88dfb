import { abTest } from './ab-test.ts';
import {
  compileCondition,
  compileContactCondition,
  compileFirstMatch,
  type CompileContext,
  type CompiledCondition,
  type ConditionShape,
  type ContactTest,
  type FirstMatch,
  type LeafTrace,
} from './condition-compiler.ts';
import { conditionLeaves } from './condition-tree.ts';
import { FACT_CONTACT_FILTERS } from './contact-filters.ts';
import { isListActiveOn } from './list-activity.ts';
import type {
  AccountBudget,
  AppliedSuppression,
  CandidateContact,
  ContactCheck,
  ContactFilter,
  CustomerDecision,
  CustomerExplanation,
  DroppedContact,
  ListAssignment,
  ListContext,
  SelectedContact,
  SuppressionType,
} from './decision.ts';
import { explainCustomer } from './explanation.ts';
import type { ContactFacts, CustomerFacts, FieldValue } from './facts.ts';
import { fieldRegistry } from './fields.ts';
import { resolveListReference } from './references.ts';
import {
  CHANNEL_CONTACT_TYPES,
  CONTACT_TYPES,
  RELATED_PARTY_TYPES,
  type CampaignConfig,
  type CampaignList,
  type CampaignSet,
  type Condition,
  type ContactOutput,
  type ContactRule,
  type RelatedPartyType,
  type SuppressionRule,
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
  readonly definition: SuppressionRule;
  readonly name: string;
  readonly level: SuppressionType;
  readonly condition: CompiledCondition;
  /** What the rule records when it holds (shared by every customer it suppresses). */
  readonly suppression: AppliedSuppression;
}

export interface CompiledContactRule {
  readonly definition: ContactRule;
  readonly rulePriority: number;
  readonly condition: CompiledCondition;
  readonly ranks: OutputRanks;
  /** The rule's `contact_conditions`, which every contact it takes must meet; null when it has none. */
  readonly takes: ContactTest | null;
}

/**
 * The rule's outputs as a table: for each (related party, contact type) of a contact, the position
 * of the first output that takes it, or -1. One look-up per contact replaces a scan of the outputs.
 */
type OutputRanks = Int8Array;

export interface CompiledList {
  readonly definition: CampaignList;
  readonly context: ListContext;
  readonly setIndex: number;
  /** The shape of the list's conditions as compiled into its set's first-match function; null when inactive. */
  readonly shape: ConditionShape | null;
  readonly suppressionRules: readonly CompiledRule[];
  /** Lists named in `exclude_if_on_lists` with what each records, resolved after every list is compiled. */
  crossLists: readonly { list: CompiledList; suppression: AppliedSuppression }[];
  readonly contactRules: readonly CompiledContactRule[];
  /** The outputs used when the list has no contact rules at all. */
  readonly defaultRanks: OutputRanks | null;
  readonly checks: readonly ContactCheck[];
  /** What the filters' caps leave the account today (`calls_allowed_today`); null when no filter caps the list. */
  readonly budget: AccountBudget | null;
  readonly abGroup: ((payoffuid: string) => 'A' | 'B') | null;
}

export interface CompiledSet {
  readonly definition: CampaignSet;
  readonly index: number;
  /** Every list, in priority order; inactive ones are never tried. */
  readonly lists: readonly CompiledList[];
  readonly activeLists: readonly CompiledList[];
  /** The position in `activeLists` of the first list whose conditions hold, or -1. */
  readonly firstMatch: FirstMatch;
  readonly suppressionRules: readonly CompiledRule[];
  /** Sets named in `exclude_if_assigned_in`, with what each records. */
  readonly crossSets: readonly { setIndex: number; suppression: AppliedSuppression }[];
  /** The custom fields a decision in this set may read: its lists' and suppression rules' conditions and the global rules'. */
  readonly customFieldsRead: ReadonlySet<string>;
}

/** What an evaluation records when explaining: each leaf's value and outcome, each rule's outcome. */
export class EvaluationTrace implements LeafTrace {
  readonly leaves = new Map<number, { actual: FieldValue | FieldValue[] | undefined; outcome: boolean }>();
  /** Outcomes of whole conditions, keyed by the configuration object they belong to (list, suppression rule, contact rule). */
  readonly rules = new Map<object, boolean>();

  leaf(id: number, actual: FieldValue | FieldValue[] | undefined, outcome: boolean): void {
    this.leaves.set(id, { actual, outcome });
  }

  rule(key: object, outcome: boolean): void {
    this.rules.set(key, outcome);
  }
}

const REFERENCE_PARTIES: readonly RelatedPartyType[] = ['reference_customer_parent', 'reference_customer_other'];

export function compileCampaigns(config: CampaignConfig, options: CompileOptions): CampaignEngine {
  const registry = fieldRegistry(config.custom_fields, config.list_history);
  let leafIds = 0;
  const context: CompileContext = { registry, loadDate: options.loadDate, nextLeafId: () => leafIds++ };
  const filters = options.contactFilters ?? FACT_CONTACT_FILTERS;
  const rules = (definitions: readonly SuppressionRule[], level: SuppressionType): CompiledRule[] =>
    definitions.map((rule) => ({
      definition: rule,
      name: rule.name,
      level,
      condition: compileCondition(rule.conditions, context, rule),
      suppression: { type: level, reason: rule.reason, origin: rule.name },
    }));

  const globalRules = rules(config.suppression_rules, 'GLOBAL');
  const sets: CompiledSet[] = config.sets.map((set, setIndex) => {
    const byPriority = [...set.lists].sort((a, b) => a.priority - b.priority);
    const active = byPriority.filter((list) => isListActiveOn(list, options.loadDate));
    const { test: firstMatch, shapes } = compileFirstMatch(
      active.map((list) => ({ condition: list.conditions, key: list })),
      context,
    );
    const lists = byPriority.map((list) => compileList(list, set, setIndex, active.includes(list) ? shapes[active.indexOf(list)]! : null));
    return {
      definition: set,
      index: setIndex,
      lists,
      activeLists: lists.filter((list) => list.shape !== null),
      firstMatch,
      suppressionRules: rules(set.suppression_rules, 'SET'),
      crossSets: set.exclude_if_assigned_in.map((name) => ({
        setIndex: config.sets.findIndex((other) => other.name === name),
        suppression: { type: 'CROSS_SET', reason: 'CROSS_SET', origin: `exclude_if_assigned_in: ${name}` },
      })),
      customFieldsRead: customFieldsReadBy([
        ...config.suppression_rules.map((rule) => rule.conditions),
        ...set.suppression_rules.map((rule) => rule.conditions),
        ...set.lists.flatMap((list) => [
          list.conditions,
          ...list.suppression_rules.map((rule) => rule.conditions),
          ...list.contact_rules.flatMap((rule) => [rule.conditions, rule.contact_conditions]),
        ]),
      ]),
    };
  });
  for (const set of sets) {
    for (const list of set.lists) {
      list.crossLists = list.definition.exclude_if_on_lists.map((reference) => {
        const resolved = resolveListReference(config, reference);
        if (!resolved.ok) throw new Error(`${set.definition.name}/${list.definition.name}: ${resolved.problem}`);
        const target = sets[resolved.setIndex]!.lists.find((other) => other.definition === config.sets[resolved.setIndex]!.lists[resolved.listIndex])!;
        const origin = `exclude_if_on_lists: ${target.context.set_name}/${target.context.list_name}`;
        return { list: target, suppression: { type: 'CROSS_LIST', reason: 'CROSS_LIST', origin } };
      });
    }
  }

  function compileList(list: CampaignList, set: CampaignSet, setIndex: number, shape: ConditionShape | null): CompiledList {
    const listContext: ListContext = { set_name: set.name, list_name: list.name, channel: list.channel ?? set.channel, purpose: list.purpose };
    const channelTypes = CHANNEL_CONTACT_TYPES[listContext.channel];
    const ranks = (outputs: readonly ContactOutput[]): OutputRanks => {
      const table = new Int8Array(RELATED_PARTY_TYPES.length * CONTACT_TYPES.length).fill(-1);
      outputs.forEach(({ related_party_type: party, contact_type: type }, position) => {
        for (const related of party === 'reference_customer_all' ? REFERENCE_PARTIES : [party]) {
          for (const contactType of type === 'all' ? channelTypes : channelTypes.filter((channelType) => channelType === type)) {
            const key = contactKey(related, contactType);
            if (table[key] === -1) table[key] = position;
          }
        }
      });
      return table;
    };
    return {
      definition: list,
      context: listContext,
      setIndex,
      shape,
      suppressionRules: rules(list.suppression_rules, 'LIST'),
      crossLists: [],
      contactRules: [...list.contact_rules]
        .sort((a, b) => a.rule_priority - b.rule_priority)
        .map((rule) => ({
          definition: rule,
          rulePriority: rule.rule_priority,
          condition: compileCondition(rule.conditions, context, rule),
          ranks: ranks(rule.outputs),
          takes: rule.contact_conditions === undefined ? null : compileContactCondition(rule.contact_conditions, context),
        })),
      defaultRanks: list.contact_rules.length === 0 ? ranks([{ related_party_type: 'customer', contact_type: 'all' }]) : null,
      checks: filters.flatMap((filter) => filter.forList(listContext, { loadDate: options.loadDate, config }) ?? []),
      budget: leastBudget(filters.flatMap((filter) => filter.budgetForList?.(listContext, { loadDate: options.loadDate, config }) ?? [])),
      abGroup: list.ab_test ? abTest(list.ab_test.name, list.ab_test.split) : null,
    };
  }

  // Scratch state of the evaluation in progress, owned by this engine (no module-level state is shared between
  // engines): evaluations are synchronous and never nested, so one engine's evaluations never interleave.
  const assigned: (CompiledList | null)[] = sets.map(() => null);
  let globalSuppressions: readonly AppliedSuppression[] | null = null;
  /** The drops of the last `selectContacts` call (its second result, kept out of a wrapper object). */
  let droppedContacts: readonly DroppedContact[] = EMPTY;
  /** The facts of the contacts the last `selectContacts` call kept, for the account's budget (scratch, reused). */
  const keptFacts: ContactFacts[] = [];
  /** The contacts chosen by the rule's outputs, before de-duplication and filters, and their output positions (scratch, reused). */
  const chosen: ContactFacts[] = [];
  const chosenRanks: number[] = [];
  /** The contact under the checks (scratch, reused: checks must not keep it). */
  const candidate: CandidateContact = {
    facts: undefined as unknown as ContactFacts,
    timezone: null,
    window_start_utc: null,
    window_end_utc: null,
  };

  function run(customer: CustomerFacts, trace: EvaluationTrace | null): CustomerDecision {
    for (const set of sets) {
      const position = set.firstMatch(customer, trace);
      assigned[set.index] = position < 0 ? null : set.activeLists[position]!;
    }
    globalSuppressions = null;
    const assignments: ListAssignment[] = [];
    for (const set of sets) {
      const list = assigned[set.index];
      if (list) assignments.push(assign(customer, set, list, trace));
    }
    return { payoffuid: customer.payoffuid, account_number: customer.account_number, assignments };
  }

  function assign(customer: CustomerFacts, set: CompiledSet, list: CompiledList, trace: EvaluationTrace | null): ListAssignment {
    globalSuppressions ??= applicable(globalRules, customer, trace, null, null, EMPTY, false);
    const globallySuppressed = globalSuppressions.length > 0;
    let suppressions = applicable(set.suppressionRules, customer, trace, list.context.set_name, null, globalSuppressions, globallySuppressed);
    suppressions = applicable(list.suppressionRules, customer, trace, list.context.set_name, list.context.list_name, suppressions, globallySuppressed);
    const unreadable = unreadableFieldRead(customer, set.customFieldsRead);
    if (unreadable !== null) suppressions = [...suppressions, { type: 'SET', reason: UNREADABLE_CUSTOM_FIELD, origin: `custom_field: ${unreadable}` }];
    for (const cross of set.crossSets) {
      if (assigned[cross.setIndex] !== null) suppressions = [...suppressions, cross.suppression];
    }
    for (const cross of list.crossLists) {
      if (assigned[cross.list.setIndex] === cross.list) suppressions = [...suppressions, cross.suppression];
    }
    let contacts: readonly SelectedContact[] = EMPTY;
    let dropped: readonly DroppedContact[] = EMPTY;
    keptFacts.length = 0;
    if (suppressions.length === 0) {
      contacts = selectContacts(list, customer, trace);
      dropped = droppedContacts;
      if (contacts.length === 0 && list.definition.contact_required) suppressions = [NO_CONTACTABLE_POINT];
    }
    const { set_name, list_name, channel, purpose } = list.context;
    return {
      set_name,
      list_name,
      channel,
      purpose,
      ab_group: list.abGroup === null ? null : list.abGroup(customer.payoffuid),
      suppressions,
      suppressed: suppressions.length > 0,
      contacts,
      dropped,
      calls_allowed_today: list.budget === null ? null : list.budget(customer, keptFacts),
    };
  }

  /**
   * §6.3: the first contact rule that holds picks contacts in rank order, those that meet its
   * `contact_conditions`; duplicates and the filters drop some. Returns the contacts kept; the drops are left in `droppedContacts`, the kept facts in `keptFacts`.
   */
  function selectContacts(list: CompiledList, customer: CustomerFacts, trace: EvaluationTrace | null): readonly SelectedContact[] {
    let ranks = list.defaultRanks;
    let takes: ContactTest | null = null;
    for (const rule of list.contactRules) {
      if (rule.condition.test(customer, trace)) {
        ranks = rule.ranks;
        takes = rule.takes;
        break;
      }
    }
    droppedContacts = EMPTY;
    if (ranks === null) return EMPTY;

    // Insertion by (output position, newest created_at first), stable: a handful of contacts.
    let count = 0;
    for (const contact of customer.contacts) {
      const rank = ranks[contactKey(contact.related_party_type, contact.contact_type)]!;
      if (rank < 0 || (takes !== null && !takes(contact))) continue;
      let at = count++;
      while (at > 0 && (chosenRanks[at - 1]! > rank || (chosenRanks[at - 1] === rank && chosen[at - 1]!.created_at < contact.created_at))) {
        chosen[at] = chosen[at - 1]!;
        chosenRanks[at] = chosenRanks[at - 1]!;
        at--;
      }
      chosen[at] = contact;
      chosenRanks[at] = rank;
    }
    const contacts: SelectedContact[] = [];
    let dropped: DroppedContact[] | null = null;
    for (let index = 0; index < count; index++) {
      const contact = chosen[index]!;
      let reason: string | null = isSupersededDuplicate(contact, customer.contacts) ? 'DUPLICATE' : null;
      if (reason === null) {
        candidate.facts = contact;
        candidate.timezone = candidate.window_start_utc = candidate.window_end_utc = null;
        for (const check of list.checks) {
          reason = check(candidate, customer);
          if (reason !== null) break;
        }
      }
      if (reason !== null) {
        dropped ??= [];
        dropped.push({ related_party_type: contact.related_party_type, contact_type: contact.contact_type, contact_value: contact.contact_value, reason });
        continue;
      }
      keptFacts.push(contact);
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
    if (dropped !== null) droppedContacts = dropped;
    return contacts;
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

/** Shared by every result that has nothing to report; results are never mutated. */
const EMPTY: readonly never[] = Object.freeze([]);

/**
 * A customer whose custom field could not be read (docs/customer-facts.md: ill-typed or a broken record) is
 * kept off every set whose decisions may read that field: its rules saw null, which may have let the customer
 * through (fail closed).
 */
export const UNREADABLE_CUSTOM_FIELD = 'UNREADABLE_CUSTOM_FIELD';

function unreadableFieldRead(customer: CustomerFacts, read: ReadonlySet<string>): string | null {
  for (const name of customer.unreadable_custom_fields) if (read.has(name)) return name;
  return null;
}

/** The custom fields named by leaves of the conditions. */
function customFieldsReadBy(conditions: readonly (Condition | undefined)[]): ReadonlySet<string> {
  return new Set(
    conditions
      .flatMap(conditionLeaves)
      .filter((leaf) => leaf.source === 'custom_field')
      .map((leaf) => leaf.field),
  );
}

/** A suppression entry names a set or list case-insensitively (§3.2 ids; a feed's "Collections" is the set "collections"). */
function sameName(entry: string | null, name: string): boolean {
  return entry !== null && entry.toLowerCase() === name.toLowerCase();
}
const NO_CONTACTABLE_POINT: AppliedSuppression = { type: 'LIST', reason: 'NO_CONTACTABLE_POINT', origin: 'contact_selection' };

/**
 * `applied` followed by every rule of one level that holds, then the suppression-feed entries of
 * that level (GLOBAL when `setName` is null, SET when `listName` is null, else LIST). Allocates
 * only when something applies. A rule marked `unless_suppressed_globally` is not evaluated for a customer
 * suppressed globally already.
 */
function applicable(
  rules: readonly CompiledRule[],
  customer: CustomerFacts,
  trace: EvaluationTrace | null,
  setName: string | null,
  listName: string | null,
  applied: readonly AppliedSuppression[],
  globallySuppressed: boolean,
): readonly AppliedSuppression[] {
  let result = applied;
  for (const rule of rules) {
    if (globallySuppressed && rule.definition.unless_suppressed_globally) continue;
    if (rule.condition.test(customer, trace)) result = [...result, rule.suppression];
  }
  const scope = setName === null ? 'GLOBAL' : listName === null ? 'SET' : 'LIST';
  for (const entry of customer.suppressions) {
    if (entry.scope === scope && (setName === null || sameName(entry.set_name, setName)) && (listName === null || sameName(entry.list_name, listName))) {
      result = [...result, { type: scope, reason: entry.reason, origin: 'suppression_feed' }];
    }
  }
  return result;
}

/** The least of several filters' budgets; null when none caps the list. */
function leastBudget(budgets: readonly AccountBudget[]): AccountBudget | null {
  if (budgets.length <= 1) return budgets[0] ?? null;
  return (customer, contacts) => {
    let least: number | null = null;
    for (const budget of budgets) {
      const left = budget(customer, contacts);
      if (left !== null && (least === null || left < least)) least = left;
    }
    return least;
  };
}
const PARTY_INDEX = new Map<string, number>(RELATED_PARTY_TYPES.map((party, index) => [party, index]));
const TYPE_INDEX = new Map<string, number>(CONTACT_TYPES.map((type, index) => [type, index]));

function contactKey(party: string, type: string): number {
  return PARTY_INDEX.get(party)! * CONTACT_TYPES.length + TYPE_INDEX.get(type)!;
}

/** Between records of one value made on one date, the type that allows least wins: a home or work number is never texted. */
const TYPE_PRECEDENCE: Readonly<Record<string, number>> = { home: 0, work: 1, mobile: 2, email: 3, address: 4 };

/**
 * §3.2: of a customer's records of one value, the newest wins and its type with it, whether or not the
 * list asks for that type (a number whose newest record says `home` is not texted through an older
 * `mobile` record). On one date: the type that allows least, then the customer's own record, then the first.
 */
function isSupersededDuplicate(contact: ContactFacts, contacts: readonly ContactFacts[]): boolean {
  const position = contacts.indexOf(contact);
  for (let i = 0; i < contacts.length; i++) {
    const other = contacts[i]!;
    if (i === position || other.contact_value !== contact.contact_value) continue;
    const order = recordPrecedence(other, contact);
    if (order < 0 || (order === 0 && i < position)) return true;
  }
  return false;
}

/** Negative when record `a` wins over record `b` of the same value, positive when `b` wins, 0 on a tie. */
function recordPrecedence(a: ContactFacts, b: ContactFacts): number {
  if (a.created_at !== b.created_at) return a.created_at > b.created_at ? -1 : 1;
  return TYPE_PRECEDENCE[a.contact_type]! - TYPE_PRECEDENCE[b.contact_type]! || PARTY_INDEX.get(a.related_party_type)! - PARTY_INDEX.get(b.related_party_type)!;
}
