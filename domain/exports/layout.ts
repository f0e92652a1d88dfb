import type { Channel, ExportTemplate } from '../campaigns/schema.ts';
import { resources } from '../../config/resources.ts';
import { contactColumns, templateContactGroups, templateHeader } from './template.ts';

/**
 * Where the exported list files go and how Genesys Cloud holds them (SPEC §7, docs/exports.md): one CSV per
 * list in its template's columns (domain/exports/template.ts), one record per exported customer; call and SMS
 * files are Genesys Cloud contact lists.
 */

/** Genesys Cloud holds at most this many contacts in one contact list: a longer list is split into numbered parts. */
export const GENESYS_MAX_CONTACTS = 1_000_000;

/** The contact list to create in Genesys Cloud for a list of this channel and template (body of POST /api/v2/outbound/contactlists). */
export interface GenesysContactListDefinition {
  name: string;
  columnNames: string[];
  phoneColumns: { columnName: string; type: string; callableTimeColumn: string }[];
  emailColumns: { columnName: string; type: string; contactableTimeColumn: string }[];
  automaticTimeZoneMapping: false;
}

export function genesysContactListDefinition(name: string, channel: Channel, template: ExportTemplate): GenesysContactListDefinition {
  const groups = Array.from({ length: templateContactGroups(template) }, (_, index) => contactColumns(channel, index + 1));
  return {
    name,
    columnNames: templateHeader(template, channel),
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
 * Why a Genesys contact list cannot take the files of this channel and template: its columns must be exactly the file's
 * (Genesys refuses an upload with other columns), and each contact column must be declared as a
 * phone (email) column whose time zone is its own `_timezone` column — never a list-wide guess.
 */
export function contactListProblems(declared: DeclaredContactList, channel: Channel, template: ExportTemplate): string[] {
  const expected = templateHeader(template, channel);
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
  for (let position = 1; position <= templateContactGroups(template); position += 1) {
    const group = contactColumns(channel, position);
    const timezone = contactDeclarations.get(group.value);
    if (!contactDeclarations.has(group.value)) problems.push(`${group.value} is not declared as a ${channel === 'email' ? 'email' : 'phone'} column`);
    else if (timezone !== group.timezone) problems.push(`${group.value} must take its time zone from ${group.timezone}, not ${timezone ?? 'nothing'}`);
  }
  return problems;
}
