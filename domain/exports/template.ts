import {
  CHANNEL_CONTACT_TYPES,
  EXPORT_LOAN_FIELDS,
  type CampaignConfig,
  type CampaignList,
  type Channel,
  type ExportColumn,
  type ExportListField,
  type ExportLoanField,
  type ExportTemplate,
  type ExportValue,
} from '../campaigns/schema.ts';

/**
 * Export templates (docs/exports.md "Layouts", docs/campaign-config.md `export_templates`): the columns of a
 * list's file, each a field of the published list row, a loan-tape column as delivered, a constant or a
 * bucket label, and one block of the selected contacts. A list without a template gets its channel's
 * built-in layout. Pure: the export step feeds it rows and writes what it returns.
 */

/** Genesys Cloud refuses a contact list with more columns than this. */
export const GENESYS_MAX_COLUMNS = 50;

/** The longest value a field of a list file may hold (Genesys Cloud's limit); a longer one stops the export rather than be truncated. */
export const MAX_FIELD_LENGTH = 512;

/** The pre-call rule set refuses a dial when this column is 0: a Genesys template's budget column has this name. */
export const CALLS_ALLOWED_COLUMN = 'calls_allowed_today';

/**
 * Each contact group: the value, its contact type, whose it is, its own IANA time zone and its own calling
 * window of the day (SPEC §7: the dialer enforces the §6.1 intersection, not the number's zone). The names
 * are the system's, whatever the template: the pre-call rules, the push and the results loop read them.
 */
export interface ContactGroupColumns {
  value: string;
  type: string;
  party: string;
  timezone: string;
  windowStart: string;
  windowEnd: string;
}

const CONTACT_PREFIX: Record<Channel, string> = { call: 'phone', sms: 'phone', email: 'email', mail: 'address' };

export function contactColumns(channel: Channel, position: number): ContactGroupColumns {
  const value = `${CONTACT_PREFIX[channel]}_${position}`;
  return {
    value,
    type: `${value}_type`,
    party: `${value}_party`,
    timezone: `${value}_timezone`,
    windowStart: `${value}_window_start_utc`,
    windowEnd: `${value}_window_end_utc`,
  };
}

export const CONTACT_GROUP_COLUMNS = Object.keys(contactColumns('call', 1)).length;

/**
 * How many contact groups fit beside the customer columns within the column limit; a layout where not even
 * one fits is refused.
 */
export function contactGroupsWithin(maxColumns: number, customerColumns: number, groupColumns: number): number {
  const groups = Math.floor((maxColumns - customerColumns) / groupColumns);
  if (groups < 1) {
    throw new Error(
      `a list file of ${customerColumns} customer columns and ${groupColumns} columns per contact cannot hold one contact within ${maxColumns} columns`,
    );
  }
  return groups;
}

const column = (name: string, value: ExportValue): ExportColumn => ({ name, value });

/** The built-in customer columns, in file order, after which the contact groups follow. */
const BUILT_IN_CUSTOMER_COLUMNS: readonly ExportColumn[] = [
  column('payoffuid', { list: 'payoffuid' }),
  column('account_number', { list: 'account_number' }),
  column('first_name', { loan: 'first_name' }),
  column('last_name', { loan: 'last_name' }),
  column('portfolio', { loan: 'portfolio' }),
  column('days_past_due', { loan: 'days_past_due' }),
  column('amount_due', { loan: 'amount_due' }),
  column('ab_group', { list: 'ab_group' }),
  column(CALLS_ALLOWED_COLUMN, { list: 'calls_allowed_today' }),
];

/**
 * Contacts exported per customer by the built-in layout, as many as the column budget allows: 9 customer
 * columns + 6 × 6 contact columns = 45 of Genesys's 50. Contacts ranked beyond this are counted
 * (`contacts_not_exported`), not written.
 */
export const MAX_EXPORTED_CONTACTS = contactGroupsWithin(GENESYS_MAX_COLUMNS, BUILT_IN_CUSTOMER_COLUMNS.length, CONTACT_GROUP_COLUMNS);

/** The layout of a list without `export.template`: a Genesys contact list for call, SMS and email lists; a plain file of names and addresses for mail. */
export function builtInTemplate(channel: Channel): ExportTemplate {
  return {
    name: `built-in ${channel}`,
    format: channel === 'mail' ? 'file' : 'genesys',
    columns: [...BUILT_IN_CUSTOMER_COLUMNS, { contacts: { max: channel === 'mail' ? 1 : MAX_EXPORTED_CONTACTS } }],
  };
}

/** The template of a list: its `export.template` of the configuration, else the channel's built-in one. */
export function listTemplate(config: Pick<CampaignConfig, 'export_templates'>, list: Pick<CampaignList, 'export'>, channel: Channel): ExportTemplate {
  const name = list.export.template;
  if (name === undefined) return builtInTemplate(channel);
  const template = config.export_templates.find((candidate) => candidate.name === name);
  if (!template) throw new Error(`export template ${JSON.stringify(name)} is not in export_templates`);
  return template;
}

/** The header of a file of this template. */
export function templateHeader(template: ExportTemplate, channel: Channel): string[] {
  return template.columns.flatMap((entry) => {
    if ('name' in entry) return [entry.name];
    return Array.from({ length: entry.contacts.max }, (_, index) => Object.values(contactColumns(channel, index + 1))).flat();
  });
}

/** The contact groups a file of this template holds. */
export function templateContactGroups(template: ExportTemplate): number {
  return template.columns.reduce((groups, entry) => groups + ('contacts' in entry ? entry.contacts.max : 0), 0);
}

/** The header column holding a value of the published list row (the first one), if any: e.g. the contact id column. */
export function columnOfListField(template: ExportTemplate, field: ExportListField): string | null {
  const found = template.columns.find((entry) => 'name' in entry && 'list' in entry.value && entry.value.list === field);
  return found && 'name' in found ? found.name : null;
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
  /** The published list row, as text (calls_allowed_today null when no cap applies). */
  list: Record<ExportListField, string | null> & { set_name: string; list_name: string; channel: Channel; payoffuid: string };
  /** The decision's loan-tape row as delivered (null fields when the row is not found). */
  loan: Record<ExportLoanField, string | null>;
  /** The customer's own email address of the day's contacts feed, or null (sql/exports/export_rows.sql). */
  email: string | null;
  /** In contact_rank order. */
  contacts: ExportContact[];
}

/** Free text of the loan tape, which a spreadsheet could run as a formula; numbers and dates may be negative by design. */
const FREE_TEXT_LOAN_FIELDS: ReadonlySet<ExportLoanField> = new Set([
  'loan_id',
  'portfolio',
  'loan_status',
  'payment_mode',
  'placement_status',
  'first_name',
  'last_name',
  'address_1',
  'address_2',
  'city',
  'state',
  'zip',
]);

/**
 * Free text from the feeds that a spreadsheet would run as a formula (`=HYPERLINK(…)`, `+`, `-`, `@`, a
 * leading tab or CR) is written with a leading `'`, which spreadsheets show as text (OWASP, CSV injection).
 * Only the feeds' free-text columns: phones are E.164 (`+1…`) and numbers may be negative by design.
 */
export function neutraliseFormula(value: string | null): string | null {
  return value !== null && /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/** A column's value for a customer; where names the record for errors (list and payoffuid, never values). */
function columnValue(value: ExportValue, customer: ExportCustomer, where: () => string, columnName: string): string | null {
  if ('list' in value) return customer.list[value.list];
  if ('loan' in value) return FREE_TEXT_LOAN_FIELDS.has(value.loan) ? neutraliseFormula(customer.loan[value.loan]) : customer.loan[value.loan];
  if ('constant' in value) return value.constant;
  if ('contact' in value) return customer.email;
  const text = customer.loan[value.buckets.loan];
  const number = text === null || text.trim() === '' ? Number.NaN : Number(text);
  const range = Number.isFinite(number)
    ? value.buckets.ranges.find(
        (candidate) => (candidate.from === undefined || number >= candidate.from) && (candidate.to === undefined || number <= candidate.to),
      )
    : undefined;
  // Fail closed: a label that cannot be given would misfile the customer on the dialer's screen.
  if (!range)
    throw new Error(`${where()}: column ${columnName}: loan.${value.buckets.loan} is in none of the template's ranges (or not a number); the export stops`);
  return range.label;
}

/** The record's fields in `templateHeader(template, channel)` order, and how many ranked contacts did not fit. */
export function templateRecord(template: ExportTemplate, customer: ExportCustomer): { fields: (string | null)[]; contactsNotExported: number } {
  const { channel } = customer.list;
  // Named in errors only: built when one is thrown, not for every record.
  const where = () => `list ${customer.list.set_name}/${customer.list.list_name}, payoffuid ${customer.list.payoffuid}`;
  const fields: (string | null)[] = [];
  let contactsWritten = 0;
  for (const entry of template.columns) {
    if ('name' in entry) {
      fields.push(columnValue(entry.value, customer, where, entry.name));
      continue;
    }
    for (let slot = 0; slot < entry.contacts.max; slot += 1) {
      const index = contactsWritten;
      contactsWritten += 1;
      const contact = customer.contacts[index];
      if (!contact) {
        fields.push(null, null, null, null, null, null);
        continue;
      }
      if (!(CHANNEL_CONTACT_TYPES[channel] as readonly string[]).includes(contact.contact_type)) {
        throw new Error(`${where()}: contact of type ${contact.contact_type} on a ${channel} list`);
      }
      // Every call and text has a window rule (docs/compliance.md): a number without a window would be dialled at any hour.
      if ((channel === 'call' || channel === 'sms') && (contact.window_start_utc === null || contact.window_end_utc === null)) {
        throw new Error(`${where()}: contact ${index + 1} has no calling window on a ${channel} list`);
      }
      fields.push(contact.contact_value, contact.contact_type, contact.related_party_type, contact.timezone, contact.window_start_utc, contact.window_end_utc);
    }
  }
  const tooLong = fields.findIndex((field) => field !== null && field.length > MAX_FIELD_LENGTH);
  if (tooLong >= 0) {
    const column = templateHeader(template, channel)[tooLong];
    throw new Error(
      `${where()}: column ${column} holds ${fields[tooLong]!.length} characters, more than ${MAX_FIELD_LENGTH}; the export stops rather than truncate it`,
    );
  }
  return { fields, contactsNotExported: Math.max(0, customer.contacts.length - contactsWritten) };
}

/**
 * Problems of a header as Genesys Cloud judges a contact-list file: at most 50 columns, unique
 * names, names of letters, digits and underscores. Empty when the header is acceptable.
 */
export function headerProblems(columns: readonly string[]): string[] {
  const problems: string[] = [];
  if (columns.length > GENESYS_MAX_COLUMNS) problems.push(`${columns.length} columns, more than ${GENESYS_MAX_COLUMNS}`);
  const seen = new Set<string>();
  for (const name of columns) {
    if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(name)) problems.push(`column name ${JSON.stringify(name)} is not letters, digits and underscores`);
    if (seen.has(name)) problems.push(`column ${JSON.stringify(name)} appears twice`);
    seen.add(name);
  }
  return problems;
}

/**
 * Why a template cannot be the layout of a list of this channel (validated at load, SPEC §5 and §7): mail goes
 * to a print file, never to Genesys; a Genesys file keeps its header within Genesys's rules and carries what the
 * dialer and the results loop need — the contact id (`payoffuid`), the account, `calls_allowed_today` on call
 * and SMS lists, and one block of contacts with their own windows; any file has unique column names.
 */
export function templateProblems(template: ExportTemplate, channel: Channel): string[] {
  const problems: string[] = [];
  const blocks = template.columns.filter((entry) => 'contacts' in entry).length;
  if (blocks > 1) problems.push('has more than one contacts block');
  const header = templateHeader(template, channel);
  if (template.format === 'file') {
    const seen = new Set<string>();
    for (const name of header) {
      if (seen.has(name)) problems.push(`column ${JSON.stringify(name)} appears twice`);
      seen.add(name);
    }
    return problems;
  }
  if (channel === 'mail') problems.push('is a genesys template, and a mail list goes to a print file (format: file)');
  problems.push(...headerProblems(header));
  if (blocks === 0) problems.push('has no contacts block: the dialer would have no number to dial');
  if (columnOfListField(template, 'payoffuid') === null) problems.push('has no column of list.payoffuid, the contact id results map back by');
  if (columnOfListField(template, 'account_number') === null) problems.push('has no column of list.account_number, which the results loop records attempts on');
  if (channel === 'call' || channel === 'sms') {
    if (columnOfListField(template, 'calls_allowed_today') !== CALLS_ALLOWED_COLUMN) {
      problems.push(`needs a column named ${CALLS_ALLOWED_COLUMN} of list.calls_allowed_today: the pre-call rule set reads the budget from it`);
    }
  }
  return problems;
}

/** The contact groups a list file's header holds (positions 1, 2, … while present): the columns of each contact's value and time zone. */
export function headerContactGroups(header: readonly string[], channel: Channel): { value: number; timezone: number }[] {
  const groups: { value: number; timezone: number }[] = [];
  for (let position = 1; ; position += 1) {
    const columns = contactColumns(channel, position);
    const value = header.indexOf(columns.value);
    if (value < 0) return groups;
    groups.push({ value, timezone: header.indexOf(columns.timezone) });
  }
}

/** A loan-tape row with no values: the export of a customer whose tape row is not found. */
export const EXPORT_NO_LOAN = Object.fromEntries(EXPORT_LOAN_FIELDS.map((field) => [field, null])) as Record<ExportLoanField, string | null>;
