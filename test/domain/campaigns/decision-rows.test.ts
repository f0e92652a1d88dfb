import { describe, expect, it } from 'vitest';
import { decisionRowWriter, type DecisionContactRow, type DecisionListRow, type DecisionSuppressionRow } from '../../../domain/campaigns/decision-rows.ts';
import { compileCampaigns } from '../../../domain/campaigns/engine.ts';
import type { CustomerFacts } from '../../../domain/campaigns/facts.ts';
import { buildConfig, contact, customerFacts } from './fixtures.ts';

const LOAD_DATE = '2026-11-20';
const RUN_ID = '2026-11-20-0123456789ab';

const config = buildConfig({
  version: 'test',
  sets: [
    {
      name: 'COLLECTIONS',
      channel: 'call',
      lists: [
        {
          name: 'EARLY',
          priority: 1,
          purpose: 'collections',
          target_size: 10,
          distribution: 'census_state',
          ab_test: { name: 'TONE', split: 0.5 },
          conditions: { source: 'loan', field: 'days_past_due', operator: '<', value: 60 },
        },
      ],
    },
    {
      name: 'SERVICING',
      channel: 'email',
      suppression_rules: [{ name: 'ofac', reason: 'PORTFOLIO_OFAC', conditions: { source: 'loan', field: 'portfolio', operator: '=', value: 'OFAC' } }],
      lists: [{ name: 'NOTICE', priority: 1, purpose: 'servicing', conditions: { source: 'loan', field: 'days_past_due', operator: '>=', value: 0 } }],
    },
  ],
});

function rowsOf(facts: CustomerFacts, loadDate = LOAD_DATE) {
  const engine = compileCampaigns(config, { loadDate });
  const rows = { lists: [] as DecisionListRow[], contacts: [] as DecisionContactRow[], suppressions: [] as DecisionSuppressionRow[] };
  decisionRowWriter(config, { loadDate, runId: RUN_ID })(engine.evaluate(facts), facts, {
    list: (row) => rows.lists.push(row),
    contact: (row) => rows.contacts.push(row),
    suppression: (row) => rows.suppressions.push(row),
  });
  return rows;
}

describe('decision rows', () => {
  it('writes one list row per assignment, the selected contacts, and the drops as CONTACT suppressions', () => {
    // Prepare: a good mobile, a bad number, and an email the servicing list cannot use (opted out).
    const facts = customerFacts({
      payoffuid: 'P1',
      contacts: [
        contact({ contact_value: '+16175550101', created_at: '2025-06-02' }),
        contact({ contact_value: '+16175550102', contact_type: 'home', wrong_number_count_90d: 2 }),
        contact({ contact_type: 'email', contact_value: 'ann@example.com', opted_out: true }),
      ],
    });
    // Act
    const rows = rowsOf(facts);
    // Assess
    expect(rows.lists).toEqual([
      expect.objectContaining({
        load_date: LOAD_DATE,
        set_name: 'COLLECTIONS',
        list_name: 'EARLY',
        payoffuid: 'P1',
        account_number: '1000000001',
        suppression_flag: false,
        loan_tape_asofdate: '2026-03-07',
        channel: 'call',
        purpose: 'collections',
        run_id: RUN_ID,
        state: 'MA',
      }),
      expect.objectContaining({ set_name: 'SERVICING', list_name: 'NOTICE', suppression_flag: true, channel: 'email', ab_group: null, shaping_order: null }),
    ]);
    expect(['A', 'B']).toContain(rows.lists[0]!.ab_group);
    expect(rows.contacts).toEqual([
      {
        load_date: LOAD_DATE,
        set_name: 'COLLECTIONS',
        list_name: 'EARLY',
        payoffuid: 'P1',
        related_party_type: 'customer',
        contact_type: 'mobile',
        contact_value: '+16175550101',
        contact_rank: 1,
        timezone: null,
        window_start_utc: null,
        window_end_utc: null,
      },
    ]);
    expect(rows.suppressions).toEqual([
      {
        load_date: LOAD_DATE,
        suppression_type: 'CONTACT',
        suppression_reason: 'BAD_NUMBER',
        payoffuid: 'P1',
        set_name: 'COLLECTIONS',
        list_name: 'EARLY',
        contact_value: '+16175550102',
      },
      {
        load_date: LOAD_DATE,
        suppression_type: 'LIST',
        suppression_reason: 'NO_CONTACTABLE_POINT',
        payoffuid: 'P1',
        set_name: 'SERVICING',
        list_name: 'NOTICE',
        contact_value: null,
      },
      {
        load_date: LOAD_DATE,
        suppression_type: 'CONTACT',
        suppression_reason: 'EMAIL_OPT_OUT',
        payoffuid: 'P1',
        set_name: 'SERVICING',
        list_name: 'NOTICE',
        contact_value: 'ann@example.com',
      },
    ]);
  });

  it('records every customer-level suppression with its type and no contact', () => {
    // Act
    const rows = rowsOf(
      customerFacts({ payoffuid: 'P2', loan: { portfolio: 'OFAC' }, contacts: [contact({ contact_type: 'email', contact_value: 'bo@example.com' })] }),
    );
    // Assess
    expect(rows.suppressions.filter((row) => row.list_name === 'NOTICE')).toEqual([
      {
        load_date: LOAD_DATE,
        suppression_type: 'SET',
        suppression_reason: 'PORTFOLIO_OFAC',
        payoffuid: 'P2',
        set_name: 'SERVICING',
        list_name: 'NOTICE',
        contact_value: null,
      },
    ]);
    expect(rows.contacts.filter((row) => row.list_name === 'NOTICE')).toEqual([]);
  });

  it('gives lists with a target size a shaping order seeded by the load date, the same on a re-run', () => {
    // Prepare
    const customers = Array.from({ length: 50 }, (_, index) => customerFacts({ payoffuid: `P${index}`, contacts: [contact()] }));
    const orders = (loadDate: string) => customers.map((facts) => rowsOf(facts, loadDate).lists[0]!.shaping_order);
    // Act
    const today = orders(LOAD_DATE);
    // Assess
    expect(today.every((order) => Number.isInteger(order) && order! >= 0 && order! < 2 ** 32)).toBe(true);
    expect(orders(LOAD_DATE)).toEqual(today);
    expect(orders('2026-11-21')).not.toEqual(today);
    expect(new Set(today).size).toBe(50);
  });
});
