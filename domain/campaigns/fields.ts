import type { ContactFacts, CustomerAttributes, DerivedFacts, LoanFacts } from './facts.ts';
import type { CustomField, DataType, ListHistoryFact, Operator, Source } from './schema.ts';

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
  /** `top`: read from the customer-facts record itself (its ids), not from the source's object. */
  record?: 'top';
}

type Described<T> = { [K in keyof T]-?: [DataType, string] };

const loanFields: Described<LoanFacts> = {
  loan_id: ['string', "Display id of the loan (the servicer's LOANID)"],
  portfolio: ['string', 'Portfolio (investor) of the loan: BLUE_FCU, USALLIANCE, MSU_FCU, SST, DECLINE, OFAC …'],
  loan_status: ['string', 'Servicing status of the loan: Current, Delinquent, Charge off, Paid in Full or Sold'],
  days_past_due: ['number', 'Days past due on the loan tape date'],
  amount_due: ['number', 'Amount due, USD'],
  principal_balance: ['number', 'Principal balance, USD'],
  origination_date: ['date', 'Origination date of the loan'],
  next_payment_due_date: ['date', 'Due date of the next payment'],
  charge_off_date: ['date', 'Date the loan was charged off; null unless charged off'],
  recoveries_paid_to_date: ['number', 'Recoveries paid since the charge-off, USD'],
  payment_mode: ['string', 'Auto Payer or Manual'],
  placement_status: ['string', 'Collection agency the loan is placed with; null when not placed'],
  next_workable_date: ['date', 'The loan must not be worked before this date; null when none'],
  last_collections_contact_date: ['date', 'Date of the last collections contact recorded by the servicer'],
  loan_tape_asofdate: ['date', 'As-of date of the loan tape row'],
};

const customerFields: Described<CustomerAttributes> = {
  first_name: ['string', 'Borrower first name'],
  last_name: ['string', 'Borrower last name'],
  address_1: ['string', 'First street line of the address'],
  address_2: ['string', 'Second street line of the address (apartment, suite); null when none'],
  city: ['string', 'City of the address'],
  state: ['string', 'Two-letter USPS state of the address'],
  zip: ['string', 'ZIP code of the address'],
  cease_and_desist: ['boolean', 'A contact rule in force on the load date asks to cease and desist'],
  bankruptcy: ['boolean', 'A contact rule in force on the load date records a bankruptcy'],
  suppress_phone: ['boolean', 'A contact rule in force on the load date forbids calls (DNC phone)'],
  suppress_text: ['boolean', 'A contact rule in force on the load date forbids texts (DNC text)'],
  suppress_letter: ['boolean', 'A contact rule in force on the load date forbids letters (DNC letter)'],
  suppress_email: ['boolean', 'A contact rule in force on the load date forbids emails (DNC email)'],
  pending_payment: ['boolean', 'A one-time or manual bill payment request, not deleted, effective on the load date or later'],
  last_loan_modification_date: ['date', 'Latest submitted date of a completed loan-modification request; null if none'],
  zip_suppression_reason: ['string', 'Reason of a ZIP suppression (natural disaster) in force on the load date for the 5-digit ZIP; null if none'],
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
  load_weekday: ['string', 'Weekday of the load date: Monday, Tuesday … Sunday'],
  days_until_next_payment: ['number', 'Days from the loan tape date to the next payment due date; null if either is missing'],
  days_since_charge_off: ['number', 'Days from the charge-off date to the loan tape date; null if not charged off'],
};

const contactFields: Described<ContactFacts> = {
  related_party_type: ['string', 'customer, reference_customer_parent or reference_customer_other'],
  contact_type: ['string', 'mobile, home, work, email or address'],
  contact_value: ['string', 'E.164 phone number, lower-case email address, or the postal address on one line'],
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

/** The record's ids, readable under their source (e.g. one character of `customer.payoffuid`, §5.1). */
const idFields: FieldDefinition[] = [
  { source: 'customer', name: 'payoffuid', dataType: 'string', description: 'The customer id as delivered in the loan tape', record: 'top' },
  { source: 'loan', name: 'account_number', dataType: 'string', description: 'Account number (16 digits) of the primary loan', record: 'top' },
];

export const BUILT_IN_FIELDS: readonly FieldDefinition[] = [
  ...idFields,
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

/** The fields of the configuration's own declarations: its custom fields and its list-history facts (numbers of days). */
export function fieldRegistry(customFields: readonly CustomField[], listHistory: readonly ListHistoryFact[] = []): FieldRegistry {
  const all: FieldDefinition[] = [
    ...BUILT_IN_FIELDS,
    ...customFields.map((field) => ({ source: 'custom_field' as const, name: field.name, dataType: field.data_type, description: field.description })),
    ...listHistory.map((fact) => ({
      source: 'list_history' as const,
      name: fact.name,
      dataType: 'number' as const,
      description: fact.description ?? `Days since the customer was last kept on ${fact.lists.join(', ')} (within ${fact.lookback_days} days; null if not)`,
    })),
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
