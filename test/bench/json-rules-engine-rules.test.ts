import { beforeAll, describe, expect, it } from 'vitest';
import { buildJsonRulesEngines, disagreements, outcomesOfExplanation, translateCondition } from '../../bench/json-rules-engine-rules.ts';
import { compileCampaigns } from '../../domain/campaigns/engine.ts';
import type { FieldValue } from '../../domain/campaigns/facts.ts';
import type { CampaignConfig, Condition } from '../../domain/campaigns/schema.ts';
import { readCampaignConfigFile } from '../../adapters/campaign-config-file.ts';
import { generateCustomerFacts } from '../../local/generate/customer-facts.ts';
import { contact, customerFacts, singleListConfig } from '../domain/campaigns/fixtures.ts';

const LOAD_DATE = '2026-11-20';
let sample: CampaignConfig;

beforeAll(async () => {
  const result = await readCampaignConfigFile();
  if (!result.ok) throw new Error(`sample configuration is invalid: ${JSON.stringify(result.problems)}`);
  sample = result.config;
});

describe('translateCondition', () => {
  it('wraps a leaf in `all`, reads record fields by path and contacts through the contact_field fact', () => {
    expect(translateCondition({ source: 'loan', field: 'portfolio', operator: '=', value: 'OFAC' })).toEqual({
      all: [{ fact: 'loan', path: '$.portfolio', operator: 'equal', value: 'OFAC' }],
    });
    expect(translateCondition({ not: { source: 'contact', field: 'opted_out', operator: '=', value: true } })).toEqual({
      not: { fact: 'contact_field', params: { field: 'opted_out' }, operator: 'someFact:equal', value: true },
    });
    expect(translateCondition(undefined)).toEqual({ all: [] });
  });
});

describe('json-rules-engine translation against the engine', () => {
  const fields = [
    { name: 'n', data_type: 'number', description: 'a number' },
    { name: 'd', data_type: 'date', description: 'a date' },
    { name: 's', data_type: 'string', description: 'a string' },
  ] as const;
  const cases: [Condition, FieldValue | undefined][] = [];
  for (const value of [null, undefined, 5, 10, 15]) {
    for (const [operator, operand] of [
      ['=', 10],
      ['!=', 10],
      ['>', 10],
      ['>=', 10],
      ['<', 10],
      ['<=', 10],
      ['in', [5, 10]],
      ['not_in', [5]],
      ['between', [5, 10]],
      ['is_null', undefined],
      ['is_not_null', undefined],
    ] as const) {
      cases.push([{ source: 'custom_field', field: 'n', operator, value: operand as never }, value]);
    }
  }
  for (const value of [null, undefined, '2026-11-10', '2026-11-09', '2026-11-19', '2026-11-20']) {
    for (const [operator, operand] of [
      ['days_since >', 10],
      ['days_since <', 1],
      ['days_since <', 11],
      ['>', '2026-11-09'],
      ['between', ['2026-11-09', '2026-11-10']],
    ] as const) {
      cases.push([{ source: 'custom_field', field: 'd', operator, value: operand as never }, value]);
    }
  }
  for (const value of [null, undefined, 'ZZTEST1', 'ZZ_TEST', 'A%B']) {
    for (const [operator, operand] of [
      ['like', 'ZZTEST%'],
      ['like', 'ZZ_TEST'],
      ['like', 'A\\%B'],
      ['!=', 'ZZTEST1'],
      ['not_in', ['ZZ_TEST']],
    ] as const) {
      cases.push([{ source: 'custom_field', field: 's', operator, value: operand as never }, value]);
    }
  }

  it('decides every operator on values, nulls and missing values as the engine does (comparisons on null fail)', async () => {
    const mismatches: string[] = [];

    for (const [condition, value] of cases) {
      const config = singleListConfig(condition, [...fields]);
      const customer = customerFacts({ custom_fields: value === undefined ? {} : { [(condition as { field: string }).field]: value } });
      const ours = compileCampaigns(config, { loadDate: LOAD_DATE }).evaluate(customer).assignments.length;
      const theirs = (await buildJsonRulesEngines(config, { loadDate: LOAD_DATE }).decide(customer)).length;
      if (theirs !== ours) mismatches.push(`${JSON.stringify(condition)} on ${String(value)}: engine ${ours}, json-rules-engine ${theirs}`);
    }

    expect(cases.length).toBeGreaterThan(100);
    expect(mismatches).toEqual([]);
  });

  it('treats contact leaves as "any contact satisfies", and none when there are no contacts', async () => {
    const config = singleListConfig({
      all: [
        { source: 'contact', field: 'can_send_sms', operator: '=', value: true },
        { not: { source: 'contact', field: 'suppression_reason', operator: 'is_not_null' } },
      ],
    });
    const jre = buildJsonRulesEngines(config, { loadDate: LOAD_DATE });
    const decide = async (contacts: ReturnType<typeof contact>[]) => (await jre.decide(customerFacts({ contacts }))).length;

    expect(await decide([contact({ can_send_sms: false }), contact({ can_send_sms: true, contact_value: '+16175550102' })])).toBe(1);
    expect(await decide([contact({ can_send_sms: true }), contact({ suppression_reason: 'INTERNAL_DNC', contact_type: 'email', can_send_sms: null })])).toBe(0);
    expect(await decide([])).toBe(0);
  });

  it('decides the same lists, rule suppressions and contact rules as the engine on the sample configuration', async () => {
    const customers = generateCustomerFacts({ seed: 11, customers: 2_000, loadDate: LOAD_DATE });
    const engine = compileCampaigns(sample, { loadDate: LOAD_DATE });
    const jre = buildJsonRulesEngines(sample, { loadDate: LOAD_DATE });
    const problems: string[] = [];
    let assignments = 0;
    let suppressions = 0;
    let contactRules = 0;

    for (const customer of customers) {
      const ours = outcomesOfExplanation(engine.explain(customer));
      const theirs = await jre.decide(customer);
      problems.push(...disagreements(ours, theirs).map((problem) => `${customer.payoffuid} ${problem}`));
      assignments += ours.length;
      suppressions += ours.filter((outcome) => outcome.suppressions.length > 0).length;
      contactRules += ours.filter((outcome) => outcome.contact_rule !== null && outcome.contact_rule > 1).length;
    }

    expect(problems.slice(0, 10)).toEqual([]);
    // Not vacuous: the comparison covered assignments, suppressions and fallback contact rules.
    expect(assignments).toBeGreaterThan(customers.length / 2);
    expect(suppressions).toBeGreaterThan(50);
    expect(contactRules).toBeGreaterThan(5);
  });
});
