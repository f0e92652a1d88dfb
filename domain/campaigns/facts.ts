import type { PhoneConsentRow } from '../consent/consent.ts';
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
  /**
   * The configuration's list-history facts (`list_history:`), by name: days from the load date back to the latest
   * earlier published load date within the fact's lookback on which the customer was kept (on one of its lists, not
   * suppressed); null when not. The facts assembler sets every declared fact; a record built without the facts step
   * (a test, a bench) may leave it out, and a condition that reads it then fails (condition-compiler.ts).
   */
  list_history?: Record<string, number | null>;
}

export type FieldValue = string | number | boolean | null;

/** The loan tape row (§3.2). */
export interface LoanFacts {
  /** The servicer's display id of the loan. */
  loan_id: string | null;
  portfolio: string | null;
  /** One of `Current`, `Delinquent`, `Charge off`, `Paid in Full`, `Sold` (read in any case, written in this one). */
  loan_status: string | null;
  days_past_due: number | null;
  amount_due: number | null;
  principal_balance: number | null;
  origination_date: string | null;
  next_payment_due_date: string | null;
  /** Null unless charged off. */
  charge_off_date: string | null;
  recoveries_paid_to_date: number | null;
  /** `Auto Payer` or `Manual`. */
  payment_mode: string | null;
  /** The collection agency the loan is placed with; null when not placed (empty). */
  placement_status: string | null;
  /** The loan must not be worked before this date; null when none. */
  next_workable_date: string | null;
  last_collections_contact_date: string | null;
  loan_tape_asofdate: string | null;
}

/** The borrower: name and address from the loan tape, its contact rules, payment requests and ZIP suppression. */
export interface CustomerAttributes {
  first_name: string | null;
  last_name: string | null;
  address_1: string | null;
  address_2: string | null;
  city: string | null;
  /** Two-letter USPS code of the address. */
  state: string | null;
  zip: string | null;
  /** A contact rule of the customer in force on the load date says Y (or cannot be read); false when none. */
  cease_and_desist: boolean;
  bankruptcy: boolean;
  suppress_phone: boolean;
  suppress_text: boolean;
  suppress_letter: boolean;
  suppress_email: boolean;
  /** A ONE_TIME_PAYMENT or MANUAL_BILL_PAYMENT request, not deleted, effective on the load date or later. */
  pending_payment: boolean;
  /** The latest submitted_at date of a completed LOAN_MODIFICATION request; null if none. */
  last_loan_modification_date: string | null;
  /** The reason of a ZIP suppression in force on the load date for the customer's 5-digit ZIP; null if none. */
  zip_suppression_reason: string | null;
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
  /** Weekday of the load date: `Monday` … `Sunday`. */
  load_weekday: string;
  /** next_payment_due_date − loan_tape_asofdate in days; null if either is missing. */
  days_until_next_payment: number | null;
  /** loan_tape_asofdate − charge_off_date in days; null if either is missing. */
  days_since_charge_off: number | null;
}

export interface ContactFacts {
  related_party_type: RelatedPartyType;
  contact_type: ContactType;
  /** E.164 for phones, lower-case address for emails, one line `address_1, [address_2, ]city, ST zip` for the postal address. */
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
