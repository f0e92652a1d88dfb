import fc from 'fast-check';
import { BUILT_IN_FIELDS, fieldRegistry, OPERATORS_BY_TYPE, type FieldDefinition } from '../../../domain/campaigns/fields.ts';
import {
  CHANNEL_CONTACT_TYPES,
  CHANNELS,
  CONTACT_TYPES,
  DATA_TYPES,
  PURPOSES,
  RELATED_PARTY_SELECTORS,
  RELATED_PARTY_TYPES,
  SOURCES,
  WEEKDAYS,
  type CampaignConfig,
  type CampaignList,
  type CampaignSet,
  type Channel,
  type Condition,
  type ConditionLeaf,
  type ContactRule,
  type CustomField,
  type Operator,
  type Source,
  type SuppressionRule,
} from '../../../domain/campaigns/schema.ts';
import type { ContactFacts, CustomerFacts, SuppressionFact } from '../../../domain/campaigns/facts.ts';
import { addDays } from './fixtures.ts';

/**
 * fast-check arbitraries for the engine's property tests: valid configurations over the field
 * registry and customers whose values come from the same small pools as the configuration's, so
 * that conditions hold often enough to be interesting, including at their boundaries.
 */

/** A DST change (US), a year start, a leap day and two ordinary days. */
export const LOAD_DATES = ['2026-03-08', '2026-11-01', '2026-01-01', '2024-02-29', '2026-07-15'] as const;

const DATE_OFFSETS = [-400, -366, -365, -91, -90, -89, -31, -30, -29, -8, -7, -6, -3, -2, -1, 0, 1, 30];
const NUMBERS = [-1, 0, 1, 2, 2.5, 3, 7, 30, 89, 90, 91, 1000];
const DAYS = [0, 1, 6, 7, 8, 2.5, 29, 30, 89, 90, 365];
const GENERIC_STRINGS = ['x', 'x.y', 'xzy', 'a%b', 'a_b', '(z', 'A*', 'AA', ''];
const PHONES = ['+16175550101', '+16175550102', '+12065550103', '+15125550104'];
const EMAILS = ['ann@example.com', 'bob@example.org'];
const ADDRESSES = ['1 Main St, Boston, MA 02139', '9 Elm Ave, Apt 2, Seattle, WA 98101'];
const SUPPRESSION_REASONS = ['DNC', 'CEASE_DESIST', 'LITIGATION'];
const RULE_REASONS = ['PORTFOLIO_OFAC', 'DECLINED', 'BANKRUPTCY', 'VIP'];
const SET_NAMES = ['COLLECTIONS', 'SERVICING_SMS', 'MARKETING'];
const LIST_NAMES = ['EARLY', 'LATE', 'PIF', 'PRESCREEN', 'RESEARCH', 'HIGH RISK'];
const AB_TEST_NAMES = ['AB_TONE', 'AB_TIME'];
const CUSTOM_FIELD_NAMES = ['risk_score', 'propensity_to_pay', 'last_research_date', 'vip', 'segment', 'opened_on'];

const STRING_POOLS: Record<string, readonly string[]> = {
  'loan.portfolio': ['BLUE_FCU', 'USALLIANCE', 'SST', 'DECLINE', 'OFAC'],
  'loan.loan_status': ['CURRENT', 'DELINQUENT', 'CHARGED_OFF', 'PAID_OFF'],
  'customer.state': ['MA', 'WA', 'TX', 'FL'],
  'customer.zip': ['02139', '98101', '7510.', '02_39'],
  'contact.related_party_type': RELATED_PARTY_TYPES,
  'contact.contact_type': CONTACT_TYPES,
  'contact.contact_value': [...PHONES, ...EMAILS, ...ADDRESSES],
  'contact.suppression_reason': SUPPRESSION_REASONS,
  'contact.phone_status': ['ACTIVE', 'INACTIVE', 'DISCONNECTED'],
  'contact.phone_technology': ['WIRELESS', 'LANDLINE', 'VOIP'],
};

/** `usual` four times in five, else a value of `arbitrary`. */
function rarely<T, U>(arbitrary: fc.Arbitrary<T>, usual: U): fc.Arbitrary<T | U> {
  return fc.oneof({ arbitrary: fc.constant(usual), weight: 4 }, { arbitrary, weight: 1 });
}

function stringPool(field: FieldDefinition): readonly string[] {
  return STRING_POOLS[`${field.source}.${field.name}`] ?? GENERIC_STRINGS;
}

/** A value of the field's type, from the pool shared by configurations and customers. */
function scalarArb(field: FieldDefinition, loadDate: string): fc.Arbitrary<string | number | boolean> {
  switch (field.dataType) {
    case 'string':
      return fc.constantFrom(...stringPool(field));
    case 'number':
      return fc.constantFrom(...NUMBERS);
    case 'date':
      return fc.constantFrom(...DATE_OFFSETS).map((offset) => addDays(loadDate, offset));
    case 'boolean':
      return fc.boolean();
  }
}

/** A LIKE pattern derived from a pool value: characters turned into `_` or `%`, `%` added at the ends. */
function likePatternArb(field: FieldDefinition): fc.Arbitrary<string> {
  return fc
    .tuple(
      fc.constantFrom(...stringPool(field)),
      fc.array(fc.constantFrom('keep', 'keep', 'keep', '_', '%', 'drop'), { minLength: 12, maxLength: 12 }),
      fc.boolean(),
      fc.boolean(),
    )
    .map(([text, edits, leading, trailing]) => {
      const body = [...text]
        .map((char, i) => {
          const edit = edits[i % edits.length];
          return edit === 'keep' ? char : edit === 'drop' ? '' : edit;
        })
        .join('');
      return `${leading ? '%' : ''}${body}${trailing ? '%' : ''}`;
    });
}

function valueArb(field: FieldDefinition, operator: Operator, loadDate: string): fc.Arbitrary<ConditionLeaf['value']> {
  const scalar = scalarArb(field, loadDate);
  switch (operator) {
    case 'is_null':
    case 'is_not_null':
      return fc.constant(undefined);
    case 'in':
    case 'not_in':
      return fc.uniqueArray(scalar, { minLength: 1, maxLength: 3 });
    case 'between':
      return fc.tuple(scalar, scalar).map(([a, b]) => (a <= b ? [a, b] : [b, a]));
    case 'like':
      return likePatternArb(field);
    case 'days_since >':
    case 'days_since <':
      return fc.constantFrom(...DAYS);
    default:
      return scalar;
  }
}

/** Characters of the string pools, in both cases: a `character` leaf compares the lower-cased character. */
const CHARACTERS = ['x', 'y', 'a', 'b', '.', '%', 'z', 'A', 'Z', '0', '1', '+', '6'];
const CHARACTER_OPERATORS: readonly Operator[] = ['=', '!=', 'in', 'not_in', 'between', 'is_null', 'is_not_null'];

/** A leaf on one character of a string field (`character`: 1–3, past the end of short values too). */
function characterLeafArb(fields: readonly FieldDefinition[]): fc.Arbitrary<ConditionLeaf> | null {
  const strings = fields.filter((field) => field.dataType === 'string');
  if (strings.length === 0) return null;
  const character = fc.constantFrom(...CHARACTERS);
  return fc.tuple(fc.constantFrom(...strings), fc.constantFrom(...CHARACTER_OPERATORS), fc.integer({ min: 1, max: 3 })).chain(([field, operator, position]) => {
    const value: fc.Arbitrary<ConditionLeaf['value']> =
      operator === 'is_null' || operator === 'is_not_null'
        ? fc.constant(undefined)
        : operator === 'in' || operator === 'not_in'
          ? fc.uniqueArray(character, { minLength: 1, maxLength: 3 })
          : operator === 'between'
            ? fc.tuple(character, character).map(([a, b]) => (a <= b ? [a, b] : [b, a]))
            : character;
    return value.map((v) => {
      const leaf: ConditionLeaf = { source: field.source, field: field.name, operator, character: position };
      if (v !== undefined) leaf.value = v;
      return leaf;
    });
  });
}

function leafArb(fields: readonly FieldDefinition[], loadDate: string): fc.Arbitrary<ConditionLeaf> {
  const characterLeaf = characterLeafArb(fields);
  const wholeLeaf = leafOnWholeValueArb(fields, loadDate);
  return characterLeaf === null ? wholeLeaf : fc.oneof({ arbitrary: wholeLeaf, weight: 5 }, { arbitrary: characterLeaf, weight: 1 });
}

function leafOnWholeValueArb(fields: readonly FieldDefinition[], loadDate: string): fc.Arbitrary<ConditionLeaf> {
  return fc.constantFrom(...fields).chain((field) =>
    fc.constantFrom(...OPERATORS_BY_TYPE[field.dataType]).chain((operator) =>
      valueArb(field, operator, loadDate).map((value) => {
        const leaf: ConditionLeaf = { source: field.source, field: field.name, operator };
        if (value !== undefined) leaf.value = value;
        return leaf;
      }),
    ),
  );
}

export function conditionArb(fields: readonly FieldDefinition[], loadDate: string): fc.Arbitrary<Condition> {
  const leaf = leafArb(fields, loadDate);
  const contactFields = fields.filter((field) => field.source === 'contact');
  // One contact meeting a whole group: only where other sources may appear too (not inside contact_conditions).
  const anyContact =
    contactFields.length > 0 && contactFields.length < fields.length
      ? [
          {
            arbitrary: fc.array(leafArb(contactFields, loadDate), { minLength: 1, maxLength: 3 }).map((all): Condition => ({ any_contact: { all } })),
            weight: 1,
          },
        ]
      : [];
  const { node } = fc.letrec<{ node: Condition }>((tie) => ({
    node: fc.oneof(
      { maxDepth: 3, depthIdentifier: 'condition' },
      { arbitrary: leaf, weight: 4 },
      { arbitrary: fc.array(tie('node'), { minLength: 1, maxLength: 3 }).map((all) => ({ all })), weight: 1 },
      { arbitrary: fc.array(tie('node'), { minLength: 1, maxLength: 3 }).map((any) => ({ any })), weight: 1 },
      { arbitrary: tie('node').map((not) => ({ not })), weight: 1 },
      ...anyContact,
    ),
  }));
  return node;
}

function customFieldsArb(): fc.Arbitrary<CustomField[]> {
  return fc
    .uniqueArray(fc.constantFrom(...CUSTOM_FIELD_NAMES), { maxLength: 4 })
    .chain((names) =>
      fc.tuple(...names.map((name) => fc.constantFrom(...DATA_TYPES).map((data_type): CustomField => ({ name, data_type, description: `custom ${name}` })))),
    );
}

/** Every field a condition may name, per the engine's field registry. */
function registryFields(customFields: readonly CustomField[]): FieldDefinition[] {
  const registry = fieldRegistry(customFields);
  return SOURCES.flatMap((source) => registry.names(source).map((name) => registry.lookup(source, name)!));
}

function suppressionRulesArb(prefix: string, fields: readonly FieldDefinition[], loadDate: string): fc.Arbitrary<SuppressionRule[]> {
  const unlessGlobal = prefix === 'global' ? fc.constant(false) : fc.boolean();
  const rules = rarely(fc.array(fc.tuple(fc.constantFrom(...RULE_REASONS), conditionArb(fields, loadDate), unlessGlobal), { minLength: 1, maxLength: 2 }), []);
  return rules.map((rules) =>
    rules.map(([reason, conditions, unless], i) => ({ name: `${prefix} rule ${i}`, reason, unless_suppressed_globally: unless, conditions })),
  );
}

function contactRulesArb(channel: Channel, fields: readonly FieldDefinition[], loadDate: string): fc.Arbitrary<ContactRule[]> {
  const output = fc.record({
    related_party_type: fc.constantFrom(...RELATED_PARTY_SELECTORS),
    contact_type: fc.constantFrom('all' as const, ...CHANNEL_CONTACT_TYPES[channel]),
  });
  const contactFields = fields.filter((field) => field.source === 'contact');
  return fc.integer({ min: 0, max: 3 }).chain((count) =>
    fc
      .tuple(
        fc.shuffledSubarray([0, 1, 2, 5, 10], { minLength: count, maxLength: count }),
        fc.array(
          fc.record({
            conditions: fc.option(conditionArb(fields, loadDate), { nil: undefined, freq: 3 }),
            contact_conditions: fc.option(conditionArb(contactFields, loadDate), { nil: undefined, freq: 2 }),
            outputs: fc.array(output, { minLength: 1, maxLength: 3 }),
          }),
          { minLength: count, maxLength: count },
        ),
      )
      .map(([priorities, rules]) =>
        rules.map((rule, i): ContactRule => {
          const contactRule: ContactRule = { rule_priority: priorities[i]!, outputs: rule.outputs };
          if (rule.conditions !== undefined) contactRule.conditions = rule.conditions;
          if (rule.contact_conditions !== undefined) contactRule.contact_conditions = rule.contact_conditions;
          return contactRule;
        }),
      ),
  );
}

interface Skeleton {
  sets: { name: string; lists: string[] }[];
}

/** `SET/LIST` always; the bare list name too when no other set has a list of that name. */
function listReferences(skeleton: Skeleton, exceptSet: string): string[] {
  const references: string[] = [];
  for (const set of skeleton.sets) {
    if (set.name === exceptSet) continue;
    for (const list of set.lists) {
      references.push(`${set.name}/${list}`);
      if (skeleton.sets.filter((other) => other.lists.includes(list)).length === 1) references.push(list);
    }
  }
  return references;
}

function listReferencesArb(skeleton: Skeleton, setName: string): fc.Arbitrary<string[]> {
  const references = listReferences(skeleton, setName);
  return rarely(fc.subarray(references, { minLength: Math.min(1, references.length), maxLength: Math.min(2, references.length) }), []);
}

function listArb(
  skeleton: Skeleton,
  setName: string,
  setChannel: Channel,
  name: string,
  priority: number,
  fields: readonly FieldDefinition[],
  loadDate: string,
): fc.Arbitrary<CampaignList> {
  return fc.option(fc.constantFrom(...CHANNELS), { nil: undefined }).chain((channel) =>
    fc.record({
      name: fc.constant(name),
      priority: fc.constant(priority),
      channel: fc.constant(channel),
      purpose: fc.constantFrom(...PURPOSES),
      active: fc.constantFrom(true, true, true, false),
      active_weekdays: fc.option(fc.subarray([...WEEKDAYS], { minLength: 1 }), { nil: undefined, freq: 3 }),
      genesys_campaign_id: fc.constant(`GC-${setName}-${name}`),
      export: fc.constant({ held: false }),
      ab_test: fc.option(fc.record({ name: fc.constantFrom(...AB_TEST_NAMES), split: fc.constantFrom(0.1, 0.5, 0.73) }), { nil: undefined }),
      target_size: fc.option(fc.integer({ min: 1, max: 10_000 }), { nil: undefined }),
      contact_required: fc.boolean(),
      conditions: conditionArb(fields, loadDate),
      suppression_rules: suppressionRulesArb(`${setName} ${name}`, fields, loadDate),
      contact_rules: contactRulesArb(channel ?? setChannel, fields, loadDate),
      exclude_if_on_lists: listReferencesArb(skeleton, setName),
    }),
  );
}

function setArb(skeleton: Skeleton, index: number, fields: readonly FieldDefinition[], loadDate: string): fc.Arbitrary<CampaignSet> {
  const { name, lists } = skeleton.sets[index]!;
  const otherSets = skeleton.sets.map((set) => set.name).filter((other) => other !== name);
  return fc.constantFrom(...CHANNELS).chain((channel) =>
    fc.record({
      name: fc.constant(name),
      channel: fc.constant(channel),
      exclude_if_assigned_in: rarely(fc.subarray(otherSets, { minLength: Math.min(1, otherSets.length), maxLength: Math.min(1, otherSets.length) }), []),
      suppression_rules: suppressionRulesArb(name, fields, loadDate),
      // Priorities are unique in the set and unrelated to the order lists are written in.
      lists: fc
        .shuffledSubarray([0, 1, 2, 3, 5, 8, 13], { minLength: lists.length, maxLength: lists.length })
        .chain((priorities) => fc.tuple(...lists.map((list, i) => listArb(skeleton, name, channel, list, priorities[i]!, fields, loadDate)))),
    }),
  );
}

/** A valid configuration (defaults applied, as `parseCampaignConfig` returns it) for a load date. */
export function campaignConfigArb(loadDate: string): fc.Arbitrary<CampaignConfig> {
  const skeletonArb: fc.Arbitrary<Skeleton> = fc
    .shuffledSubarray(SET_NAMES, { minLength: 1, maxLength: 3 })
    .chain((setNames) =>
      fc.tuple(...setNames.map((name) => fc.uniqueArray(fc.constantFrom(...LIST_NAMES), { minLength: 1, maxLength: 4 }).map((lists) => ({ name, lists })))),
    )
    .map((sets) => ({ sets }));
  return fc.tuple(skeletonArb, customFieldsArb()).chain(([skeleton, customFields]) => {
    const fields = registryFields(customFields);
    return fc.record({
      version: fc.constant('property-test'),
      bad_number: fc.record({ wrong_number_count: fc.integer({ min: 1, max: 3 }), disconnected_count: fc.integer({ min: 1, max: 4 }) }),
      custom_fields: fc.constant(customFields),
      list_history: fc.constant([]),
      export_templates: fc.constant([]),
      suppression_rules: suppressionRulesArb('global', fields, loadDate),
      sets: fc.tuple(...skeleton.sets.map((_, i) => setArb(skeleton, i, fields, loadDate))),
    });
  });
}

function contactArb(loadDate: string): fc.Arbitrary<ContactFacts> {
  return fc.constantFrom(...CONTACT_TYPES).chain((contact_type) => {
    const isEmail = contact_type === 'email';
    return fc.record({
      related_party_type: fc.constantFrom('customer', ...RELATED_PARTY_TYPES),
      contact_type: fc.constant(contact_type),
      contact_value: fc.constantFrom(...(isEmail ? EMAILS : contact_type === 'address' ? ADDRESSES : PHONES)),
      created_at: fc.constantFrom(...DATE_OFFSETS.filter((offset) => offset <= 0)).map((offset) => addDays(loadDate, offset)),
      suppression_reason: rarely(fc.constantFrom(...SUPPRESSION_REASONS), null),
      wrong_number_count_90d: isEmail ? fc.constant(0) : rarely(fc.integer({ min: 1, max: 3 }), 0),
      disconnected_count_90d: isEmail ? fc.constant(0) : rarely(fc.integer({ min: 1, max: 4 }), 0),
      can_send_sms: isEmail ? fc.constant(null) : fc.constantFrom(true, true, false),
      opted_out: fc.constantFrom(false, false, true),
      bounced: isEmail ? fc.constantFrom(false, false, true) : fc.constant(false),
      phone_status: isEmail ? fc.constant(null) : nullable(fc.constantFrom('ACTIVE' as const, 'INACTIVE' as const, 'DISCONNECTED' as const)),
      phone_technology: isEmail ? fc.constant(null) : nullable(fc.constantFrom('WIRELESS' as const, 'LANDLINE' as const, 'VOIP' as const)),
      quality_score: isEmail ? fc.constant(null) : nullable(fc.constantFrom(...NUMBERS)),
    });
  });
}

function suppressionFactArb(config: CampaignConfig): fc.Arbitrary<SuppressionFact> {
  const setNames = [...config.sets.map((set) => set.name), 'RETIRED_SET'];
  const listNames = [...new Set(config.sets.flatMap((set) => set.lists.map((list) => list.name)))];
  return fc.oneof(
    fc.record({
      scope: fc.constant('GLOBAL' as const),
      set_name: fc.constant(null),
      list_name: fc.constant(null),
      reason: fc.constantFrom(...SUPPRESSION_REASONS),
    }),
    fc.record({
      scope: fc.constant('SET' as const),
      set_name: fc.constantFrom(...setNames),
      list_name: fc.constant(null),
      reason: fc.constantFrom(...SUPPRESSION_REASONS),
    }),
    fc.record({
      scope: fc.constant('LIST' as const),
      set_name: fc.constantFrom(...setNames),
      list_name: fc.constantFrom(...listNames),
      reason: fc.constantFrom(...SUPPRESSION_REASONS),
    }),
  );
}

/** Null one time in four. */
function nullable<T>(arbitrary: fc.Arbitrary<T>): fc.Arbitrary<T | null> {
  return fc.option(arbitrary, { freq: 4 });
}

/** The built-in fields of one source, each nullable except the derived counters (facts.ts). */
function sourceRecordArb<T>(source: Source, loadDate: string): fc.Arbitrary<T> {
  const fields = BUILT_IN_FIELDS.filter((field) => field.source === source && field.record !== 'top');
  return fc.record(
    Object.fromEntries(
      fields.map((field) => {
        const value = scalarArb(field, loadDate);
        return [field.name, source === 'derived' && field.dataType === 'number' ? value : nullable(value)];
      }),
    ),
  ) as unknown as fc.Arbitrary<T>;
}

export function customerArb(config: CampaignConfig, loadDate: string): fc.Arbitrary<CustomerFacts> {
  const customFields = registryFields(config.custom_fields).filter((field) => field.source === 'custom_field');
  return fc
    .record({
      // As delivered: a `character` condition reads it lower-cased.
      payoffuid: fc.uuid().chain((uuid) => fc.constantFrom(uuid, uuid.toUpperCase())),
      account_number: fc.stringMatching(/^\d{10}$/),
      loan: sourceRecordArb<CustomerFacts['loan']>('loan', loadDate),
      customer: sourceRecordArb<CustomerFacts['customer']>('customer', loadDate),
      derived: sourceRecordArb<CustomerFacts['derived']>('derived', loadDate),
      // A custom field is absent one time in five, else null one time in four.
      custom_fields: fc
        .tuple(...customFields.map((field) => fc.option(nullable(scalarArb(field, loadDate)), { nil: undefined, freq: 5 })))
        .map((values) => Object.fromEntries(customFields.flatMap((field, i) => (values[i] === undefined ? [] : [[field.name, values[i]]])))),
      // Now and then a declared field that could not be read (its value is then null, as the assembler leaves it).
      unreadable_custom_fields:
        customFields.length === 0
          ? fc.constant([] as string[])
          : rarely(
              fc.subarray(
                customFields.map((field) => field.name),
                { minLength: 1 },
              ),
              [] as string[],
            ),
      contacts: fc.array(contactArb(loadDate), { maxLength: 7 }),
      suppressions: rarely(fc.array(suppressionFactArb(config), { minLength: 1, maxLength: 2 }), []),
    })
    .map((customer) => ({
      ...customer,
      custom_fields: { ...customer.custom_fields, ...Object.fromEntries(customer.unreadable_custom_fields.map((name) => [name, null])) },
    }));
}
