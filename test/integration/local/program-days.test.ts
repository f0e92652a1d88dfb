import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { weekdayName } from '../../../domain/campaigns/dates.ts';
import { parseCsv } from '../../../domain/exports/csv.ts';
import { copyExports } from '../../../local/commands/exports.ts';
import { runProgramDays, type ProgramDays } from '../../../local/program-days.ts';
import { startLocalRuntime } from '../../../local/runtime.ts';

/**
 * Issue 14's "must show" as a test: nine generated days (Sunday 2026-11-29 … Monday 2026-12-07), nine consecutive runs
 * of config/programs/collections-current.yaml. Every list and every reason code of §5.1 occurs; the weekday rules,
 * the held list and the servicer's layouts hold in what was published and exported.
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
    const kept = (date: string) => result.lists.filter((row) => row.set_name === 'Call List' && ['DPD3-14', 'DPD15-29'].includes(row.list_name) && row.load_date === date);
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
      expect(letters[0]).toEqual(['PAYOFFUID', 'LOANID', 'FIRSTNAME', 'LASTNAME', 'STREETADDRESS1', 'STREETADDRESS2', 'CITY', 'STATE', 'ZIPCODE', 'CHARGEOFFDATE', 'LETTERDATE']);
      expect(letters.length).toBeGreaterThan(1);
      expect(manifest.files.find((entry) => entry.file === 'SIMM/DPD3-119.csv')?.delivery).toBe('simm');
      expect(manifest.files.find((entry) => entry.file === 'GR Email/GR Email.csv')?.delivery).toBe('email_provider');
    } finally {
      await runtime.stop();
    }
  });
});
