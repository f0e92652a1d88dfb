import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { registerGenerate } from '../../../local/cli/commands/generate.ts';
import { phoneRecord, readFeeds } from '../generate/feed-reader.ts';

let out: string;

async function run(...args: string[]): Promise<string> {
  const program = new Command('outbound').exitOverride().configureOutput({ writeErr: () => undefined });
  registerGenerate(program);
  const lines: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((line: string) => void lines.push(line));
  try {
    await program.parseAsync(args, { from: 'user' });
  } finally {
    log.mockRestore();
  }
  return lines.join('\n');
}

afterEach(async () => {
  await rm(out, { recursive: true, force: true });
});

describe('outbound generate', () => {
  it('writes the feeds and prints a summary of files, rows, bytes and speed', async () => {
    out = await mkdtemp(path.join(tmpdir(), 'outbound-cli-'));

    const printed = await run('generate', '--out', out, '--date', '2026-11-20', '--customers', '100', '--days', '2', '--seed', '5', '--history-days', '30');

    const exports = (await readdir(path.join(out, 'consent/MAINTENANCE'))).sort();
    expect(exports.map((name) => name.replace(/-\d{17}-/, '-<TS>-'))).toEqual([
      'SN_SVC_DMBDL_DataManager-<TS>-NON-FIN-BDL_EXPORT_001.csv.gz',
      'SN_SVC_DMBDL_DataManager-<TS>-SUPPLFWD-BDL_EXPORT_001.csv.gz',
      'SN_SVC_DMBDL_DataManager-<TS>-NON-FIN-BDL_EXPORT_002.csv.gz',
      'SN_SVC_DMBDL_DataManager-<TS>-SUPPLFWD-BDL_EXPORT_002.csv.gz',
    ]);
    expect(exports.map((name) => /-(\d{8})\d{9}-/.exec(name)![1])).toEqual(['20261119', '20261119', '20261120', '20261120']);
    expect(printed).toContain('generated 2026-11-19..2026-11-20 for 100 accounts (seed 5, daily cadence)');
    expect(printed).toMatch(/NON-FIN-BDL +2 files +\d+ rows/);
    expect(printed).toMatch(/total +6 files +\d+ rows .* MB \(\d+ malformed rows\) in [\d.]+ s, [\d.]+ MB\/s compressed/);
    expect(printed).toMatch(/loan_tape +2 files +200 rows +[\d.]+ MB +2 days/);
    expect(printed).toMatch(/dispositions +30 files +\d+ rows +[\d.]+ MB +30 days/);
    expect(printed).toMatch(/custom_fields +2 files/);
    expect((await readdir(out)).sort()).toEqual([
      'consent',
      'contact_rules',
      'contacts',
      'custom_fields',
      'dispositions',
      'loan_tape',
      'payment_requests',
      'reference',
      'suppressions',
    ]);
  });

  it('writes the consent feeds only with --feeds consent', async () => {
    out = await mkdtemp(path.join(tmpdir(), 'outbound-cli-'));

    const printed = await run('generate', '--out', out, '--date', '2026-11-20', '--customers', '50', '--days', '1', '--feeds', 'consent');

    expect(await readdir(out)).toEqual(['consent']);
    expect(printed).not.toContain('loan_tape');
  });

  it('writes a consent history with --consent-cadence history: monthly snapshots, weekly SUPPLFWD and ENRLMT over --days', async () => {
    out = await mkdtemp(path.join(tmpdir(), 'outbound-cli-'));

    const printed = await run(
      'generate',
      '--out',
      out,
      '--date',
      '2026-11-20',
      '--customers',
      '50',
      '--days',
      '365',
      '--consent-cadence',
      'history',
      '--feeds',
      'consent',
    );

    expect(printed).toContain('generated 2025-11-21..2026-11-20 for 50 accounts (seed 42, history cadence)');
    expect(printed).toMatch(/NON-FIN-BDL +12 files/);
    expect(printed).toMatch(/SUPPLFWD +53 files/);
    expect(printed).toMatch(/ENRLMT +53 files/);
  });

  it('prints counts only, never an SSN or a name', async () => {
    out = await mkdtemp(path.join(tmpdir(), 'outbound-cli-'));

    const printed = await run('generate', '--out', out, '--date', '2026-11-20', '--customers', '50', '--days', '1', '--feeds', 'consent');

    const consumers = (await readFeeds(out)).flatMap((file) => file.rows.map((row) => phoneRecord(file.feed, row)));
    expect(consumers.length).toBeGreaterThan(50);
    for (const { ssn, firstName, lastName } of consumers) {
      for (const pii of [ssn, firstName, lastName]) expect(printed).not.toContain(pii);
    }
  });

  it('refuses a history of all feeds, and an unknown cadence, before writing anything', async () => {
    out = await mkdtemp(path.join(tmpdir(), 'outbound-cli-'));

    await expect(run('generate', '--out', out, '--date', '2026-11-20', '--consent-cadence', 'history')).rejects.toThrow(/add --feeds consent/);
    await expect(run('generate', '--out', out, '--date', '2026-11-20', '--consent-cadence', 'weekly')).rejects.toThrow(
      /--consent-cadence must be daily or history/,
    );
    expect(await readdir(out)).toEqual([]);
  });

  it('refuses a malformed number option before writing anything', async () => {
    out = await mkdtemp(path.join(tmpdir(), 'outbound-cli-'));

    await expect(run('generate', '--out', out, '--date', '2026-11-20', '--customers', 'ten')).rejects.toThrow(/--customers must be a non-negative integer/);
    expect(await readdir(out)).toEqual([]);
  });
});
