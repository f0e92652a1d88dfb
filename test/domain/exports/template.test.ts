import { describe, expect, it } from 'vitest';
import { readCampaignConfigFile } from '../../../adapters/campaign-config-file.ts';
import { CHANNELS, type ExportTemplate } from '../../../domain/campaigns/schema.ts';
import { contactListProblems, genesysContactListDefinition } from '../../../domain/exports/layout.ts';
import {
  builtInTemplate,
  contactGroupsWithin,
  EXPORT_NO_LOAN,
  GENESYS_MAX_COLUMNS,
  headerContactGroups,
  headerProblems,
  MAX_EXPORTED_CONTACTS,
  MAX_FIELD_LENGTH,
  templateHeader,
  templateProblems,
  templateRecord,
  type ExportCustomer,
} from '../../../domain/exports/template.ts';

const WINDOW = { window_start_utc: '2026-11-20T15:00:00Z', window_end_utc: '2026-11-21T02:00:00Z' };
type Overrides = {
  list?: Partial<ExportCustomer['list']>;
  loan?: Partial<ExportCustomer['loan']>;
  email?: string | null;
  contacts?: ExportCustomer['contacts'];
};
const customer = (overrides: Overrides = {}): ExportCustomer => ({
  list: {
    set_name: 'S',
    list_name: 'L',
    channel: 'call',
    purpose: 'collections',
    payoffuid: 'P1',
    account_number: '1000000000000001',
    load_date: '2026-11-20',
    ab_group: 'B',
    calls_allowed_today: '2',
    ...overrides.list,
  },
  loan: { ...EXPORT_NO_LOAN, first_name: 'Ann', last_name: 'Lee', portfolio: 'SST', days_past_due: '45', amount_due: '99.10', ...overrides.loan },
  email: overrides.email === undefined ? 'ann@example.com' : overrides.email,
  contacts: overrides.contacts ?? [
    { contact_value: '+13125550100', contact_type: 'mobile', related_party_type: 'customer', timezone: 'America/Chicago', ...WINDOW },
    {
      contact_value: '+13125550101',
      contact_type: 'work',
      related_party_type: 'reference_customer_other',
      timezone: 'America/New_York',
      window_start_utc: '2026-11-20T14:00:00Z',
      window_end_utc: '2026-11-21T01:00:00Z',
    },
  ],
});
const record = (overrides: Overrides = {}) => templateRecord(builtInTemplate(overrides.list?.channel ?? 'call'), customer(overrides));

describe('the built-in layout', () => {
  it.each(CHANNELS)('%s files: unique names, at most 50 columns, customer columns then rank-ordered contact groups', (channel) => {
    const columns = templateHeader(builtInTemplate(channel), channel);
    expect(headerProblems(columns)).toEqual([]);
    expect(columns.length).toBeLessThanOrEqual(GENESYS_MAX_COLUMNS);
    expect(columns.slice(0, 9)).toEqual([
      'payoffuid',
      'account_number',
      'first_name',
      'last_name',
      'portfolio',
      'days_past_due',
      'amount_due',
      'ab_group',
      'calls_allowed_today',
    ]);
    const contact = { call: 'phone', sms: 'phone', email: 'email', mail: 'address' }[channel];
    expect(columns.slice(9, 15)).toEqual([
      `${contact}_1`,
      `${contact}_1_type`,
      `${contact}_1_party`,
      `${contact}_1_timezone`,
      `${contact}_1_window_start_utc`,
      `${contact}_1_window_end_utc`,
    ]);
    expect(templateProblems(builtInTemplate(channel), channel)).toEqual([]);
  });

  it('holds as many contacts as fit in 50 columns: 9 + 6 × 6', () => {
    expect(MAX_EXPORTED_CONTACTS).toBe(6);
    expect(templateHeader(builtInTemplate('call'), 'call')).toHaveLength(9 + 6 * 6);
    expect(9 + (MAX_EXPORTED_CONTACTS + 1) * 6).toBeGreaterThan(GENESYS_MAX_COLUMNS);
    expect(() => contactGroupsWithin(50, 45, 6)).toThrow(
      'a list file of 45 customer columns and 6 columns per contact cannot hold one contact within 50 columns',
    );
  });

  it('judges headers as Genesys does: too many columns, repeated or odd names', () => {
    const many = Array.from({ length: 51 }, (_, index) => `c${index}`);
    expect(headerProblems(many)).toEqual(['51 columns, more than 50']);
    expect(headerProblems(['payoffuid', 'payoffuid', 'first name'])).toEqual([
      'column "payoffuid" appears twice',
      'column name "first name" is not letters, digits and underscores',
    ]);
  });

  it('fills contact groups in rank order, leaves the rest empty, and counts contacts beyond the last group', () => {
    const { fields, contactsNotExported } = record();
    expect(fields.slice(0, 21)).toEqual([
      'P1',
      '1000000000000001',
      'Ann',
      'Lee',
      'SST',
      '45',
      '99.10',
      'B',
      '2',
      '+13125550100',
      'mobile',
      'customer',
      'America/Chicago',
      '2026-11-20T15:00:00Z',
      '2026-11-21T02:00:00Z',
      '+13125550101',
      'work',
      'reference_customer_other',
      'America/New_York',
      '2026-11-20T14:00:00Z',
      '2026-11-21T01:00:00Z',
    ]);
    expect(fields.slice(21).every((field) => field === null)).toBe(true);
    expect(fields).toHaveLength(templateHeader(builtInTemplate('call'), 'call').length);
    expect(contactsNotExported).toBe(0);
    const crowded = record({
      contacts: Array.from({ length: MAX_EXPORTED_CONTACTS + 2 }, (_, index) => ({
        contact_value: `+1312555${String(index).padStart(4, '0')}`,
        contact_type: 'home',
        related_party_type: 'customer',
        timezone: 'America/Chicago',
        ...WINDOW,
      })),
    });
    expect(crowded.contactsNotExported).toBe(2);
    expect(crowded.fields.at(-6)).toBe(`+131255500${String(MAX_EXPORTED_CONTACTS - 1).padStart(2, '0')}`);
    expect(
      record({ contacts: [] })
        .fields.slice(9)
        .every((field) => field === null),
    ).toBe(true);
  });

  it('writes free text a spreadsheet would run as a formula with a leading quote; phones and numbers as they are', () => {
    const { fields } = record({ loan: { first_name: '=HYPERLINK("http://x","click")', last_name: '@SUM(A1)', portfolio: '-1+2', days_past_due: '-3' } });
    expect(fields.slice(2, 6)).toEqual(['\'=HYPERLINK("http://x","click")', "'@SUM(A1)", "'-1+2", '-3']);
    expect(fields[9]).toBe('+13125550100');
    expect(record({ loan: { first_name: 'Ann-Marie', last_name: "O'Neil" } }).fields.slice(2, 4)).toEqual(['Ann-Marie', "O'Neil"]);
  });

  it('stops on a value longer than the field limit, naming list, customer and column, never truncating', () => {
    expect(() => record({ loan: { last_name: 'X'.repeat(MAX_FIELD_LENGTH + 1) } })).toThrow(
      `list S/L, payoffuid P1: column last_name holds ${MAX_FIELD_LENGTH + 1} characters, more than ${MAX_FIELD_LENGTH}; the export stops rather than truncate it`,
    );
    expect(record({ loan: { last_name: 'X'.repeat(MAX_FIELD_LENGTH) } }).fields[3]).toHaveLength(MAX_FIELD_LENGTH);
    const long = { ...customer().contacts[0]!, window_end_utc: 'Z'.repeat(MAX_FIELD_LENGTH + 1) };
    expect(() => record({ contacts: [long] })).toThrow(`column phone_1_window_end_utc holds ${MAX_FIELD_LENGTH + 1} characters`);
  });

  it('refuses contacts the channel cannot use, and a call or SMS contact without its window; emails and addresses have none', () => {
    expect(() => record({ list: { channel: 'sms' } })).toThrow('list S/L, payoffuid P1: contact of type work on a sms list');
    const windowless = { ...customer().contacts[0]!, window_start_utc: null };
    expect(() => record({ contacts: [windowless] })).toThrow('list S/L, payoffuid P1: contact 1 has no calling window on a call list');
    expect(() => record({ list: { channel: 'sms' }, contacts: [windowless] })).toThrow('contact 1 has no calling window on a sms list');
    const email = {
      contact_value: 'ann@example.com',
      contact_type: 'email',
      related_party_type: 'customer',
      timezone: null,
      window_start_utc: null,
      window_end_utc: null,
    };
    expect(record({ list: { channel: 'email' }, contacts: [email] }).fields.slice(9, 15)).toEqual(['ann@example.com', 'email', 'customer', null, null, null]);
    const address = { ...email, contact_value: '1 Main St, Springfield, IL 62701', contact_type: 'address' };
    expect(record({ list: { channel: 'mail' }, contacts: [address] }).fields.slice(9, 11)).toEqual(['1 Main St, Springfield, IL 62701', 'address']);
  });
});

describe('export templates', () => {
  const aging: ExportTemplate['columns'][number] = {
    name: 'AGING',
    value: {
      buckets: {
        loan: 'days_past_due',
        ranges: [
          { to: 29, label: 'DPD 1-29' },
          { from: 30, to: 59, label: 'DPD 30-59' },
          { from: 60, label: 'DPD 60+' },
        ],
      },
    },
  };
  const genesys = (columns: ExportTemplate['columns']): ExportTemplate => ({ name: 't', format: 'genesys', columns });
  const dialTime: ExportTemplate['columns'] = [
    { name: 'PAYOFFUID', value: { list: 'payoffuid' } },
    { name: 'ACCT', value: { list: 'account_number' } },
    { name: 'calls_allowed_today', value: { list: 'calls_allowed_today' } },
    { contacts: { max: 2 } },
  ];

  it('writes each column from its source: the list row, the loan tape as delivered, a constant, a bucket label', () => {
    const template = genesys([
      ...dialTime,
      { name: 'CAMPAIGN', value: { list: 'list_name' } },
      { name: 'LOANID', value: { loan: 'loan_id' } },
      { name: 'SRC', value: { constant: 'outbound' } },
      aging,
      { name: 'EMAIL', value: { contact: 'email' } },
    ]);
    expect(templateHeader(template, 'call').slice(-5)).toEqual(['CAMPAIGN', 'LOANID', 'SRC', 'AGING', 'EMAIL']);
    expect(templateRecord(template, customer({ loan: { loan_id: 'L-77', days_past_due: '30' } })).fields.slice(-5)).toEqual([
      'L',
      'L-77',
      'outbound',
      'DPD 30-59',
      'ann@example.com',
    ]);
    expect(templateRecord(template, customer({ email: null })).fields.at(-1)).toBeNull();
  });

  it('gives bucket bounds inclusively, open ends open, and stops when the number is in no range or unreadable (never a guess)', () => {
    const template = genesys([...dialTime, aging]);
    const label = (days: string | null) => templateRecord(template, customer({ loan: { days_past_due: days } })).fields.at(-1);
    expect([label('-5'), label('29'), label('30'), label('59'), label('60'), label('400')]).toEqual([
      'DPD 1-29',
      'DPD 1-29',
      'DPD 30-59',
      'DPD 30-59',
      'DPD 60+',
      'DPD 60+',
    ]);
    const gap = genesys([...dialTime, { name: 'AGING', value: { buckets: { loan: 'days_past_due', ranges: [{ from: 1, to: 29, label: 'early' }] } } }]);
    expect(() => templateRecord(gap, customer({ loan: { days_past_due: '0' } }))).toThrow(
      "list S/L, payoffuid P1: column AGING: loan.days_past_due is in none of the template's ranges (or not a number); the export stops",
    );
    expect(() => label(null)).toThrow('is in none of the template');
    expect(() => label('thirty')).toThrow('is in none of the template');
  });

  it('refuses, for a Genesys file, what the dialer and the results loop could not use; a print file needs none of it', () => {
    expect(templateProblems(genesys(dialTime), 'call')).toEqual([]);
    expect(templateProblems(genesys([{ name: 'X', value: { constant: '' } }]), 'call')).toEqual([
      'has no contacts block: the dialer would have no number to dial',
      'has no column of list.payoffuid, the contact id results map back by',
      'has no column of list.account_number, which the results loop records attempts on',
      'needs a column named calls_allowed_today of list.calls_allowed_today: the pre-call rule set reads the budget from it',
    ]);
    const renamedBudget = genesys(
      dialTime.map((column) => ('name' in column && column.name === 'calls_allowed_today' ? { ...column, name: 'BUDGET' } : column)),
    );
    expect(templateProblems(renamedBudget, 'sms')).toEqual([
      'needs a column named calls_allowed_today of list.calls_allowed_today: the pre-call rule set reads the budget from it',
    ]);
    expect(templateProblems(genesys([...dialTime, { contacts: { max: 1 } }]), 'call')).toContain('has more than one contacts block');
    expect(
      templateProblems(genesys([...dialTime, { contacts: { max: 8 } }].filter((column) => !('contacts' in column && column.contacts.max === 2))), 'call'),
    ).toEqual(['51 columns, more than 50']);
    expect(templateProblems(genesys(dialTime), 'mail')).toEqual(['is a genesys template, and a mail list goes to a print file (format: file)']);
    const letter: ExportTemplate = {
      name: 'letter',
      format: 'file',
      columns: [
        { name: 'FIRST NAME', value: { loan: 'first_name' } },
        { name: 'CITY', value: { loan: 'city' } },
      ],
    };
    expect(templateProblems(letter, 'mail')).toEqual([]);
    expect(templateProblems({ ...letter, columns: [...letter.columns, { name: 'CITY', value: { loan: 'zip' } }] }, 'mail')).toEqual([
      'column "CITY" appears twice',
    ]);
  });

  it("the §5.1 program's templates: the servicer's Genesys columns within 50 with every phone's window, and the print vendor's letter", async () => {
    const loaded = await readCampaignConfigFile(new URL('../../../config/programs/collections-current.yaml', import.meta.url).pathname);
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.problems));
    const servicer = loaded.config.export_templates.find((template) => template.name === 'servicer_genesys')!;
    const header = templateHeader(servicer, 'call');
    expect(header.length).toBeLessThanOrEqual(GENESYS_MAX_COLUMNS);
    for (const column of [
      'PAYOFFUID',
      'LOANID',
      'DATEADDED',
      'FIRSTNAME',
      'LASTNAME',
      'STREETADDRESS1',
      'STREETADDRESS2',
      'CITY',
      'STATE',
      'ZIPCODE',
      'EMAIL',
      'PORTFOLIONAME',
      'LATESTCONTACT',
      'PAYMENTMETHOD',
      'DAYSPASTDUE',
      'AGING',
      'LASTDUEDATE',
      'DELINQUENTAMOUNT',
      'CHANNEL',
      'CAMPAIGN',
      'LOADDATE',
      'calls_allowed_today',
      'phone_1',
      'phone_1_window_start_utc',
      'phone_4_window_end_utc',
    ]) {
      expect(header).toContain(column);
    }
    expect(templateRecord(servicer, customer()).fields[header.indexOf('EMAIL')]).toBe('ann@example.com');
    const aged = (days: string) => templateRecord(servicer, customer({ loan: { days_past_due: days } })).fields[header.indexOf('AGING')];
    expect([aged('1'), aged('29'), aged('30'), aged('59'), aged('60'), aged('89'), aged('90'), aged('150')]).toEqual([
      'DPD 1-29',
      'DPD 1-29',
      'DPD 30-59',
      'DPD 30-59',
      'DPD 60-89',
      'DPD 60-89',
      'DPD 90+',
      'DPD 90+',
    ]);
    const letter = loaded.config.export_templates.find((template) => template.name === 'print_vendor_letter')!;
    expect(templateHeader(letter, 'mail')).toEqual([
      'PAYOFFUID',
      'LOANID',
      'FIRSTNAME',
      'LASTNAME',
      'STREETADDRESS1',
      'STREETADDRESS2',
      'CITY',
      'STATE',
      'ZIPCODE',
      'CHARGEOFFDATE',
      'LETTERDATE',
    ]);
  });
});

describe('Genesys contact lists of a template', () => {
  it('declares every contact column with its own time-zone column', () => {
    for (const channel of CHANNELS) {
      const definition = genesysContactListDefinition('x', channel, builtInTemplate(channel));
      expect(contactListProblems(definition, channel, builtInTemplate(channel))).toEqual([]);
      expect(definition.automaticTimeZoneMapping).toBe(false);
    }
    const call = genesysContactListDefinition('x', 'call', builtInTemplate('call'));
    expect(call.phoneColumns[0]).toEqual({ columnName: 'phone_1', type: 'phone_1', callableTimeColumn: 'phone_1_timezone' });
    const wrongZone = {
      ...call,
      phoneColumns: call.phoneColumns.map((column, index) => (index === 1 ? { ...column, callableTimeColumn: 'phone_1_timezone' } : column)),
    };
    expect(contactListProblems(wrongZone, 'call', builtInTemplate('call'))).toEqual([
      'phone_2 must take its time zone from phone_2_timezone, not phone_1_timezone',
    ]);
  });

  it('refuses a contact list made for the layout before the windows and the budget, naming the columns it lacks', () => {
    const call = genesysContactListDefinition('x', 'call', builtInTemplate('call'));
    const before = { ...call, columnNames: call.columnNames.filter((column) => !/window|calls_allowed_today/.test(column)) };
    expect(contactListProblems(before, 'call', builtInTemplate('call'))).toEqual([
      `columns missing from the contact list: calls_allowed_today, ${Array.from({ length: MAX_EXPORTED_CONTACTS }, (_, index) => `phone_${index + 1}_window_start_utc, phone_${index + 1}_window_end_utc`).join(', ')}`,
    ]);
  });

  it('finds the contact groups of a file by their header', () => {
    const header = templateHeader(builtInTemplate('sms'), 'sms');
    expect(headerContactGroups(header, 'sms')).toEqual(
      Array.from({ length: MAX_EXPORTED_CONTACTS }, (_, index) => ({
        value: header.indexOf(`phone_${index + 1}`),
        timezone: header.indexOf(`phone_${index + 1}_timezone`),
      })),
    );
    expect(headerContactGroups(['payoffuid'], 'call')).toEqual([]);
  });
});
