import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDbEngine } from '../../adapters/duckdb-engine.ts';
import { envNames } from '../../config/environment.ts';
import { parseCsv } from '../../domain/exports/csv.ts';
import { MAX_EXPORTED_CONTACTS } from '../../domain/exports/template.ts';
import { copyExports } from '../../local/cli/commands/exports.ts';
import { runDailyLocally } from '../../local/runtime/daily-run.ts';
import { startLocalRuntime } from '../../local/runtime/runtime.ts';
import { attempt, loanRow, writeDailyFeeds } from '../facts/fixtures.ts';
import { nonfin, writeFeeds } from '../sql/fixtures.ts';

/**
 * Issue 12 item 1, as the dialer sees it: from hand-made raw feeds, the daily run's Genesys files carry for
 * every number the calling window SPEC §6.1 defines for it — federal and state hours of the list's purpose,
 * intersected over the customer's address and every phone's zone, Sunday rules — and for every account the
 * calls the Regulation F and state caps leave today. The load date is Sunday 2026-11-22 (standard time:
 * Eastern UTC−5, Central −6, Mountain −7, Pacific −8); the expected instants are worked out by hand below.
 */
const D = '2026-11-22';
const NEXT = '2026-11-23';
const daysBefore = (days: number) => new Date(Date.parse(`${D}T00:00:00Z`) - days * 86_400_000).toISOString().slice(0, 10);

/** Disposition rows by the day they were made (their attempted_at date). */
const byDay = (rows: string[][]) => {
  const days: Record<string, string[][]> = {};
  for (const row of rows) {
    const day = row[4]!.slice(0, 10);
    days[day] ??= [];
    days[day].push(row);
  }
  return days;
};

const NY = { id: 'p-ny', account: '1000000000000011', phones: ['2125550101', '2135550102'] };
const TX = { id: 'p-tx', account: '1000000000000012', phones: ['2145550103'] };
const FL = { id: 'p-fl', account: '1000000000000013', phones: ['8505550104'] };
const MA = { id: 'p-ma', account: '1000000000000014', phones: ['6175550105'] };

const CONFIG = `
version: dial-time-test
sets:
  - name: COLLECTIONS_CALL
    channel: call
    lists:
      - { name: PAST_DUE, priority: 1, purpose: collections, conditions: { source: loan, field: days_past_due, operator: '>', value: 0 } }
  - name: MARKETING_CALL
    channel: call
    lists:
      - { name: OFFER, priority: 1, purpose: marketing, conditions: { source: loan, field: days_past_due, operator: '>', value: 0 } }
  - name: COLLECTIONS_SMS
    channel: sms
    lists:
      - { name: REMINDER, priority: 1, purpose: collections, conditions: { source: loan, field: days_past_due, operator: '>', value: 0 } }
`;

let root: string;
let home: string;
/** Every exported record of a list file, by payoffuid, as column → value. */
const files = new Map<string, Map<string, Record<string, string>>>();
let listRows: { set_name: string; payoffuid: string; suppression_flag: boolean; calls_allowed_today: number | null }[];
let contactRows: { set_name: string; payoffuid: string; contact_value: string; window_start_utc: string; window_end_utc: string }[];

async function readExport(out: string, file: string): Promise<Map<string, Record<string, string>>> {
  const [header, ...records] = parseCsv(await readFile(join(out, file), 'utf8'));
  return new Map(records.map((record) => [record[0]!, Object.fromEntries(header!.map((column, index) => [column, record[index]!]))]));
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'outbound-dial-time-'));
  const data = join(root, 'data');
  home = join(root, 'home');
  const customers = [
    { ...NY, state: 'NY', zip: '10001' },
    { ...TX, state: 'TX', zip: '75201' },
    { ...FL, state: 'FL', zip: '32501' },
    { ...MA, state: 'MA', zip: '02139' },
  ];
  await writeDailyFeeds(data, D, {
    loanTape: customers.map(({ id, account, state, zip }) => loanRow(id, account, { state, zip, loan_tape_asofdate: D })),
    contacts: customers.flatMap(({ id, phones }) => phones.map((phone) => [id, 'customer', 'mobile', phone, '2025-01-01'])),
    dispositions: byDay([
      // New York: 5 calls in the 7 days ending today, no conversation.
      ...[1, 2, 3, 4, 5].map((days) => attempt(NY.id, NY.account, 'call', NY.phones[0]!, 'NO_ANSWER', 'N', daysBefore(days))),
      // Texas: a telephone conversation 3 days ago (day 4 of its 7); Florida: a call yesterday; Massachusetts: one call 2 days ago.
      attempt(TX.id, TX.account, 'call', TX.phones[0]!, 'PROMISE_TO_PAY', 'Y', daysBefore(3)),
      attempt(FL.id, FL.account, 'call', FL.phones[0]!, 'NO_ANSWER', 'N', daysBefore(1)),
      attempt(MA.id, MA.account, 'call', MA.phones[0]!, 'NO_ANSWER', 'N', daysBefore(2)),
    ]),
    suppressions: { [D.replaceAll('-', '')]: [] },
    customFields: customers.map(({ account }) => `{"account_number":"${account}","fields":{}}`),
  });
  // SMS consent for the New York mobile and the Massachusetts mobile only.
  await writeFeeds(data, [
    { feed: 'NON-FIN-BDL', name: D.replaceAll('-', ''), rows: [nonfin(NY.account, '1', NY.phones[0]!), nonfin(MA.account, '2', MA.phones[0]!)] },
  ]);
  const configFile = join(root, 'campaigns.yaml');
  await writeFile(configFile, CONFIG);
  process.env[envNames.campaignConfig] = configFile;
  try {
    await runDailyLocally({ data, date: D, home, steps: 'all' });
  } finally {
    delete process.env[envNames.campaignConfig];
  }
  const runtime = await startLocalRuntime({ home });
  const out = join(root, 'out');
  try {
    const manifest = await copyExports(D, out);
    for (const entry of manifest.files) files.set(entry.file, await readExport(out, entry.file));
  } finally {
    await runtime.stop();
  }
  const engine = await DuckDbEngine.open({ home });
  try {
    listRows = await engine.query(
      `SELECT set_name, payoffuid, suppression_flag, calls_allowed_today FROM rpt_outbound_lists WHERE load_date = DATE '${D}' ORDER BY set_name, payoffuid`,
    );
    contactRows = await engine.query(
      `SELECT set_name, payoffuid, contact_value, CAST(window_start_utc AS VARCHAR) AS window_start_utc, CAST(window_end_utc AS VARCHAR) AS window_end_utc
       FROM rpt_outbound_list_contacts WHERE load_date = DATE '${D}' ORDER BY set_name, payoffuid, contact_rank`,
    );
  } finally {
    await engine.close();
  }
}, 180_000);

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** The window columns of each exported number of a record: [number, start, end]. */
function windows(record: Record<string, string> | undefined): string[][] {
  if (!record) throw new Error('customer not exported');
  return Array.from({ length: MAX_EXPORTED_CONTACTS }, (_, index) => `phone_${index + 1}`)
    .filter((column) => record[column] !== '')
    .map((column) => [record[column]!, record[`${column}_window_start_utc`]!, record[`${column}_window_end_utc`]!]);
}

describe('per-number calling windows in the Genesys files (SPEC §6.1, §7)', () => {
  it("a New York customer's California mobile: 08:00-21:00 at both locations, 08:00 Pacific to 21:00 Eastern, on each number", () => {
    const collections = files.get('COLLECTIONS_CALL/PAST_DUE.csv')!;
    expect(windows(collections.get(NY.id))).toEqual([
      ['+12125550101', `${D}T16:00:00Z`, `${NEXT}T02:00:00Z`],
      ['+12135550102', `${D}T16:00:00Z`, `${NEXT}T02:00:00Z`],
    ]);
    // Marketing (TCPA 08:00-21:00, no New York or California rule): the same intersection.
    expect(windows(files.get('MARKETING_CALL/OFFER.csv')!.get(NY.id))).toEqual(windows(collections.get(NY.id)));
  });

  it('a Texas number on Sunday for a marketing list: noon to 21:00 in both Texas zones (12:00 Mountain to 21:00 Central)', () => {
    expect(windows(files.get('MARKETING_CALL/OFFER.csv')!.get(TX.id))).toEqual([['+12145550103', `${D}T19:00:00Z`, `${NEXT}T03:00:00Z`]]);
  });

  it('a Florida panhandle number: 08:00 Central at the earliest (never 07:00 Central), Florida marketing hours end at 20:00 Eastern', () => {
    expect(windows(files.get('COLLECTIONS_CALL/PAST_DUE.csv')!.get(FL.id))).toEqual([['+18505550104', `${D}T14:00:00Z`, `${NEXT}T02:00:00Z`]]);
    expect(windows(files.get('MARKETING_CALL/OFFER.csv')!.get(FL.id))).toEqual([['+18505550104', `${D}T14:00:00Z`, `${NEXT}T01:00:00Z`]]);
  });

  it('every exported number carries exactly the window of its published contact row, and every published contact is exported', () => {
    const exported = [...files].flatMap(([file, records]) =>
      [...records].flatMap(([id, record]) => windows(record).map(([value, start, end]) => [file.split('/')[0], id, value, start, end].join(' '))),
    );
    const published = contactRows.map((row) =>
      [row.set_name, row.payoffuid, row.contact_value, `${row.window_start_utc.replace(' ', 'T')}Z`, `${row.window_end_utc.replace(' ', 'T')}Z`].join(' '),
    );
    expect(exported.sort()).toEqual(published.sort());
    expect(exported.length).toBeGreaterThanOrEqual(10);
  });

  it('each number keeps its own time-zone column beside its window', () => {
    const record = files.get('COLLECTIONS_CALL/PAST_DUE.csv')!.get(NY.id)!;
    expect([record.phone_1_timezone, record.phone_2_timezone]).toEqual(['America/New_York', 'America/New_York']);
  });
});

describe('calls_allowed_today (Regulation F and the state caps of the list purpose)', () => {
  const budget = (file: string, id: string) => files.get(file)!.get(id)?.calls_allowed_today;

  it('5 calls in the 7 days ending today leave 2; a call yesterday leaves 6', () => {
    expect(budget('COLLECTIONS_CALL/PAST_DUE.csv', NY.id)).toBe('2');
    expect(budget('COLLECTIONS_CALL/PAST_DUE.csv', FL.id)).toBe('6');
  });

  it('a conversation 3 days ago leaves 0: the customer is kept off the collections list, its row says 0', () => {
    expect(files.get('COLLECTIONS_CALL/PAST_DUE.csv')!.has(TX.id)).toBe(false);
    expect(listRows.find((row) => row.set_name === 'COLLECTIONS_CALL' && row.payoffuid === TX.id)).toMatchObject({
      suppression_flag: true,
      calls_allowed_today: 0,
    });
  });

  it('a Massachusetts customer with 1 call in 7 days: 1 call and 1 text left (2 per 7 days, calls and texts together)', () => {
    expect(budget('COLLECTIONS_CALL/PAST_DUE.csv', MA.id)).toBe('1');
    expect(budget('COLLECTIONS_SMS/REMINDER.csv', MA.id)).toBe('1');
  });

  it('lists of another purpose get its caps: Florida marketing 3 per 24 hours less yesterday’s call; none for Texas or New York', () => {
    expect(budget('MARKETING_CALL/OFFER.csv', FL.id)).toBe('2');
    expect(budget('MARKETING_CALL/OFFER.csv', TX.id)).toBe('');
    expect(budget('MARKETING_CALL/OFFER.csv', NY.id)).toBe('');
    // Regulation F counts calls only: a New York text has no cap.
    expect(budget('COLLECTIONS_SMS/REMINDER.csv', NY.id)).toBe('');
  });

  it('the published rows hold the same budget as the files', () => {
    for (const [file, records] of files) {
      const set = file.split('/')[0]!;
      for (const [id, record] of records) {
        const row = listRows.find((candidate) => candidate.set_name === set && candidate.payoffuid === id)!;
        expect(record.calls_allowed_today).toBe(row.calls_allowed_today === null ? '' : String(row.calls_allowed_today));
      }
    }
  });
});
