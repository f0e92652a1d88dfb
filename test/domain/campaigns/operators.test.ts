import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileCampaigns } from '../../../domain/campaigns/engine.ts';
import type { Condition, ConditionLeaf } from '../../../domain/campaigns/schema.ts';
import { contact, customerFacts, singleListConfig, type CampaignConfigInput, type CustomerPatch } from './fixtures.ts';

/**
 * Each operator × type through the compiled engine: a one-set, one-list configuration whose only
 * condition is the case under test, so the customer is assigned exactly when the condition holds.
 */

const LOAD_DATE = '2026-03-08';
const CUSTOM_FIELDS: CampaignConfigInput['custom_fields'] = [
  { name: 'risk_score', data_type: 'number', description: 'Risk score' },
  { name: 'segment', data_type: 'string', description: 'Segment' },
  { name: 'last_research_date', data_type: 'date', description: 'Last research' },
  { name: 'vip', data_type: 'boolean', description: 'VIP' },
];

function holds(condition: Condition, patch: CustomerPatch, loadDate = LOAD_DATE): boolean {
  const engine = compileCampaigns(singleListConfig(condition, CUSTOM_FIELDS), { loadDate });
  return engine.evaluate(customerFacts(patch)).assignments.length === 1;
}

const loan = (field: string, operator: ConditionLeaf['operator'], value?: ConditionLeaf['value']): ConditionLeaf =>
  value === undefined ? { source: 'loan', field, operator } : { source: 'loan', field, operator, value };

// The Eastern zone changes to summer time on the default load date: date arithmetic must not notice.
let savedTimeZone: string | undefined;
beforeAll(() => {
  savedTimeZone = process.env.TZ;
  process.env.TZ = 'America/New_York';
});
afterAll(() => {
  if (savedTimeZone === undefined) delete process.env.TZ;
  else process.env.TZ = savedTimeZone;
});

describe('number operators (loan.days_past_due)', () => {
  it.each([
    ['=', 30, 30, true],
    ['=', 30, 31, false],
    ['=', 0, 0, true],
    ['=', 0, null, false],
    ['!=', 30, 31, true],
    ['!=', 30, 30, false],
    ['!=', 30, null, false],
    ['>', 30, 31, true],
    ['>', 30, 30, false],
    ['>', 30, 29, false],
    ['>', -1, null, false],
    ['>=', 30, 30, true],
    ['>=', 30, 29, false],
    ['>=', 30, 30.5, true],
    ['>=', 0, null, false],
    ['<', 30, 29, true],
    ['<', 30, 30, false],
    ['<', 30, null, false],
    ['<=', 30, 30, true],
    ['<=', 30, 31, false],
    ['<=', 30, null, false],
    ['in', [1, 30], 30, true],
    ['in', [1, 30], 2, false],
    ['in', [1, 30], null, false],
    ['not_in', [1, 30], 2, true],
    ['not_in', [1, 30], 30, false],
    ['not_in', [1, 30], null, false],
    ['between', [30, 60], 29, false],
    ['between', [30, 60], 30, true],
    ['between', [30, 60], 45, true],
    ['between', [30, 60], 60, true],
    ['between', [30, 60], 60.5, false],
    ['between', [30, 60], 61, false],
    ['between', [30, 30], 30, true],
    ['between', [30, 60], null, false],
  ] as const)('%s %j on %j → %s', (operator, value, actual, expected) => {
    // Prepare
    const condition = loan('days_past_due', operator, value as ConditionLeaf['value']);
    // Act
    const result = holds(condition, { loan: { days_past_due: actual } });
    // Assess
    expect(result).toBe(expected);
  });

  it('is_null / is_not_null tell null from zero', () => {
    expect(holds(loan('days_past_due', 'is_null'), { loan: { days_past_due: null } })).toBe(true);
    expect(holds(loan('days_past_due', 'is_null'), { loan: { days_past_due: 0 } })).toBe(false);
    expect(holds(loan('days_past_due', 'is_not_null'), { loan: { days_past_due: 0 } })).toBe(true);
    expect(holds(loan('days_past_due', 'is_not_null'), { loan: { days_past_due: null } })).toBe(false);
  });

  it('derived counters compare as numbers', () => {
    const cap: ConditionLeaf = { source: 'derived', field: 'calls_last_7_days', operator: '>=', value: 7 };
    expect(holds(cap, { derived: { calls_last_7_days: 7 } })).toBe(true);
    expect(holds(cap, { derived: { calls_last_7_days: 6 } })).toBe(false);
    expect(holds(cap, { derived: { calls_last_7_days: 10 } })).toBe(true);
  });
});

describe('string operators (loan.portfolio)', () => {
  it.each([
    ['=', 'SST', 'SST', true],
    ['=', 'SST', 'sst', false],
    ['=', 'SST', 'SST ', false],
    ['=', 'SST', null, false],
    ['!=', 'SST', 'OFAC', true],
    ['!=', 'SST', 'SST', false],
    ['!=', 'SST', null, false],
    ['in', ['SST', 'OFAC'], 'OFAC', true],
    ['in', ['SST', 'OFAC'], 'DECLINE', false],
    ['in', ['SST'], null, false],
    ['not_in', ['SST', 'OFAC'], 'DECLINE', true],
    ['not_in', ['SST', 'OFAC'], 'SST', false],
    ['not_in', ['SST'], null, false],
  ] as const)('%s %j on %j → %s', (operator, value, actual, expected) => {
    expect(holds(loan('portfolio', operator, value as ConditionLeaf['value']), { loan: { portfolio: actual } })).toBe(expected);
  });

  it('is_null holds on null only, not on the empty string', () => {
    expect(holds(loan('portfolio', 'is_null'), { loan: { portfolio: null } })).toBe(true);
    expect(holds(loan('portfolio', 'is_null'), { loan: { portfolio: '' } })).toBe(false);
    expect(holds(loan('portfolio', 'is_not_null'), { loan: { portfolio: '' } })).toBe(true);
    expect(holds(loan('portfolio', 'is_not_null'), { loan: { portfolio: null } })).toBe(false);
  });

  it('customer fields are read from the customer record', () => {
    const states: ConditionLeaf = { source: 'customer', field: 'state', operator: 'in', value: ['MA', 'WA'] };
    expect(holds(states, { customer: { state: 'WA' } })).toBe(true);
    expect(holds(states, { customer: { state: 'TX' } })).toBe(false);
    expect(holds(states, { customer: { state: null } })).toBe(false);
  });
});

describe('like: SQL LIKE, anchored and case-sensitive', () => {
  it.each([
    ['BLUE%', 'BLUE_FCU', true],
    ['blue%', 'BLUE_FCU', false],
    ['%FCU', 'BLUE_FCU', true],
    ['LUE%', 'BLUE_FCU', false],
    ['BLUE', 'BLUE_FCU', false],
    ['%LUE_F%', 'BLUE_FCU', true],
    ['%', '', true],
    ['%%', 'ANY', true],
    ['_', '', false],
    ['S_T', 'SST', true],
    ['S_T', 'ST', false],
    ['S_T', 'SSST', false],
    ['___', 'SST', true],
    ['__', 'SST', false],
    ['%S%T', 'USALLIANCE_SST', true],
    ['U%E', 'USALLIANCE', true],
    ['U%E', 'USALLIANCEX', false],
    // Regular-expression metacharacters are ordinary characters in a LIKE pattern.
    ['a.b', 'a.b', true],
    ['a.b', 'axb', false],
    ['A*', 'A*', true],
    ['A*', 'AAA', false],
    ['A*', 'A', false],
    ['(x%', '(xyz', true],
    ['(x%', 'xyz', false],
    ['[ab]', 'a', false],
    ['[ab]', '[ab]', true],
    ['%+%', 'a+b', true],
    ['^S$', 'S', false],
    ['^S$', '^S$', true],
    ['a|b', 'a', false],
    ['x?', 'x', false],
    ['{1}', '{1}', true],
    ['$%', '$5', true],
  ])('%j like %j → %s', (pattern, actual, expected) => {
    expect(holds(loan('portfolio', 'like', pattern), { loan: { portfolio: actual } })).toBe(expected);
  });

  it('never holds on null, not even for %', () => {
    expect(holds(loan('portfolio', 'like', '%'), { loan: { portfolio: null } })).toBe(false);
  });

  it('a multi-line value is matched as a whole', () => {
    expect(holds(loan('portfolio', 'like', 'A%B'), { loan: { portfolio: 'A\nB' } })).toBe(true);
    expect(holds(loan('portfolio', 'like', 'A_B'), { loan: { portfolio: 'A\nB' } })).toBe(true);
    expect(holds(loan('portfolio', 'like', 'A'), { loan: { portfolio: 'A\nB' } })).toBe(false);
  });
});

describe('date operators (loan.loan_tape_asofdate)', () => {
  it.each([
    ['=', '2026-03-01', '2026-03-01', true],
    ['=', '2026-03-01', '2026-02-28', false],
    ['=', '2026-03-01', '2026-03-02', false],
    ['!=', '2026-03-01', '2026-03-02', true],
    ['!=', '2026-03-01', '2026-03-01', false],
    ['!=', '2026-03-01', null, false],
    ['>', '2026-03-01', '2026-03-02', true],
    ['>', '2026-03-01', '2026-03-01', false],
    ['>', '2026-03-01', '2026-02-28', false],
    ['>=', '2026-03-01', '2026-03-01', true],
    ['>=', '2026-03-01', '2026-02-28', false],
    ['>=', '2026-03-01', null, false],
    ['<', '2026-03-01', '2026-02-28', true],
    ['<', '2026-03-01', '2026-03-01', false],
    ['<', '2026-03-01', '2026-03-02', false],
    ['<=', '2026-03-01', '2026-03-01', true],
    ['<=', '2026-03-01', '2026-03-02', false],
    ['<=', '2026-03-01', null, false],
    ['>', '2025-12-31', '2026-01-01', true],
    ['<', '2026-01-01', '2025-12-31', true],
    ['in', ['2026-03-01', '2026-03-08'], '2026-03-08', true],
    ['in', ['2026-03-01'], '2026-03-02', false],
    ['not_in', ['2026-03-01'], '2026-03-02', true],
    ['not_in', ['2026-03-01'], '2026-03-01', false],
    ['not_in', ['2026-03-01'], null, false],
    ['between', ['2026-02-27', '2026-03-01'], '2026-02-26', false],
    ['between', ['2026-02-27', '2026-03-01'], '2026-02-27', true],
    ['between', ['2026-02-27', '2026-03-01'], '2026-02-28', true],
    ['between', ['2026-02-27', '2026-03-01'], '2026-03-01', true],
    ['between', ['2026-02-27', '2026-03-01'], '2026-03-02', false],
    ['between', ['2025-12-30', '2026-01-02'], '2026-01-01', true],
    ['between', ['2026-02-27', '2026-03-01'], null, false],
  ] as const)('%s %j on %j → %s', (operator, value, actual, expected) => {
    expect(holds(loan('loan_tape_asofdate', operator, value as ConditionLeaf['value']), { loan: { loan_tape_asofdate: actual } })).toBe(expected);
  });
});

describe('days_since: whole calendar days from the date to the load date', () => {
  const since = (operator: 'days_since >' | 'days_since <', days: number): ConditionLeaf => ({
    source: 'derived',
    field: 'last_conversation_date',
    operator,
    value: days,
  });
  const on = (date: string | null): CustomerPatch => ({ derived: { last_conversation_date: date } });

  it.each([
    // Load date 2026-03-08: summer time starts in America/New_York that night.
    ['2026-03-08', '2026-03-01', 'days_since >', 7, false],
    ['2026-03-08', '2026-02-28', 'days_since >', 7, true],
    ['2026-03-08', '2026-03-02', 'days_since >', 7, false],
    ['2026-03-08', '2026-03-02', 'days_since <', 7, true],
    ['2026-03-08', '2026-03-01', 'days_since <', 7, false],
    ['2026-03-08', '2026-02-28', 'days_since <', 7, false],
    ['2026-03-09', '2026-03-08', 'days_since >', 0, true],
    ['2026-03-09', '2026-03-08', 'days_since <', 1, false],
    // Summer time ends on 2026-11-01.
    ['2026-11-02', '2026-10-31', 'days_since >', 1, true],
    ['2026-11-02', '2026-10-31', 'days_since >', 2, false],
    ['2026-11-02', '2026-10-31', 'days_since <', 3, true],
    ['2026-11-02', '2026-10-31', 'days_since <', 2, false],
    // Across a year end and a leap day.
    ['2026-01-03', '2025-12-27', 'days_since >', 7, false],
    ['2026-01-03', '2025-12-26', 'days_since >', 7, true],
    ['2026-01-03', '2025-12-28', 'days_since <', 7, true],
    ['2026-01-03', '2025-12-27', 'days_since <', 7, false],
    ['2024-03-01', '2024-02-23', 'days_since >', 7, false],
    ['2024-03-01', '2024-02-22', 'days_since >', 7, true],
    ['2025-03-01', '2025-02-22', 'days_since >', 7, false],
    ['2025-03-01', '2025-02-21', 'days_since >', 7, true],
    ['2026-03-08', '2025-03-08', 'days_since >', 364, true],
    ['2026-03-08', '2025-03-08', 'days_since >', 365, false],
    // The same day is 0 days; a later date counts negative days.
    ['2026-03-08', '2026-03-08', 'days_since >', 0, false],
    ['2026-03-08', '2026-03-08', 'days_since <', 1, true],
    ['2026-03-08', '2026-03-09', 'days_since <', 0, true],
    ['2026-03-08', '2026-03-09', 'days_since >', 0, false],
    // Fractional days compare as numbers.
    ['2026-03-08', '2026-03-05', 'days_since >', 2.5, true],
    ['2026-03-08', '2026-03-06', 'days_since >', 2.5, false],
    ['2026-03-08', '2026-03-06', 'days_since <', 2.5, true],
    ['2026-03-08', '2026-03-05', 'days_since <', 2.5, false],
  ] as const)('on %s, date %s: %s %d → %s', (loadDate, date, operator, days, expected) => {
    expect(holds(since(operator, days), on(date), loadDate)).toBe(expected);
  });

  it('is false on a missing date for both directions, and `not` turns that into true', () => {
    expect(holds(since('days_since >', 0), on(null))).toBe(false);
    expect(holds(since('days_since <', 100_000), on(null))).toBe(false);
    expect(holds({ not: since('days_since <', 90) }, on(null))).toBe(true);
  });

  it('depends on the load date the engine was compiled for', () => {
    const condition = since('days_since >', 30);
    expect(holds(condition, on('2026-02-01'), '2026-03-03')).toBe(false);
    expect(holds(condition, on('2026-02-01'), '2026-03-04')).toBe(true);
  });
});

describe('boolean operators', () => {
  const vip = (operator: ConditionLeaf['operator'], value?: boolean): ConditionLeaf =>
    value === undefined ? { source: 'custom_field', field: 'vip', operator } : { source: 'custom_field', field: 'vip', operator, value };

  it.each([
    ['=', true, true, true],
    ['=', true, false, false],
    ['=', false, false, true],
    ['=', false, true, false],
    ['!=', true, false, true],
    ['!=', true, true, false],
    ['!=', false, true, true],
    ['=', true, null, false],
    ['=', false, null, false],
    ['!=', true, null, false],
    ['!=', false, null, false],
  ] as const)('vip %s %s on %s → %s', (operator, value, actual, expected) => {
    expect(holds(vip(operator, value), { custom_fields: { vip: actual } })).toBe(expected);
  });

  it('a missing custom field behaves as null', () => {
    expect(holds(vip('=', false), { custom_fields: {} })).toBe(false);
    expect(holds(vip('!=', true), { custom_fields: {} })).toBe(false);
    expect(holds(vip('is_null'), { custom_fields: {} })).toBe(true);
    expect(holds(vip('is_not_null'), { custom_fields: {} })).toBe(false);
    expect(holds(vip('is_null'), { custom_fields: { vip: false } })).toBe(false);
    expect(holds(vip('is_not_null'), { custom_fields: { vip: false } })).toBe(true);
  });
});

describe('custom fields', () => {
  it('compare with their declared type and are false when missing', () => {
    const risky: ConditionLeaf = { source: 'custom_field', field: 'risk_score', operator: '>', value: 700 };
    expect(holds(risky, { custom_fields: { risk_score: 701 } })).toBe(true);
    expect(holds(risky, { custom_fields: { risk_score: 700 } })).toBe(false);
    expect(holds(risky, { custom_fields: { risk_score: null } })).toBe(false);
    expect(holds(risky, { custom_fields: {} })).toBe(false);
    expect(holds({ source: 'custom_field', field: 'risk_score', operator: 'is_null' }, { custom_fields: {} })).toBe(true);
    expect(holds({ source: 'custom_field', field: 'risk_score', operator: 'is_null' }, { custom_fields: { risk_score: null } })).toBe(true);
  });

  it('string and date custom fields use their operators', () => {
    const segment: ConditionLeaf = { source: 'custom_field', field: 'segment', operator: 'like', value: 'HI_%' };
    expect(holds(segment, { custom_fields: { segment: 'HI_RISK' } })).toBe(true);
    expect(holds(segment, { custom_fields: { segment: 'HI' } })).toBe(false);
    expect(holds(segment, { custom_fields: {} })).toBe(false);
    // The research queue: never researched, or not in the last 90 days.
    const researchDue: Condition = {
      any: [
        { source: 'custom_field', field: 'last_research_date', operator: 'is_null' },
        { source: 'custom_field', field: 'last_research_date', operator: 'days_since >', value: 90 },
      ],
    };
    expect(holds(researchDue, { custom_fields: {} })).toBe(true);
    expect(holds(researchDue, { custom_fields: { last_research_date: '2025-12-08' } })).toBe(false); // 90 days
    expect(holds(researchDue, { custom_fields: { last_research_date: '2025-12-07' } })).toBe(true); // 91 days
  });
});

describe('not over a comparison on null (two-valued logic)', () => {
  it.each([
    [loan('portfolio', '=', 'SST')],
    [loan('portfolio', '!=', 'SST')],
    [loan('portfolio', 'in', ['SST'])],
    [loan('portfolio', 'not_in', ['SST'])],
    [loan('portfolio', 'like', '%')],
  ])('not %j on a null portfolio holds', (leaf) => {
    expect(holds(leaf, { loan: { portfolio: null } })).toBe(false);
    expect(holds({ not: leaf }, { loan: { portfolio: null } })).toBe(true);
  });

  it('not not is the comparison itself, and not is_null is is_not_null', () => {
    expect(holds({ not: { not: loan('portfolio', '=', 'SST') } }, { loan: { portfolio: null } })).toBe(false);
    expect(holds({ not: loan('portfolio', 'is_null') }, { loan: { portfolio: null } })).toBe(false);
    expect(holds({ not: loan('portfolio', 'is_null') }, { loan: { portfolio: 'SST' } })).toBe(true);
  });

  it('all / any combine outcomes', () => {
    const sst = loan('portfolio', '=', 'SST');
    const late = loan('days_past_due', '>', 30);
    expect(holds({ all: [sst, late] }, { loan: { portfolio: 'SST', days_past_due: 31 } })).toBe(true);
    expect(holds({ all: [sst, late] }, { loan: { portfolio: 'SST', days_past_due: null } })).toBe(false);
    expect(holds({ any: [sst, late] }, { loan: { portfolio: null, days_past_due: 31 } })).toBe(true);
    expect(holds({ any: [sst, late] }, { loan: { portfolio: null, days_past_due: null } })).toBe(false);
  });
});

describe('contact conditions are existential: any contact satisfying the leaf', () => {
  const contactLeaf = (field: string, operator: ConditionLeaf['operator'], value?: ConditionLeaf['value']): ConditionLeaf =>
    value === undefined ? { source: 'contact', field, operator } : { source: 'contact', field, operator, value };

  it('holds when one contact of several matches, and never without contacts', () => {
    const hasEmail = contactLeaf('contact_type', '=', 'email');
    expect(holds(hasEmail, { contacts: [contact({ contact_type: 'mobile' }), contact({ contact_type: 'email' })] })).toBe(true);
    expect(holds(hasEmail, { contacts: [contact({ contact_type: 'mobile' }), contact({ contact_type: 'home' })] })).toBe(false);
    expect(holds(hasEmail, { contacts: [] })).toBe(false);
  });

  it('!= and is_null are existential too', () => {
    const notCustomer = contactLeaf('related_party_type', '!=', 'customer');
    expect(holds(notCustomer, { contacts: [contact()] })).toBe(false);
    expect(holds(notCustomer, { contacts: [contact(), contact({ related_party_type: 'reference_customer_parent' })] })).toBe(true);
    const unsuppressed = contactLeaf('suppression_reason', 'is_null');
    expect(holds(unsuppressed, { contacts: [contact({ suppression_reason: 'DNC' }), contact()] })).toBe(true);
    expect(holds(unsuppressed, { contacts: [contact({ suppression_reason: 'DNC' })] })).toBe(false);
    expect(holds(unsuppressed, { contacts: [] })).toBe(false);
  });

  it('a boolean contact field that is null on emails does not match =', () => {
    const textable = contactLeaf('can_send_sms', '=', true);
    expect(holds(textable, { contacts: [contact({ contact_type: 'email' }), contact({ can_send_sms: false })] })).toBe(false);
    expect(holds(textable, { contacts: [contact({ contact_type: 'email' }), contact({ can_send_sms: true })] })).toBe(true);
    expect(holds(contactLeaf('can_send_sms', 'is_null'), { contacts: [contact({ contact_type: 'email' })] })).toBe(true);
  });

  it('number and date contact fields, with their boundaries', () => {
    const badNumber = contactLeaf('wrong_number_count_90d', '>=', 2);
    expect(holds(badNumber, { contacts: [contact({ wrong_number_count_90d: 1 }), contact({ wrong_number_count_90d: 2 })] })).toBe(true);
    expect(holds(badNumber, { contacts: [contact({ wrong_number_count_90d: 1 })] })).toBe(false);
    const recent = contactLeaf('created_at', 'days_since <', 30);
    expect(holds(recent, { contacts: [contact({ created_at: '2026-02-06' }), contact({ created_at: '2026-02-07' })] })).toBe(true);
    expect(holds(recent, { contacts: [contact({ created_at: '2026-02-06' })] })).toBe(false);
  });

  it('each leaf is existential on its own: two leaves may hold on different contacts', () => {
    const condition: Condition = { all: [contactLeaf('contact_type', '=', 'email'), contactLeaf('can_send_sms', '=', true)] };
    expect(holds(condition, { contacts: [contact({ contact_type: 'email' }), contact({ can_send_sms: true })] })).toBe(true);
  });

  it('not negates the existential: no contact matches', () => {
    const noEmail: Condition = { not: contactLeaf('contact_type', '=', 'email') };
    expect(holds(noEmail, { contacts: [] })).toBe(true);
    expect(holds(noEmail, { contacts: [contact()] })).toBe(true);
    expect(holds(noEmail, { contacts: [contact(), contact({ contact_type: 'email' })] })).toBe(false);
  });

  it('like and in over contact values', () => {
    const bostonMobile = contactLeaf('contact_value', 'like', '+1617%');
    expect(holds(bostonMobile, { contacts: [contact({ contact_value: '+12065550103' }), contact({ contact_value: '+16175550101' })] })).toBe(true);
    expect(holds(bostonMobile, { contacts: [contact({ contact_value: '+12065550103' })] })).toBe(false);
    const parents = contactLeaf('related_party_type', 'in', ['reference_customer_parent', 'reference_customer_other']);
    expect(holds(parents, { contacts: [contact(), contact({ related_party_type: 'reference_customer_other' })] })).toBe(true);
    expect(holds(contactLeaf('related_party_type', 'not_in', ['customer']), { contacts: [contact()] })).toBe(false);
  });
});
