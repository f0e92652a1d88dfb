import type { Channel } from '../campaigns/schema.ts';
import { resources } from '../../config/resources.ts';

/**
 * The layout of the exported list files (SPEC §7, docs/exports.md): one CSV per list, one record per
 * exported customer, the customer's contacts pivoted into rank-ordered column groups. Call and SMS
 * files are Genesys Cloud contact lists; email files have the same shape with email columns.
 */

/** Genesys Cloud refuses a contact list with more columns than this. */
export const GENESYS_MAX_COLUMNS = 50;

/** Genesys Cloud holds at most this many contacts in one contact list: a longer list is split into numbered parts. */
export const GENESYS_MAX_CONTACTS = 1_000_000;

/** The column Genesys uses as contact id (`contact-id-name` of the upload), so results map back. */
export const CONTACT_ID_COLUMN = 'payoffuid';

/** The customer columns, in file order, after which the contact groups follow. */
export const CUSTOMER_COLUMNS = [
  CONTACT_ID_COLUMN,
  'account_number',
  'first_name',
  'last_name',
  'portfolio',
  'days_past_due',
  'amount_due',
  'ab_group',
  'calls_allowed_today',
] as const;

/**
 * Each contact group: the value, its contact type, whose it is, its own IANA time zone and its own calling
 * window of the day (SPEC §7: the dialer enforces the §6.1 intersection, not the number's zone).
 */
export interface ContactGroupColumns {
  value: string;
  type: string;
  party: string;
  timezone: string;
  windowStart: string;
  windowEnd: string;
}

export function contactColumns(channel: Channel, position: number): ContactGroupColumns {
  const value = `${channel === 'email' ? 'email' : 'phone'}_${position}`;
  return {
    value,
    type: `${value}_type`,
    party: `${value}_party`,
    timezone: `${value}_timezone`,
    windowStart: `${value}_window_start_utc`,
    windowEnd: `${value}_window_end_utc`,
  };
}

/**
 * How many contact groups fit beside the customer columns within the column limit; a layout where not even
 * one fits is refused.
 */
export function contactGroupsWithin(maxColumns: number, customerColumns: number, groupColumns: number): number {
  const groups = Math.floor((maxColumns - customerColumns) / groupColumns);
  if (groups < 1) {
    throw new Error(`a list file of ${customerColumns} customer columns and ${groupColumns} columns per contact cannot hold one contact within ${maxColumns} columns`);
  }
  return groups;
}

const CONTACT_GROUP_COLUMNS = Object.keys(contactColumns('call', 1)).length;

/**
 * Contacts exported per customer, as many as the column budget allows: 9 customer columns + 6 × 6 contact
 * columns = 45 of Genesys's 50. Contacts ranked beyond this are counted (`contacts_not_exported`), not written.
 */
export const MAX_EXPORTED_CONTACTS = contactGroupsWithin(GENESYS_MAX_COLUMNS, CUSTOMER_COLUMNS.length, CONTACT_GROUP_COLUMNS);

/** The header of a list file of this channel. */
export function exportColumns(channel: Channel): string[] {
  const columns: string[] = [...CUSTOMER_COLUMNS];
  for (let position = 1; position <= MAX_EXPORTED_CONTACTS; position += 1) {
    const group = contactColumns(channel, position);
    columns.push(group.value, group.type, group.party, group.timezone, group.windowStart, group.windowEnd);
  }
  return columns;
}

/** A contact of an exported customer, as rpt_outbound_list_contacts has it (the window as Genesys compares it, `yyyy-MM-ddTHH:mm:ssZ`). */
export interface ExportContact {
  contact_value: string;
  contact_type: string;
  related_party_type: string;
  timezone: string | null;
  window_start_utc: string | null;
  window_end_utc: string | null;
}

/** One exported customer of one list: the export SQL's rows of the customer (sql/exports/export_rows.sql), grouped. */
export interface ExportCustomer {
  set_name: string;
  list_name: string;
  channel: Channel;
  payoffuid: string;
  account_number: string | null;
  first_name: string | null;
  last_name: string | null;
  portfolio: string | null;
  days_past_due: string | null;
  amount_due: string | null;
  ab_group: string | null;
  /** rpt_outbound_lists.calls_allowed_today as text; null when no cap applies. */
  calls_allowed_today: string | null;
  /** In contact_rank order. */
  contacts: ExportContact[];
}

const CHANNEL_VALUE_TYPES: Record<Channel, readonly string[]> = {
  call: ['mobile', 'home', 'work'],
  sms: ['mobile'],
  email: ['email'],
  mail: ['address'],
};

/** The longest value a field of a list file may hold (Genesys Cloud's limit); a longer one stops the export rather than be truncated. */
export const MAX_FIELD_LENGTH = 512;

/**
 * Free text from the feeds that a spreadsheet would run as a formula (`=HYPERLINK(…)`, `+`, `-`, `@`, a
 * leading tab or CR) is written with a leading `'`, which spreadsheets show as text (OWASP, CSV injection).
 * Only the feeds' free-text columns: phones are E.164 (`+1…`) and numbers may be negative by design.
 */
export function neutraliseFormula(value: string | null): string | null {
  return value !== null && /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/** The record's fields in `exportColumns(customer.channel)` order, and how many ranked contacts did not fit. */
export function exportRecord(customer: ExportCustomer): { fields: (string | null)[]; contactsNotExported: number } {
  const fields: (string | null)[] = [
    customer.payoffuid,
    customer.account_number,
    neutraliseFormula(customer.first_name),
    neutraliseFormula(customer.last_name),
    neutraliseFormula(customer.portfolio),
    customer.days_past_due,
    customer.amount_due,
    customer.ab_group,
    customer.calls_allowed_today,
  ];
  for (let index = 0; index < MAX_EXPORTED_CONTACTS; index += 1) {
    const contact = customer.contacts[index];
    if (!contact) {
      fields.push(null, null, null, null, null, null);
      continue;
    }
    const where = `list ${customer.set_name}/${customer.list_name}, payoffuid ${customer.payoffuid}`;
    if (!CHANNEL_VALUE_TYPES[customer.channel].includes(contact.contact_type)) {
      throw new Error(`${where}: contact of type ${contact.contact_type} on a ${customer.channel} list`);
    }
    // Every call and text has a window rule (docs/compliance.md): a number without a window would be dialled at any hour.
    if (customer.channel !== 'email' && (contact.window_start_utc === null || contact.window_end_utc === null)) {
      throw new Error(`${where}: contact ${index + 1} has no calling window on a ${customer.channel} list`);
    }
    fields.push(contact.contact_value, contact.contact_type, contact.related_party_type, contact.timezone, contact.window_start_utc, contact.window_end_utc);
  }
  const columns = exportColumns(customer.channel);
  fields.forEach((field, index) => {
    if (field !== null && field.length > MAX_FIELD_LENGTH) {
      throw new Error(
        `list ${customer.set_name}/${customer.list_name}, payoffuid ${customer.payoffuid}: column ${columns[index]} holds ${field.length} characters, ` +
          `more than ${MAX_FIELD_LENGTH}; the export stops rather than truncate it`,
      );
    }
  });
  return { fields, contactsNotExported: Math.max(0, customer.contacts.length - MAX_EXPORTED_CONTACTS) };
}

/**
 * Problems of a header as Genesys Cloud judges a contact-list file: at most 50 columns, unique
 * names, names of letters, digits and underscores. Empty when the header is acceptable.
 */
export function headerProblems(columns: readonly string[]): string[] {
  const problems: string[] = [];
  if (columns.length > GENESYS_MAX_COLUMNS) problems.push(`${columns.length} columns, more than ${GENESYS_MAX_COLUMNS}`);
  const seen = new Set<string>();
  for (const column of columns) {
    if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(column)) problems.push(`column name ${JSON.stringify(column)} is not letters, digits and underscores`);
    if (seen.has(column)) problems.push(`column ${JSON.stringify(column)} appears twice`);
    seen.add(column);
  }
  return problems;
}

/** The contact list to create in Genesys Cloud for a list of this channel (body of POST /api/v2/outbound/contactlists). */
export interface GenesysContactListDefinition {
  name: string;
  columnNames: string[];
  phoneColumns: { columnName: string; type: string; callableTimeColumn: string }[];
  emailColumns: { columnName: string; type: string; contactableTimeColumn: string }[];
  automaticTimeZoneMapping: false;
}

export function genesysContactListDefinition(name: string, channel: Channel): GenesysContactListDefinition {
  const groups = Array.from({ length: MAX_EXPORTED_CONTACTS }, (_, index) => contactColumns(channel, index + 1));
  return {
    name,
    columnNames: exportColumns(channel),
    // The column-level type is only a label: the contact type of each record is in its `_type` column.
    phoneColumns: channel === 'email' ? [] : groups.map((group) => ({ columnName: group.value, type: group.value, callableTimeColumn: group.timezone })),
    emailColumns: channel === 'email' ? groups.map((group) => ({ columnName: group.value, type: group.value, contactableTimeColumn: group.timezone })) : [],
    automaticTimeZoneMapping: false,
  };
}

/** Where a day's exports live in the exports bucket: `exports/date=D/`. */
export function exportsPrefix(loadDate: string): string {
  return `${resources.prefixes.exports}date=${loadDate}/`;
}

export const MANIFEST_FILE = 'manifest.json';

/**
 * A list's file, relative to the day's prefix: `<set>/<list>.csv`, or for part k of a list split at
 * GENESYS_MAX_CONTACTS `<set>/<list>/part-00k.csv` (names never contain `/`, so neither can collide).
 */
export function exportFileName(setName: string, listName: string, part: number | null = null): string {
  return part === null ? `${setName}/${listName}.csv` : `${setName}/${listName}/part-${String(part).padStart(3, '0')}.csv`;
}

/** What a Genesys contact list declares, as far as the export layout cares. */
export interface DeclaredContactList {
  columnNames: readonly string[];
  phoneColumns?: readonly { columnName: string; callableTimeColumn?: string }[];
  emailColumns?: readonly { columnName: string; contactableTimeColumn?: string }[];
}

/**
 * Why a Genesys contact list cannot take this channel's files: its columns must be exactly the file's
 * (Genesys refuses an upload with other columns), and each contact column must be declared as a
 * phone (email) column whose time zone is its own `_timezone` column — never a list-wide guess.
 */
export function contactListProblems(declared: DeclaredContactList, channel: Channel): string[] {
  const expected = exportColumns(channel);
  const problems: string[] = [];
  const missing = expected.filter((column) => !declared.columnNames.includes(column));
  const extra = declared.columnNames.filter((column) => !expected.includes(column));
  if (missing.length > 0) problems.push(`columns missing from the contact list: ${missing.join(', ')}`);
  if (extra.length > 0) problems.push(`columns the export does not have: ${extra.join(', ')}`);
  const contactDeclarations = new Map(
    channel === 'email'
      ? (declared.emailColumns ?? []).map((column) => [column.columnName, column.contactableTimeColumn] as const)
      : (declared.phoneColumns ?? []).map((column) => [column.columnName, column.callableTimeColumn] as const),
  );
  for (let position = 1; position <= MAX_EXPORTED_CONTACTS; position += 1) {
    const group = contactColumns(channel, position);
    const timezone = contactDeclarations.get(group.value);
    if (!contactDeclarations.has(group.value)) problems.push(`${group.value} is not declared as a ${channel === 'email' ? 'email' : 'phone'} column`);
    else if (timezone !== group.timezone) problems.push(`${group.value} must take its time zone from ${group.timezone}, not ${timezone ?? 'nothing'}`);
  }
  return problems;
}
