import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { DuckDbEngine } from '../../../adapters/duckdb-engine.ts';
import { s3Client } from '../../../adapters/aws-clients.ts';
import { deleteObjectsUnderPrefix } from '../../../adapters/s3-prefix.ts';
import { resources } from '../../../config/resources.ts';
import { parseCsv } from '../../../domain/exports/csv.ts';
import { builtInTemplate, MAX_EXPORTED_CONTACTS, templateHeader } from '../../../domain/exports/template.ts';
import { parseExportManifest, sha256Hex } from '../../../domain/exports/manifest.ts';
import { readExportedLists } from '../../../adapters/config-snapshot.ts';
import { exportLists } from '../../../lambdas/export-lists/exports.ts';
import { startLocalRuntime, type LocalRuntime } from '../../../local/runtime/runtime.ts';
import {
  ATTEMPT,
  createTables,
  LOAD_DATE,
  readObject,
  RUN_ID,
  temporaryDirectory,
  writeSnapshot,
  type ContactRow,
  type ListRow,
  type TapeRow,
} from '../../domain/exports/fixtures.ts';

const BUCKET = resources.buckets.exports;
const PREFIX = `exports/date=${LOAD_DATE}/`;
const CALL = { set_name: 'COLLECTIONS_CALL', list_name: 'BLUE_FCU_1_29' };
const SMS = { set_name: 'TEXTS', list_name: 'SMS REMINDER' };
const EMAIL = { set_name: 'EMAILS', list_name: 'PAST_DUE_EMAIL' };

const list = (target: typeof CALL, payoffuid: string, channel: string, extra: Partial<ListRow> = {}): ListRow => ({
  ...target,
  payoffuid,
  account_number: `10000000000000${payoffuid.slice(1).padStart(2, '0')}`,
  suppression_flag: false,
  channel,
  purpose: 'collections',
  ab_group: null,
  ...extra,
});
const zones = ['America/New_York', 'America/Chicago', 'America/Denver', 'America/Los_Angeles'];
const types = ['mobile', 'home', 'work'];
const phone = (index: number) => `+1212555${String(100 + index).padStart(4, '0')}`;

const lists: ListRow[] = [
  list(CALL, 'P1', 'call', { ab_group: 'A', calls_allowed_today: 2 }),
  list(CALL, 'P2', 'call', { suppression_flag: true }),
  list(CALL, 'P3', 'call', { ab_group: 'B' }),
  list(SMS, 'P1', 'sms', { calls_allowed_today: null }),
  list(EMAIL, 'P3', 'email'),
];
const contacts: ContactRow[] = [
  // P1 on the call list: 8 ranked phones, inserted out of rank order, each with its own window; the last 2 do not fit.
  ...[7, 3, 1, 5, 2, 4, 8, 6].map((rank) => ({
    ...CALL,
    payoffuid: 'P1',
    related_party_type: rank > 4 ? 'reference_customer_parent' : 'customer',
    contact_type: types[rank % 3]!,
    contact_value: phone(rank),
    contact_rank: rank,
    timezone: zones[rank % 4]!,
    window_start_utc: `${LOAD_DATE} ${12 + rank}:00:00`,
    window_end_utc: `${LOAD_DATE} 23:${String(rank).padStart(2, '0')}:00`,
  })),
  { ...CALL, payoffuid: 'P3', related_party_type: 'customer', contact_type: 'home', contact_value: phone(50), contact_rank: 1, timezone: 'America/Phoenix' },
  { ...SMS, payoffuid: 'P1', related_party_type: 'customer', contact_type: 'mobile', contact_value: phone(3), contact_rank: 1, timezone: 'America/New_York' },
  {
    ...EMAIL,
    payoffuid: 'P3',
    related_party_type: 'customer',
    contact_type: 'email',
    contact_value: 'anne@example.com',
    contact_rank: 1,
    timezone: 'America/Phoenix',
  },
];
const tape: TapeRow[] = [
  {
    payoffuid: 'P1',
    account_number: lists[0]!.account_number,
    first_name: 'Maria',
    last_name: 'Lopez',
    portfolio: 'BLUE_FCU',
    days_past_due: '12',
    amount_due: '250.40',
  },
  {
    payoffuid: 'P2',
    account_number: lists[1]!.account_number,
    first_name: 'Paul',
    last_name: 'Green',
    portfolio: 'BLUE_FCU',
    days_past_due: '20',
    amount_due: '99.00',
  },
  {
    payoffuid: 'P3',
    account_number: lists[2]!.account_number,
    first_name: 'Anne, "Jr"',
    last_name: ' O\nBrien',
    portfolio: 'BLUE_FCU',
    days_past_due: '3',
    amount_due: '10.00',
  },
];

const snapshotSets = (callLists: string[]) => [
  {
    name: 'COLLECTIONS_CALL',
    channel: 'call',
    lists: [...callLists.map((name) => ({ name, genesys_list_id: `gl-${name}` })), { name: 'RETIRED', active: false }],
  },
  { name: 'TEXTS', channel: 'sms', lists: [{ name: SMS.list_name }] },
  { name: 'EMAILS', channel: 'call', lists: [{ name: EMAIL.list_name, channel: 'email' }] },
];

let runtime: LocalRuntime;
let engine: DuckDbEngine;
let home: Awaited<ReturnType<typeof temporaryDirectory>>;

const runExport = async (runId = RUN_ID) =>
  exportLists(engine, {
    runId,
    attempt: ATTEMPT,
    loadDate: LOAD_DATE,
    lakeBucket: resources.buckets.lake,
    exportsBucket: BUCKET,
    lists: await readExportedLists(LOAD_DATE, ATTEMPT),
  });
const readCsv = async (file: string) => parseCsv((await readObject(BUCKET, `${PREFIX}${file}`)).toString('utf8'));
const keys = async () =>
  ((await s3Client().send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: PREFIX }))).Contents ?? []).map((object) => object.Key!).sort();

beforeAll(async () => {
  home = await temporaryDirectory();
  runtime = await startLocalRuntime({ home: home.path });
  engine = await DuckDbEngine.open({ home: home.path, memoryLimit: '256MB' });
  await createTables(engine, { lists, contacts, tape });
});
afterAll(async () => {
  await engine.close();
  await runtime.stop();
  await home.cleanup();
});
beforeEach(async () => {
  await deleteObjectsUnderPrefix(BUCKET, PREFIX);
  await writeSnapshot(snapshotSets(['BLUE_FCU_1_29', 'NOBODY_HERE']));
});

describe('export of the published lists (DuckDB + s3rver)', () => {
  it('writes one file per active list and the manifest with rows and checksums', async () => {
    // Act
    const result = await runExport();
    // Assess
    expect(await keys()).toEqual([
      `${PREFIX}COLLECTIONS_CALL/BLUE_FCU_1_29.csv`,
      `${PREFIX}COLLECTIONS_CALL/NOBODY_HERE.csv`,
      `${PREFIX}EMAILS/PAST_DUE_EMAIL.csv`,
      `${PREFIX}TEXTS/SMS REMINDER.csv`,
      `${PREFIX}manifest.json`,
    ]);
    const manifest = parseExportManifest((await readObject(BUCKET, `${PREFIX}manifest.json`)).toString('utf8'), 'manifest');
    expect(manifest).toMatchObject({ load_date: LOAD_DATE, run_id: RUN_ID, attempt: ATTEMPT });
    expect(
      manifest.files.every((entry) => entry.contact_id_column === 'payoffuid' && entry.account_column === 'account_number' && entry.delivery === null),
    ).toBe(true);
    expect(manifest.files.map(({ file, channel, rows, contacts_not_exported }) => ({ file, channel, rows, contacts_not_exported }))).toEqual([
      { file: 'COLLECTIONS_CALL/BLUE_FCU_1_29.csv', channel: 'call', rows: 2, contacts_not_exported: 2 },
      { file: 'COLLECTIONS_CALL/NOBODY_HERE.csv', channel: 'call', rows: 0, contacts_not_exported: 0 },
      { file: 'EMAILS/PAST_DUE_EMAIL.csv', channel: 'email', rows: 1, contacts_not_exported: 0 },
      { file: 'TEXTS/SMS REMINDER.csv', channel: 'sms', rows: 1, contacts_not_exported: 0 },
    ]);
    for (const entry of manifest.files) {
      const content = await readObject(BUCKET, `${PREFIX}${entry.file}`);
      expect(entry.sha256).toBe(sha256Hex(content));
      expect(entry.bytes).toBe(content.byteLength);
    }
    expect(result.files).toHaveLength(4);
  });

  it('writes the customers not suppressed, loan fields of the day, the budget, phones in rank order each with type, party, time zone and window', async () => {
    // Act
    await runExport();
    const [header, ...records] = await readCsv('COLLECTIONS_CALL/BLUE_FCU_1_29.csv');
    // Assess
    expect(header).toEqual(templateHeader(builtInTemplate('call'), 'call'));
    expect(records.map((record) => record[0])).toEqual(['P1', 'P3']);
    const p1 = Object.fromEntries(header!.map((column, index) => [column, records[0]![index]]));
    expect(p1).toMatchObject({
      payoffuid: 'P1',
      account_number: lists[0]!.account_number,
      first_name: 'Maria',
      last_name: 'Lopez',
      portfolio: 'BLUE_FCU',
      days_past_due: '12',
      amount_due: '250.40',
      ab_group: 'A',
      calls_allowed_today: '2',
    });
    for (let rank = 1; rank <= MAX_EXPORTED_CONTACTS; rank += 1) {
      const k = `phone_${rank}`;
      expect([p1[k], p1[`${k}_type`], p1[`${k}_party`], p1[`${k}_timezone`], p1[`${k}_window_start_utc`], p1[`${k}_window_end_utc`]]).toEqual([
        phone(rank),
        types[rank % 3],
        rank > 4 ? 'reference_customer_parent' : 'customer',
        zones[rank % 4],
        `${LOAD_DATE}T${12 + rank}:00:00Z`,
        `${LOAD_DATE}T23:${String(rank).padStart(2, '0')}:00Z`,
      ]);
    }
    expect(records[0]).not.toContain(phone(7));
    const p3 = records[1]!;
    expect(p3.slice(0, 9)).toEqual(['P3', lists[2]!.account_number, 'Anne, "Jr"', ' O\nBrien', 'BLUE_FCU', '3', '10.00', 'B', '7']);
    expect(p3.slice(9, 15)).toEqual([phone(50), 'home', 'customer', 'America/Phoenix', `${LOAD_DATE}T13:00:00Z`, `${LOAD_DATE}T23:59:00Z`]);
    expect(p3.slice(15).every((field) => field === '')).toBe(true);
    // An SMS list with no cap in force for the customer: an empty budget.
    const [smsHeader, smsRecord] = await readCsv('TEXTS/SMS REMINDER.csv');
    expect(smsRecord![smsHeader!.indexOf('calls_allowed_today')]).toBe('');
  });

  it('writes email lists with email columns and empty lists as a header only', async () => {
    // Act
    await runExport();
    // Assess
    const [header, record] = await readCsv('EMAILS/PAST_DUE_EMAIL.csv');
    expect(header!.slice(9, 15)).toEqual([
      'email_1',
      'email_1_type',
      'email_1_party',
      'email_1_timezone',
      'email_1_window_start_utc',
      'email_1_window_end_utc',
    ]);
    expect(record!.slice(9, 13)).toEqual(['anne@example.com', 'email', 'customer', 'America/Phoenix']);
    expect(await readCsv('COLLECTIONS_CALL/NOBODY_HERE.csv')).toEqual([templateHeader(builtInTemplate('call'), 'call')]);
  });

  it('re-export of the date replaces the files byte for byte and removes files no longer exported', async () => {
    // Prepare
    await runExport();
    const before = parseExportManifest((await readObject(BUCKET, `${PREFIX}manifest.json`)).toString('utf8'), 'manifest');
    await s3Client().send(new PutObjectCommand({ Bucket: BUCKET, Key: `${PREFIX}OLD_SET/OLD.csv`, Body: 'stale' }));
    await writeSnapshot(snapshotSets(['BLUE_FCU_1_29']));
    // Act
    await runExport();
    // Assess
    const after = parseExportManifest((await readObject(BUCKET, `${PREFIX}manifest.json`)).toString('utf8'), 'manifest');
    expect(await keys()).toEqual([
      `${PREFIX}COLLECTIONS_CALL/BLUE_FCU_1_29.csv`,
      `${PREFIX}EMAILS/PAST_DUE_EMAIL.csv`,
      `${PREFIX}TEXTS/SMS REMINDER.csv`,
      `${PREFIX}manifest.json`,
    ]);
    expect(after.files).toEqual(before.files.filter((entry) => entry.file !== 'COLLECTIONS_CALL/NOBODY_HERE.csv'));
  });

  it('splits a list longer than the contacts limit into numbered parts, every record in exactly one, never truncating', async () => {
    // Act: a limit of 1 record per file splits the 2 customers of the call list.
    const result = await exportLists(engine, {
      runId: RUN_ID,
      attempt: ATTEMPT,
      loadDate: LOAD_DATE,
      lakeBucket: resources.buckets.lake,
      exportsBucket: BUCKET,
      lists: await readExportedLists(LOAD_DATE, ATTEMPT),
      maxRecordsPerFile: 1,
    });
    // Assess
    expect(result.files.map(({ file, rows, part }) => ({ file, rows, part }))).toEqual([
      { file: 'COLLECTIONS_CALL/BLUE_FCU_1_29/part-001.csv', rows: 1, part: 1 },
      { file: 'COLLECTIONS_CALL/BLUE_FCU_1_29/part-002.csv', rows: 1, part: 2 },
      { file: 'COLLECTIONS_CALL/NOBODY_HERE.csv', rows: 0, part: null },
      { file: 'EMAILS/PAST_DUE_EMAIL.csv', rows: 1, part: null },
      { file: 'TEXTS/SMS REMINDER.csv', rows: 1, part: null },
    ]);
    const parts = [await readCsv('COLLECTIONS_CALL/BLUE_FCU_1_29/part-001.csv'), await readCsv('COLLECTIONS_CALL/BLUE_FCU_1_29/part-002.csv')];
    expect(parts.map((part) => part[0])).toEqual([templateHeader(builtInTemplate('call'), 'call'), templateHeader(builtInTemplate('call'), 'call')]);
    expect(parts.map((part) => part.slice(1).map((record) => record[0]))).toEqual([['P1'], ['P3']]);
    expect(result.files[0]!.contacts_not_exported + result.files[1]!.contacts_not_exported).toBe(2);
    // At the limit exactly, the list stays one file.
    const atLimit = await exportLists(engine, {
      runId: RUN_ID,
      attempt: ATTEMPT,
      loadDate: LOAD_DATE,
      lakeBucket: resources.buckets.lake,
      exportsBucket: BUCKET,
      lists: await readExportedLists(LOAD_DATE, ATTEMPT),
      maxRecordsPerFile: 2,
    });
    expect(atLimit.files[0]).toMatchObject({ file: 'COLLECTIONS_CALL/BLUE_FCU_1_29.csv', rows: 2, part: null });
    expect(await keys()).not.toContain(`${PREFIX}COLLECTIONS_CALL/BLUE_FCU_1_29/part-001.csv`);
  });

  it("writes a list in its template's columns, no file for a held list, and names a list's partner in the manifest", async () => {
    // Prepare
    const servicer = {
      name: 'servicer',
      format: 'genesys',
      columns: [
        { name: 'PAYOFFUID', value: { list: 'payoffuid' } },
        { name: 'ACCOUNTNUMBER', value: { list: 'account_number' } },
        { name: 'LOANID', value: { loan: 'loan_id' } },
        { name: 'FIRSTNAME', value: { loan: 'first_name' } },
        {
          name: 'AGING',
          value: {
            buckets: {
              loan: 'days_past_due',
              ranges: [
                { to: 29, label: 'DPD 1-29' },
                { from: 30, label: 'DPD 30+' },
              ],
            },
          },
        },
        { name: 'CAMPAIGN', value: { list: 'list_name' } },
        { name: 'EMAIL', value: { contact: 'email' } },
        { name: 'LOADDATE', value: { list: 'load_date' } },
        { name: 'calls_allowed_today', value: { list: 'calls_allowed_today' } },
        { contacts: { max: 2 } },
      ],
    };
    await writeSnapshot(
      [
        { name: 'COLLECTIONS_CALL', channel: 'call', lists: [{ name: CALL.list_name, export: { template: 'servicer' } }] },
        { name: 'TEXTS', channel: 'sms', lists: [{ name: SMS.list_name, export: { held: true } }] },
        { name: 'EMAILS', channel: 'call', lists: [{ name: EMAIL.list_name, channel: 'email', export: { delivery: 'email_provider' } }] },
      ],
      [servicer],
    );
    // Act
    const result = await runExport();
    // Assess
    expect(result.files.map((entry) => entry.file)).toEqual(['COLLECTIONS_CALL/BLUE_FCU_1_29.csv', 'EMAILS/PAST_DUE_EMAIL.csv']);
    const [header, p1, p3] = await readCsv('COLLECTIONS_CALL/BLUE_FCU_1_29.csv');
    expect(header).toEqual([
      'PAYOFFUID',
      'ACCOUNTNUMBER',
      'LOANID',
      'FIRSTNAME',
      'AGING',
      'CAMPAIGN',
      'EMAIL',
      'LOADDATE',
      'calls_allowed_today',
      ...[1, 2].flatMap((k) => [
        `phone_${k}`,
        `phone_${k}_type`,
        `phone_${k}_party`,
        `phone_${k}_timezone`,
        `phone_${k}_window_start_utc`,
        `phone_${k}_window_end_utc`,
      ]),
    ]);
    expect(p1!.slice(0, 10)).toEqual([
      'P1',
      lists[0]!.account_number,
      'LN-1',
      'Maria',
      'DPD 1-29',
      'BLUE_FCU_1_29',
      'maria.lopez@example.com',
      LOAD_DATE,
      '2',
      phone(1),
    ]);
    // P3's own address is not an address, its reference's is not its own: no email.
    expect(p3!.slice(0, 7)).toEqual(['P3', lists[2]!.account_number, 'LN-1', 'Anne, "Jr"', 'DPD 1-29', 'BLUE_FCU_1_29', '']);
    const manifest = parseExportManifest((await readObject(BUCKET, `${PREFIX}manifest.json`)).toString('utf8'), 'manifest');
    expect(
      manifest.files.map(({ file, contact_id_column, account_column, delivery, contacts_not_exported }) => ({
        file,
        contact_id_column,
        account_column,
        delivery,
        contacts_not_exported,
      })),
    ).toEqual([
      { file: 'COLLECTIONS_CALL/BLUE_FCU_1_29.csv', contact_id_column: 'PAYOFFUID', account_column: 'ACCOUNTNUMBER', delivery: null, contacts_not_exported: 6 },
      {
        file: 'EMAILS/PAST_DUE_EMAIL.csv',
        contact_id_column: 'payoffuid',
        account_column: 'account_number',
        delivery: 'email_provider',
        contacts_not_exported: 0,
      },
    ]);
  });

  it('refuses a day published by another run, and published rows of a list the snapshot does not have', async () => {
    // Act / Assess
    await expect(runExport('2026-11-20-ffffffffffff')).rejects.toThrow(
      /published lists of 2026-11-20 are from run 2026-11-20-0123456789ab, not from run 2026-11-20-ffffffffffff/,
    );
    await writeSnapshot(snapshotSets(['NOBODY_HERE']));
    await expect(runExport()).rejects.toThrow(/list COLLECTIONS_CALL\/BLUE_FCU_1_29 has published rows for 2026-11-20 but is not an active list/);
  });
});
