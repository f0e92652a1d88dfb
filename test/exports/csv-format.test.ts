import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { csvField, csvRecord, parseCsv } from '../../domain/exports/csv.ts';
import {
  contactGroupsWithin, contactListProblems, exportColumns, exportRecord, genesysContactListDefinition, GENESYS_MAX_COLUMNS, headerProblems,
  MAX_EXPORTED_CONTACTS, MAX_FIELD_LENGTH, type ExportCustomer,
} from '../../domain/exports/layout.ts';
import { mergeSorted } from '../../domain/exports/merge.ts';
import { CHANNELS } from '../../domain/campaigns/schema.ts';

const WINDOW = { window_start_utc: '2026-11-20T15:00:00Z', window_end_utc: '2026-11-21T02:00:00Z' };
const row = (overrides: Partial<ExportCustomer> = {}): ExportCustomer => ({
  set_name: 'S', list_name: 'L', channel: 'call', payoffuid: 'P1', account_number: '1000000000000001', first_name: 'Ann', last_name: 'Lee',
  portfolio: 'SST', days_past_due: '45', amount_due: '99.10', ab_group: 'B', calls_allowed_today: '2',
  contacts: [
    { contact_value: '+13125550100', contact_type: 'mobile', related_party_type: 'customer', timezone: 'America/Chicago', ...WINDOW },
    { contact_value: '+13125550101', contact_type: 'work', related_party_type: 'reference_customer_other', timezone: 'America/New_York', window_start_utc: '2026-11-20T14:00:00Z', window_end_utc: '2026-11-21T01:00:00Z' },
  ],
  ...overrides,
});

describe('CSV (RFC 4180)', () => {
  it('quotes fields with quotes, commas, line breaks or edge spaces, doubling quotes; null is empty', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('+13125550100')).toBe('+13125550100');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('cr\r')).toBe('"cr\r"');
    expect(csvField(' leading')).toBe('" leading"');
    expect(csvField('trailing ')).toBe('"trailing "');
    expect(csvField(null)).toBe('');
    expect(csvRecord(['a', null, 'b,c'])).toBe('a,,"b,c"\r\n');
  });

  it('reads back exactly what it writes, for any fields', () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.string({ unit: 'binary' }), { minLength: 2, maxLength: 6 }), { minLength: 1, maxLength: 5 }), (records) => {
        expect(parseCsv(records.map(csvRecord).join(''))).toEqual(records);
      }),
    );
  });

  it('refuses malformed text, naming the record', () => {
    expect(() => parseCsv('a,b\r\nx"y,z\r\n')).toThrow('CSV record 2: a double quote inside an unquoted field');
    expect(() => parseCsv('a,"b\r\n')).toThrow('CSV record 1: an unterminated quoted field');
    expect(() => parseCsv('"a"b,c\r\n')).toThrow('CSV record 1: text after a closing double quote');
    expect(parseCsv('a,b\nc,""\n')).toEqual([['a', 'b'], ['c', '']]);
  });
});

describe('list file layout', () => {
  it.each(CHANNELS)('%s files: unique names, at most 50 columns, customer columns then rank-ordered contact groups', (channel) => {
    const columns = exportColumns(channel);
    expect(headerProblems(columns)).toEqual([]);
    expect(columns.length).toBeLessThanOrEqual(GENESYS_MAX_COLUMNS);
    expect(columns.slice(0, 9)).toEqual([
      'payoffuid', 'account_number', 'first_name', 'last_name', 'portfolio', 'days_past_due', 'amount_due', 'ab_group', 'calls_allowed_today',
    ]);
    const contact = channel === 'email' ? 'email' : 'phone';
    expect(columns.slice(9)).toEqual(
      Array.from({ length: MAX_EXPORTED_CONTACTS }, (_, index) => {
        const k = `${contact}_${index + 1}`;
        return [k, `${k}_type`, `${k}_party`, `${k}_timezone`, `${k}_window_start_utc`, `${k}_window_end_utc`];
      }).flat(),
    );
  });

  it('budgets the contact groups from the column limit: as many of 6 columns as fit beside the 9 customer columns in 50', () => {
    expect(MAX_EXPORTED_CONTACTS).toBe(6);
    expect(exportColumns('call')).toHaveLength(9 + 6 * 6);
    // One more group would pass the limit.
    expect(9 + (MAX_EXPORTED_CONTACTS + 1) * 6).toBeGreaterThan(GENESYS_MAX_COLUMNS);
    expect(contactGroupsWithin(50, 8, 4)).toBe(10);
    expect(contactGroupsWithin(50, 44, 6)).toBe(1);
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
    const { fields, contactsNotExported } = exportRecord(row());
    expect(fields.slice(0, 21)).toEqual([
      'P1', '1000000000000001', 'Ann', 'Lee', 'SST', '45', '99.10', 'B', '2',
      '+13125550100', 'mobile', 'customer', 'America/Chicago', '2026-11-20T15:00:00Z', '2026-11-21T02:00:00Z',
      '+13125550101', 'work', 'reference_customer_other', 'America/New_York', '2026-11-20T14:00:00Z', '2026-11-21T01:00:00Z',
    ]);
    expect(fields.slice(21).every((field) => field === null)).toBe(true);
    expect(fields).toHaveLength(exportColumns('call').length);
    expect(contactsNotExported).toBe(0);
    const many = MAX_EXPORTED_CONTACTS + 2;
    const crowded = exportRecord(row({
      contacts: Array.from({ length: many }, (_, index) => ({
        contact_value: `+1312555${String(index).padStart(4, '0')}`, contact_type: 'home', related_party_type: 'customer', timezone: 'America/Chicago', ...WINDOW,
      })),
    }));
    expect(crowded.contactsNotExported).toBe(2);
    expect(crowded.fields.at(-6)).toBe(`+131255500${String(MAX_EXPORTED_CONTACTS - 1).padStart(2, '0')}`);
    expect(exportRecord(row({ contacts: [] })).fields.slice(9).every((f) => f === null)).toBe(true);
  });

  it('writes free text a spreadsheet would run as a formula with a leading quote; phones and numbers as they are', () => {
    const { fields } = exportRecord(row({ first_name: '=HYPERLINK("http://x","click")', last_name: '@SUM(A1)', portfolio: '-1+2' }));
    expect(fields.slice(2, 5)).toEqual(["'=HYPERLINK(\"http://x\",\"click\")", "'@SUM(A1)", "'-1+2"]);
    expect(fields[9]).toBe('+13125550100');
    expect(exportRecord(row({ first_name: 'Ann-Marie', last_name: "O'Neil" })).fields.slice(2, 4)).toEqual(['Ann-Marie', "O'Neil"]);
  });

  it('stops on a value longer than the field limit, naming list, customer and column, never truncating', () => {
    expect(() => exportRecord(row({ last_name: 'X'.repeat(MAX_FIELD_LENGTH + 1) }))).toThrow(
      `list S/L, payoffuid P1: column last_name holds ${MAX_FIELD_LENGTH + 1} characters, more than ${MAX_FIELD_LENGTH}; the export stops rather than truncate it`,
    );
    expect(exportRecord(row({ last_name: 'X'.repeat(MAX_FIELD_LENGTH) })).fields[3]).toHaveLength(MAX_FIELD_LENGTH);
  });

  it('stops on a window value longer than the field limit too: every column is checked', () => {
    const long = exportRecord.bind(null, row({ contacts: [{ ...row().contacts[0]!, window_end_utc: 'Z'.repeat(MAX_FIELD_LENGTH + 1) }] }));
    expect(long).toThrow(`column phone_1_window_end_utc holds ${MAX_FIELD_LENGTH + 1} characters`);
  });

  it('refuses contacts the channel cannot use', () => {
    expect(() => exportRecord(row({ channel: 'sms' }))).toThrow('list S/L, payoffuid P1: contact of type work on a sms list');
  });

  it('refuses a call or SMS contact without its calling window (it would be dialled at any hour); emails may have none', () => {
    const windowless = { ...row().contacts[0]!, window_start_utc: null };
    expect(() => exportRecord(row({ contacts: [windowless] }))).toThrow('list S/L, payoffuid P1: contact 1 has no calling window on a call list');
    expect(() => exportRecord(row({ channel: 'sms', contacts: [windowless] }))).toThrow('contact 1 has no calling window on a sms list');
    const email = { contact_value: 'ann@example.com', contact_type: 'email', related_party_type: 'customer', timezone: null, window_start_utc: null, window_end_utc: null };
    expect(exportRecord(row({ channel: 'email', contacts: [email] })).fields.slice(9, 15)).toEqual(['ann@example.com', 'email', 'customer', null, null, null]);
  });

  it('the Genesys contact list definition declares every contact column with its own time-zone column', () => {
    for (const channel of CHANNELS) {
      const definition = genesysContactListDefinition('x', channel);
      expect(contactListProblems(definition, channel)).toEqual([]);
      expect(definition.automaticTimeZoneMapping).toBe(false);
    }
    const call = genesysContactListDefinition('x', 'call');
    expect(call.phoneColumns[0]).toEqual({ columnName: 'phone_1', type: 'phone_1', callableTimeColumn: 'phone_1_timezone' });
    const wrongZone = { ...call, phoneColumns: call.phoneColumns.map((column, index) => (index === 1 ? { ...column, callableTimeColumn: 'phone_1_timezone' } : column)) };
    expect(contactListProblems(wrongZone, 'call')).toEqual(['phone_2 must take its time zone from phone_2_timezone, not phone_1_timezone']);
  });

  it('refuses a contact list made for the layout before the windows and the budget, naming the columns it lacks', () => {
    const call = genesysContactListDefinition('x', 'call');
    const before = { ...call, columnNames: call.columnNames.filter((column) => !/window|calls_allowed_today/.test(column)) };
    expect(contactListProblems(before, 'call')).toEqual([
      `columns missing from the contact list: calls_allowed_today, ${Array.from({ length: MAX_EXPORTED_CONTACTS }, (_, index) => `phone_${index + 1}_window_start_utc, phone_${index + 1}_window_end_utc`).join(', ')}`,
    ]);
  });
});

describe('merge of sorted unloaded files', () => {
  async function* items(values: number[]) {
    yield* values;
  }
  const collect = async (iterable: AsyncIterable<number>) => {
    const values: number[] = [];
    for await (const value of iterable) values.push(value);
    return values;
  };

  it('restores the whole order from files that are each sorted', async () => {
    const merged = mergeSorted([{ name: 'a', items: items([1, 4, 9]) }, { name: 'b', items: items([2, 3, 10]) }, { name: 'c', items: items([]) }], (x, y) => x - y);
    expect(await collect(merged)).toEqual([1, 2, 3, 4, 9, 10]);
  });

  it('fails on a file out of order instead of writing an unsorted file', async () => {
    const merged = mergeSorted([{ name: 's3://lake/part-1', items: items([1, 5, 2]) }], (x, y) => x - y);
    await expect(collect(merged)).rejects.toThrow('s3://lake/part-1: not sorted');
  });
});
