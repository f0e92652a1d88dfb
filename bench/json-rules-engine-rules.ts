import { Engine, Operator, type RuleProperties, type TopLevelCondition } from 'json-rules-engine';
import { likePattern } from '../domain/campaigns/condition-compiler.ts';
import type { CustomerExplanation } from '../domain/campaigns/decision.ts';
import type { CustomerFacts } from '../domain/campaigns/facts.ts';
import type { CampaignConfig, Condition, ConditionLeaf, SuppressionRule } from '../domain/campaigns/schema.ts';

/**
 * The benchmark's reference: a validated campaign configuration translated into json-rules-engine
 * (v7) rules that decide what the configuration's conditions decide (SPEC §6 steps 1–3, rules only):
 *
 * - per set, one engine whose rules are the active lists, highest json-rules-engine priority for
 *   the lowest list priority; the first rule that succeeds stops the engine (early exit);
 * - one engine for the global suppression rules, and per list one for its set's and its own;
 * - per list with contact rules, one engine of them in `rule_priority` order, stopped at the first.
 *
 * The customer-facts record is passed as runtime facts (`loan`, `customer`, `derived`,
 * `custom_fields` read with a JSONPath `path`; `contacts` through the `contact_field` fact).
 * Suppression-feed entries, cross-set and cross-list exclusions and the contact drop filters are
 * not rules and are left out.
 */

type NestedCondition = Extract<TopLevelCondition, { all: unknown }>['all'][number];

/** What a configuration's rules decide for one customer on one set. */
export interface RulesOutcome {
  set_name: string;
  list_name: string;
  /** Rule-based suppressions in order global → set → list, as `LEVEL:REASON:rule`. */
  suppressions: string[];
  /** The contact rule whose conditions held first; null when none held or the list has none. */
  contact_rule: number | null;
  /** False when a rule suppressed the customer: contacts are then not selected. */
  contacts_selected: boolean;
}

export interface JsonRulesEngines {
  /** Every json-rules-engine rule built, for counting and inspection. */
  readonly rules: readonly RuleProperties[];
  decide(customer: CustomerFacts): Promise<RulesOutcome[]>;
}

/** Custom operators for what json-rules-engine lacks, with §6 null semantics: a comparison on null or a missing value is false. */
function customOperators(loadDate: string): Operator[] {
  const loadTime = Date.parse(`${loadDate}T00:00:00Z`);
  const daysSince = (date: string): number => (loadTime - Date.parse(`${date}T00:00:00Z`)) / 86_400_000;
  const present = (value: unknown): boolean => value != null;
  return [
    new Operator('isNull', (value) => value == null),
    new Operator('isNotNull', (value) => value != null),
    new Operator<unknown, unknown>('notEqualPresent', (value, other) => value !== other, present),
    new Operator<unknown, unknown[]>('notInPresent', (value, values) => !values.includes(value), present),
    new Operator<number | string, [number | string, number | string]>('between', (value, [low, high]) => value >= low && value <= high, present),
    new Operator<string, RegExp>('like', (value, pattern) => pattern.test(value), present),
    new Operator<string, number>('daysSinceGreaterThan', (value, days) => daysSince(value) > days, present),
    new Operator<string, number>('daysSinceLessThan', (value, days) => daysSince(value) < days, present),
  ];
}

/** Our operator → json-rules-engine operator (built-in where its semantics already match). */
const OPERATOR_NAMES: Record<ConditionLeaf['operator'], string> = {
  '=': 'equal',
  '!=': 'notEqualPresent',
  '>': 'greaterThan',
  '>=': 'greaterThanInclusive',
  '<': 'lessThan',
  '<=': 'lessThanInclusive',
  in: 'in',
  not_in: 'notInPresent',
  between: 'between',
  like: 'like',
  is_null: 'isNull',
  is_not_null: 'isNotNull',
  'days_since >': 'daysSinceGreaterThan',
  'days_since <': 'daysSinceLessThan',
};

const FACT_OF_SOURCE = { loan: 'loan', customer: 'customer', derived: 'derived', custom_field: 'custom_fields' } as const;

/** A condition tree as a json-rules-engine condition; a leaf at the top is wrapped in `all`. */
export function translateCondition(condition: Condition | undefined): TopLevelCondition {
  if (condition === undefined) return { all: [] };
  const nested = translateNested(condition);
  return 'all' in nested || 'any' in nested || 'not' in nested ? nested : { all: [nested] };
}

function translateNested(condition: Condition): NestedCondition {
  if ('all' in condition) return { all: condition.all.map(translateNested) };
  if ('any' in condition) return { any: condition.any.map(translateNested) };
  if ('not' in condition) return { not: translateNested(condition.not) };
  if ('any_contact' in condition || condition.character !== undefined || condition.source === 'list_history') {
    throw new Error('the json-rules-engine reference does not translate any_contact, character or list_history conditions');
  }
  const operator = OPERATOR_NAMES[condition.operator];
  const value = condition.operator === 'like' ? likePattern(condition.value as string) : (condition.value ?? null);
  // `contact` leaves are existential: the values of the field over all contacts, any one satisfying.
  if (condition.source === 'contact') return { fact: 'contact_field', params: { field: condition.field }, operator: `someFact:${operator}`, value };
  return { fact: FACT_OF_SOURCE[condition.source], path: `$.${condition.field}`, operator, value };
}

export function buildJsonRulesEngines(config: CampaignConfig, options: { loadDate: string }): JsonRulesEngines {
  const operators = customOperators(options.loadDate);
  const rules: RuleProperties[] = [];
  const engine = (properties: RuleProperties[], firstOnly: boolean): Engine => {
    rules.push(...properties);
    const built = new Engine(properties, { allowUndefinedFacts: true });
    for (const operator of operators) built.addOperator(operator);
    built.addFact<Promise<unknown[]>>('contact_field', async (params, almanac) => {
      const contacts = await almanac.factValue<CustomerFacts['contacts']>('contacts');
      return contacts.map((contact) => contact[params.field as keyof CustomerFacts['contacts'][number]]);
    });
    if (firstOnly) built.on('success', () => void built.stop());
    return built;
  };
  // json-rules-engine runs higher priorities first; equal priorities run concurrently.
  const ordered = <T>(items: readonly T[], toRule: (item: T, index: number) => Omit<RuleProperties, 'priority'>): RuleProperties[] =>
    items.map((item, index) => ({ ...toRule(item, index), priority: items.length - index }));
  const suppressionRules = (definitions: readonly SuppressionRule[], level: string): Omit<RuleProperties, 'priority'>[] =>
    definitions.map((rule) => ({
      name: rule.name,
      conditions: translateCondition(rule.conditions),
      event: { type: 'suppress', params: { tag: `${level}:${rule.reason}:${rule.name}` } },
    }));

  const globalEngine = engine(
    ordered(suppressionRules(config.suppression_rules, 'GLOBAL'), (rule) => rule),
    false,
  );
  const sets = config.sets.map((set) => {
    const active = [...set.lists].filter((list) => list.active).sort((a, b) => a.priority - b.priority);
    return {
      name: set.name,
      assignment: engine(
        ordered(active, (list) => ({
          name: list.name,
          conditions: translateCondition(list.conditions),
          event: { type: 'assign', params: { list: list.name } },
        })),
        true,
      ),
      lists: new Map(
        active.map((list) => {
          const contactRules = [...list.contact_rules].sort((a, b) => a.rule_priority - b.rule_priority);
          return [
            list.name,
            {
              suppression: engine(
                ordered([...suppressionRules(set.suppression_rules, 'SET'), ...suppressionRules(list.suppression_rules, 'LIST')], (rule) => rule),
                false,
              ),
              contact:
                contactRules.length === 0
                  ? null
                  : engine(
                      ordered(contactRules, (rule) => ({
                        name: `rule_priority ${rule.rule_priority}`,
                        conditions: translateCondition(rule.conditions),
                        event: { type: 'contact_rule', params: { rule_priority: rule.rule_priority } },
                      })),
                      true,
                    ),
            },
          ];
        }),
      ),
    };
  });

  return {
    rules,
    async decide(customer) {
      const facts = {
        loan: customer.loan,
        customer: customer.customer,
        derived: customer.derived,
        custom_fields: customer.custom_fields,
        contacts: customer.contacts,
      };
      const outcomes: RulesOutcome[] = [];
      let global: string[] | null = null;
      for (const set of sets) {
        const { events } = await set.assignment.run(facts);
        if (events.length === 0) continue;
        const listName = events[0]!.params!.list as string;
        const list = set.lists.get(listName)!;
        global ??= await suppressionTags(globalEngine, facts);
        const suppressions = [...global, ...(await suppressionTags(list.suppression, facts))];
        const contactsSelected = suppressions.length === 0;
        const contactRule = contactsSelected && list.contact ? ((await list.contact.run(facts)).events[0]?.params?.rule_priority ?? null) : null;
        outcomes.push({ set_name: set.name, list_name: listName, suppressions, contact_rule: contactRule, contacts_selected: contactsSelected });
      }
      return outcomes;
    },
  };
}

/** Every rule that held, in the configuration's order (rules of one engine all run). */
async function suppressionTags(engine: Engine, facts: Record<string, unknown>): Promise<string[]> {
  const { results } = await engine.run(facts);
  return results.sort((a, b) => (b.priority ?? 0) - (a.priority ?? 0)).map((result) => result.event!.params!.tag as string);
}

/** Our engine's decision in the same terms, from its explanation (the contact rule is only in the trace). */
export function outcomesOfExplanation(explanation: CustomerExplanation): RulesOutcome[] {
  return explanation.sets.flatMap((set) => {
    if (set.assigned_list === null) return [];
    const ruleSuppressions = set.suppressions.filter(
      (applied) =>
        applied.origin !== 'suppression_feed' &&
        (applied.type === 'GLOBAL' || applied.type === 'SET' || applied.type === 'LIST') &&
        applied.reason !== 'NO_CONTACTABLE_POINT',
    );
    const chosen = set.contact_rules.find((rule) => rule.outcome);
    return [
      {
        set_name: set.set_name,
        list_name: set.assigned_list,
        suppressions: ruleSuppressions.map((applied) => `${applied.type}:${applied.reason}:${applied.origin}`),
        contact_rule: chosen ? Number(chosen.rule.replace('rule_priority ', '')) : null,
        // Our engine selects contacts only when nothing at all (feed and cross exclusions included) suppressed the customer.
        contacts_selected: set.suppressions.every((applied) => applied.reason === 'NO_CONTACTABLE_POINT'),
      },
    ];
  });
}

/**
 * Where the two disagree, as readable lines: assignments and rule-based suppressions always; the
 * contact rule where both selected contacts (ours also skips them after feed or cross exclusions).
 */
export function disagreements(ours: readonly RulesOutcome[], theirs: readonly RulesOutcome[]): string[] {
  const problems: string[] = [];
  const sets = new Set([...ours, ...theirs].map((outcome) => outcome.set_name));
  for (const set of sets) {
    const a = ours.find((outcome) => outcome.set_name === set);
    const b = theirs.find((outcome) => outcome.set_name === set);
    if (a?.list_name !== b?.list_name) {
      problems.push(`${set}: list ${a?.list_name ?? 'none'} ≠ ${b?.list_name ?? 'none'}`);
      continue;
    }
    if (!a || !b) continue;
    if (a.suppressions.join() !== b.suppressions.join()) problems.push(`${set}: suppressions [${a.suppressions}] ≠ [${b.suppressions}]`);
    if (a.contacts_selected && b.contacts_selected && a.contact_rule !== b.contact_rule) {
      problems.push(`${set}: contact rule ${a.contact_rule} ≠ ${b.contact_rule}`);
    }
  }
  return problems;
}
