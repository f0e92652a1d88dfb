import type { PhoneConsentRow } from '../consent.ts';
import type { ContactType, RelatedPartyType } from './schema.ts';

/**
 * The customer-facts record: everything the engine reads about one customer (keyed by `payoffuid`,
 * evaluated on its primary loan: docs/customer-facts.md) on one load date. The daily workflow's customer-facts SQL produces exactly this
 * record, one JSON object per line in each shard file; docs/campaign-engine.md describes it field
 * by field. Dates are ISO `YYYY-MM-DD` strings; a missing value is `null`.
 */
export interface CustomerFacts {
  payoffuid: string;
  account_number: string;
  loan: LoanFacts;
  customer: CustomerAttributes;
  derived: DerivedFacts;
  /** Values of the custom fields the configuration declares, typed by the registry; absent = null. */
  custom_fields: Record<string, FieldValue | undefined>;
  /**
   * Declared custom fields whose value could not be read (a value not of the declared type, or a record that
   * is not a JSON object): null in `custom_fields`, and every set whose rules read one keeps the customer off (§5, fail closed).
   */
  unreadable_custom_fields: readonly string[];
  contacts: ContactFacts[];
  /** Suppression-feed entries keyed on this payoffuid and active on the load date. */
  suppressions: SuppressionFact[];
}

export type FieldValue = string | number | boolean | null;

/** The loan tape row (§3.2). */
export interface LoanFacts {
  portfolio: string | null;
  loan_status: string | null;
  days_past_due: number | null;
  amount_due: number | null;
  principal_balance: number | null;
  loan_tape_asofdate: string | null;
}

/** The borrower: name and address from the loan tape. */
export interface CustomerAttributes {
  first_name: string | null;
  last_name: string | null;
  /** Two-letter USPS code of the address. */
  state: string | null;
  zip: string | null;
}

/** Counters computed from the disposition history, consent and contacts, as of the load date. */
export interface DerivedFacts {
  /** Call attempts on the account in the 7 days ending on the load date (Regulation F counts per debt). */
  calls_last_7_days: number;
  /** Calls and texts on the account in the 7 days ending on the load date (Massachusetts, Washington). */
  communications_last_7_days: number;
  /**
   * Attempts on any channel (call, sms, email) on the account in the 7 days ending on the load date
   * (Washington's weekly cap). Read by the compliance filters (domain/compliance), which refuse a
   * record without it when a rule in force counts it.
   */
  attempts_last_7_days?: number;
  /**
   * Calls and texts on the account dated the load date or the day before: every attempt within the
   * 24 hours before a call placed today (Florida, Oklahoma, Maryland marketing caps). Same contract.
   */
  communications_last_24h?: number;
  /** Date of the last telephone conversation (right-party contact) on the account. */
  last_conversation_date: string | null;
  /** Date of the last contact attempt on any channel. */
  last_attempt_date: string | null;
  /** Phones of the customer (any related party) that are neither bad numbers nor suppressed. */
  usable_phone_count: number;
  /** Email addresses of the customer that are neither opted out, bounced nor suppressed. */
  usable_email_count: number;
}

export interface ContactFacts {
  related_party_type: RelatedPartyType;
  contact_type: ContactType;
  /** E.164 for phones, lower-case address for emails. */
  contact_value: string;
  /** Date the contact point was recorded; among duplicates the newest is kept. */
  created_at: string;
  /** Reason of a suppression-feed entry on this phone or email active on the load date, else null. */
  suppression_reason: string | null;
  /** WRONG_NUMBER dispositions on this number in the 90 days ending on the load date. */
  wrong_number_count_90d: number;
  /** DISCONNECTED dispositions on this number in the 90 days ending on the load date. */
  disconnected_count_90d: number;
  /** §4 can_send_sms for (account, phone); null for emails. */
  can_send_sms: boolean | null;
  /** An OPT_OUT disposition (SMS STOP, email unsubscribe) was recorded on this contact point. */
  opted_out: boolean;
  /** An email to this address bounced. */
  bounced: boolean;
  /** The client's status of the phone in gold `phone_consent` for this account; null for emails and phones with no gold row. */
  phone_status: PhoneConsentRow['phone_status'] | null;
  /** The client's line technology of the phone, from the same gold row; null likewise. */
  phone_technology: PhoneConsentRow['phone_technology'] | null;
  /** The client's quality score of the phone (1–100), from the same gold row; null likewise or when the client left it empty. */
  quality_score: number | null;
}

export interface SuppressionFact {
  scope: 'GLOBAL' | 'SET' | 'LIST';
  set_name: string | null;
  list_name: string | null;
  reason: string;
}
