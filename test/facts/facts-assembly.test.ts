import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileCampaigns } from '../../domain/campaigns/engine.ts';
import { buildConfig } from '../domain/campaigns/fixtures.ts';
import { assembleCustomerFacts, type ContactRow, type CustomerRow, type SuppressionRow } from '../../domain/campaigns/facts-assembly.ts';
import type { CampaignConfig } from '../../domain/campaigns/schema.ts';

const config: Pick<CampaignConfig, 'custom_fields' | 'bad_number'> = {
  bad_number: { wrong_number_count: 2, disconnected_count: 3 },
  custom_fields: [
    { name: 'risk_score', data_type: 'number', description: 'risk' },
    { name: 'segment', data_type: 'string', description: 'segment' },
    { name: 'hardship_plan', data_type: 'boolean', description: 'plan' },
    { name: 'last_research_date', data_type: 'date', description: 'research' },
  ],
};

function customerRow(payoffuid: string, customFields: string | null = null): CustomerRow {
  return {
    payoffuid,
    account_number: '1000000000000001',
    loan_id: 'L-1',
    portfolio: 'SST',
    loan_status: 'Delinquent',
    days_past_due: 40,
    amount_due: 99.5,
    principal_balance: 1200,
    origination_date: '2024-01-15',
    next_payment_due_date: '2026-11-24',
    charge_off_date: null,
    recoveries_paid_to_date: 0,
    payment_mode: 'Auto Payer',
    placement_status: null,
    next_workable_date: null,
    last_collections_contact_date: '2026-11-18',
    loan_tape_asofdate: '2026-11-20',
    first_name: 'Ann',
    last_name: 'Lee',
    address_1: '1 Beacon St',
    address_2: null,
    city: 'Boston',
    state: 'MA',
    zip: '02108',
    cease_and_desist: false,
    bankruptcy: true,
    suppress_phone: false,
    suppress_text: true,
    suppress_letter: false,
    suppress_email: false,
    pending_payment: true,
    last_loan_modification_date: '2026-11-18',
    zip_suppression_reason: null,
    calls_last_7_days: 3,
    communications_last_7_days: 4,
    attempts_last_7_days: 5,
    communications_last_24h: 1,
    last_conversation_date: '2026-11-10',
    last_attempt_date: '2026-11-20',
    load_weekday: 'Friday',
    days_until_next_payment: 4,
    days_since_charge_off: null,
    custom_fields_json: customFields,
    custom_fields_unreadable: false,
  };
}

function contactRow(payoffuid: string, value: string, overrides: Partial<ContactRow> = {}): ContactRow {
  const email = value.includes('@');
  return {
    payoffuid,
    related_party_type: 'customer',
    contact_type: email ? 'email' : 'mobile',
    contact_value: value,
    created_at: '2026-01-01',
    suppression_reason: null,
    wrong_number_count_90d: 0,
    disconnected_count_90d: 0,
    can_send_sms: email ? null : true,
    opted_out: false,
    bounced: false,
    phone_status: email ? null : 'ACTIVE',
    phone_technology: email ? null : 'WIRELESS',
    quality_score: email ? null : 72,
    ...overrides,
  };
}

const noRows = { contacts: [] as ContactRow[], suppressions: [] as SuppressionRow[] };

describe('assembleCustomerFacts', () => {
  it("sets every declared list-history fact: the row's days, null without a row; rows of other customers or facts are counted", () => {
    // Prepare
    const withHistory = {
      ...config,
      list_history: [
        { name: 'days_since_phone_test', lists: ['Call List/DPD3-14'], lookback_days: 7 },
        { name: 'days_since_remitter', lists: ['DPD60+ Min Pay'], lookback_days: 31 },
      ],
    };
    const list_history = [
      { payoffuid: 'p-1', name: 'days_since_phone_test', days: 3 },
      { payoffuid: 'p-x', name: 'days_since_phone_test', days: 1 },
      { payoffuid: 'p-1', name: 'undeclared', days: 1 },
    ];
    // Act
    const { facts, counts } = assembleCustomerFacts({ customers: [customerRow('p-1'), customerRow('p-2')], ...noRows, list_history }, withHistory);
    // Assess
    expect(facts.map((record) => record.list_history)).toEqual([
      { days_since_phone_test: 3, days_since_remitter: null },
      { days_since_phone_test: null, days_since_remitter: null },
    ]);
    expect(counts.orphanListHistory).toBe(2);
  });

  it('does not count the postal address as a usable phone', () => {
    // Prepare
    const contacts = [
      contactRow('p-1', '1 Beacon St, Boston, MA 02108', {
        contact_type: 'address',
        can_send_sms: null,
        phone_status: null,
        phone_technology: null,
        quality_score: null,
      }),
    ];
    // Act
    const { facts } = assembleCustomerFacts({ customers: [customerRow('p-1')], contacts, suppressions: [] }, config);
    // Assess
    expect(facts[0]!.contacts).toHaveLength(1);
    expect(facts[0]!.derived.usable_phone_count).toBe(0);
    expect(facts[0]!.derived.usable_email_count).toBe(0);
  });

  it('builds the CustomerFacts record of each customer row, in order', () => {
    // Act
    const { facts } = assembleCustomerFacts({ customers: [customerRow('p-2'), customerRow('p-1')], ...noRows }, config);
    // Assess
    expect(facts.map((record) => record.payoffuid)).toEqual(['p-2', 'p-1']);
    expect(facts[0]).toEqual({
      payoffuid: 'p-2',
      account_number: '1000000000000001',
      loan: {
        loan_id: 'L-1',
        portfolio: 'SST',
        loan_status: 'Delinquent',
        days_past_due: 40,
        amount_due: 99.5,
        principal_balance: 1200,
        origination_date: '2024-01-15',
        next_payment_due_date: '2026-11-24',
        charge_off_date: null,
        recoveries_paid_to_date: 0,
        payment_mode: 'Auto Payer',
        placement_status: null,
        next_workable_date: null,
        last_collections_contact_date: '2026-11-18',
        loan_tape_asofdate: '2026-11-20',
      },
      customer: {
        first_name: 'Ann',
        last_name: 'Lee',
        address_1: '1 Beacon St',
        address_2: null,
        city: 'Boston',
        state: 'MA',
        zip: '02108',
        cease_and_desist: false,
        bankruptcy: true,
        suppress_phone: false,
        suppress_text: true,
        suppress_letter: false,
        suppress_email: false,
        pending_payment: true,
        last_loan_modification_date: '2026-11-18',
        zip_suppression_reason: null,
      },
      derived: {
        calls_last_7_days: 3,
        communications_last_7_days: 4,
        attempts_last_7_days: 5,
        communications_last_24h: 1,
        last_conversation_date: '2026-11-10',
        last_attempt_date: '2026-11-20',
        usable_phone_count: 0,
        usable_email_count: 0,
        load_weekday: 'Friday',
        days_until_next_payment: 4,
        days_since_charge_off: null,
      },
      custom_fields: { risk_score: null, segment: null, hardship_plan: null, last_research_date: null },
      unreadable_custom_fields: [],
      contacts: [],
      suppressions: [],
      list_history: {},
    });
  });

  it('attaches contacts and suppression entries to their customer, in row order, and counts orphans', () => {
    // Prepare
    const contacts = [contactRow('p-1', '+12125550142'), contactRow('p-x', '+12125550143'), contactRow('p-1', 'a@b.com')];
    const suppressions: SuppressionRow[] = [
      { payoffuid: 'p-1', scope: 'SET', set_name: 'collections', list_name: null, reason: 'BANKRUPTCY' },
      { payoffuid: 'p-y', scope: 'GLOBAL', set_name: null, list_name: null, reason: 'FRAUD' },
    ];
    // Act
    const { facts, counts } = assembleCustomerFacts({ customers: [customerRow('p-1')], contacts, suppressions }, config);
    // Assess
    expect(facts[0]!.contacts.map((contact) => contact.contact_value)).toEqual(['+12125550142', 'a@b.com']);
    expect(facts[0]!.contacts[0]).not.toHaveProperty('payoffuid');
    expect(facts[0]!.suppressions).toEqual([{ scope: 'SET', set_name: 'collections', list_name: null, reason: 'BANKRUPTCY' }]);
    expect(counts).toMatchObject({ orphanContacts: 1, orphanSuppressions: 1 });
  });

  it('types custom fields by the configuration: ill-typed values and unreadable records are null, marked unreadable and counted; undeclared ones ignored and counted', () => {
    // Prepare
    const customers = [
      customerRow('p-1', '{"risk_score":12.5,"segment":"A","hardship_plan":true,"last_research_date":"2026-05-01","model":"v2"}'),
      customerRow('p-2', '{"risk_score":"12","segment":7,"hardship_plan":"yes","last_research_date":"2026-02-30"}'),
      customerRow('p-3', '{"risk_score":null}'),
      customerRow('p-4', 'null'),
      customerRow('p-5', '[1,2]'),
      customerRow('p-6', '{broken'),
      // A readable record, but the account also had a line that could not be read (the facts SQL says so).
      { ...customerRow('p-7', '{"hardship_plan":false}'), custom_fields_unreadable: true },
    ];
    // Act
    const { facts, counts } = assembleCustomerFacts({ customers, ...noRows }, config);
    // Assess
    expect(facts[0]!.custom_fields).toEqual({ risk_score: 12.5, segment: 'A', hardship_plan: true, last_research_date: '2026-05-01' });
    const allNull = { risk_score: null, segment: null, hardship_plan: null, last_research_date: null };
    for (const record of facts.slice(1)) expect(record.custom_fields).toEqual(allNull);
    // "12" for a number, 7 for a string, "yes" for a boolean, 30 February for a date: not coerced, unreadable.
    const all = ['risk_score', 'segment', 'hardship_plan', 'last_research_date'];
    expect(facts.map((record) => record.unreadable_custom_fields)).toEqual([[], all, [], [], all, all, all]);
    expect(counts).toEqual({
      illTypedCustomFieldValues: 4,
      customersWithUnreadableFields: 4,
      undeclaredCustomFieldValues: 1,
      invalidCustomFieldRecords: 3,
      orphanContacts: 0,
      orphanSuppressions: 0,
      orphanListHistory: 0,
    });
  });

  it('counts usable phones and emails with the configured bad-number thresholds, each value once', () => {
    // Prepare
    const contacts = [
      contactRow('p-1', '+12125550142'),
      contactRow('p-1', '+12125550142', { contact_type: 'home', created_at: '2025-01-01' }),
      contactRow('p-1', '+12125550143', { wrong_number_count_90d: 1, disconnected_count_90d: 2 }),
      contactRow('p-1', '+12125550144', { wrong_number_count_90d: 2 }),
      contactRow('p-1', '+12125550145', { disconnected_count_90d: 3 }),
      contactRow('p-1', '+12125550146', { suppression_reason: 'INTERNAL_DNC' }),
      contactRow('p-1', 'ok@example.com'),
      contactRow('p-1', 'out@example.com', { opted_out: true }),
      contactRow('p-1', 'bounce@example.com', { bounced: true }),
      contactRow('p-1', 'dnc@example.com', { suppression_reason: 'CEASE_AND_DESIST' }),
    ];
    // Act
    const strict = assembleCustomerFacts({ customers: [customerRow('p-1')], contacts, suppressions: [] }, config).facts[0]!;
    const lenient = assembleCustomerFacts(
      { customers: [customerRow('p-1')], contacts, suppressions: [] },
      { ...config, bad_number: { wrong_number_count: 3, disconnected_count: 4 } },
    ).facts[0]!;
    // Assess
    expect(strict.derived).toMatchObject({ usable_phone_count: 2, usable_email_count: 1 });
    expect(lenient.derived).toMatchObject({ usable_phone_count: 4, usable_email_count: 1 });
  });

  it('gives the same records, and the engine the same decisions, whatever order the shard rows arrive in (split feed files, parallel SQL)', () => {
    // A call set and a text set that take every contact of the customer: ranks, duplicates and drops all show.
    const engine = compileCampaigns(
      buildConfig({
        version: 'order',
        sets: [
          {
            name: 'CALLS',
            channel: 'call',
            lists: [{ name: 'L', priority: 1, purpose: 'collections', conditions: { source: 'loan', field: 'days_past_due', operator: '>=', value: 0 } }],
          },
          {
            name: 'TEXTS',
            channel: 'sms',
            lists: [{ name: 'L', priority: 1, purpose: 'servicing', conditions: { source: 'loan', field: 'days_past_due', operator: '>=', value: 0 } }],
          },
        ],
      }),
      { loadDate: '2026-11-20' },
    );
    // Few values, dates, types and parties, so that records tie on every key but one.
    const rowArb = fc
      .record({
        value: fc.constantFrom('+12125550142', '+12125550143', '+12125550144'),
        created_at: fc.constantFrom('2026-01-01', '2026-02-01'),
        contact_type: fc.constantFrom('mobile' as const, 'home' as const, 'work' as const),
        related_party_type: fc.constantFrom('customer' as const, 'reference_customer_parent' as const),
        // The facts SQL gives every record of a value the value's facts (its suppression, outcomes, consent).
      })
      .map(({ value, ...fields }) => contactRow('p-1', value, { ...fields, suppression_reason: value.endsWith('44') ? 'INTERNAL_DNC' : null }));
    fc.assert(
      fc.property(
        fc.array(rowArb, { maxLength: 8 }).chain((rows) => fc.tuple(fc.constant(rows), fc.shuffledSubarray(rows, { minLength: rows.length }))),
        ([rows, shuffled]) => {
          const assemble = (contacts: ContactRow[]) => assembleCustomerFacts({ customers: [customerRow('p-1')], contacts, suppressions: [] }, config).facts;
          const [first, second] = [assemble(rows), assemble(shuffled)];
          expect(second).toEqual(first);
          expect(engine.evaluate(second[0]!)).toEqual(engine.evaluate(first[0]!));
        },
      ),
      { numRuns: 300 },
    );
  });
});
