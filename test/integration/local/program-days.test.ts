import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { weekdayName } from '../../../domain/campaigns/dates.ts';
import { parseCsv } from '../../../domain/exports/csv.ts';
import { copyExports } from '../../../local/cli/commands/exports.ts';
import { runProgramDays, type ProgramDays } from '../../../local/cli/program-days.ts';
import { startLocalRuntime } from '../../../local/runtime/runtime.ts';
import { DuckDbEngine } from '../../../adapters/duckdb-engine.ts';
import { PROGRAM_REASONS, referenceDay, type KeptRow } from './program-reference.ts';

/**
 * Issue 14's "must show" as a test: nine generated days (Sunday 2026-11-29 … Monday 2026-12-07), nine consecutive runs
 * of config/programs/collections-current.yaml. Every list and every reason code of §5.1 occurs; the weekday rules,
 * the held list and the servicer's layouts hold in what was published and exported; and each customer's list and
 * program reasons, every day, are those of an independent reference of §5.1 computed from the raw feeds.
 */
const LAST = '2026-12-07';
let root: string;
let result: ProgramDays;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'outbound-program-'));
  result = await runProgramDays({ home: join(root, 'home'), date: LAST, days: 9, customers: 600, seed: 42 });
}, 600_000);

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('nine days of the servicer program on generated feeds', () => {
  it('every §5.1 list and reason code occurs', () => {
    expect(result.missing).toEqual([]);
    expect(result.dates).toHaveLength(9);
  });

  it('Recovery Weekly lists only on Tuesdays; the phone test suppresses every test-group customer at the weekend', () => {
    const recovery = result.lists.filter((row) => row.list_name === 'Recovery Weekly');
    expect(recovery.length).toBeGreaterThan(0);
    expect(recovery.every((row) => weekdayName(row.load_date) === 'Tuesday')).toBe(true);
    const kept = (date: string) =>
      result.lists.filter((row) => row.set_name === 'Call List' && ['DPD3-14', 'DPD15-29'].includes(row.list_name) && row.load_date === date);
    // Monday after a weekend: the test group was kept on no day of the 6 before, so it is called again.
    const monday = kept('2026-11-30').reduce((sum, row) => sum + row.kept, 0);
    const sunday = kept('2026-11-29').reduce((sum, row) => sum + row.kept, 0);
    expect(monday).toBeGreaterThan(sunday);
  });

  it("exports the phone and text lists in the servicer's Genesys layout, the letters as the print file, and nothing of the held Charge off list", async () => {
    const out = join(root, 'exports');
    const runtime = await startLocalRuntime({ home: join(root, 'home') });
    try {
      const manifest = await copyExports('2026-12-01', out);
      const files = manifest.files.map((entry) => entry.file);
      expect(files.some((file) => file.startsWith('Call List/Charge off'))).toBe(false);
      expect(result.lists.some((row) => row.list_name === 'Charge off' && row.load_date === '2026-12-01')).toBe(true);
      const [callHeader] = parseCsv(await readFile(join(out, 'Call List', 'DPD90+.csv'), 'utf8'));
      expect(callHeader!.slice(0, 4)).toEqual(['PAYOFFUID', 'ACCOUNTNUMBER', 'LOANID', 'DATEADDED']);
      expect(callHeader).toContain('AGING');
      expect(callHeader).toContain('phone_4_window_end_utc');
      const letters = parseCsv(await readFile(join(out, 'Recovery Weekly', 'Recovery Weekly.csv'), 'utf8'));
      expect(letters[0]).toEqual([
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
      expect(letters.length).toBeGreaterThan(1);
      expect(manifest.files.find((entry) => entry.file === 'SIMM/DPD3-119.csv')?.delivery).toBe('simm');
      expect(manifest.files.find((entry) => entry.file === 'GR Email/GR Email.csv')?.delivery).toBe('email_provider');
    } finally {
      await runtime.stop();
    }
  });

  it('puts every customer, every day, on the list with the program reasons an independent reference of §5.1 computes from the raw feeds', async () => {
    // Prepare: what was published, and the phone test's history (§5.1: who was kept on its lists on D−6 … D−1)
    const home = join(root, 'home');
    const engine = await DuckDbEngine.open({ home });
    let lists: { load_date: string; set_name: string; list_name: string; payoffuid: string; kept: boolean }[];
    let reasons: { load_date: string; set_name: string; payoffuid: string; reason: string }[];
    try {
      lists = await engine.query(
        'SELECT CAST(load_date AS VARCHAR) AS load_date, set_name, list_name, lower(payoffuid) AS payoffuid, NOT suppression_flag AS kept FROM rpt_outbound_lists',
      );
      // Customer-level reasons (a suppressed contact point leaves the customer on the list: a §6 matter).
      reasons = await engine.query(
        `SELECT DISTINCT CAST(load_date AS VARCHAR) AS load_date, set_name, lower(payoffuid) AS payoffuid, suppression_reason AS reason
         FROM rpt_outbound_lists_suppression WHERE suppression_type <> 'CONTACT'`,
      );
    } finally {
      await engine.close();
    }
    const history: KeptRow[] = lists.filter((row) => row.set_name === 'Call List' && row.kept);
    const key = (date: string, set: string, payoffuid: string) => `${date} ${set} ${payoffuid}`;
    const published = new Map<string, Set<string>>();
    for (const row of reasons)
      if (PROGRAM_REASONS.has(row.reason))
        published.set(
          key(row.load_date, row.set_name, row.payoffuid),
          (published.get(key(row.load_date, row.set_name, row.payoffuid)) ?? new Set()).add(row.reason),
        );
    const actual = new Map(
      lists.map((row) => [
        key(row.load_date, row.set_name, row.payoffuid),
        `${row.list_name} [${[...(published.get(key(row.load_date, row.set_name, row.payoffuid)) ?? [])].sort().join(' ')}]`,
      ]),
    );
    // Act
    const expected = new Map<string, string>();
    for (const date of result.dates) {
      for (const row of await referenceDay(join(home, 'data'), date, history))
        expected.set(key(date, row.set_name, row.payoffuid), `${row.list_name} [${row.reasons.join(' ')}]`);
    }
    // Assess: the same (date, set, customer) rows, each with the same list and program reasons
    const differences = [...new Set([...actual.keys(), ...expected.keys()])]
      .filter((k) => actual.get(k) !== expected.get(k))
      .map((k) => `${k}: published ${actual.get(k) ?? '-'}, reference ${expected.get(k) ?? '-'}`);
    expect(differences.slice(0, 20)).toEqual([]);
    expect(expected.size).toBeGreaterThan(1_000);
    const reasonsSeen = new Set([...expected.values()].flatMap((value) => /\[(.*)\]/.exec(value)![1]!.split(' ').filter(Boolean)));
    expect([...PROGRAM_REASONS].filter((reason) => !reasonsSeen.has(reason))).toEqual([]);
  });
});
