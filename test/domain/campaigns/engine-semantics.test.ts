import { describe, expect, it } from 'vitest';
import { FACT_CONTACT_FILTERS } from '../../../domain/campaigns/contact-filters.ts';
import type { ConditionExplanation, ContactFilter, FilterContext, ListAssignment, ListContext } from '../../../domain/campaigns/decision.ts';
import { compileCampaigns } from '../../../domain/campaigns/engine.ts';
import type { ContactFacts } from '../../../domain/campaigns/facts.ts';
import type { CampaignConfig, Condition } from '../../../domain/campaigns/schema.ts';
import { buildConfig, contact, customerFacts, type CampaignConfigInput, type CustomerPatch } from './fixtures.ts';

/** Hand-written scenarios for SPEC §6 and the issue-3 brief, one rule at a time. */

const LOAD_DATE = '2026-03-08';

type SetInput = CampaignConfigInput['sets'][number];
type ListInput = SetInput['lists'][number];

const pastDue = (days: number): Condition => ({ source: 'loan', field: 'days_past_due', operator: '>=', value: days });
const portfolio = (name: string): Condition => ({ source: 'loan', field: 'portfolio', operator: '=', value: name });
const always: Condition = { source: 'loan', field: 'days_past_due', operator: 'is_not_null' };

function list(name: string, priority: number, fields: Partial<ListInput> = {}): ListInput {
  return { name, priority, purpose: 'collections', contact_required: false, conditions: always, ...fields };
}

function config(sets: SetInput[], fields: Partial<CampaignConfigInput> = {}): CampaignConfig {
  return buildConfig({ version: 'semantics', ...fields, sets });
}

function evaluate(campaigns: CampaignConfig, patch: CustomerPatch = {}, filters?: readonly ContactFilter[]) {
  const engine = compileCampaigns(campaigns, filters === undefined ? { loadDate: LOAD_DATE } : { loadDate: LOAD_DATE, contactFilters: filters });
  return engine.evaluate(customerFacts(patch));
}

function assignment(campaigns: CampaignConfig, patch: CustomerPatch, setName: string, filters?: readonly ContactFilter[]): ListAssignment {
  const found = evaluate(campaigns, patch, filters).assignments.find((candidate) => candidate.set_name === setName);
  if (found === undefined) throw new Error(`no assignment in set ${setName}`);
  return found;
}

const values = (selected: readonly { contact_value: string }[]) => selected.map((selectedContact) => selectedContact.contact_value);

describe('assignment (§6.1)', () => {
  const campaigns = config([
    {
      name: 'COLLECTIONS',
      channel: 'call',
      // Written in reverse: priority, not the order in the file, decides.
      lists: [list('LATE', 2, { conditions: pastDue(30) }), list('EARLY', 1, { conditions: pastDue(1) }), list('CURRENT', 0, { active: false })],
    },
  ]);

  it('tries the lists by ascending priority and stops at the first that holds', () => {
    expect(evaluate(campaigns, { loan: { days_past_due: 45 } }).assignments.map((a) => a.list_name)).toEqual(['EARLY']);
  });

  it('skips inactive lists even when their conditions hold', () => {
    const withLateFirst = config([
      {
        name: 'COLLECTIONS',
        channel: 'call',
        lists: [list('LATE', 1, { conditions: pastDue(30), active: false }), list('EARLY', 2, { conditions: pastDue(1) })],
      },
    ]);
    expect(evaluate(withLateFirst, { loan: { days_past_due: 45 } }).assignments.map((a) => a.list_name)).toEqual(['EARLY']);
  });

  it('leaves a set out of the decision when no list holds', () => {
    expect(evaluate(campaigns, { loan: { days_past_due: 0 } }).assignments).toEqual([]);
  });

  it("assigns in every set independently, in the configuration's set order", () => {
    const twoSets = config([
      { name: 'SERVICING', channel: 'sms', lists: [list('REMINDER', 1, { purpose: 'servicing' })] },
      { name: 'COLLECTIONS', channel: 'call', lists: [list('EARLY', 1, { conditions: pastDue(1) })] },
    ]);
    const decision = evaluate(twoSets, { loan: { days_past_due: 5 } });
    expect(decision.assignments.map((a) => [a.set_name, a.list_name, a.channel, a.purpose])).toEqual([
      ['SERVICING', 'REMINDER', 'sms', 'servicing'],
      ['COLLECTIONS', 'EARLY', 'call', 'collections'],
    ]);
    expect(decision.payoffuid).toBe(customerFacts().payoffuid);
    expect(decision.account_number).toBe(customerFacts().account_number);
  });

  it("a list's channel overrides its set's", () => {
    const mixed = config([{ name: 'MARKETING', channel: 'call', lists: [list('PRESCREEN', 1, { channel: 'email', purpose: 'marketing' })] }]);
    expect(assignment(mixed, {}, 'MARKETING').channel).toBe('email');
  });
});

describe('suppressions (§6.2)', () => {
  it('keep the assignment: a suppressed customer does not fall through to a lower list', () => {
    // Prepare
    const campaigns = config([
      {
        name: 'COLLECTIONS',
        channel: 'call',
        lists: [
          list('EARLY', 1, { conditions: pastDue(1), suppression_rules: [{ name: 'sst early', reason: 'SST_EARLY', conditions: portfolio('SST') }] }),
          list('LATE', 2, { conditions: pastDue(1) }),
        ],
      },
    ]);
    // Act
    const suppressed = assignment(campaigns, { loan: { portfolio: 'SST', days_past_due: 45 }, contacts: [contact()] }, 'COLLECTIONS');
    // Assess
    expect(suppressed).toMatchObject({
      list_name: 'EARLY',
      suppressed: true,
      suppressions: [{ type: 'LIST', reason: 'SST_EARLY', origin: 'sst early' }],
      contacts: [],
      dropped: [],
    });
  });

  it('are all recorded, in the order global → set → list → cross-set → cross-list, rules before feed entries', () => {
    // Prepare
    const campaigns = config(
      [
        { name: 'SERVICING', channel: 'sms', lists: [list('REMINDER', 1, { purpose: 'servicing' })] },
        {
          name: 'COLLECTIONS',
          channel: 'call',
          exclude_if_assigned_in: ['SERVICING'],
          suppression_rules: [{ name: 'set rule', reason: 'SET_REASON', conditions: always }],
          lists: [
            list('EARLY', 1, {
              exclude_if_on_lists: ['REMINDER'],
              suppression_rules: [{ name: 'list rule', reason: 'LIST_REASON', conditions: always }],
            }),
          ],
        },
      ],
      {
        suppression_rules: [
          { name: 'ofac', reason: 'PORTFOLIO_OFAC', conditions: portfolio('OFAC') },
          { name: 'decline', reason: 'PORTFOLIO_DECLINE', conditions: portfolio('DECLINE') },
        ],
      },
    );
    // Feed entries are given out of level order on purpose.
    const suppressions: CustomerPatch['suppressions'] = [
      { scope: 'LIST', set_name: 'COLLECTIONS', list_name: 'EARLY', reason: 'LITIGATION' },
      { scope: 'SET', set_name: 'COLLECTIONS', list_name: null, reason: 'CEASE_DESIST' },
      { scope: 'GLOBAL', set_name: null, list_name: null, reason: 'BANKRUPTCY' },
    ];
    // Act
    const result = assignment(campaigns, { loan: { portfolio: 'OFAC' }, suppressions }, 'COLLECTIONS');
    // Assess
    expect(result.suppressions).toEqual([
      { type: 'GLOBAL', reason: 'PORTFOLIO_OFAC', origin: 'ofac' },
      { type: 'GLOBAL', reason: 'BANKRUPTCY', origin: 'suppression_feed' },
      { type: 'SET', reason: 'SET_REASON', origin: 'set rule' },
      { type: 'SET', reason: 'CEASE_DESIST', origin: 'suppression_feed' },
      { type: 'LIST', reason: 'LIST_REASON', origin: 'list rule' },
      { type: 'LIST', reason: 'LITIGATION', origin: 'suppression_feed' },
      { type: 'CROSS_SET', reason: 'CROSS_SET', origin: 'exclude_if_assigned_in: SERVICING' },
      { type: 'CROSS_LIST', reason: 'CROSS_LIST', origin: 'exclude_if_on_lists: SERVICING/REMINDER' },
    ]);
    expect(result.suppressed).toBe(true);
    // The SERVICING set has none of the set or list suppressions, only the global ones.
    expect(assignment(campaigns, { loan: { portfolio: 'OFAC' }, suppressions }, 'SERVICING').suppressions.map((s) => s.type)).toEqual(['GLOBAL', 'GLOBAL']);
  });

  it('feed SET and LIST entries apply only to the set and list they name', () => {
    const campaigns = config([
      { name: 'COLLECTIONS', channel: 'call', lists: [list('EARLY', 1), list('LATE', 2)] },
      { name: 'RECOVERY', channel: 'call', lists: [list('EARLY', 1)] },
    ]);
    const suppressions: CustomerPatch['suppressions'] = [
      { scope: 'SET', set_name: 'RECOVERY', list_name: null, reason: 'OTHER_SET' },
      { scope: 'LIST', set_name: 'COLLECTIONS', list_name: 'LATE', reason: 'OTHER_LIST' },
      { scope: 'LIST', set_name: 'RECOVERY', list_name: 'EARLY', reason: 'SAME_LIST_NAME_OTHER_SET' },
    ];
    const decision = evaluate(campaigns, { suppressions });
    expect(decision.assignments.map((a) => [a.set_name, a.suppressions.map((s) => `${s.type} ${s.reason}`)])).toEqual([
      ['COLLECTIONS', []],
      ['RECOVERY', ['SET OTHER_SET', 'LIST SAME_LIST_NAME_OTHER_SET']],
    ]);
  });

  it("cross-set looks at the other set's assignment, even when that assignment is suppressed", () => {
    const campaigns = config([
      {
        name: 'SERVICING',
        channel: 'sms',
        lists: [
          list('REMINDER', 1, {
            purpose: 'servicing',
            conditions: pastDue(1),
            suppression_rules: [{ name: 'sst', reason: 'SST', conditions: portfolio('SST') }],
          }),
        ],
      },
      { name: 'COLLECTIONS', channel: 'call', exclude_if_assigned_in: ['SERVICING'], lists: [list('EARLY', 1)] },
    ]);
    const suppressedThere = evaluate(campaigns, { loan: { portfolio: 'SST', days_past_due: 10 } });
    expect(suppressedThere.assignments.map((a) => [a.set_name, a.suppressed])).toEqual([
      ['SERVICING', true],
      ['COLLECTIONS', true],
    ]);
    expect(suppressedThere.assignments[1]!.suppressions.map((s) => s.type)).toEqual(['CROSS_SET']);
    const notAssignedThere = evaluate(campaigns, { loan: { portfolio: 'SST', days_past_due: 0 } });
    expect(notAssignedThere.assignments.map((a) => [a.set_name, a.suppressed])).toEqual([['COLLECTIONS', false]]);
  });

  it('cross-list applies only when the customer is on the named list, written SET/LIST or as a unique list name', () => {
    const campaigns = config([
      {
        name: 'MARKETING',
        channel: 'email',
        lists: [
          list('PIF', 1, { purpose: 'marketing', conditions: { source: 'loan', field: 'loan_status', operator: '=', value: 'PAID_OFF' } }),
          list('PRESCREEN', 2, { purpose: 'marketing' }),
        ],
      },
      { name: 'SERVICING', channel: 'call', lists: [list('WELCOME', 1, { purpose: 'servicing', exclude_if_on_lists: ['MARKETING/PIF'] })] },
      { name: 'RESEARCH', channel: 'call', lists: [list('QUEUE', 1, { purpose: 'servicing', exclude_if_on_lists: ['PIF'] })] },
    ]);
    const onPif = evaluate(campaigns, { loan: { loan_status: 'PAID_OFF' } });
    expect(onPif.assignments.map((a) => [a.list_name, a.suppressions.map((s) => s.origin)])).toEqual([
      ['PIF', []],
      ['WELCOME', ['exclude_if_on_lists: MARKETING/PIF']],
      ['QUEUE', ['exclude_if_on_lists: MARKETING/PIF']],
    ]);
    // On another list of the same set: no cross-list suppression.
    const onPrescreen = evaluate(campaigns, { loan: { loan_status: 'CURRENT' } });
    expect(onPrescreen.assignments.map((a) => [a.list_name, a.suppressed])).toEqual([
      ['PRESCREEN', false],
      ['WELCOME', false],
      ['QUEUE', false],
    ]);
  });
});

describe('custom fields that could not be read (§5, fail closed)', () => {
  const hardship: Condition = { source: 'custom_field', field: 'hardship_plan', operator: '=', value: true };
  const campaigns = config(
    [
      {
        name: 'COLLECTIONS',
        channel: 'call',
        lists: [list('EARLY', 1, { conditions: pastDue(1), suppression_rules: [{ name: 'hardship', reason: 'HARDSHIP_PLAN', conditions: hardship }] })],
      },
      { name: 'SERVICING', channel: 'call', lists: [list('REMINDER', 1, { purpose: 'servicing' })] },
    ],
    {
      custom_fields: [
        { name: 'hardship_plan', data_type: 'boolean', description: 'On a hardship plan' },
        { name: 'risk_score', data_type: 'number', description: 'Risk score' },
      ],
    },
  );

  it('keeps the customer off every set whose rules read the field, recording the field; other sets decide as usual', () => {
    // Prepare: "hardship_plan": "true" (a string) is not read as true; the suppression rule sees null.
    const patch: CustomerPatch = {
      loan: { days_past_due: 45 },
      contacts: [contact()],
      custom_fields: { hardship_plan: null },
      unreadable_custom_fields: ['hardship_plan'],
    };
    // Act
    const decision = evaluate(campaigns, patch);
    // Assess
    expect(decision.assignments.map((a) => [a.set_name, a.suppressed, a.suppressions])).toEqual([
      ['COLLECTIONS', true, [{ type: 'SET', reason: 'UNREADABLE_CUSTOM_FIELD', origin: 'custom_field: hardship_plan' }]],
      ['SERVICING', false, []],
    ]);
  });

  it('does not hold a field no rule reads against the customer', () => {
    const decision = evaluate(campaigns, { loan: { days_past_due: 45 }, contacts: [contact()], unreadable_custom_fields: ['risk_score'] });
    expect(decision.assignments.map((a) => a.suppressed)).toEqual([false, false]);
  });
});

describe('contact selection (§6.3)', () => {
  const customerMobile = contact({ contact_type: 'mobile', contact_value: '+16175550101', created_at: '2025-01-01' });
  const customerHome = contact({ contact_type: 'home', contact_value: '+16175550102', created_at: '2025-06-01' });
  const customerWork = contact({ contact_type: 'work', contact_value: '+16175550103', created_at: '2024-01-01' });
  const customerEmail = contact({ contact_type: 'email', contact_value: 'ann@example.com' });
  const parentMobile = contact({ related_party_type: 'reference_customer_parent', contact_value: '+12065550104', created_at: '2025-02-01' });
  const otherHome = contact({ related_party_type: 'reference_customer_other', contact_type: 'home', contact_value: '+12065550105', created_at: '2025-09-01' });
  const allContacts = [customerMobile, customerHome, customerWork, customerEmail, parentMobile, otherHome];

  const callSet = (fields: Partial<ListInput>): CampaignConfig =>
    config([{ name: 'COLLECTIONS', channel: 'call', lists: [list('EARLY', 1, { contact_required: true, ...fields })] }]);

  it('uses the first rule by rule_priority whose conditions hold, not the first written', () => {
    const campaigns = callSet({
      contact_rules: [
        { rule_priority: 20, outputs: { related_party_type: 'customer', contact_type: 'mobile' } },
        { rule_priority: 10, conditions: pastDue(60), outputs: [{ related_party_type: 'reference_customer_all', contact_type: 'all' }] },
      ],
    });
    expect(values(assignment(campaigns, { loan: { days_past_due: 90 }, contacts: allContacts }, 'COLLECTIONS').contacts)).toEqual([
      '+12065550105',
      '+12065550104',
    ]);
    expect(values(assignment(campaigns, { loan: { days_past_due: 30 }, contacts: allContacts }, 'COLLECTIONS').contacts)).toEqual(['+16175550101']);
  });

  it('takes the outputs in rank order, then the newest contact first within an output', () => {
    const campaigns = callSet({
      contact_rules: [
        {
          rule_priority: 1,
          outputs: [
            { related_party_type: 'customer', contact_type: 'work' },
            { related_party_type: 'customer', contact_type: 'all' },
          ],
        },
      ],
    });
    const result = assignment(campaigns, { contacts: allContacts }, 'COLLECTIONS');
    expect(result.contacts).toEqual([
      {
        related_party_type: 'customer',
        contact_type: 'work',
        contact_value: '+16175550103',
        contact_rank: 1,
        timezone: null,
        window_start_utc: null,
        window_end_utc: null,
      },
      {
        related_party_type: 'customer',
        contact_type: 'home',
        contact_value: '+16175550102',
        contact_rank: 2,
        timezone: null,
        window_start_utc: null,
        window_end_utc: null,
      },
      {
        related_party_type: 'customer',
        contact_type: 'mobile',
        contact_value: '+16175550101',
        contact_rank: 3,
        timezone: null,
        window_start_utc: null,
        window_end_utc: null,
      },
    ]);
    // The work phone, asked for twice, is used once and not reported as a duplicate of itself.
    expect(result.dropped).toEqual([]);
  });

  it("contact_type all means the types of the list's channel: calls every phone, SMS mobiles, email addresses", () => {
    const campaigns = config([
      {
        name: 'CALLS',
        channel: 'call',
        lists: [list('L', 1, { contact_rules: [{ rule_priority: 1, outputs: { related_party_type: 'customer', contact_type: 'all' } }] })],
      },
      {
        name: 'TEXTS',
        channel: 'sms',
        lists: [
          list('L', 1, { purpose: 'servicing', contact_rules: [{ rule_priority: 1, outputs: { related_party_type: 'customer', contact_type: 'all' } }] }),
        ],
      },
      {
        name: 'EMAILS',
        channel: 'email',
        lists: [
          list('L', 1, { purpose: 'marketing', contact_rules: [{ rule_priority: 1, outputs: { related_party_type: 'customer', contact_type: 'all' } }] }),
        ],
      },
    ]);
    const decision = evaluate(campaigns, { contacts: allContacts });
    expect(decision.assignments.map((a) => values(a.contacts))).toEqual([
      ['+16175550102', '+16175550101', '+16175550103'],
      ['+16175550101'],
      ['ann@example.com'],
    ]);
  });

  it('reference_customer_all takes both reference parties, newest first, and not the customer', () => {
    const campaigns = callSet({ contact_rules: [{ rule_priority: 1, outputs: { related_party_type: 'reference_customer_all', contact_type: 'all' } }] });
    const result = assignment(campaigns, { contacts: allContacts }, 'COLLECTIONS');
    expect(result.contacts.map((c) => [c.related_party_type, c.contact_value])).toEqual([
      ['reference_customer_other', '+12065550105'],
      ['reference_customer_parent', '+12065550104'],
    ]);
  });

  it('without contact rules, uses every contact of the customer the channel can use', () => {
    const result = assignment(callSet({}), { contacts: allContacts }, 'COLLECTIONS');
    expect(result.contacts.map((c) => [c.related_party_type, c.contact_value])).toEqual([
      ['customer', '+16175550102'],
      ['customer', '+16175550101'],
      ['customer', '+16175550103'],
    ]);
  });

  it('keeps the newest record of a duplicated value and drops the others as DUPLICATE, even across outputs', () => {
    // The same number recorded as the customer's mobile (older) and a reference's home (newer).
    const shared = '+16175550101';
    const contacts = [
      contact({ contact_type: 'mobile', contact_value: shared, created_at: '2024-05-01' }),
      contact({ contact_type: 'home', contact_value: '+16175550109', created_at: '2024-06-01' }),
      contact({ related_party_type: 'reference_customer_parent', contact_type: 'home', contact_value: shared, created_at: '2025-05-01' }),
    ];
    const campaigns = callSet({
      contact_rules: [
        {
          rule_priority: 1,
          outputs: [
            { related_party_type: 'customer', contact_type: 'all' },
            { related_party_type: 'reference_customer_all', contact_type: 'all' },
          ],
        },
      ],
    });
    const result = assignment(campaigns, { contacts }, 'COLLECTIONS');
    expect(result.contacts.map((c) => [c.contact_rank, c.related_party_type, c.contact_value])).toEqual([
      [1, 'customer', '+16175550109'],
      [2, 'reference_customer_parent', shared],
    ]);
    expect(result.dropped).toEqual([{ related_party_type: 'customer', contact_type: 'mobile', contact_value: shared, reason: 'DUPLICATE' }]);
  });

  it('the newest record of a value decides its type even when the list does not ask for that type (§3.2): an old mobile record of a number now home is not texted', () => {
    const number = '+16175550101';
    const texts = config([{ name: 'TEXTS', channel: 'sms', lists: [list('L', 1, { purpose: 'servicing', contact_required: true })] }]);
    const result = assignment(
      texts,
      {
        contacts: [
          contact({ contact_type: 'mobile', contact_value: number, created_at: '2024-05-01' }),
          contact({ contact_type: 'home', contact_value: number, created_at: '2025-05-01' }),
        ],
      },
      'TEXTS',
    );
    expect(result.contacts).toEqual([]);
    expect(result.dropped).toEqual([{ related_party_type: 'customer', contact_type: 'mobile', contact_value: number, reason: 'DUPLICATE' }]);
    expect(result.suppressions.map((s) => s.reason)).toEqual(['NO_CONTACTABLE_POINT']);
  });

  it('between records of a value made on one date, the type that allows least stands: home, then work, then mobile', () => {
    const number = '+16175550101';
    const texts = config([{ name: 'TEXTS', channel: 'sms', lists: [list('L', 1, { purpose: 'servicing' })] }]);
    const sameDay = (type: 'mobile' | 'work') => contact({ contact_type: type, contact_value: number, created_at: '2025-05-01' });
    expect(assignment(texts, { contacts: [sameDay('mobile'), sameDay('work')] }, 'TEXTS').dropped.map((d) => [d.contact_type, d.reason])).toEqual([
      ['mobile', 'DUPLICATE'],
    ]);
  });

  it('between equally new records of a value of one type, keeps the first selected', () => {
    const contacts = [
      contact({ contact_type: 'home', contact_value: '+16175550101', created_at: '2025-01-01' }),
      contact({ contact_type: 'work', contact_value: '+16175550101', created_at: '2025-01-01' }),
    ];
    const result = assignment(callSet({}), { contacts }, 'COLLECTIONS');
    expect(result.contacts.map((c) => c.contact_type)).toEqual(['home']);
    expect(result.dropped.map((d) => [d.contact_type, d.reason])).toEqual([['work', 'DUPLICATE']]);
  });

  it('suppresses with NO_CONTACTABLE_POINT when every selected contact is dropped, keeping the drops', () => {
    const result = assignment(callSet({}), { contacts: [contact({ suppression_reason: 'DNC' })] }, 'COLLECTIONS');
    expect(result).toMatchObject({
      list_name: 'EARLY',
      suppressed: true,
      suppressions: [{ type: 'LIST', reason: 'NO_CONTACTABLE_POINT' }],
      contacts: [],
      dropped: [{ contact_value: '+16175550101', reason: 'DNC' }],
    });
  });

  it('suppresses with NO_CONTACTABLE_POINT when the rules select nothing', () => {
    const result = assignment(callSet({}), { contacts: [parentMobile, customerEmail] }, 'COLLECTIONS');
    expect(result.suppressions.map((s) => `${s.type} ${s.reason}`)).toEqual(['LIST NO_CONTACTABLE_POINT']);
    expect(result.dropped).toEqual([]);
  });

  it('keeps a customer without contacts unsuppressed on a list with contact_required: false', () => {
    const campaigns = config([{ name: 'RESEARCH', channel: 'call', lists: [list('QUEUE', 1, { purpose: 'servicing', contact_required: false })] }]);
    expect(assignment(campaigns, { contacts: [contact({ suppression_reason: 'DNC' })] }, 'RESEARCH')).toMatchObject({
      suppressed: false,
      suppressions: [],
      contacts: [],
      dropped: [{ reason: 'DNC' }],
    });
  });
});

describe('contact_conditions: the contacts a contact rule takes (§6.3)', () => {
  const notLandline: Condition = { source: 'contact', field: 'phone_technology', operator: '!=', value: 'LANDLINE' };
  const notDisconnected: Condition = { not: { source: 'contact', field: 'phone_status', operator: '=', value: 'DISCONNECTED' } };
  const goodQuality: Condition = { source: 'contact', field: 'quality_score', operator: '>=', value: 40 };
  const rule = (contactConditions: Condition) => [
    { rule_priority: 1, contact_conditions: contactConditions, outputs: { related_party_type: 'customer' as const, contact_type: 'all' as const } },
  ];
  const smsSet = (contactConditions: Condition) =>
    config([
      { name: 'TEXTS', channel: 'sms', lists: [list('L', 1, { purpose: 'servicing', contact_required: true, contact_rules: rule(contactConditions) })] },
    ]);
  const callSet = (contactConditions: Condition) =>
    config([{ name: 'CALLS', channel: 'call', lists: [list('L', 1, { contact_required: true, contact_rules: rule(contactConditions) })] }]);

  it("the SMS rule does not take a LANDLINE mobile, while it takes the customer's wireless one", () => {
    const landline = contact({ contact_value: '+16175550101', phone_technology: 'LANDLINE', created_at: '2026-01-01' });
    const wireless = contact({ contact_value: '+16175550102', phone_technology: 'WIRELESS', created_at: '2025-01-01' });
    const result = assignment(smsSet(notLandline), { contacts: [landline, wireless] }, 'TEXTS');
    expect(values(result.contacts)).toEqual(['+16175550102']);
    // Not taken is not dropped: no filter saw it.
    expect(result.dropped).toEqual([]);
    expect(assignment(smsSet(notLandline), { contacts: [landline] }, 'TEXTS').suppressions.map((s) => s.reason)).toEqual(['NO_CONTACTABLE_POINT']);
  });

  it('a DISCONNECTED number is not called; an ACTIVE one and one without a gold row (null status) are', () => {
    const contacts = [
      contact({ contact_type: 'home', contact_value: '+16175550101', phone_status: 'DISCONNECTED' }),
      contact({ contact_type: 'work', contact_value: '+16175550102', phone_status: 'ACTIVE' }),
      contact({ contact_type: 'mobile', contact_value: '+16175550103', phone_status: null, phone_technology: null, quality_score: null }),
    ];
    expect(values(assignment(callSet(notDisconnected), { contacts }, 'CALLS').contacts)).toEqual(['+16175550102', '+16175550103']);
  });

  it('a null quality_score (no gold row) does not pass quality_score >= 40: fail closed', () => {
    const contacts = [
      contact({ contact_value: '+16175550101', quality_score: null, phone_status: null, phone_technology: null }),
      contact({ contact_type: 'home', contact_value: '+16175550102', quality_score: 39 }),
      contact({ contact_type: 'work', contact_value: '+16175550103', quality_score: 40 }),
    ];
    expect(values(assignment(callSet(goodQuality), { contacts }, 'CALLS').contacts)).toEqual(['+16175550103']);
  });

  it('read each contact alone, unlike conditions, which any contact of the customer satisfies', () => {
    const landline = contact({ contact_value: '+16175550101', phone_technology: 'LANDLINE' });
    const wirelessHome = contact({ contact_type: 'home', contact_value: '+16175550102', phone_technology: 'WIRELESS' });
    const existential = config([
      {
        name: 'TEXTS',
        channel: 'sms',
        lists: [
          list('L', 1, {
            purpose: 'servicing',
            contact_rules: [{ rule_priority: 1, conditions: notLandline, outputs: { related_party_type: 'customer', contact_type: 'mobile' } }],
          }),
        ],
      },
    ]);
    // The home phone satisfies `conditions`, so the rule holds and takes the landline mobile.
    expect(values(assignment(existential, { contacts: [landline, wirelessHome] }, 'TEXTS').contacts)).toEqual(['+16175550101']);
    expect(values(assignment(smsSet(notLandline), { contacts: [landline, wirelessHome] }, 'TEXTS').contacts)).toEqual([]);
  });
});

describe('the facts-based drop filters (§6.3), at their thresholds', () => {
  const single = (channel: 'call' | 'sms' | 'email', fields: Partial<CampaignConfigInput> = {}) =>
    config([{ name: 'S', channel, lists: [list('L', 1, { purpose: channel === 'email' ? 'marketing' : 'collections', contact_required: false })] }], fields);
  const reasons = (campaigns: CampaignConfig, ...contacts: ContactFacts[]) =>
    assignment(campaigns, { contacts }, 'S').dropped.map((d) => [d.contact_value, d.reason]);

  it("drops a contact named by the suppression feed with the feed's reason, on every channel", () => {
    expect(reasons(single('call'), contact({ suppression_reason: 'CEASE_DESIST' }))).toEqual([['+16175550101', 'CEASE_DESIST']]);
    expect(reasons(single('sms'), contact({ suppression_reason: 'DNC' }))).toEqual([['+16175550101', 'DNC']]);
    expect(reasons(single('email'), contact({ contact_type: 'email', suppression_reason: 'DNC' }))).toEqual([['ann@example.com', 'DNC']]);
  });

  it('calls: BAD_NUMBER from the configured WRONG_NUMBER and DISCONNECTED thresholds on', () => {
    const campaigns = single('call', { bad_number: { wrong_number_count: 3, disconnected_count: 5 } });
    expect(
      reasons(
        campaigns,
        contact({ contact_value: '+16175550101', wrong_number_count_90d: 2, disconnected_count_90d: 4 }),
        contact({ contact_value: '+16175550102', wrong_number_count_90d: 3 }),
        contact({ contact_value: '+16175550103', disconnected_count_90d: 5 }),
      ),
    ).toEqual([
      ['+16175550102', 'BAD_NUMBER'],
      ['+16175550103', 'BAD_NUMBER'],
    ]);
  });

  it('calls: the default thresholds are 2 wrong numbers and 3 disconnections', () => {
    expect(
      reasons(
        single('call'),
        contact({ contact_value: '+16175550101', wrong_number_count_90d: 1, disconnected_count_90d: 2 }),
        contact({ contact_value: '+16175550102', wrong_number_count_90d: 2 }),
        contact({ contact_value: '+16175550103', disconnected_count_90d: 3 }),
      ),
    ).toEqual([
      ['+16175550102', 'BAD_NUMBER'],
      ['+16175550103', 'BAD_NUMBER'],
    ]);
  });

  it('the bad-number flush is for calls only; SMS consent is for SMS only', () => {
    expect(reasons(single('sms'), contact({ wrong_number_count_90d: 9, disconnected_count_90d: 9 }))).toEqual([]);
    expect(reasons(single('call'), contact({ can_send_sms: false, opted_out: true }))).toEqual([]);
  });

  it('SMS: NO_SMS_CONSENT unless can_send_sms is true and the number did not opt out', () => {
    expect(
      reasons(
        single('sms'),
        contact({ contact_value: '+16175550101', can_send_sms: true }),
        contact({ contact_value: '+16175550102', can_send_sms: false }),
        contact({ contact_value: '+16175550103', can_send_sms: true, opted_out: true }),
      ),
    ).toEqual([
      ['+16175550102', 'NO_SMS_CONSENT'],
      ['+16175550103', 'NO_SMS_CONSENT'],
    ]);
  });

  it('email: EMAIL_OPT_OUT, then EMAIL_BOUNCED', () => {
    expect(
      reasons(
        single('email'),
        contact({ contact_type: 'email', contact_value: 'a@example.com' }),
        contact({ contact_type: 'email', contact_value: 'b@example.com', opted_out: true }),
        contact({ contact_type: 'email', contact_value: 'c@example.com', bounced: true }),
        contact({ contact_type: 'email', contact_value: 'd@example.com', opted_out: true, bounced: true }),
      ),
    ).toEqual([
      ['b@example.com', 'EMAIL_OPT_OUT'],
      ['c@example.com', 'EMAIL_BOUNCED'],
      ['d@example.com', 'EMAIL_OPT_OUT'],
    ]);
  });

  it("the feed's reason comes first when several filters would drop a contact", () => {
    expect(reasons(single('call'), contact({ suppression_reason: 'DNC', wrong_number_count_90d: 5 }))).toEqual([['+16175550101', 'DNC']]);
  });
});

describe('custom contact filters', () => {
  const seen: { list: ListContext; context: FilterContext }[] = [];
  /** Drops work phones on call lists only, and gives every contact it keeps a calling window. */
  const noWorkPhones: ContactFilter = {
    name: 'no_work_phones',
    forList: (list, context) => {
      seen.push({ list, context });
      if (list.channel !== 'call') return null;
      return (candidate) => {
        if (candidate.facts.contact_type === 'work') return 'WORK_PHONE';
        candidate.timezone = 'America/New_York';
        candidate.window_start_utc = `${context.loadDate}T13:00:00Z`;
        candidate.window_end_utc = `${context.loadDate}T23:00:00Z`;
        return null;
      };
    },
  };
  const campaigns = config([
    {
      name: 'CALLS',
      channel: 'call',
      lists: [list('L', 1, { contact_rules: [{ rule_priority: 1, outputs: { related_party_type: 'customer', contact_type: 'all' } }] })],
    },
    { name: 'TEXTS', channel: 'sms', lists: [list('L', 1, { purpose: 'servicing' })] },
  ]);
  const contacts = [
    contact({ contact_type: 'work', contact_value: '+16175550103' }),
    contact({ contact_type: 'mobile', contact_value: '+16175550101', suppression_reason: 'DNC' }),
    contact({ contact_type: 'home', contact_value: '+16175550102' }),
  ];

  it('run after the default filters, drop with their own reason, and fill in the calling window', () => {
    const calls = assignment(campaigns, { contacts }, 'CALLS', [...FACT_CONTACT_FILTERS, noWorkPhones]);
    expect(calls.dropped.map((d) => [d.contact_type, d.reason])).toEqual([
      ['work', 'WORK_PHONE'],
      ['mobile', 'DNC'],
    ]);
    expect(calls.contacts).toEqual([
      {
        related_party_type: 'customer',
        contact_type: 'home',
        contact_value: '+16175550102',
        contact_rank: 1,
        timezone: 'America/New_York',
        window_start_utc: '2026-03-08T13:00:00Z',
        window_end_utc: '2026-03-08T23:00:00Z',
      },
    ]);
  });

  it("apply only to the lists they accept, and are asked with the list and the run's context", () => {
    seen.length = 0;
    const texts = assignment(campaigns, { contacts: [contact({ contact_type: 'mobile', contact_value: '+16175550101' })] }, 'TEXTS', [noWorkPhones]);
    expect(texts.contacts.map((c) => [c.contact_value, c.timezone])).toEqual([['+16175550101', null]]);
    expect(seen.map(({ list, context }) => [list, context.loadDate, context.config === campaigns])).toEqual([
      [{ set_name: 'CALLS', list_name: 'L', channel: 'call', purpose: 'collections' }, LOAD_DATE, true],
      [{ set_name: 'TEXTS', list_name: 'L', channel: 'sms', purpose: 'servicing' }, LOAD_DATE, true],
    ]);
  });

  it('replace the default filters when given', () => {
    const texts = assignment(campaigns, { contacts: [contact({ can_send_sms: false })] }, 'TEXTS', [noWorkPhones]);
    expect(texts.dropped).toEqual([]);
  });
});

describe('A/B groups (§6.5)', () => {
  const abList = (name: string, testName: string, split = 0.5): ListInput => list(name, 1, { ab_test: { name: testName, split } });
  const payoffuids = Array.from({ length: 200 }, (_, i) => `0000${i}-2b1c-4c1e-9d1a-${String(i).padStart(12, '0')}`);

  it('gives the same customer the same group on another load date', () => {
    const campaigns = config([{ name: 'S', channel: 'call', lists: [abList('L', 'AB_TONE')] }]);
    const today = compileCampaigns(campaigns, { loadDate: '2026-03-08' });
    const nextYear = compileCampaigns(campaigns, { loadDate: '2027-03-09' });
    const groups = payoffuids.map((payoffuid) => today.evaluate(customerFacts({ payoffuid })).assignments[0]!.ab_group);
    expect(payoffuids.map((payoffuid) => nextYear.evaluate(customerFacts({ payoffuid })).assignments[0]!.ab_group)).toEqual(groups);
    expect(new Set(groups)).toEqual(new Set(['A', 'B']));
  });

  it('depends on the test name, not on the list or set that runs the test', () => {
    const campaigns = config([
      { name: 'ONE', channel: 'call', lists: [abList('L', 'AB_TONE')] },
      { name: 'TWO', channel: 'sms', lists: [abList('OTHER', 'AB_TONE', 0.5)] },
      { name: 'THREE', channel: 'call', lists: [abList('L', 'AB_TIME')] },
      { name: 'FOUR', channel: 'call', lists: [list('L', 1)] },
    ]);
    const engine = compileCampaigns(campaigns, { loadDate: LOAD_DATE });
    const rows = payoffuids.map((payoffuid) => engine.evaluate(customerFacts({ payoffuid })).assignments.map((a) => a.ab_group));
    expect(rows.every(([one, two]) => one === two)).toBe(true);
    expect(rows.some(([one, , three]) => one !== three)).toBe(true);
    expect(rows.every((row) => row[3] === null)).toBe(true);
  });

  it('a larger split only moves customers from B to A', () => {
    const groupsAt = (split: number) => {
      const engine = compileCampaigns(config([{ name: 'S', channel: 'call', lists: [abList('L', 'AB_TONE', split)] }]), { loadDate: LOAD_DATE });
      return payoffuids.map((payoffuid) => engine.evaluate(customerFacts({ payoffuid })).assignments[0]!.ab_group);
    };
    const small = groupsAt(0.3);
    const large = groupsAt(0.7);
    expect(small.every((group, i) => group === 'B' || large[i] === 'A')).toBe(true);
  });
});

describe('explain (§6.6)', () => {
  const campaigns = config(
    [
      {
        name: 'COLLECTIONS',
        channel: 'call',
        lists: [
          list('SST', 1, { conditions: { all: [portfolio('SST'), pastDue(30)] } }),
          list('EARLY', 2, {
            conditions: { any: [pastDue(1), { source: 'contact', field: 'contact_type', operator: '=', value: 'email' }] },
            contact_required: true,
            contact_rules: [
              {
                rule_priority: 1,
                conditions: { source: 'custom_field', field: 'risk_score', operator: '>', value: 700 },
                outputs: { related_party_type: 'reference_customer_all', contact_type: 'all' },
              },
              { rule_priority: 2, outputs: { related_party_type: 'customer', contact_type: 'all' } },
            ],
          }),
          list('LATE', 3, { conditions: pastDue(90) }),
          list('PAUSED', 4, { active: false }),
        ],
      },
    ],
    {
      custom_fields: [{ name: 'risk_score', data_type: 'number', description: 'Risk score' }],
      suppression_rules: [{ name: 'ofac', reason: 'PORTFOLIO_OFAC', conditions: portfolio('OFAC') }],
    },
  );
  const patch: CustomerPatch = {
    loan: { portfolio: 'BLUE_FCU', days_past_due: 45 },
    contacts: [contact({ contact_value: '+16175550101' }), contact({ contact_value: '+16175550102', contact_type: 'home', suppression_reason: 'DNC' })],
  };
  const leaf = (fields: object, actual: unknown, outcome: boolean | null): ConditionExplanation =>
    ({ kind: 'leaf', ...fields, actual, outcome }) as ConditionExplanation;

  it('reaches the same decision as evaluate', () => {
    const engine = compileCampaigns(campaigns, { loadDate: LOAD_DATE });
    expect(engine.explain(customerFacts(patch)).decision).toEqual(engine.evaluate(customerFacts(patch)));
  });

  it("shows each list tried, with each leaf's value and outcome; short-circuited leaves have outcome null", () => {
    // Act
    const [set] = compileCampaigns(campaigns, { loadDate: LOAD_DATE }).explain(customerFacts(patch)).sets;
    // Assess
    expect(set!.lists).toEqual([
      {
        list_name: 'SST',
        priority: 1,
        outcome: 'conditions_not_met',
        conditions: {
          kind: 'all',
          outcome: false,
          children: [leaf(portfolio('SST'), 'BLUE_FCU', false), expect.objectContaining({ kind: 'leaf', field: 'days_past_due', outcome: null })],
        },
      },
      {
        list_name: 'EARLY',
        priority: 2,
        outcome: 'assigned',
        conditions: {
          kind: 'any',
          outcome: true,
          children: [leaf(pastDue(1), 45, true), expect.objectContaining({ kind: 'leaf', source: 'contact', field: 'contact_type', outcome: null })],
        },
      },
      { list_name: 'LATE', priority: 3, outcome: 'not_tried', conditions: null },
      { list_name: 'PAUSED', priority: 4, outcome: 'inactive', conditions: null },
    ]);
    expect(set!.assigned_list).toBe('EARLY');
  });

  it("shows a contact leaf's values of all contacts, and a missing custom field as no value", () => {
    const engine = compileCampaigns(campaigns, { loadDate: LOAD_DATE });
    const [unassigned] = engine.explain(customerFacts({ ...patch, loan: { portfolio: 'BLUE_FCU', days_past_due: 0 } })).sets;
    const early = unassigned!.lists[1]!.conditions as Extract<ConditionExplanation, { children: unknown }>;
    expect(early.children[1]).toMatchObject({ kind: 'leaf', source: 'contact', actual: ['mobile', 'home'], outcome: false });
    expect(unassigned!.assigned_list).toBeNull();
    const [set] = engine.explain(customerFacts(patch)).sets;
    const [riskRule] = set!.contact_rules;
    expect(riskRule).toMatchObject({ outcome: false, conditions: { kind: 'leaf', field: 'risk_score', outcome: false } });
    expect((riskRule!.conditions as { actual: unknown }).actual ?? null).toBeNull();
  });

  it('shows the suppression rules evaluated, the contact rules tried, the contacts and each drop with its reason', () => {
    const [set] = compileCampaigns(campaigns, { loadDate: LOAD_DATE }).explain(customerFacts(patch)).sets;
    expect(set!.suppression_rules).toEqual([{ rule: 'ofac', level: 'GLOBAL', outcome: false, conditions: leaf(portfolio('OFAC'), 'BLUE_FCU', false) }]);
    expect(set!.contact_rules.map((rule) => [rule.rule, rule.outcome])).toEqual([
      ['rule_priority 1', false],
      ['rule_priority 2', true],
    ]);
    expect(values(set!.contacts)).toEqual(['+16175550101']);
    expect(set!.dropped).toEqual([{ related_party_type: 'customer', contact_type: 'home', contact_value: '+16175550102', reason: 'DNC' }]);
    expect(set!.suppressions).toEqual([]);
  });

  it('shows the suppressions of a suppressed customer, and no contact rules', () => {
    const [set] = compileCampaigns(campaigns, { loadDate: LOAD_DATE }).explain(
      customerFacts({ ...patch, loan: { portfolio: 'OFAC', days_past_due: 45 } }),
    ).sets;
    expect(set!.suppressions).toEqual([{ type: 'GLOBAL', reason: 'PORTFOLIO_OFAC', origin: 'ofac' }]);
    expect(set!.suppression_rules.map((rule) => [rule.rule, rule.outcome])).toEqual([['ofac', true]]);
    expect(set!.contact_rules).toEqual([]);
    expect(set!.contacts).toEqual([]);
  });
});

describe('one character of an id (§5.1 partner split)', () => {
  const internalHalf: Condition = { source: 'customer', field: 'payoffuid', character: 16, operator: 'between', value: ['0', '7'] };
  const campaigns = config([{ name: 'CALLS', channel: 'call', lists: [list('INTERNAL', 0, { conditions: internalHalf })] }]);
  // The 16th character as delivered: with dashes it is the 2nd of the third group.
  const withSixteenth = (character: string) => `0a1b2c3d-4e5f-6${character}7a-8b9c-0d1e2f3a4b5c`;

  it('compares the character at the 1-based position, lower-cased, at the boundary 7 | 8', () => {
    expect(evaluate(campaigns, { payoffuid: withSixteenth('7') }).assignments.map((a) => a.list_name)).toEqual(['INTERNAL']);
    expect(evaluate(campaigns, { payoffuid: withSixteenth('8') }).assignments).toEqual([]);
    expect(evaluate(campaigns, { payoffuid: withSixteenth('0') }).assignments.map((a) => a.list_name)).toEqual(['INTERNAL']);
    expect(evaluate(campaigns, { payoffuid: withSixteenth('f') }).assignments).toEqual([]);
  });

  it('reads an upper-case id lower-cased, and a value too short as no character', () => {
    const upper = config([
      {
        name: 'CALLS',
        channel: 'call',
        lists: [list('F', 0, { conditions: { source: 'customer', field: 'payoffuid', character: 16, operator: '=', value: 'f' } })],
      },
    ]);
    expect(evaluate(upper, { payoffuid: withSixteenth('F').toUpperCase() }).assignments.map((a) => a.list_name)).toEqual(['F']);
    const short = config([
      {
        name: 'CALLS',
        channel: 'call',
        lists: [list('NULL', 0, { conditions: { source: 'customer', field: 'payoffuid', character: 40, operator: 'is_null' } })],
      },
    ]);
    expect(evaluate(short).assignments.map((a) => a.list_name)).toEqual(['NULL']);
  });
});

describe('lists active on given weekdays', () => {
  const weekly = (loadDate: string) => {
    const campaigns = config([
      {
        name: 'RECOVERY',
        channel: 'mail',
        lists: [list('WEEKLY', 0, { active_weekdays: ['Tuesday'] }), list('OTHER DAYS', 1)],
      },
    ]);
    return compileCampaigns(campaigns, { loadDate })
      .evaluate(customerFacts())
      .assignments.map((a) => a.list_name);
  };

  it('tries a Tuesday-only list on a Tuesday and not on the Wednesday after', () => {
    expect(weekly('2026-12-01')).toEqual(['WEEKLY']);
    expect(weekly('2026-12-02')).toEqual(['OTHER DAYS']);
  });

  it('explains the list as inactive on other days', () => {
    const campaigns = config([{ name: 'RECOVERY', channel: 'mail', lists: [list('WEEKLY', 0, { active_weekdays: ['Tuesday'] })] }]);
    const explanation = compileCampaigns(campaigns, { loadDate: '2026-12-02' }).explain(customerFacts());
    expect(explanation.sets[0]!.lists[0]!.outcome).toBe('inactive');
  });
});

describe('one contact meeting a whole condition (any_contact)', () => {
  const ownSettlementPhone: Condition = {
    any_contact: {
      all: [
        { source: 'contact', field: 'related_party_type', operator: '=', value: 'customer' },
        { source: 'contact', field: 'suppression_reason', operator: '=', value: 'DEBT_SETTLEMENT_AGENCY' },
      ],
    },
  };
  const campaigns = config([
    {
      name: 'CALLS',
      channel: 'call',
      suppression_rules: [{ name: 'debt settlement', reason: 'DEBT_SETTLEMENT_AGENCY', conditions: ownSettlementPhone }],
      lists: [list('ALL', 0)],
    },
  ]);

  it("suppresses when one of the customer's own phones is a debt-settlement number", () => {
    const contacts = [contact({ contact_value: '+16175550101', suppression_reason: 'DEBT_SETTLEMENT_AGENCY' })];
    expect(assignment(campaigns, { contacts }, 'CALLS').suppressions.map((s) => s.reason)).toEqual(['DEBT_SETTLEMENT_AGENCY']);
  });

  it("does not combine two contacts: a reference's settlement number and the customer's own clean phone", () => {
    const contacts = [
      contact({ contact_value: '+16175550101' }),
      contact({ related_party_type: 'reference_customer_other', contact_value: '+16175550102', suppression_reason: 'DEBT_SETTLEMENT_AGENCY' }),
    ];
    expect(assignment(campaigns, { contacts }, 'CALLS').suppressions).toEqual([]);
  });
});

describe('set and list rules recorded only for customers not suppressed globally', () => {
  const campaigns = config(
    [
      {
        name: 'CALLS',
        channel: 'call',
        suppression_rules: [{ name: 'dnc phone', reason: 'DNC_PHONE', unless_suppressed_globally: true, conditions: portfolio('BLUE_FCU') }],
        lists: [list('ALL', 0, { suppression_rules: [{ name: 'always', reason: 'LIST_RULE', conditions: portfolio('BLUE_FCU') }] })],
      },
    ],
    { suppression_rules: [{ name: 'bankruptcy', reason: 'BANKRUPTCY', conditions: { source: 'loan', field: 'days_past_due', operator: '>', value: 100 } }] },
  );

  it('records the DNC reason when no global rule or feed entry suppresses the customer', () => {
    expect(assignment(campaigns, { loan: { days_past_due: 45 } }, 'CALLS').suppressions.map((s) => s.reason)).toEqual(['DNC_PHONE', 'LIST_RULE']);
  });

  it('leaves it out under a global rule, and under a global suppression-feed entry, but keeps the other rules', () => {
    expect(assignment(campaigns, { loan: { days_past_due: 120 } }, 'CALLS').suppressions.map((s) => s.reason)).toEqual(['BANKRUPTCY', 'LIST_RULE']);
    const feed = [{ scope: 'GLOBAL' as const, set_name: null, list_name: null, reason: 'INDIVIDUAL_SUPPRESSION' }];
    expect(assignment(campaigns, { suppressions: feed }, 'CALLS').suppressions.map((s) => s.reason)).toEqual(['INDIVIDUAL_SUPPRESSION', 'LIST_RULE']);
  });
});

describe('list history facts', () => {
  const keptRecently: Condition = { source: 'list_history', field: 'phone_test', operator: '<=', value: 6 };
  const campaigns = config(
    [
      {
        name: 'CALLS',
        channel: 'call',
        lists: [list('DPD3-14', 0, { suppression_rules: [{ name: 'phone test', reason: 'PHONE_TEST', conditions: keptRecently }] })],
      },
    ],
    { list_history: [{ name: 'phone_test', lists: ['CALLS/DPD3-14'] }] },
  );
  const withHistory = (days: number | null) => ({ ...customerFacts(), list_history: { phone_test: days } }) as ReturnType<typeof customerFacts>;
  const reasons = (days: number | null) =>
    compileCampaigns(campaigns, { loadDate: LOAD_DATE })
      .evaluate(withHistory(days))
      .assignments[0]!.suppressions.map((s) => s.reason);

  it('reads days since the customer was last kept: 1–6 suppress, 7 and never do not', () => {
    expect(reasons(1)).toEqual(['PHONE_TEST']);
    expect(reasons(6)).toEqual(['PHONE_TEST']);
    expect(reasons(7)).toEqual([]);
    expect(reasons(null)).toEqual([]);
  });

  it('fails the evaluation when the facts lack a declared list-history fact (never a null that lets the customer through)', () => {
    expect(() => compileCampaigns(campaigns, { loadDate: LOAD_DATE }).evaluate(customerFacts())).toThrow(/list_history\.phone_test/);
  });
});
