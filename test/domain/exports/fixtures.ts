import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { s3Client } from '../../../adapters/aws-clients.ts';
import type { DuckDbEngine } from '../../../adapters/duckdb-engine.ts';
import { resources } from '../../../config/resources.ts';
import { deleteObjectsUnderPrefix } from '../../../adapters/s3-prefix.ts';
import { csvRecord } from '../../../domain/exports/csv.ts';
import { exportFileName, exportsPrefix } from '../../../domain/exports/layout.ts';
import { columnOfListField, EXPORT_NO_LOAN, templateHeader, templateRecord, type ExportCustomer } from '../../../domain/exports/template.ts';
import { sha256Hex, type ExportManifest } from '../../../domain/exports/manifest.ts';
import { runLayout } from '../../../domain/run/run-layout.ts';
import type { ExportedList } from '../../../domain/exports/exported-list.ts';

/**
 * Hand-made §7 tables (exactly the §7 columns) and loan tape rows for the export tests, created as
 * DuckDB tables under the names the export SQL reads.
 */
export const LOAD_DATE = '2026-11-20';
export const RUN_ID = '2026-11-20-0123456789ab';
export const ATTEMPT = 'exec-1';

export interface ListRow {
  set_name: string;
  list_name: string;
  payoffuid: string;
  account_number: string;
  suppression_flag: boolean;
  channel: string;
  purpose: string;
  ab_group: string | null;
  run_id?: string;
  /** Default 7 (Regulation F with no call placed). */
  calls_allowed_today?: number | null;
}

export interface ContactRow {
  set_name: string;
  list_name: string;
  payoffuid: string;
  related_party_type: string;
  contact_type: string;
  contact_value: string;
  contact_rank: number;
  timezone: string | null;
  /** UTC `YYYY-MM-DD HH:MM:SS`; default 13:00 to 23:59 of the load date. */
  window_start_utc?: string | null;
  window_end_utc?: string | null;
}

export interface TapeRow {
  payoffuid: string;
  account_number: string;
  first_name: string | null;
  last_name: string | null;
  portfolio: string;
  days_past_due: string;
  amount_due: string;
}

const text = (value: string | null) => (value === null ? 'CAST(NULL AS VARCHAR)' : `'${value.replaceAll("'", "''")}'`);
const timestamp = (value: string | null | undefined, otherwise: string) => (value === null ? 'CAST(NULL AS TIMESTAMP)' : `TIMESTAMP '${value ?? otherwise}'`);

function values(rows: string[][], columns: string[]): string {
  return `SELECT * FROM (VALUES ${rows.map((row) => `(${row.join(', ')})`).join(', ')}) AS t(${columns.join(', ')})`;
}

export async function createTables(engine: DuckDbEngine, tables: { lists: ListRow[]; contacts: ContactRow[]; tape: TapeRow[] }): Promise<void> {
  const date = `DATE '${LOAD_DATE}'`;
  await engine.createTransient(
    'rpt_outbound_lists',
    values(
      tables.lists.map((row) => [
        date,
        text(row.set_name),
        text(row.list_name),
        text(row.payoffuid),
        text(row.account_number),
        String(row.suppression_flag),
        date,
        text(row.channel),
        text(row.purpose),
        text(row.ab_group),
        text(row.run_id ?? RUN_ID),
        row.calls_allowed_today === null ? 'CAST(NULL AS BIGINT)' : `CAST(${row.calls_allowed_today ?? 7} AS BIGINT)`,
      ]),
      [
        'load_date',
        'set_name',
        'list_name',
        'payoffuid',
        'account_number',
        'suppression_flag',
        'loan_tape_asofdate',
        'channel',
        'purpose',
        'ab_group',
        'run_id',
        'calls_allowed_today',
      ],
    ),
  );
  await engine.createTransient(
    'rpt_outbound_list_contacts',
    values(
      tables.contacts.map((row) => [
        date,
        text(row.set_name),
        text(row.list_name),
        text(row.payoffuid),
        text(row.related_party_type),
        text(row.contact_type),
        text(row.contact_value),
        String(row.contact_rank),
        text(row.timezone),
        timestamp(row.window_start_utc, `${LOAD_DATE} 13:00:00`),
        timestamp(row.window_end_utc, `${LOAD_DATE} 23:59:00`),
      ]),
      [
        'load_date',
        'set_name',
        'list_name',
        'payoffuid',
        'related_party_type',
        'contact_type',
        'contact_value',
        'contact_rank',
        'timezone',
        'window_start_utc',
        'window_end_utc',
      ],
    ),
  );
  await engine.createTransient(
    'loan_tape_raw',
    values(
      tables.tape.flatMap((row) => [
        // The day's row, and an older tape row of the same loan that must not be picked.
        [
          text(row.payoffuid),
          text(row.account_number),
          text(row.portfolio),
          text('Delinquent'),
          text(row.days_past_due),
          text(row.amount_due),
          text('1000.00'),
          text('NY'),
          text('10001'),
          text(row.first_name),
          text(row.last_name),
          text(LOAD_DATE),
          ...LOAN_DETAILS,
        ],
        [
          text(row.payoffuid),
          text(row.account_number),
          text('STALE'),
          text('Delinquent'),
          text('1'),
          text('1.00'),
          text('1000.00'),
          text('NY'),
          text('10001'),
          text('Old'),
          text('Name'),
          text('2026-11-19'),
          ...LOAN_DETAILS,
        ],
      ]),
      [
        'payoffuid',
        'account_number',
        'portfolio',
        'loan_status',
        'days_past_due',
        'amount_due',
        'principal_balance',
        'state',
        'zip',
        'first_name',
        'last_name',
        'loan_tape_asofdate',
        ...LOAN_DETAIL_COLUMNS,
      ],
    ),
  );
  // The day's contacts feed, for a template's customer email: P1 has an older and a newer address (the newer is
  // written, in whatever case it came), a reference's address and an unreadable one that are never written.
  await engine.createTransient(
    'contacts_raw',
    values(
      [
        ["'P1'", "'customer'", "'email'", "'old@example.com'", "'2024-01-01'"],
        ["'p1'", "' Customer '", "'EMAIL'", "' Maria.Lopez@Example.com '", "'2026-10-01'"],
        ["'P3'", "'reference_customer_other'", "'email'", "'friend@example.com'", "'2026-10-01'"],
        ["'P3'", "'customer'", "'email'", "'not-an-address'", "'2026-10-02'"],
      ].map((row) => [...row, 'CAST(NULL AS VARCHAR)']),
      ['payoffuid', 'related_party_type', 'contact_type', 'contact_value', 'created_at', 'row_problem'],
    ),
  );
}

/** The §3.2 loan-tape columns the export tests do not vary. */
const LOAN_DETAIL_COLUMNS = [
  'loan_id',
  'origination_date',
  'next_payment_due_date',
  'charge_off_date',
  'recoveries_paid_to_date',
  'payment_mode',
  'placement_status',
  'next_workable_date',
  'last_collections_contact_date',
  'address_1',
  'address_2',
  'city',
];
const LOAN_DETAILS = [
  "'LN-1'",
  "'2024-01-15'",
  "'2026-12-01'",
  'CAST(NULL AS VARCHAR)',
  "'0.00'",
  "'Manual'",
  'CAST(NULL AS VARCHAR)',
  'CAST(NULL AS VARCHAR)',
  "'2026-11-18'",
  "'1 Main St'",
  'CAST(NULL AS VARCHAR)',
  "'New York'",
];

export interface SnapshotList {
  name: string;
  channel?: string;
  active?: boolean;
  genesys_list_id?: string;
  export?: Record<string, unknown>;
}

/** Writes a valid configuration snapshot with these sets and lists (every list assigns on any portfolio), and these export templates. */
export async function writeSnapshot(sets: { name: string; channel: string; lists: SnapshotList[] }[], exportTemplates: unknown[] = []): Promise<void> {
  const snapshot = {
    version: 'test',
    export_templates: exportTemplates,
    sets: sets.map((set) => ({
      ...set,
      lists: set.lists.map((list, index) => ({
        priority: index,
        purpose: 'collections',
        conditions: { source: 'loan', field: 'portfolio', operator: 'is_not_null' },
        ...list,
      })),
    })),
  };
  await s3Client().send(
    new PutObjectCommand({ Bucket: resources.buckets.lake, Key: runLayout.configSnapshot(LOAD_DATE, ATTEMPT), Body: JSON.stringify(snapshot) }),
  );
}

export async function readObject(bucket: string, key: string): Promise<Buffer> {
  const object = await s3Client().send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return Buffer.from(await object.Body!.transformToByteArray());
}

export async function temporaryDirectory(): Promise<{ path: string; cleanup(): Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), 'outbound-exports-'));
  return { path, cleanup: () => rm(path, { recursive: true, force: true }) };
}

const BUCKET = resources.buckets.exports;
const PREFIX = exportsPrefix(LOAD_DATE);

const customer = (list: ExportedList, payoffuid: string, contact: string): ExportCustomer => ({
  list: {
    set_name: list.set_name,
    list_name: list.list_name,
    channel: list.channel,
    purpose: 'collections',
    payoffuid,
    account_number: `1000000000000${payoffuid.slice(1).padStart(3, '0')}`,
    load_date: LOAD_DATE,
    ab_group: null,
    calls_allowed_today: '7',
  },
  loan: { ...EXPORT_NO_LOAN, first_name: 'Dana', last_name: 'O"Neil, Jr', portfolio: 'BLUE_FCU', days_past_due: '31', amount_due: '120.00' },
  email: null,
  contacts: [
    {
      contact_value: contact,
      contact_type: list.channel === 'email' ? 'email' : 'mobile',
      related_party_type: 'customer',
      timezone: 'America/Chicago',
      window_start_utc: `${LOAD_DATE}T14:00:00Z`,
      window_end_utc: `${LOAD_DATE}T23:59:00Z`,
    },
  ],
});

/** Writes export files and their manifest as the export step does (same writer). */
export async function writeExports(lists: readonly ExportedList[], payoffuids: string[]): Promise<ExportManifest> {
  await deleteObjectsUnderPrefix(BUCKET, PREFIX);
  const files = [];
  for (const list of lists) {
    const rows = payoffuids.map((id, index) =>
      customer(list, id, list.channel === 'email' ? `p${index}@example.com` : `+1312555${String(index).padStart(4, '0')}`),
    );
    const body = Buffer.from(
      csvRecord(templateHeader(list.template, list.channel)) + rows.map((row) => csvRecord(templateRecord(list.template, row).fields)).join(''),
    );
    const file = exportFileName(list.set_name, list.list_name);
    await s3Client().send(new PutObjectCommand({ Bucket: BUCKET, Key: `${PREFIX}${file}`, Body: body }));
    files.push({
      file,
      set_name: list.set_name,
      list_name: list.list_name,
      channel: list.channel,
      rows: rows.length,
      bytes: body.byteLength,
      sha256: sha256Hex(body),
      contacts_not_exported: 0,
      part: null,
      contact_id_column: columnOfListField(list.template, 'payoffuid'),
      account_column: columnOfListField(list.template, 'account_number'),
      delivery: list.delivery,
    });
  }
  const manifest: ExportManifest = { load_date: LOAD_DATE, run_id: RUN_ID, attempt: ATTEMPT, files };
  await s3Client().send(new PutObjectCommand({ Bucket: BUCKET, Key: `${PREFIX}manifest.json`, Body: JSON.stringify(manifest) }));
  return manifest;
}
