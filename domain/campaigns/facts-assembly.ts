import { isIsoDate } from '../values/load-date.ts';
import type { ContactFacts, CustomerAttributes, CustomerFacts, DerivedFacts, FieldValue, LoanFacts, SuppressionFact } from './facts.ts';
import type { CampaignConfig, DataType } from './schema.ts';

/**
 * Turns the three row streams of one customer-facts shard (docs/customer-facts.md: the `customers`,
 * `contacts` and `suppressions` JSON Lines the facts SQL writes) into CustomerFacts records. Pure: the
 * shard Lambda reads the files and hands the parsed rows over.
 */

/**
 * A line of the `customers` shard table: the loan, the borrower and the counters from the dispositions,
 * flat. The usable phone/email counts are left to the assembler: they depend on the configuration's thresholds.
 */
export type CustomerRow = Pick<CustomerFacts, 'payoffuid' | 'account_number'> &
  LoanFacts &
  CustomerAttributes &
  Required<Omit<DerivedFacts, 'usable_phone_count' | 'usable_email_count'>> & {
    /** The feed's `fields` object as JSON text, or null when the account has no custom-field record. */
    custom_fields_json: string | null;
    /** The account has a custom-field line that could not be read (not JSON): none of its fields can be trusted. */
    custom_fields_unreadable: boolean;
  };

/** A line of the `contacts` shard table. */
export type ContactRow = ContactFacts & { payoffuid: string };

/** A line of the `suppressions` shard table. */
export type SuppressionRow = SuppressionFact & { payoffuid: string };

/** A line of the `list_history` shard table: one list-history fact of one customer that has a value. */
export interface ListHistoryRow {
  payoffuid: string;
  name: string;
  days: number;
}

export interface ShardRows {
  customers: Iterable<CustomerRow>;
  contacts: Iterable<ContactRow>;
  suppressions: Iterable<SuppressionRow>;
  /** Absent: no list-history row (every declared fact null). */
  list_history?: Iterable<ListHistoryRow>;
}

/** What the assembly set aside (no row contents). */
export interface AssemblyCounts {
  /** Values of declared custom fields whose JSON type does not fit the declared data type: unreadable. */
  illTypedCustomFieldValues: number;
  /** Customers with an unreadable custom field (ill-typed, or a record that could not be read): kept off the sets that read it. */
  customersWithUnreadableFields: number;
  /** Keys of the `fields` objects that no custom field of the configuration declares: ignored. */
  undeclaredCustomFieldValues: number;
  /** Records that could not be read (a broken line of the account, or `fields` not a JSON object): every declared field unreadable. */
  invalidCustomFieldRecords: number;
  /** Contact and suppression rows naming a payoffuid that is not a customer of the shard: ignored. */
  orphanContacts: number;
  orphanSuppressions: number;
  /** List-history rows of a customer not in the shard, or of a fact the configuration does not declare: ignored. */
  orphanListHistory: number;
}

export interface AssembledShard {
  facts: CustomerFacts[];
  counts: AssemblyCounts;
}

type AssemblyConfig = Pick<CampaignConfig, 'custom_fields' | 'bad_number'> & Partial<Pick<CampaignConfig, 'list_history'>>;

/**
 * The facts of a shard's customers, in the order of `customers`; contacts newest first (ties by value),
 * suppressions in row order. Custom fields are typed by the configuration's declarations: every declared field is set
 * (null when absent or ill-typed). usable_phone_count and usable_email_count are counted here because the
 * bad-number thresholds are configuration (`bad_number`); a value recorded twice counts once.
 */
export function assembleCustomerFacts(rows: ShardRows, config: AssemblyConfig): AssembledShard {
  const counts: AssemblyCounts = {
    illTypedCustomFieldValues: 0,
    customersWithUnreadableFields: 0,
    undeclaredCustomFieldValues: 0,
    invalidCustomFieldRecords: 0,
    orphanContacts: 0,
    orphanSuppressions: 0,
    orphanListHistory: 0,
  };
  const historyNames = (config.list_history ?? []).map((fact) => fact.name);
  const declared = new Map<string, DataType>(config.custom_fields.map((field) => [field.name, field.data_type]));
  const facts: CustomerFacts[] = [];
  const byPayoffuid = new Map<string, CustomerFacts>();
  for (const row of rows.customers) {
    const { values, unreadable } = typedCustomFields(row.custom_fields_json, !row.custom_fields_unreadable, declared, counts);
    if (unreadable.length > 0) counts.customersWithUnreadableFields++;
    const record: CustomerFacts = {
      payoffuid: row.payoffuid,
      account_number: row.account_number,
      loan: {
        loan_id: row.loan_id,
        portfolio: row.portfolio,
        loan_status: row.loan_status,
        days_past_due: row.days_past_due,
        amount_due: row.amount_due,
        principal_balance: row.principal_balance,
        origination_date: row.origination_date,
        next_payment_due_date: row.next_payment_due_date,
        charge_off_date: row.charge_off_date,
        recoveries_paid_to_date: row.recoveries_paid_to_date,
        payment_mode: row.payment_mode,
        placement_status: row.placement_status,
        next_workable_date: row.next_workable_date,
        last_collections_contact_date: row.last_collections_contact_date,
        loan_tape_asofdate: row.loan_tape_asofdate,
      },
      customer: {
        first_name: row.first_name,
        last_name: row.last_name,
        address_1: row.address_1,
        address_2: row.address_2,
        city: row.city,
        state: row.state,
        zip: row.zip,
        cease_and_desist: row.cease_and_desist,
        bankruptcy: row.bankruptcy,
        suppress_phone: row.suppress_phone,
        suppress_text: row.suppress_text,
        suppress_letter: row.suppress_letter,
        suppress_email: row.suppress_email,
        pending_payment: row.pending_payment,
        last_loan_modification_date: row.last_loan_modification_date,
        zip_suppression_reason: row.zip_suppression_reason,
      },
      derived: {
        calls_last_7_days: row.calls_last_7_days,
        communications_last_7_days: row.communications_last_7_days,
        attempts_last_7_days: row.attempts_last_7_days,
        communications_last_24h: row.communications_last_24h,
        last_conversation_date: row.last_conversation_date,
        last_attempt_date: row.last_attempt_date,
        usable_phone_count: 0,
        usable_email_count: 0,
        load_weekday: row.load_weekday,
        days_until_next_payment: row.days_until_next_payment,
        days_since_charge_off: row.days_since_charge_off,
      },
      custom_fields: values,
      unreadable_custom_fields: unreadable,
      contacts: [],
      suppressions: [],
      list_history: Object.fromEntries(historyNames.map((name) => [name, null])),
    };
    facts.push(record);
    byPayoffuid.set(row.payoffuid, record);
  }
  for (const row of rows.contacts) {
    const record = byPayoffuid.get(row.payoffuid);
    if (!record) {
      counts.orphanContacts++;
      continue;
    }
    record.contacts.push({
      related_party_type: row.related_party_type,
      contact_type: row.contact_type,
      contact_value: row.contact_value,
      created_at: row.created_at,
      suppression_reason: row.suppression_reason,
      wrong_number_count_90d: row.wrong_number_count_90d,
      disconnected_count_90d: row.disconnected_count_90d,
      can_send_sms: row.can_send_sms,
      opted_out: row.opted_out,
      bounced: row.bounced,
      phone_status: row.phone_status,
      phone_technology: row.phone_technology,
      quality_score: row.quality_score,
    });
  }
  for (const row of rows.suppressions) {
    const record = byPayoffuid.get(row.payoffuid);
    if (!record) {
      counts.orphanSuppressions++;
      continue;
    }
    record.suppressions.push({ scope: row.scope, set_name: row.set_name, list_name: row.list_name, reason: row.reason });
  }
  for (const row of rows.list_history ?? []) {
    const history = byPayoffuid.get(row.payoffuid)?.list_history;
    if (!history || !(row.name in history)) {
      counts.orphanListHistory++;
      continue;
    }
    // One row per (customer, fact) is written; should two arrive, the more recent day (fewer days) wins.
    const current = history[row.name];
    if (current === null || current === undefined || row.days < current) history[row.name] = row.days;
  }
  const { wrong_number_count: wrongNumbers, disconnected_count: disconnects } = config.bad_number;
  const usablePhone = (contact: ContactFacts) =>
    contact.contact_type !== 'email' &&
    contact.contact_type !== 'address' &&
    contact.suppression_reason === null &&
    contact.wrong_number_count_90d < wrongNumbers &&
    contact.disconnected_count_90d < disconnects;
  const usableEmail = (contact: ContactFacts) =>
    contact.contact_type === 'email' && contact.suppression_reason === null && !contact.opted_out && !contact.bounced;
  for (const record of facts) {
    record.contacts.sort(byNewestThenValue);
    record.derived.usable_phone_count = distinctValues(record.contacts, usablePhone);
    record.derived.usable_email_count = distinctValues(record.contacts, usableEmail);
  }
  return { facts, counts };
}

/**
 * A total order of a customer's contacts, so that the engine's choice among contacts of one rank and one
 * created_at does not depend on the order in which the engine's parallel SQL wrote the shard's rows.
 */
function byNewestThenValue(a: ContactFacts, b: ContactFacts): number {
  if (a.created_at !== b.created_at) return a.created_at < b.created_at ? 1 : -1;
  if (a.contact_value !== b.contact_value) return a.contact_value < b.contact_value ? -1 : 1;
  if (a.related_party_type !== b.related_party_type) return a.related_party_type < b.related_party_type ? -1 : 1;
  return a.contact_type < b.contact_type ? -1 : a.contact_type > b.contact_type ? 1 : 0;
}

function distinctValues(contacts: readonly ContactFacts[], usable: (contact: ContactFacts) => boolean): number {
  const values = new Set<string>();
  for (const contact of contacts) if (usable(contact)) values.add(contact.contact_value);
  return values.size;
}

/**
 * The declared custom fields of one record, typed by the registry, and those that could not be read: a value
 * of another type than declared (`"true"` or `1` for a boolean is not read as true), or every declared field
 * when the record itself cannot be read (not a JSON object, or the account has a line that is not JSON:
 * `linesReadable` false). An absent key or a JSON null is null, and readable.
 */
function typedCustomFields(
  json: string | null,
  linesReadable: boolean,
  declared: ReadonlyMap<string, DataType>,
  counts: AssemblyCounts,
): { values: Record<string, FieldValue>; unreadable: string[] } {
  const values: Record<string, FieldValue> = {};
  for (const name of declared.keys()) values[name] = null;
  if (linesReadable && json === null) return { values, unreadable: [] };
  const parsed = linesReadable && json !== null ? parseObject(json) : undefined;
  if (parsed === undefined) {
    counts.invalidCustomFieldRecords++;
    return { values, unreadable: [...declared.keys()] };
  }
  const unreadable: string[] = [];
  for (const [name, value] of Object.entries(parsed ?? {})) {
    const type = declared.get(name);
    if (type === undefined) {
      counts.undeclaredCustomFieldValues++;
      continue;
    }
    if (value === null) continue;
    if (fits(value, type)) {
      values[name] = value as FieldValue;
    } else {
      counts.illTypedCustomFieldValues++;
      unreadable.push(name);
    }
  }
  return { values, unreadable };
}

/** A JSON object, null for JSON null, undefined for anything else. */
function parseObject(json: string): Record<string, unknown> | null | undefined {
  try {
    const parsed: unknown = JSON.parse(json);
    if (parsed === null) return null;
    return typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function fits(value: unknown, type: DataType): boolean {
  switch (type) {
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'string':
      return typeof value === 'string';
    case 'boolean':
      return typeof value === 'boolean';
    case 'date':
      return typeof value === 'string' && isIsoDate(value);
  }
}
