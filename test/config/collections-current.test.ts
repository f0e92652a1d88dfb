import { describe, expect, it } from 'vitest';
import { readCampaignConfigFile } from '../../adapters/campaign-config-file.ts';
import { compileCampaigns } from '../../domain/campaigns/engine.ts';
import type { ContactFacts, CustomerFacts } from '../../domain/campaigns/facts.ts';
import type { CampaignConfig } from '../../domain/campaigns/schema.ts';
import { weekdayName } from '../../domain/campaigns/dates.ts';

/**
 * config/programs/collections-current.yaml against SPEC §5.1, rule by rule at its boundaries: hand-made
 * customer facts, the program's own file, the engine with its facts-based filters.
 */

const PROGRAM = new URL('../../config/programs/collections-current.yaml', import.meta.url).pathname;
const TUESDAY = '2026-12-01';
const WEDNESDAY = '2026-12-02';
const SATURDAY = '2026-12-05';

async function program(): Promise<CampaignConfig> {
  const loaded = await readCampaignConfigFile(PROGRAM);
  if (!loaded.ok) throw new Error(loaded.problems.map((problem) => `${problem.path}: ${problem.message}`).join('\n'));
  return loaded.config;
}
const config = await program();

/** A payoffuid `8-4-4-4-12` with the 12th, 16th and 17th characters given (1-based, dashes counted). */
function payoffuid({ c12 = '5', c16 = '3', c17 = 'd' } = {}): string {
  return `aaaaaaaa-bb${c12}b-a${c16}${c17}a-aaaa-aaaaaaaaaaaa`;
}

const phone = (fields: Partial<ContactFacts> = {}): ContactFacts => ({
  related_party_type: 'customer',
  contact_type: 'mobile',
  contact_value: '+16125550101',
  created_at: '2025-01-01',
  suppression_reason: null,
  wrong_number_count_90d: 0,
  disconnected_count_90d: 0,
  can_send_sms: true,
  opted_out: false,
  bounced: false,
  phone_status: 'ACTIVE',
  phone_technology: 'WIRELESS',
  quality_score: 80,
  ...fields,
});

interface Patch {
  payoffuid?: string;
  loan?: Partial<CustomerFacts['loan']>;
  customer?: Partial<CustomerFacts['customer']>;
  derived?: Partial<CustomerFacts['derived']>;
  contacts?: ContactFacts[];
  suppressions?: CustomerFacts['suppressions'];
  list_history?: Record<string, number | null>;
}

function facts(loadDate: string, patch: Patch = {}): CustomerFacts {
  return {
    payoffuid: patch.payoffuid ?? payoffuid(),
    account_number: '4000000000000001',
    loan: {
      loan_id: 'L-1',
      portfolio: 'CU_OTHER',
      loan_status: 'Delinquent',
      days_past_due: 10,
      amount_due: 120,
      principal_balance: 4000,
      origination_date: '2022-06-01',
      next_payment_due_date: null,
      charge_off_date: null,
      recoveries_paid_to_date: 0,
      payment_mode: 'Manual',
      placement_status: null,
      next_workable_date: null,
      last_collections_contact_date: null,
      loan_tape_asofdate: loadDate,
      ...patch.loan,
    },
    customer: {
      first_name: 'Ann',
      last_name: 'Lee',
      address_1: '1 Main St',
      address_2: null,
      city: 'Duluth',
      state: 'TX',
      zip: '75001',
      cease_and_desist: false,
      bankruptcy: false,
      suppress_phone: false,
      suppress_text: false,
      suppress_letter: false,
      suppress_email: false,
      pending_payment: false,
      last_loan_modification_date: null,
      zip_suppression_reason: null,
      ...patch.customer,
    },
    derived: {
      calls_last_7_days: 0,
      communications_last_7_days: 0,
      attempts_last_7_days: 0,
      communications_last_24h: 0,
      last_conversation_date: null,
      last_attempt_date: null,
      usable_phone_count: 1,
      usable_email_count: 1,
      load_weekday: weekdayName(loadDate),
      days_until_next_payment: null,
      days_since_charge_off: null,
      ...patch.derived,
    },
    custom_fields: {},
    unreadable_custom_fields: [],
    contacts: patch.contacts ?? [
      phone(),
      phone({ contact_type: 'email', contact_value: 'ann@example.com', can_send_sms: null, phone_status: null, phone_technology: null, quality_score: null }),
      phone({
        contact_type: 'address',
        contact_value: '1 Main St, Duluth, TX 75001',
        can_send_sms: null,
        phone_status: null,
        phone_technology: null,
        quality_score: null,
      }),
    ],
    suppressions: patch.suppressions ?? [],
    list_history: { phone_test_dpd3_29: null, phone_test_dpd30_89: null, ...patch.list_history },
  } as CustomerFacts;
}

/** Each set's list, with its reasons when suppressed: `Call List: DPD3-14` or `Call List: DPD3-14 [PHONE_TEST]`. */
function lists(loadDate: string, patch: Patch = {}): string[] {
  const decision = compileCampaigns(config, { loadDate }).evaluate(facts(loadDate, patch));
  return decision.assignments.map((a) => `${a.set_name}: ${a.list_name}${a.suppressed ? ` [${a.suppressions.map((s) => s.reason).join(', ')}]` : ''}`);
}
const onSet = (set: string, loadDate: string, patch: Patch = {}) => lists(loadDate, patch).filter((line) => line.startsWith(`${set}: `));

describe('config/programs/collections-current.yaml (SPEC §5.1)', () => {
  it('has the sets and lists of §5.1, by name, in priority order', () => {
    expect(config.sets.map((set) => [set.name, set.channel])).toEqual([
      ['Call List', 'call'],
      ['Remitter', 'sms'],
      ['SMS', 'sms'],
      ['GR Email', 'email'],
      ['Recovery Weekly', 'mail'],
      ['SIMM', 'call'],
      ['SST', 'call'],
    ]);
    expect(config.sets[0]!.lists.map((list) => list.name)).toEqual([
      'Charge off',
      'Blue',
      'Due Diligence DPD3-89',
      'DPD3-14',
      'DPD15-29',
      'DPD30-59',
      'DPD60-89',
      'DPD90+',
    ]);
    expect(config.sets[2]!.lists.map((list) => list.name)).toEqual([
      'TruStage DPD17',
      'TruStage DPD33',
      'Payment Reminder',
      'Due Date',
      'DPD3',
      'DPD6',
      'DPD8',
      'DPD11',
      'DPD15',
      'DPD17',
      'DPD21',
      'DPD23',
      'DPD25',
      'DPD28',
      'DPD33',
      'DPD38',
      'DPD44',
    ]);
  });

  it('delinquent: Current below 3 DPD is not, Current at 3 is; Paid in Full and Sold never are', () => {
    expect(onSet('Call List', WEDNESDAY, { loan: { loan_status: 'Current', days_past_due: 2 } })).toEqual([]);
    expect(onSet('Call List', WEDNESDAY, { loan: { loan_status: 'Current', days_past_due: 3 } })).toEqual(['Call List: DPD3-14']);
    expect(onSet('Call List', WEDNESDAY, { loan: { loan_status: 'Delinquent', days_past_due: 3 } })).toEqual(['Call List: DPD3-14']);
    expect(onSet('Call List', WEDNESDAY, { loan: { loan_status: 'Paid in Full', days_past_due: 30 } })).toEqual([]);
    expect(onSet('GR Email', WEDNESDAY, { loan: { loan_status: 'Sold', days_past_due: 30 } })).toEqual([]);
  });

  it('Call List by exact DPD bands: 14 | 15, 29 | 30, 59 | 60, 89 | 90', () => {
    const band = (dpd: number) => onSet('Call List', WEDNESDAY, { loan: { days_past_due: dpd } });
    expect([14, 15, 29, 30, 59, 60, 89, 90].map(band)).toEqual([
      ['Call List: DPD3-14'],
      ['Call List: DPD15-29'],
      ['Call List: DPD15-29'],
      ['Call List: DPD30-59'],
      ['Call List: DPD30-59'],
      ['Call List: DPD60-89'],
      ['Call List: DPD60-89'],
      ['Call List: DPD90+'],
    ]);
  });

  it('Call List portfolios first: Blue and Due Diligence below 90 DPD, and every charged-off loan held on Charge off', () => {
    expect(onSet('Call List', WEDNESDAY, { loan: { portfolio: 'BLUE_FCU', days_past_due: 89 } })).toEqual(['Call List: Blue']);
    expect(onSet('Call List', WEDNESDAY, { loan: { portfolio: 'BLUE_FCU', days_past_due: 90 } })).toEqual(['Call List: DPD90+']);
    expect(onSet('Call List', WEDNESDAY, { loan: { portfolio: 'MSU_FCU', days_past_due: 40 } })).toEqual(['Call List: Due Diligence DPD3-89']);
    expect(onSet('Call List', WEDNESDAY, { loan: { loan_status: 'Charge off', charge_off_date: '2026-10-01', days_past_due: 150 } })).toEqual([
      'Call List: Charge off',
    ]);
  });

  it('the partner split on the 16th character: 7 internal, 8 SIMM', () => {
    const internal = lists(WEDNESDAY, { payoffuid: payoffuid({ c16: '7' }), loan: { days_past_due: 20 } });
    const partner = lists(WEDNESDAY, { payoffuid: payoffuid({ c16: '8' }), loan: { days_past_due: 20 } });
    expect(internal.filter((line) => /^(Call List|SIMM)/.test(line))).toEqual(['Call List: DPD15-29']);
    expect(partner.filter((line) => /^(Call List|SIMM)/.test(line))).toEqual(['SIMM: DPD3-119']);
    // GR Email has no half restriction.
    expect(partner).toContain('GR Email: GR Email');
  });

  it('SST customers go to SST, not to the Call List nor SIMM', () => {
    expect(lists(WEDNESDAY, { loan: { portfolio: 'SST', days_past_due: 100 } }).filter((line) => !line.startsWith('GR Email'))).toEqual(['SST: DPD3-119']);
  });

  it('SMS: a payment due in exactly 4 days is a Payment Reminder, in 3 nothing, in 1 a Due Date; autopay suppresses both', () => {
    const sms = (days: number, mode = 'Manual') =>
      onSet('SMS', WEDNESDAY, { loan: { loan_status: 'Current', days_past_due: 0, payment_mode: mode }, derived: { days_until_next_payment: days } });
    expect(sms(4)).toEqual(['SMS: Payment Reminder']);
    expect(sms(3)).toEqual([]);
    expect(sms(1)).toEqual(['SMS: Due Date']);
    expect(sms(4, 'Auto Payer')).toEqual(['SMS: Payment Reminder [AUTOPAY]']);
  });

  it('SMS: exact DPD lists, TruStage only for loans originated after 2023-01-23', () => {
    expect(onSet('SMS', WEDNESDAY, { loan: { days_past_due: 17, origination_date: '2023-01-24' } })).toEqual(['SMS: TruStage DPD17']);
    expect(onSet('SMS', WEDNESDAY, { loan: { days_past_due: 17, origination_date: '2023-01-23' } })).toEqual(['SMS: DPD17']);
    expect(onSet('SMS', WEDNESDAY, { loan: { days_past_due: 18 } })).toEqual([]);
  });

  it('Remitter from 60 DPD keeps the customer off SMS and GR Email (CROSS_SET)', () => {
    expect(lists(WEDNESDAY, { loan: { days_past_due: 59 } }).filter((line) => /^(Remitter|GR Email)/.test(line))).toEqual(['GR Email: GR Email']);
    expect(lists(WEDNESDAY, { loan: { days_past_due: 60 } }).filter((line) => /^(Remitter|GR Email)/.test(line))).toEqual([
      'Remitter: DPD60+ Min Pay',
      'GR Email: GR Email [CROSS_SET]',
    ]);
  });

  it('Recovery Weekly on Tuesdays: charge-offs 0–7 days old with nothing recovered', () => {
    const recovery = (loadDate: string, days: number, recovered = 0) =>
      onSet('Recovery Weekly', loadDate, {
        loan: { loan_status: 'Charge off', charge_off_date: '2026-11-24', recoveries_paid_to_date: recovered },
        derived: { days_since_charge_off: days },
      });
    expect(recovery(TUESDAY, 7)).toEqual(['Recovery Weekly: Recovery Weekly']);
    expect(recovery(TUESDAY, 0)).toEqual(['Recovery Weekly: Recovery Weekly']);
    expect(recovery(TUESDAY, 8)).toEqual([]);
    expect(recovery(TUESDAY, 3, 25)).toEqual([]);
    expect(recovery(WEDNESDAY, 3)).toEqual([]);
  });

  it('state rules on Call List and SST: MN on Wednesdays and Fridays, MA on Tuesdays and Thursdays, DC on Mondays, Wednesdays and Thursdays', () => {
    const state = (code: string, loadDate: string) => onSet('Call List', loadDate, { customer: { state: code } });
    expect(state('MN', WEDNESDAY)).toEqual(['Call List: DPD3-14']);
    expect(state('MN', TUESDAY)).toEqual(['Call List: DPD3-14 [STATE_REGULATION_MN]']);
    expect(state('MA', TUESDAY)).toEqual(['Call List: DPD3-14']);
    expect(state('MA', WEDNESDAY)).toEqual(['Call List: DPD3-14 [STATE_REGULATION_MA]']);
    expect(state('DC', WEDNESDAY)).toEqual(['Call List: DPD3-14']);
    expect(state('DC', TUESDAY)).toEqual(['Call List: DPD3-14 [STATE_REGULATION_DC]']);
    expect(onSet('SST', TUESDAY, { loan: { portfolio: 'SST' }, customer: { state: 'MN' } })).toEqual(['SST: DPD3-119 [STATE_REGULATION_MN]']);
  });

  it('DNC reasons only for customers not suppressed globally; every global reason recorded', () => {
    expect(onSet('Call List', WEDNESDAY, { customer: { suppress_phone: true } })).toEqual(['Call List: DPD3-14 [DNC_PHONE]']);
    expect(onSet('Call List', WEDNESDAY, { customer: { suppress_phone: true, bankruptcy: true, cease_and_desist: true } })).toEqual([
      'Call List: DPD3-14 [BANKRUPTCY, CEASE_AND_DESIST]',
    ]);
    expect(onSet('SMS', WEDNESDAY, { loan: { days_past_due: 8 }, customer: { suppress_text: true } })).toEqual(['SMS: DPD8 [DNC_TEXT]']);
    expect(onSet('GR Email', WEDNESDAY, { customer: { suppress_email: true } })).toEqual(['GR Email: GR Email [DNC_EMAIL]']);
    const feed = [{ scope: 'GLOBAL' as const, set_name: null, list_name: null, reason: 'INDIVIDUAL_SUPPRESSION' }];
    expect(onSet('Call List', WEDNESDAY, { customer: { suppress_phone: true }, suppressions: feed })).toEqual(['Call List: DPD3-14 [INDIVIDUAL_SUPPRESSION]']);
  });

  it('global suppressions: next workable date after today and loan modifications of the last 3 days (internal half only), pending payments, disasters, placements', () => {
    const reasons = (patch: Patch) => onSet('Call List', WEDNESDAY, patch);
    expect(reasons({ loan: { next_workable_date: '2026-12-03' } })).toEqual(['Call List: DPD3-14 [NEXT_WORKABLE_DATE]']);
    expect(reasons({ loan: { next_workable_date: WEDNESDAY } })).toEqual(['Call List: DPD3-14']);
    expect(reasons({ customer: { last_loan_modification_date: '2026-11-29' } })).toEqual(['Call List: DPD3-14 [LOAN_MODIFICATION]']);
    expect(reasons({ customer: { last_loan_modification_date: '2026-11-28' } })).toEqual(['Call List: DPD3-14']);
    expect(reasons({ customer: { pending_payment: true } })).toEqual(['Call List: DPD3-14 [PENDING_PAYMENT]']);
    expect(reasons({ customer: { zip_suppression_reason: 'HURRICANE' } })).toEqual(['Call List: DPD3-14 [NATURAL_DISASTER]']);
    expect(reasons({ loan: { loan_status: 'Charge off', charge_off_date: '2026-10-01', placement_status: 'AGENCY_A' } })).toEqual([
      'Call List: Charge off [THIRD_PARTY_PLACEMENT]',
    ]);
    // The partner half is not held back by a next workable date.
    expect(onSet('SIMM', WEDNESDAY, { payoffuid: payoffuid({ c16: 'a' }), loan: { next_workable_date: '2026-12-03' } })).toEqual(['SIMM: DPD3-119']);
  });

  it("a customer phone of a debt-settlement agency suppresses the customer from Call List and SST, a reference's does not", () => {
    const settlement = phone({ suppression_reason: 'DEBT_SETTLEMENT_AGENCY' });
    expect(onSet('Call List', WEDNESDAY, { contacts: [settlement, phone({ contact_value: '+16125550102' })] })).toEqual([
      'Call List: DPD3-14 [DEBT_SETTLEMENT_AGENCY]',
    ]);
    expect(
      onSet('Call List', WEDNESDAY, { contacts: [phone(), { ...settlement, related_party_type: 'reference_customer_other', contact_value: '+16125550109' }] }),
    ).toEqual(['Call List: DPD3-14']);
  });

  describe('phone test', () => {
    const group17 = payoffuid({ c17: '0' });

    it('the groups: 17th character 0–c on DPD3-14/DPD15-29, 12th 0–2 on DPD30-59/DPD60-89', () => {
      const tested = (id: string, dpd: number) =>
        onSet('Call List', WEDNESDAY, { payoffuid: id, loan: { days_past_due: dpd }, list_history: { phone_test_dpd3_29: 2, phone_test_dpd30_89: 2 } });
      expect(tested(payoffuid({ c17: 'c' }), 10)).toEqual(['Call List: DPD3-14 [PHONE_TEST]']);
      expect(tested(payoffuid({ c17: 'd' }), 10)).toEqual(['Call List: DPD3-14']);
      expect(tested(payoffuid({ c12: '2' }), 40)).toEqual(['Call List: DPD30-59 [PHONE_TEST]']);
      expect(tested(payoffuid({ c12: '3' }), 40)).toEqual(['Call List: DPD30-59']);
    });

    it("a history on the other group's lists counts only when the customer was in that group", () => {
      const moved = (c17: string) =>
        onSet('Call List', WEDNESDAY, { payoffuid: payoffuid({ c12: '0', c17 }), loan: { days_past_due: 30 }, list_history: { phone_test_dpd3_29: 1 } });
      expect(moved('0')).toEqual(['Call List: DPD30-59 [PHONE_TEST]']);
      expect(moved('d')).toEqual(['Call List: DPD30-59']);
    });

    it('day 1 kept, days 2–7 suppressed (the weekend too), day 8 kept', () => {
      const days = ['2026-11-30', '2026-12-01', '2026-12-02', '2026-12-03', '2026-12-04', '2026-12-05', '2026-12-06', '2026-12-07'];
      let lastKept: string | null = null;
      const outcomes = days.map((day) => {
        const since = lastKept === null ? null : Math.round((Date.parse(day) - Date.parse(lastKept)) / 86_400_000);
        const [line] = onSet('Call List', day, { payoffuid: group17, list_history: { phone_test_dpd3_29: since !== null && since <= 6 ? since : null } });
        if (line === 'Call List: DPD3-14') lastKept = day;
        return line;
      });
      expect(outcomes).toEqual(['Call List: DPD3-14', ...Array(6).fill('Call List: DPD3-14 [PHONE_TEST]'), 'Call List: DPD3-14']);
    });

    it('at the weekend every customer of the test groups is suppressed, others are not', () => {
      expect(onSet('Call List', SATURDAY, { payoffuid: group17 })).toEqual(['Call List: DPD3-14 [PHONE_TEST]']);
      expect(onSet('Call List', SATURDAY, { payoffuid: payoffuid() })).toEqual(['Call List: DPD3-14']);
    });
  });
});
