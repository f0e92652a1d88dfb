import type { ContactFacts, CustomerAttributes, DerivedFacts, LoanFacts } from './facts.ts';
import type { CustomField, DataType, Operator, Source } from './schema.ts';

/**
 * The field registry: every field a condition may name, by source, with its type. Built-in fields
 * are the customer-facts record's (facts.ts); custom fields come from the configuration.
 * `contact` conditions hold when any of the customer's contacts satisfies them.
 */
export interface FieldDefinition {
  source: Source;
  name: string;
  dataType: DataType;
  description: string;
}

type Described<T> = { [K in keyof T]-?: [DataType, string] };

const loanFields: Described<LoanFacts> = {
  portfolio: ['string', 'Portfolio (investor) of the loan: BLUE_FCU, USALLIANCE, SST, DECLINE, OFAC …'],
  loan_status: ['string', 'Servicing status of the loan (CURRENT, DELINQUENT, CHARGED_OFF, PAID_OFF …)'],
  days_past_due: ['number', 'Days past due on the loan tape date'],
  amount_due: ['number', 'Amount due, USD'],
  principal_balance: ['number', 'Principal balance, USD'],
  loan_tape_asofdate: ['date', 'As-of date of the loan tape row'],
};

const customerFields: Described<CustomerAttributes> = {
  first_name: ['string', 'Borrower first name'],
  last_name: ['string', 'Borrower last name'],
  state: ['string', 'Two-letter USPS state of the address'],
  zip: ['string', 'ZIP code of the address'],
};

const derivedFields: Described<DerivedFacts> = {
  calls_last_7_days: ['number', 'Call attempts on the account in the 7 days ending on the load date'],
  communications_last_7_days: ['number', 'Calls and texts on the account in the 7 days ending on the load date'],
  attempts_last_7_days: ['number', 'Attempts on any channel on the account in the 7 days ending on the load date'],
  communications_last_24h: ['number', 'Calls and texts on the account dated the load date or the day before'],
  last_conversation_date: ['date', 'Date of the last telephone conversation on the account'],
  last_attempt_date: ['date', 'Date of the last contact attempt on any channel'],
  usable_phone_count: ['number', 'Phones that are neither bad numbers nor suppressed'],
  usable_email_count: ['number', 'Email addresses neither opted out, bounced nor suppressed'],
};

const contactFields: Described<ContactFacts> = {
  related_party_type: ['string', 'customer, reference_customer_parent or reference_customer_other'],
  contact_type: ['string', 'mobile, home, work or email'],
  contact_value: ['string', 'E.164 phone number or lower-case email address'],
  created_at: ['date', 'Date the contact point was recorded'],
  suppression_reason: ['string', 'Reason of an active suppression-feed entry on the contact point'],
  wrong_number_count_90d: ['number', 'WRONG_NUMBER dispositions in 90 days'],
  disconnected_count_90d: ['number', 'DISCONNECTED dispositions in 90 days'],
  can_send_sms: ['boolean', '§4 can_send_sms for the phone on this account'],
  opted_out: ['boolean', 'An opt-out was recorded on the contact point'],
  bounced: ['boolean', 'An email to the address bounced'],
  phone_status: ['string', "The client's phone status: ACTIVE, INACTIVE or DISCONNECTED; null for emails and phones with no consent row"],
  phone_technology: ['string', "The client's line technology: WIRELESS, LANDLINE or VOIP; null for emails and phones with no consent row"],
  quality_score: ['number', "The client's phone quality score, 1–100; null for emails, phones with no consent row and unscored phones"],
};

function definitions(source: Source, described: Record<string, [DataType, string]>): FieldDefinition[] {
  return Object.entries(described).map(([name, [dataType, description]]) => ({ source, name, dataType, description }));
}

export const BUILT_IN_FIELDS: readonly FieldDefinition[] = [
  ...definitions('loan', loanFields),
  ...definitions('customer', customerFields),
  ...definitions('derived', derivedFields),
  ...definitions('contact', contactFields),
];

export interface FieldRegistry {
  lookup(source: Source, name: string): FieldDefinition | undefined;
  /** Field names of a source, for error messages and editors. */
  names(source: Source): string[];
}

export function fieldRegistry(customFields: readonly CustomField[]): FieldRegistry {
  const all = [
    ...BUILT_IN_FIELDS,
    ...customFields.map((field) => ({ source: 'custom_field' as const, name: field.name, dataType: field.data_type, description: field.description })),
  ];
  const byKey = new Map(all.map((field) => [`${field.source}.${field.name}`, field]));
  return {
    lookup: (source, name) => byKey.get(`${source}.${name}`),
    names: (source) => all.filter((field) => field.source === source).map((field) => field.name),
  };
}

/** The operators each field type admits (§5: checked when the configuration is loaded). */
export const OPERATORS_BY_TYPE: Record<DataType, readonly Operator[]> = {
  string: ['=', '!=', 'in', 'not_in', 'like', 'is_null', 'is_not_null'],
  number: ['=', '!=', '>', '>=', '<', '<=', 'in', 'not_in', 'between', 'is_null', 'is_not_null'],
  date: ['=', '!=', '>', '>=', '<', '<=', 'between', 'in', 'not_in', 'is_null', 'is_not_null', 'days_since >', 'days_since <'],
  boolean: ['=', '!=', 'is_null', 'is_not_null'],
};
