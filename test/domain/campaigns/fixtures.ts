import type { z } from 'zod';
import type { campaignConfigSchema, CampaignConfig, Condition } from '../../../domain/campaigns/schema.ts';
import { parseCampaignConfig } from '../../../domain/campaigns/validate.ts';
import type { ContactFacts, CustomerFacts } from '../../../domain/campaigns/facts.ts';

/** Hand-written configurations and customers for the engine's example-based tests. */

export type CampaignConfigInput = z.input<typeof campaignConfigSchema>;

export function addDays(isoDate: string, days: number): string {
  const date = new Date(`${isoDate}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

/** Validated and with its defaults applied, as the engine receives it from the configuration loader. */
export function buildConfig(input: CampaignConfigInput): CampaignConfig {
  const result = parseCampaignConfig(input);
  if (!result.ok) throw new Error(`test configuration is invalid: ${result.problems.map((problem) => `${problem.path}: ${problem.message}`).join('; ')}`);
  return result.config;
}

/** One call set with one list whose only conditions are `conditions`, and no contact requirement. */
export function singleListConfig(conditions: Condition, customFields: CampaignConfigInput['custom_fields'] = []): CampaignConfig {
  return buildConfig({
    version: 'test',
    custom_fields: customFields,
    sets: [{ name: 'S', channel: 'call', lists: [{ name: 'L', priority: 1, purpose: 'collections', contact_required: false, conditions }] }],
  });
}

export function contact(fields: Partial<ContactFacts> = {}): ContactFacts {
  const contactType = fields.contact_type ?? 'mobile';
  return {
    related_party_type: 'customer',
    contact_type: contactType,
    contact_value: contactType === 'email' ? 'ann@example.com' : '+16175550101',
    created_at: '2025-06-01',
    suppression_reason: null,
    wrong_number_count_90d: 0,
    disconnected_count_90d: 0,
    can_send_sms: contactType === 'email' ? null : true,
    opted_out: false,
    bounced: false,
    phone_status: contactType === 'email' ? null : 'ACTIVE',
    phone_technology: contactType === 'email' ? null : 'WIRELESS',
    quality_score: contactType === 'email' ? null : 80,
    ...fields,
  };
}

export interface CustomerPatch {
  payoffuid?: string;
  loan?: Partial<CustomerFacts['loan']>;
  customer?: Partial<CustomerFacts['customer']>;
  derived?: Partial<CustomerFacts['derived']>;
  custom_fields?: CustomerFacts['custom_fields'];
  unreadable_custom_fields?: CustomerFacts['unreadable_custom_fields'];
  contacts?: ContactFacts[];
  suppressions?: CustomerFacts['suppressions'];
}

export function customerFacts(patch: CustomerPatch = {}): CustomerFacts {
  return {
    payoffuid: patch.payoffuid ?? '7f3c1a2e-0000-4000-8000-000000000001',
    account_number: '1000000001',
    loan: {
      loan_id: 'L1000000001',
      portfolio: 'BLUE_FCU',
      loan_status: 'DELINQUENT',
      days_past_due: 45,
      amount_due: 250,
      principal_balance: 5000,
      origination_date: '2024-05-01',
      next_payment_due_date: '2026-03-20',
      charge_off_date: null,
      recoveries_paid_to_date: 0,
      payment_mode: 'Manual',
      placement_status: null,
      next_workable_date: null,
      last_collections_contact_date: null,
      loan_tape_asofdate: '2026-03-07',
      ...patch.loan,
    },
    customer: {
      first_name: 'Ann',
      last_name: 'Lee',
      address_1: '12 Main St',
      address_2: null,
      city: 'Cambridge',
      state: 'MA',
      zip: '02139',
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
      last_conversation_date: null,
      last_attempt_date: null,
      usable_phone_count: 1,
      usable_email_count: 0,
      load_weekday: 'Saturday',
      days_until_next_payment: 13,
      days_since_charge_off: null,
      ...patch.derived,
    },
    custom_fields: patch.custom_fields ?? {},
    unreadable_custom_fields: patch.unreadable_custom_fields ?? [],
    contacts: patch.contacts ?? [],
    suppressions: patch.suppressions ?? [],
  };
}
