import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { BUILT_IN_FIELDS, OPERATORS_BY_TYPE } from '../../../domain/campaigns/fields.ts';
import { DATA_TYPES, OPERATORS } from '../../../domain/campaigns/schema.ts';
import { parseCampaignConfig } from '../../../domain/campaigns/validate.ts';

/** The tests break configurations in ways the types forbid. */
type Draft = any;

/** A small valid configuration that each test breaks in one place. */
function validConfig(): Draft {
  return {
    version: '2026.11.1',
    custom_fields: [
      { name: 'risk_score', data_type: 'number', description: 'Risk score, 0 to 1000' },
      { name: 'last_research_date', data_type: 'date', description: 'Date the account was last researched' },
    ],
    suppression_rules: [{ name: 'OFAC', reason: 'PORTFOLIO_OFAC', conditions: { source: 'loan', field: 'portfolio', operator: '=', value: 'OFAC' } }],
    sets: [
      {
        name: 'COLLECTIONS',
        channel: 'call',
        lists: [
          {
            name: 'EARLY',
            priority: 1,
            purpose: 'collections',
            conditions: {
              all: [
                { source: 'loan', field: 'days_past_due', operator: 'between', value: [1, 29] },
                { source: 'contact', field: 'can_send_sms', operator: '=', value: true },
                { not: { source: 'loan', field: 'loan_tape_asofdate', operator: 'is_null' } },
              ],
            },
            contact_rules: [
              { rule_priority: 1, outputs: [{ related_party_type: 'customer', contact_type: 'mobile' }] },
              { rule_priority: 2, outputs: { related_party_type: 'reference_customer_all', contact_type: 'all' } },
            ],
          },
          { name: 'LATE', priority: 2, purpose: 'collections', conditions: { source: 'loan', field: 'days_past_due', operator: '>=', value: 30 } },
        ],
      },
      {
        name: 'SERVICING',
        channel: 'sms',
        exclude_if_assigned_in: ['COLLECTIONS'],
        lists: [
          {
            name: 'REMINDER',
            priority: 1,
            purpose: 'servicing',
            exclude_if_on_lists: ['LATE'],
            ab_test: { name: 'reminder_copy', split: 0.5 },
            target_size: 1000,
            distribution: 'census_state',
            conditions: {
              any: [
                { source: 'custom_field', field: 'risk_score', operator: '<', value: 500 },
                { source: 'derived', field: 'last_attempt_date', operator: 'days_since >', value: 30 },
                { source: 'customer', field: 'state', operator: 'in', value: ['MA', 'WA'] },
              ],
            },
          },
        ],
      },
    ],
  };
}

function problemsOf(config: unknown): string[] {
  const result = parseCampaignConfig(config);
  return result.ok ? [] : result.problems.map((problem) => `${problem.path}: ${problem.message}`);
}

function broken(change: (config: Draft) => void): string[] {
  const config = validConfig();
  change(config);
  return problemsOf(config);
}

const EARLY = 'sets[0].lists[0]';
const REMINDER = 'sets[1].lists[0]';
const leaf = (source: string, field: string, operator: string, value?: unknown) =>
  value === undefined ? { source, field, operator } : { source, field, operator, value };

describe('parseCampaignConfig', () => {
  it('accepts the phone facts of the consent feed in conditions and contact_conditions', () => {
    const config = validConfig();
    config.sets[0].lists[0].conditions.all.push(leaf('contact', 'quality_score', '>=', 40));
    config.sets[0].lists[0].contact_rules[0].contact_conditions = {
      all: [leaf('contact', 'phone_technology', '!=', 'LANDLINE'), { not: leaf('contact', 'phone_status', '=', 'DISCONNECTED') }],
    };

    expect(parseCampaignConfig(config)).toMatchObject({ ok: true });
  });

  it('accepts a valid configuration and applies the defaults', () => {
    const input = validConfig();

    const result = parseCampaignConfig(input);

    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const early = result.config.sets[0]!.lists[0]!;
    expect(early.active).toBe(true);
    expect(early.contact_required).toBe(true);
    expect(early.exclude_if_on_lists).toEqual([]);
    expect(early.contact_rules[1]!.outputs).toEqual([{ related_party_type: 'reference_customer_all', contact_type: 'all' }]);
    expect(result.config.bad_number).toEqual({ wrong_number_count: 2, disconnected_count: 3 });
  });

  describe('reports each semantic problem at its path', () => {
    it.each<[string, (config: Draft) => void, string]>([
      [
        'duplicate set names',
        (c) => c.sets.push({ ...c.sets[1], name: 'COLLECTIONS', exclude_if_assigned_in: [] }),
        'sets[2].name: duplicate set name "COLLECTIONS", first at sets[0].name',
      ],
      [
        'duplicate list names in a set',
        (c) => c.sets[0].lists.push({ ...c.sets[0].lists[0], priority: 99 }),
        'sets[0].lists[2].name: duplicate list name "EARLY" in the set, first at sets[0].lists[0].name',
      ],
      [
        'duplicate priorities in a set',
        (c) => (c.sets[0].lists[1].priority = 1),
        'sets[0].lists[1].priority: duplicate priority 1 in the set, first at sets[0].lists[0].priority',
      ],
      [
        'duplicate rule priorities in a list',
        (c) => (c.sets[0].lists[0].contact_rules[1].rule_priority = 1),
        `${EARLY}.contact_rules[1].rule_priority: duplicate rule_priority 1 in the list, first at ${EARLY}.contact_rules[0].rule_priority`,
      ],
      [
        'duplicate custom fields',
        (c) => (c.custom_fields[1].name = 'risk_score'),
        'custom_fields[1].name: duplicate custom field "risk_score", first at custom_fields[0].name',
      ],
      [
        'duplicate suppression rule names at one level',
        (c) => c.suppression_rules.push({ ...c.suppression_rules[0], reason: 'OTHER' }),
        'suppression_rules[1].name: duplicate suppression rule name "OFAC" at this level, first at suppression_rules[0].name',
      ],
      [
        'an unknown loan field',
        (c) => (c.sets[0].lists[1].conditions.field = 'dpd'),
        'sets[0].lists[1].conditions.field: unknown loan field "dpd"; loan fields are account_number, loan_id, portfolio, loan_status, days_past_due, amount_due, principal_balance, origination_date, next_payment_due_date, charge_off_date, recoveries_paid_to_date, payment_mode, placement_status, next_workable_date, last_collections_contact_date, loan_tape_asofdate',
      ],
      [
        'an undeclared custom field',
        (c) => (c.sets[1].lists[0].conditions.any[0].field = 'propensity'),
        `${REMINDER}.conditions.any[0].field: unknown custom_field field "propensity"; custom_field fields are risk_score, last_research_date`,
      ],
      [
        'an operator the field type does not admit',
        (c) => (c.sets[0].lists[1].conditions = leaf('loan', 'days_past_due', 'like', '3%')),
        'sets[0].lists[1].conditions.operator: operator "like" does not apply to the number field loan.days_past_due; use one of "=", "!=", ">", ">=", "<", "<=", "in", "not_in", "between", "is_null", "is_not_null"',
      ],
      [
        'a missing value',
        (c) => (c.sets[0].lists[1].conditions = leaf('loan', 'days_past_due', '>=')),
        'sets[0].lists[1].conditions.value: required: operator ">=" compares loan.days_past_due with a value',
      ],
      [
        'a value where none is taken',
        (c) => (c.sets[0].lists[0].conditions.all[2].not.value = '2026-01-01'),
        `${EARLY}.conditions.all[2].not.value: operator "is_null" takes no value`,
      ],
      [
        'a string for a number field',
        (c) => (c.sets[0].lists[1].conditions.value = 'thirty'),
        'sets[0].lists[1].conditions.value: expected number, got string "thirty"',
      ],
      [
        'a string for a boolean field',
        (c) => (c.sets[0].lists[0].conditions.all[1].value = 'yes'),
        `${EARLY}.conditions.all[1].value: expected boolean, got string "yes"`,
      ],
      [
        'a number for a string field',
        (c) => (c.sets[1].lists[0].conditions.any[2] = leaf('customer', 'zip', '=', 2134)),
        `${REMINDER}.conditions.any[2].value: expected string, got number 2134 (quote it in YAML)`,
      ],
      [
        'a date that is not a calendar day',
        (c) => (c.sets[1].lists[0].conditions.any[0] = leaf('custom_field', 'last_research_date', '<', '2026-02-30')),
        `${REMINDER}.conditions.any[0].value: expected date YYYY-MM-DD (a real calendar day), got string "2026-02-30"`,
      ],
      [
        'a list for a scalar operator',
        (c) => (c.sets[0].lists[1].conditions.value = [30, 60]),
        'sets[0].lists[1].conditions.value: expected number, got a list; "in" compares with several values',
      ],
      [
        'an empty `in` list',
        (c) => (c.sets[1].lists[0].conditions.any[2].value = []),
        `${REMINDER}.conditions.any[2].value: expected a non-empty list of string values for "in", got a list`,
      ],
      [
        'an `in` element of the wrong type',
        (c) => (c.sets[1].lists[0].conditions.any[2].value = ['MA', 7]),
        `${REMINDER}.conditions.any[2].value[1]: expected string, got number 7 (quote it in YAML)`,
      ],
      [
        '`between` without two bounds',
        (c) => (c.sets[0].lists[0].conditions.all[0].value = [1, 2, 3]),
        `${EARLY}.conditions.all[0].value: expected [low, high] for "between", got a list`,
      ],
      [
        '`between` with low above high',
        (c) => (c.sets[0].lists[0].conditions.all[0].value = [29, 1]),
        `${EARLY}.conditions.all[0].value: expected low <= high, got [29, 1]`,
      ],
      [
        '`days_since` with negative days',
        (c) => (c.sets[1].lists[0].conditions.any[1].value = -1),
        `${REMINDER}.conditions.any[1].value: expected a non-negative number of days, got number -1`,
      ],
      [
        'a cross-set reference to an unknown set',
        (c) => (c.sets[1].exclude_if_assigned_in = ['COLLECTION']),
        'sets[1].exclude_if_assigned_in[0]: unknown set "COLLECTION"; sets are "COLLECTIONS" or "SERVICING"',
      ],
      ['a set excluding itself', (c) => (c.sets[1].exclude_if_assigned_in = ['SERVICING']), 'sets[1].exclude_if_assigned_in[0]: a set cannot exclude itself'],
      [
        'a cross-list reference to an unknown list',
        (c) => (c.sets[1].lists[0].exclude_if_on_lists = ['COLLECTIONS/MIDDLE']),
        `${REMINDER}.exclude_if_on_lists[0]: unknown list 'COLLECTIONS/MIDDLE'`,
      ],
      [
        'a cross-list reference to an unknown set',
        (c) => (c.sets[1].lists[0].exclude_if_on_lists = ['RECOVERY/LATE']),
        `${REMINDER}.exclude_if_on_lists[0]: unknown set 'RECOVERY' in list reference 'RECOVERY/LATE'`,
      ],
      [
        'an ambiguous bare list name',
        (c) => c.sets[1].lists.push({ ...c.sets[0].lists[1], priority: 2, conditions: c.sets[1].lists[0].conditions }),
        `${REMINDER}.exclude_if_on_lists[0]: list name 'LATE' exists in several sets: write it as SET/LIST`,
      ],
      [
        'a cross-list reference to a list of the same set',
        (c) => (c.sets[0].lists[0].exclude_if_on_lists = ['COLLECTIONS/LATE']),
        `${EARLY}.exclude_if_on_lists[0]: "COLLECTIONS/LATE" is a list of the same set, where a customer is on one list at most`,
      ],
      [
        'an email contact on a call list',
        (c) => (c.sets[0].lists[0].contact_rules[1].outputs.contact_type = 'email'),
        `${EARLY}.contact_rules[1].outputs.contact_type: contact type "email" cannot be used on a call list; use "mobile", "home", "work" or "all"`,
      ],
      [
        'a home phone on a list inheriting the sms channel',
        (c) => (c.sets[1].lists[0].contact_rules = [{ rule_priority: 1, outputs: [{ related_party_type: 'customer', contact_type: 'home' }] }]),
        `${REMINDER}.contact_rules[0].outputs[0].contact_type: contact type "home" cannot be used on a sms list; use "mobile" or "all"`,
      ],
      [
        'a phone on a list whose own channel is email',
        (c) => (c.sets[0].lists[0].channel = 'email'),
        `${EARLY}.contact_rules[0].outputs[0].contact_type: contact type "mobile" cannot be used on a email list; use "email" or "all"`,
      ],
      [
        'a customer-level leaf in contact_conditions',
        (c) =>
          (c.sets[0].lists[0].contact_rules[0].contact_conditions = {
            all: [leaf('contact', 'phone_technology', '!=', 'LANDLINE'), leaf('loan', 'days_past_due', '>', 3)],
          }),
        `${EARLY}.contact_rules[0].contact_conditions.all[1].source: contact_conditions and any_contact test one contact at a time: expected source "contact", got "loan"; put customer-level conditions outside them`,
      ],
      [
        'a string for the number field quality_score',
        (c) => (c.sets[0].lists[0].contact_rules[0].contact_conditions = leaf('contact', 'quality_score', '>=', 'high')),
        `${EARLY}.contact_rules[0].contact_conditions.value: expected number, got string "high"`,
      ],
      ['a distribution without a target size', (c) => delete c.sets[1].lists[0].target_size, `${REMINDER}.distribution: a distribution needs a target_size`],
    ])('%s', (_name, change, expected) => {
      const problems = broken(change);

      expect(problems).toEqual([expected]);
    });
  });

  describe('reports structural problems precisely', () => {
    it.each<[string, (config: Draft) => void, string[]]>([
      [
        'an empty condition group',
        (c) => (c.sets[0].lists[0].conditions.all[2].not = { any: [] }),
        [`${EARLY}.conditions.all[2].not.any: an \`any\` group needs at least one condition`],
      ],
      ['an A/B split of 1', (c) => (c.sets[1].lists[0].ab_test.split = 1), [`${REMINDER}.ab_test.split: split must be strictly between 0 and 1`]],
      ['an A/B split of 0', (c) => (c.sets[1].lists[0].ab_test.split = 0), [`${REMINDER}.ab_test.split: split must be strictly between 0 and 1`]],
      [
        'an unknown operator inside a group',
        (c) => (c.sets[1].lists[0].conditions.any[0].operator = '=='),
        [
          `${REMINDER}.conditions.any[0].operator: expected one of "=", "!=", ">", ">=", "<", "<=", "in", "not_in", "between", "like", "is_null", "is_not_null", "days_since >", "days_since <"`,
        ],
      ],
      [
        'a misspelt key of a leaf',
        (c) => (c.sets[0].lists[1].conditions = { source: 'loan', field: 'days_past_due', operator: '>=', vale: 30 }),
        [
          'sets[0].lists[1].conditions.vale: unknown key; expected one of source, field, operator, character, value',
          'sets[0].lists[1].conditions.value: required: operator ">=" compares loan.days_past_due with a value',
        ],
      ],
      ['a leaf without a field', (c) => delete c.sets[0].lists[1].conditions.field, ['sets[0].lists[1].conditions.field: required']],
      [
        'a condition that is not an object',
        (c) => (c.sets[0].lists[0].conditions.all[1] = 'days_past_due > 30'),
        [`${EARLY}.conditions.all[1]: expected object, got string "days_past_due > 30"`],
      ],
      [
        'a number where a list of outputs is expected',
        (c) => (c.sets[0].lists[0].contact_rules[0].outputs = 3),
        [`${EARLY}.contact_rules[0].outputs: expected object or array, got number 3`],
      ],
      [
        'a value of no scalar type, reported once',
        (c) => (c.sets[0].lists[1].conditions.value = null),
        ['sets[0].lists[1].conditions.value: expected string, number, boolean or array, got null'],
      ],
      ['a wrong channel', (c) => (c.sets[0].channel = 'phone'), ['sets[0].channel: expected one of "call", "sms", "email", "mail"']],
      ['a non-integer priority', (c) => (c.sets[0].lists[1].priority = 1.5), ['sets[0].lists[1].priority: expected an integer, got number 1.5']],
      ['a set without lists', (c) => (c.sets[1].lists = []), ['sets[1].lists: a set needs at least one list']],
      ['a missing version', (c) => delete c.version, ['version: required']],
    ])('%s', (_name, change, expected) => {
      const problems = broken(change);

      expect(problems).toEqual(expected);
    });

    it('reports a document that is not an object at the root', () => {
      const problems = problemsOf(null);

      expect(problems).toEqual([': expected object, got null']);
    });
  });

  it('reports every problem at once, structural first, and still checks the sound parts of a broken configuration', () => {
    const config = validConfig();
    config.sets[0].lists[0].conditions.all[0].operator = 'betwen';
    config.sets[0].lists[1].priority = 1;
    config.sets[1].lists[0].conditions.any[0].field = 'risk';
    config.sets[1].exclude_if_assigned_in = ['NOPE'];

    const problems = problemsOf(config);

    expect(problems).toEqual([
      `${EARLY}.conditions.all[0].operator: expected one of "=", "!=", ">", ">=", "<", "<=", "in", "not_in", "between", "like", "is_null", "is_not_null", "days_since >", "days_since <"`,
      'sets[0].lists[1].priority: duplicate priority 1 in the set, first at sets[0].lists[0].priority',
      'sets[1].exclude_if_assigned_in[0]: unknown set "NOPE"; sets are "COLLECTIONS" or "SERVICING"',
      `${REMINDER}.conditions.any[0].field: unknown custom_field field "risk"; custom_field fields are risk_score, last_research_date`,
    ]);
  });

  it('does not call a list reference unknown when the list it names is itself malformed', () => {
    const config = validConfig();
    config.sets[0].lists[1] = 'LATE';

    const problems = problemsOf(config);

    expect(problems).toEqual(['sets[0].lists[1]: expected object, got string "LATE"']);
  });

  it('still reports a reference to a name that exists nowhere when another list name is duplicated', () => {
    const config = validConfig();
    config.sets[0].lists[1].name = 'EARLY';
    config.sets[1].lists[0].exclude_if_on_lists = ['COLLECTIONS/NOPE'];

    const problems = problemsOf(config);

    expect(problems).toEqual([
      'sets[0].lists[1].name: duplicate list name "EARLY" in the set, first at sets[0].lists[0].name',
      `${REMINDER}.exclude_if_on_lists[0]: unknown list 'COLLECTIONS/NOPE'`,
    ]);
  });

  it('admits the same suppression rule name at different levels and in different sets', () => {
    const config = validConfig();
    const rule = { name: 'OFAC', reason: 'PORTFOLIO_OFAC', conditions: { source: 'loan', field: 'portfolio', operator: '=', value: 'OFAC' } };
    config.sets[0].suppression_rules = [rule];
    config.sets[1].suppression_rules = [rule];
    config.sets[0].lists[0].suppression_rules = [rule];

    const result = parseCampaignConfig(config);

    expect(result.ok).toBe(true);
  });

  it('passes line numbers from the locator into the problems', () => {
    const config = validConfig();
    config.sets[0].lists[1].conditions.value = 'thirty';

    const result = parseCampaignConfig(config, (path) => path.length);

    expect(result).toEqual({ ok: false, problems: [{ path: 'sets[0].lists[1].conditions.value', message: 'expected number, got string "thirty"', line: 6 }] });
  });
});

describe('docs/campaign-config.md', () => {
  it('lists every built-in field with its type, and for each operator exactly the types that admit it', async () => {
    const doc = await readFile(new URL('../../../docs/campaign-config.md', import.meta.url), 'utf8');
    const rows = (heading: string) =>
      doc
        .slice(doc.indexOf(heading))
        .split('\n## ')[0]!
        .split('\n')
        .filter((line) => line.startsWith('| `'));
    const fieldRows = rows('### Sources and fields');
    const operatorRows = rows('### Operators per type').map((line) => line.split('|').map((cell) => cell.trim()));

    const undocumented = BUILT_IN_FIELDS.filter(
      (field) => !fieldRows.some((row) => row.startsWith(`| \`${field.source}\``) && row.includes(`\`${field.name}\` (${field.dataType}`)),
    );
    const documentedTypes = (operator: string) => {
      const cells = operatorRows.find((row) => row[1]!.split(', ').includes(`\`${operator}\``)) ?? [];
      return DATA_TYPES.filter((_type, column) => cells[column + 2] === '✓');
    };

    expect(undocumented).toEqual([]);
    for (const operator of OPERATORS) {
      expect(documentedTypes(operator), operator).toEqual(DATA_TYPES.filter((type) => OPERATORS_BY_TYPE[type].includes(operator)));
    }
  });
});

describe('parseCampaignConfig: export templates', () => {
  const letter = {
    name: 'letter',
    format: 'file',
    columns: [
      { name: 'FIRST NAME', value: { loan: 'first_name' } },
      { name: 'CITY', value: { loan: 'city' } },
    ],
  };

  it('accepts a list with a template, a held list and a delivery', () => {
    expect(
      broken((config) => {
        config.export_templates = [letter];
        config.sets[0].lists[0].channel = 'mail';
        config.sets[0].lists[0].contact_rules = [];
        config.sets[0].lists[0].export = { template: 'letter', delivery: 'print_vendor' };
        config.sets[0].lists[1].export = { held: true };
      }),
    ).toEqual([]);
  });

  it.each([
    [
      'an unknown template',
      (config: Draft) => {
        config.export_templates = [letter];
        config.sets[0].lists[1].export = { template: 'servicer' };
      },
      'sets[0].lists[1].export.template: unknown export template "servicer"; export templates are "letter"',
    ],
    [
      'a held list with a template',
      (config: Draft) => {
        config.export_templates = [letter];
        config.sets[0].lists[1].export = { held: true, template: 'letter' };
      },
      'sets[0].lists[1].export.template: a held list gets no file: drop the template or held',
    ],
    [
      'a print file on a call list',
      (config: Draft) => {
        config.export_templates = [{ ...letter, format: 'genesys' }];
        config.sets[0].lists[1].export = { template: 'letter' };
      },
      'sets[0].lists[1].export.template: export template "letter" on a call list column name "FIRST NAME" is not letters, digits and underscores',
    ],
    [
      'two templates of one name',
      (config: Draft) => {
        config.export_templates = [letter, letter];
      },
      'export_templates[1].name: duplicate export template "letter", first at export_templates[0].name',
    ],
    [
      'a value of an unknown loan column',
      (config: Draft) => {
        config.export_templates = [{ ...letter, columns: [{ name: 'X', value: { loan: 'ssn' } }] }];
      },
      'export_templates[0].columns[0]',
    ],
  ])('reports %s', (_, change, expected) => {
    const problems = broken(change);
    expect(
      problems.some((problem) => problem.startsWith(expected)),
      problems.join('\n'),
    ).toBe(true);
  });
});

describe('parseCampaignConfig: the §5.1 language', () => {
  const payoffuidCharacter = (character: unknown, operator: string, value: unknown) => ({ source: 'customer', field: 'payoffuid', character, operator, value });

  it('accepts a character leaf, any_contact, active_weekdays, list history and unless_suppressed_globally', () => {
    expect(
      broken((config) => {
        config.list_history = [{ name: 'phone_test', lists: ['COLLECTIONS/EARLY', 'LATE'], lookback_days: 7 }];
        config.sets[0].lists[0].conditions.all.push(payoffuidCharacter(16, 'between', ['0', '7']));
        config.sets[0].lists[0].active_weekdays = ['Tuesday', 'Friday'];
        config.sets[0].suppression_rules = [
          {
            name: 'dnc',
            reason: 'DNC_PHONE',
            unless_suppressed_globally: true,
            conditions: { any_contact: { all: [leaf('contact', 'related_party_type', '=', 'customer'), leaf('contact', 'suppression_reason', '=', 'DNC')] } },
          },
        ];
        config.sets[1].lists[0].suppression_rules = [{ name: 'tested', reason: 'PHONE_TEST', conditions: leaf('list_history', 'phone_test', '<=', 6) }];
      }),
    ).toEqual([]);
  });

  it.each([
    [
      'a character of a number field',
      (config: Draft) => {
        config.sets[0].lists[1].conditions = { source: 'loan', field: 'days_past_due', character: 1, operator: '=', value: '3' };
      },
      'sets[0].lists[1].conditions.character: character applies to string fields; loan.days_past_due is a number',
    ],
    [
      'a value of two characters',
      (config: Draft) => {
        config.sets[0].lists[1].conditions = payoffuidCharacter(16, 'in', ['0', '10']);
      },
      'sets[0].lists[1].conditions.value[1]: expected one character, got string "10"',
    ],
    [
      'an operator that does not compare one character',
      (config: Draft) => {
        config.sets[0].lists[1].conditions = payoffuidCharacter(16, 'like', '%');
      },
      'sets[0].lists[1].conditions.operator: operator "like" does not apply to one character of customer.payoffuid; use one of "=", "!=", "in", "not_in", "between", "is_null", "is_not_null"',
    ],
    [
      'a position of 0',
      (config: Draft) => {
        config.sets[0].lists[1].conditions = payoffuidCharacter(0, '=', 'a');
      },
      'sets[0].lists[1].conditions.character: expected a number >= 1',
    ],
    [
      'a customer field inside any_contact',
      (config: Draft) => {
        config.sets[0].lists[1].conditions = { any_contact: { all: [leaf('contact', 'contact_type', '=', 'mobile'), leaf('customer', 'state', '=', 'MN')] } };
      },
      'sets[0].lists[1].conditions.any_contact.all[1].source: contact_conditions and any_contact test one contact at a time: expected source "contact", got "customer"; put customer-level conditions outside them',
    ],
    [
      'an undeclared list-history fact',
      (config: Draft) => {
        config.sets[0].lists[1].conditions = leaf('list_history', 'phone_test', '<=', 6);
      },
      'sets[0].lists[1].conditions.field: unknown list_history field "phone_test"; list_history fields are ',
    ],
    [
      'a list-history fact naming an unknown list',
      (config: Draft) => {
        config.list_history = [{ name: 'phone_test', lists: ['COLLECTIONS/NOWHERE'] }];
      },
      'list_history[0].lists[0]: ',
    ],
    [
      'a weekday misspelt',
      (config: Draft) => {
        config.sets[0].lists[1].active_weekdays = ['Tuesdays'];
      },
      'sets[0].lists[1].active_weekdays[0]: expected one of "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"',
    ],
    [
      'unless_suppressed_globally on a global rule',
      (config: Draft) => {
        config.suppression_rules[0].unless_suppressed_globally = true;
      },
      'suppression_rules[0].unless_suppressed_globally: applies to set and list rules: a global rule is itself a global suppression',
    ],
  ])('reports %s', (_name, change, expected) => {
    const problems = broken(change);
    expect(problems.length, problems.join('\n')).toBe(1);
    expect(problems[0]!.startsWith(expected), problems[0]).toBe(true);
  });
});
