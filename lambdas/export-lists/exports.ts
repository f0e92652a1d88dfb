import { DeleteObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { z } from 'zod';
import { s3Client } from '../../adapters/aws-clients.ts';
import { streamGzipJsonLines } from '../../adapters/json-lines-objects.ts';
import { deleteObjectsUnderPrefix } from '../../adapters/s3-prefix.ts';
import type { SqlEngine } from '../../adapters/sql-engine.ts';
import { CHANNELS, EXPORT_LIST_FIELDS, EXPORT_LOAN_FIELDS, type ExportListField, type ExportLoanField } from '../../domain/campaigns/schema.ts';
import { csvRecord } from '../../domain/exports/csv.ts';
import { exportFileName, exportsPrefix, GENESYS_MAX_CONTACTS, MANIFEST_FILE } from '../../domain/exports/layout.ts';
import { columnOfListField, templateHeader, templateRecord, type ExportCustomer } from '../../domain/exports/template.ts';
import { sha256Hex, type ExportManifest, type ExportManifestFile } from '../../domain/exports/manifest.ts';
import { mergeSorted } from '../../domain/exports/merge.ts';
import { runLayout } from '../../domain/run/run-layout.ts';
import type { ExportListsOutput } from '../../domain/run/step-outputs.ts';
import { loadSql, sqlDate } from '../../sql/sql-files.ts';
import type { ExportedList } from '../../domain/exports/exported-list.ts';

export interface ExportListsOptions {
  runId: string;
  attempt: string;
  loadDate: string;
  lakeBucket: string;
  exportsBucket: string;
  lists: readonly ExportedList[];
  /** Records per file; a longer list is split into numbered parts, never truncated. Default GENESYS_MAX_CONTACTS. */
  maxRecordsPerFile?: number;
}

/**
 * Writes the day's list files and their manifest under `exports/date=D/` of the exports bucket, from
 * the published §7 tables of the load date. Order of writes: the old manifest is deleted first (a
 * reader then sees no complete day), each list file is put, the manifest is put last, and files of
 * an earlier export of the date that this one did not write are removed.
 */
export async function exportLists(engine: SqlEngine, options: ExportListsOptions): Promise<ExportListsOutput> {
  const { runId, attempt, loadDate, lakeBucket, exportsBucket } = options;
  const maxRecords = options.maxRecordsPerFile ?? GENESYS_MAX_CONTACTS;
  await checkPublishedRun(engine, loadDate, runId);

  const prefix = exportsPrefix(loadDate);
  const manifestKey = `${prefix}${MANIFEST_FILE}`;
  await s3Client().send(new DeleteObjectCommand({ Bucket: exportsBucket, Key: manifestKey }));

  const select = await loadSql('exports/export_rows.sql', { load_date: sqlDate(loadDate) });
  const keys = await engine.unloadJsonLines(select, `s3://${lakeBucket}/${runLayout.exportRowsPrefix(loadDate, attempt)}`);
  const customers = groupCustomers(
    mergeSorted(
      keys.map((key) => ({ name: `s3://${lakeBucket}/${key}`, items: readRows(lakeBucket, key) })),
      compareRows,
    ),
  );

  const lists = new Map(options.lists.map((list) => [listKey(list.set_name, list.list_name), list]));
  const entries: ExportManifestFile[] = [];
  const put = async (file: ListFile) => entries.push(await putListFile(exportsBucket, prefix, file));
  let current: ListFile | undefined;
  for await (const row of customers) {
    if (lists.get(listKey(row.list.set_name, row.list.list_name))?.held) continue;
    if (!current || current.list.set_name !== row.list.set_name || current.list.list_name !== row.list.list_name) {
      if (current) await put(current);
      const key = listKey(row.list.set_name, row.list.list_name);
      const list = lists.get(key);
      if (!list) throw new Error(`list ${key} has published rows for ${loadDate} but is not an active list of the run's configuration snapshot`);
      lists.delete(key);
      current = newListFile(list);
    }
    if (row.list.channel !== current.list.channel) {
      throw new Error(`list ${listKey(row.list.set_name, row.list.list_name)}: published channel ${row.list.channel}, configured ${current.list.channel}`);
    }
    if (current.records.length === maxRecords) {
      // A record past the limit: what is held becomes a numbered part, and the list goes on in the next.
      current.part ??= 1;
      await put(current);
      current = { ...newListFile(current.list), part: current.part + 1 };
    }
    const { fields, contactsNotExported } = templateRecord(current.list.template, row);
    current.records.push(csvRecord(fields));
    current.contactsNotExported += contactsNotExported;
  }
  if (current) await put(current);
  // Active lists nobody landed on still get their (header-only) file: an empty list is news for the dialer.
  for (const list of lists.values()) if (!list.held) await put(newListFile(list));

  entries.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  const manifest: ExportManifest = { load_date: loadDate, run_id: runId, attempt, files: entries };
  await s3Client().send(
    new PutObjectCommand({ Bucket: exportsBucket, Key: manifestKey, Body: `${JSON.stringify(manifest, null, 2)}\n`, ContentType: 'application/json' }),
  );
  await deleteObjectsUnderPrefix(exportsBucket, prefix, new Set([manifestKey, ...entries.map((entry) => `${prefix}${entry.file}`)]));

  return {
    bucket: exportsBucket,
    manifestKey,
    files: entries.map(({ file, set_name, list_name, channel, rows: count, contacts_not_exported, part }) => ({
      file,
      set_name,
      list_name,
      channel,
      rows: count,
      contacts_not_exported,
      part,
    })),
  };
}

/** The published day must be this run's: exporting another run's lists under this run's manifest would mislabel them. */
async function checkPublishedRun(engine: SqlEngine, loadDate: string, runId: string): Promise<void> {
  const published = await engine.query<{ run_id: string }>(`SELECT DISTINCT run_id FROM rpt_outbound_lists WHERE load_date = ${sqlDate(loadDate).sql}`);
  const others = published.map((row) => row.run_id).filter((id) => id !== runId);
  if (others.length > 0) throw new Error(`the published lists of ${loadDate} are from run ${others.join(', ')}, not from run ${runId}`);
}

interface ListFile {
  list: ExportedList;
  records: string[];
  contactsNotExported: number;
  /** Its number among the parts of a split list; null while the list fits in one file. */
  part: number | null;
}

function newListFile(list: ExportedList): ListFile {
  return { list, records: [], contactsNotExported: 0, part: null };
}

async function putListFile(bucket: string, prefix: string, file: ListFile): Promise<ExportManifestFile> {
  const { list } = file;
  const name = exportFileName(list.set_name, list.list_name, file.part);
  const body = Buffer.from(csvRecord(templateHeader(list.template, list.channel)) + file.records.join(''), 'utf8');
  await s3Client().send(new PutObjectCommand({ Bucket: bucket, Key: `${prefix}${name}`, Body: body, ContentType: 'text/csv; charset=utf-8' }));
  return {
    file: name,
    set_name: list.set_name,
    list_name: list.list_name,
    channel: list.channel,
    rows: file.records.length,
    bytes: body.byteLength,
    sha256: sha256Hex(body),
    contacts_not_exported: file.contactsNotExported,
    part: file.part,
    contact_id_column: columnOfListField(list.template, 'payoffuid'),
    account_column: columnOfListField(list.template, 'account_number'),
    delivery: list.delivery,
  };
}

function listKey(setName: string, listName: string): string {
  return `${setName}/${listName}`;
}

const CONTACT_FIELDS = ['contact_rank', 'contact_value', 'contact_type', 'related_party_type', 'timezone', 'window_start_utc', 'window_end_utc'] as const;

/** A row of sql/exports/export_rows.sql: the published list row, the loan-tape row (`tape_<column>`) and one contact (all NULL when it has none). */
type ExportRow = Record<ExportListField | `tape_${ExportLoanField}` | Exclude<(typeof CONTACT_FIELDS)[number], 'contact_rank'>, string | null> & {
  set_name: string;
  list_name: string;
  channel: (typeof CHANNELS)[number];
  payoffuid: string;
  customer_email: string | null;
  contact_rank: number | null;
};

/** The SQL's order: ORDER BY set_name, list_name, payoffuid (ASCII names and ids), contact_rank, contact_value. */
function compareRows(a: ExportRow, b: ExportRow): number {
  return (
    compareText(a.set_name, b.set_name) ||
    compareText(a.list_name, b.list_name) ||
    compareText(a.payoffuid, b.payoffuid) ||
    (a.contact_rank ?? 0) - (b.contact_rank ?? 0) ||
    compareText(a.contact_value ?? '', b.contact_value ?? '')
  );
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function customerOf(row: ExportRow): ExportCustomer {
  const list = Object.fromEntries(EXPORT_LIST_FIELDS.map((field) => [field, row[field]])) as ExportCustomer['list'];
  const loan = Object.fromEntries(EXPORT_LOAN_FIELDS.map((field) => [field, row[`tape_${field}`]])) as ExportCustomer['loan'];
  return { list, loan, email: row.customer_email, contacts: [] };
}

/** Folds the consecutive rows of each customer into one customer with its contacts in rank order. */
async function* groupCustomers(rows: AsyncIterable<ExportRow>): AsyncGenerator<ExportCustomer> {
  let customer: ExportCustomer | undefined;
  for await (const row of rows) {
    const { list } = customer ?? {};
    if (!customer || list?.set_name !== row.set_name || list.list_name !== row.list_name || list.payoffuid !== row.payoffuid) {
      if (customer) yield customer;
      customer = customerOf(row);
    }
    const { contact_value, contact_type, related_party_type, timezone, window_start_utc, window_end_utc } = row;
    if (contact_value !== null) {
      if (contact_type === null || related_party_type === null) {
        throw new Error(`list ${row.set_name}/${row.list_name}, payoffuid ${row.payoffuid}: a contact without contact_type or related_party_type`);
      }
      customer.contacts.push({ contact_value, contact_type, related_party_type, timezone, window_start_utc, window_end_utc });
    }
  }
  if (customer) yield customer;
}

const text = z.string().nullable();
const rowSchema = z.object({
  ...Object.fromEntries(EXPORT_LIST_FIELDS.map((field) => [field, text])),
  ...Object.fromEntries(EXPORT_LOAN_FIELDS.map((field) => [`tape_${field}`, text])),
  ...Object.fromEntries(CONTACT_FIELDS.map((field) => [field, text])),
  set_name: z.string(),
  list_name: z.string(),
  channel: z.enum(CHANNELS),
  payoffuid: z.string().min(1),
  customer_email: text,
  contact_rank: z.number().int().nullable(),
}) as unknown as z.ZodType<ExportRow>;

/** Streams one unloaded gzip JSON Lines file of export rows; errors name the file and line (never values). */
function readRows(bucket: string, key: string): AsyncGenerator<ExportRow> {
  return streamGzipJsonLines(bucket, key, rowSchema);
}
