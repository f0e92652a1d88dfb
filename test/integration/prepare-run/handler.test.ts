import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { mkdir, mkdtemp, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { RawInputDamagedError } from '../../../adapters/raw-verification.ts';
import { s3Client } from '../../../adapters/aws-clients.ts';
import { DEFAULT_CAMPAIGN_CONFIG, readCampaignConfigFile } from '../../../adapters/campaign-config-file.ts';
import { getLakeJson } from '../../../adapters/lake-store.ts';
import { envNames } from '../../../config/environment.ts';
import { runLayout } from '../../../domain/run/run-layout.ts';
import { handler } from '../../../lambdas/prepare-run/handler.ts';
import { ConfigurationInvalidError, InputsNotReadyError } from '../../../lambdas/prepare-run/prepare.ts';
import { startLocalRuntime, type LocalRuntime } from '../../../local/runtime/runtime.ts';

/**
 * PrepareRun against the local adapters: the landing zone is a directory (OUTBOUND_DATA, fresh per test;
 * file names matter, and that each file is a complete gzip stream), the lake an s3rver bucket, the
 * configuration a file (OUTBOUND_CAMPAIGN_CONFIG).
 */
const DATE = '2026-11-20';

/** Everything a run of DATE needs (docs/feeds.md): the consent feeds and the §3.2 feeds, fresh. */
const READY = {
  nonFin: 'consent/MAINTENANCE/SN_SVC_DMBDL_DataManager-20261120053000000-NON-FIN-BDL_EXPORT_002.csv.gz',
  enrollment: 'consent/ENROLLMENT/IC_A2RGMRHG_DMENRL_DataManager-20261119053000000-ENRLMT-EXPORT_001.csv.gz',
  loanTape: 'loan_tape/asof=2026-11-20/loan_tape_20261120.csv.gz',
  contacts: 'contacts/asof=2026-11-20/contacts_20261120.csv.gz',
  customFields: 'custom_fields/asof=2026-11-20/custom_fields_20261120.jsonl.gz',
  dispositions: 'dispositions/date=2026-11-19/dispositions_20261119.csv.gz',
  suppressions: 'suppressions/suppressions_20261118.csv.gz',
  contactRules: 'contact_rules/asof=2026-11-20/contact_rules_20261120.csv.gz',
  paymentRequests: 'payment_requests/date=2026-11-20/payment_requests_20261120.csv.gz',
  zipSuppressions: 'reference/zip_suppressions.csv.gz',
};
const CONSENT_ONLY = [READY.nonFin, READY.enrollment];
const ALL = Object.values(READY);

let root: string;
let runtime: LocalRuntime;
let data: string;

async function landFiles(keys: readonly string[], contents: (key: string) => Buffer = (key) => gzipSync(`header of ${key}\n`)): Promise<void> {
  for (const key of keys) {
    await mkdir(dirname(join(data, key)), { recursive: true });
    await writeFile(join(data, key), contents(key));
  }
}

/** A gzip file of `rows` data lines holding an SSN, as the consent exports do, cut to `fraction` of its bytes. */
function gzipCutAt(rows: number, fraction: number): Buffer {
  const lines = Array.from(
    { length: rows },
    (_, row) => `${row}|123-45-${String(6789 + row).padStart(4, '0')}|SMITH|(212) 555-${String(row % 10000).padStart(4, '0')}`,
  );
  const whole = gzipSync(`${['cnsmr_phn_id|ssn|last|phone', ...lines].join('\n')}\n`);
  return whole.subarray(0, Math.floor(whole.length * fraction));
}

/** A copy of the deployed configuration with `edit` applied, set as the run's configuration. */
async function useConfig(edit: (text: string) => string): Promise<string> {
  const path = join(root, `campaigns-${Math.random().toString(36).slice(2)}.yaml`);
  await writeFile(path, edit(await readFile(DEFAULT_CAMPAIGN_CONFIG, 'utf8')));
  process.env[envNames.campaignConfig] = path;
  return path;
}

const event = (attempt: string, input: Record<string, unknown> = { date: DATE }) => ({ executionName: attempt, input });

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'outbound-prepare-run-'));
  runtime = await startLocalRuntime({ home: join(root, 'home') });
});

afterAll(async () => {
  await runtime.stop();
  await rm(root, { recursive: true, force: true });
});

beforeEach(async () => {
  data = await mkdtemp(join(root, 'data-'));
  process.env[envNames.localData] = data;
});

afterEach(() => {
  delete process.env[envNames.campaignConfig];
  vi.useRealTimers();
});

describe('PrepareRun: inputs', () => {
  it('refuses to start without consent feeds, naming what is missing', async () => {
    // Prepare
    await landFiles(ALL.filter((key) => !key.startsWith('consent/')));
    // Act
    const run = handler(event('a1'));
    // Assess
    await expect(run).rejects.toBeInstanceOf(InputsNotReadyError);
    await expect(run).rejects.toThrow(`inputs for ${DATE} are not ready: no consent export dated on or before ${DATE} under consent/`);
  });

  it('refuses to start when the newest NON-FIN-BDL snapshot is older than the configured maximum age, naming its date', async () => {
    // Prepare
    const older = 'consent/MAINTENANCE/SN_SVC_DMBDL_DataManager-20261118053000000-NON-FIN-BDL_EXPORT_001.csv.gz';
    await landFiles([...ALL.filter((key) => key !== READY.nonFin), older]);
    // Act
    const run = handler(event('a1'));
    // Assess
    await expect(run).rejects.toThrow('the newest NON-FIN-BDL snapshot is dated 2026-11-18, 2 days before 2026-11-20 (at most 1 allowed');
  });

  it('accepts an older snapshot when the maximum age allows it (the monthly history)', async () => {
    // Prepare
    const older = 'consent/MAINTENANCE/SN_SVC_DMBDL_DataManager-20261101053000000-NON-FIN-BDL_EXPORT_001.csv.gz';
    await landFiles([...CONSENT_ONLY.filter((key) => key !== READY.nonFin), older]);
    process.env[envNames.maxSnapshotAgeDays] = '35';
    // Act
    const run = await handler(event('a1', { date: DATE, steps: 'consent' })).finally(() => delete process.env[envNames.maxSnapshotAgeDays]);
    // Assess
    expect(run).toMatchObject({ loadDate: DATE, consentFiles: 2 });
  });

  it('refuses a file under consent/ that is not a consent export, naming it', async () => {
    // Prepare
    await landFiles([...ALL, 'consent/MAINTENANCE/NON-FIN-BDL_20261120.csv.gz']);
    // Act
    const run = handler(event('a1'));
    // Assess
    await expect(run).rejects.toThrow('consent/MAINTENANCE/NON-FIN-BDL_20261120.csv.gz: not a consent export name');
  });

  it.each([
    [
      'a stale loan tape',
      READY.loanTape,
      'loan_tape/asof=2026-11-19/loan_tape_20261119.csv.gz',
      `loan_tape: nothing under loan_tape/asof=${DATE}/ (newest: 2026-11-19)`,
    ],
    ['no contacts', READY.contacts, null, `contacts: nothing under contacts/asof=${DATE}/ (newest: none)`],
    ['no custom fields', READY.customFields, null, `custom_fields: nothing under custom_fields/asof=${DATE}/ (newest: none)`],
    [
      'no dispositions of the day before',
      READY.dispositions,
      'dispositions/date=2026-11-18/dispositions_20261118.csv.gz',
      'dispositions: nothing under dispositions/date=2026-11-19/',
    ],
    [
      'only a suppression snapshot dated after the load date',
      READY.suppressions,
      'suppressions/suppressions_20261121.csv.gz',
      `suppressions: no suppressions_YYYYMMDD.csv.gz dated on or before ${DATE}`,
    ],
    [
      'no contact rules of the day',
      READY.contactRules,
      'contact_rules/asof=2026-11-19/contact_rules_20261119.csv.gz',
      `contact_rules: nothing under contact_rules/asof=${DATE}/ (newest: 2026-11-19)`,
    ],
    [
      'no payment requests of the day',
      READY.paymentRequests,
      'payment_requests/date=2026-11-19/payment_requests_20261119.csv.gz',
      `payment_requests: nothing under payment_requests/date=${DATE}/`,
    ],
    ['no ZIP suppression register', READY.zipSuppressions, null, 'zip_suppressions: no reference/zip_suppressions.csv.gz'],
  ])('refuses to start on %s, naming the feed and the date', async (_, missing, instead, problem) => {
    // Prepare
    await landFiles([...ALL.filter((key) => key !== missing), ...(instead ? [instead] : [])]);
    // Act
    const run = handler(event('a1'));
    // Assess
    await expect(run).rejects.toBeInstanceOf(InputsNotReadyError);
    await expect(run).rejects.toThrow(`inputs for ${DATE} are not ready: ${problem}`);
  });

  it('with steps=consent needs only the consent feeds and reads no configuration', async () => {
    // Prepare
    await landFiles(CONSENT_ONLY);
    process.env[envNames.campaignConfig] = join(root, 'no-such-campaigns.yaml');
    // Act
    const run = await handler(event('a1', { date: DATE, steps: 'consent' }));
    // Assess
    expect(run).toMatchObject({ loadDate: DATE, steps: 'consent', consentFiles: 2, configSnapshot: null });
  });
});

describe('PrepareRun: every input read to the end of its gzip stream (docs/feeds.md "Verified before use")', () => {
  const oldDispositions = 'dispositions/date=2026-09-21/dispositions_20260921.csv.gz';

  it('refuses a NON-FIN-BDL snapshot cut at 95%, naming the feed and the file, never its contents', async () => {
    // Prepare
    await landFiles(ALL);
    await landFiles([READY.nonFin], () => gzipCutAt(5000, 0.95));
    // Act
    const run = handler(event('a1'));
    // Assess
    await expect(run).rejects.toBeInstanceOf(RawInputDamagedError);
    await expect(run).rejects.toThrow(
      `inputs for ${DATE}: 1 file cannot be used (deliver it again): NON-FIN-BDL file ${READY.nonFin} is cut short: ` +
        'its gzip stream ends before the end of the data and its CRC/length trailer (zlib: unexpected end of file)',
    );
    await expect(run).rejects.not.toThrow(/123-45-|SMITH|555-/);
  });

  it('names every damaged file of the run at once: a dispositions day of the 90-day history, a CRC mismatch, a plain CSV', async () => {
    // Prepare
    const whole = gzipSync('payoffuid|account_number\n'.repeat(500));
    const flipped = Buffer.from(whole);
    flipped[flipped.length - 6]! ^= 0xff;
    await landFiles(ALL);
    await landFiles([oldDispositions], () => gzipCutAt(2000, 0.5));
    await landFiles([READY.contacts], () => flipped);
    await landFiles([READY.loanTape], () => Buffer.from('payoffuid|account_number\n'));
    // Act
    const run = handler(event('a1'));
    // Assess
    await expect(run).rejects.toThrow(`inputs for ${DATE}: 3 files cannot be used (deliver them again): `);
    await expect(run).rejects.toThrow(
      `contacts file ${READY.contacts} is damaged: the CRC-32 of its data does not match its gzip trailer (zlib: incorrect data check)`,
    );
    await expect(run).rejects.toThrow(`dispositions file ${oldDispositions} is cut short`);
    await expect(run).rejects.toThrow(
      `loan_tape file ${READY.loanTape} is not gzip data (or has bytes after its last gzip member) (zlib: incorrect header check)`,
    );
  });

  it.each([
    ['a zero-byte file', Buffer.alloc(0), 'is empty (0 bytes), not a gzip file'],
    ['a valid gzip file that holds nothing', gzipSync(''), 'is a gzip file that holds nothing (not even a header row)'],
  ])('refuses %s', async (_, contents, problem) => {
    // Prepare
    await landFiles(ALL);
    await landFiles([READY.customFields], () => contents);
    // Act
    const run = handler(event('a1'));
    // Assess
    await expect(run).rejects.toThrow(`custom_fields file ${READY.customFields} ${problem}`);
  });

  it('reads a file that is several gzip members end to end (as `cat a.gz b.gz` writes it)', async () => {
    // Prepare
    await landFiles(ALL);
    await landFiles([READY.suppressions], () => Buffer.concat([gzipSync('scope|set_name\n'), gzipSync('GLOBAL|\n')]));
    // Act
    const run = await handler(event('a1'));
    // Assess
    expect(run.loadDate).toBe(DATE);
  });

  it('leaves out hidden files, which no engine reads (a delivery being written)', async () => {
    // Prepare
    await landFiles(ALL);
    await landFiles(['dispositions/date=2026-11-19/.dispositions_20261119_002.csv.gz', 'loan_tape/asof=2026-11-20/_loan_tape_20261120.csv.gz'], () =>
      gzipCutAt(1000, 0.3),
    );
    // Act
    const run = await handler(event('a1'));
    // Assess
    expect(run).toMatchObject({ loadDate: DATE, steps: 'all' });
  });

  it('with steps=consent reads only the consent exports', async () => {
    // Prepare
    await landFiles(CONSENT_ONLY);
    await landFiles([READY.loanTape, READY.dispositions], () => gzipCutAt(1000, 0.3));
    // Act
    const run = await handler(event('a1', { date: DATE, steps: 'consent' }));
    // Assess
    expect(run).toMatchObject({ loadDate: DATE, steps: 'consent', consentFiles: 2 });
  });

  it('reads a version once: the next run does not read it again, a new delivery under the same name is read again', async () => {
    // Prepare: verified by a first run.
    await landFiles(ALL);
    await handler(event('a1'));
    const path = join(data, READY.nonFin);
    const { mtime } = await stat(path);
    // Act: the same bytes damaged in place, keeping the size and the modification time (the version), then delivered again.
    const bytes = await readFile(path);
    bytes[bytes.length - 6]! ^= 0xff;
    await writeFile(path, bytes);
    await utimes(path, mtime, mtime);
    const remembered = await handler(event('a2'));
    await utimes(path, mtime, new Date(mtime.getTime() + 60_000));
    const redelivered = handler(event('a3'));
    // Assess
    expect(remembered.loadDate).toBe(DATE);
    await expect(redelivered).rejects.toThrow(`NON-FIN-BDL file ${READY.nonFin} is damaged`);
  });
});

describe('PrepareRun: configuration', () => {
  it('refuses an invalid campaign configuration, listing every problem with its path', async () => {
    // Prepare
    await landFiles(ALL);
    const path = await useConfig((text) =>
      text.replace('  wrong_number_count: 2', '  wrong_number_count: -2').replace('    channel: call', '    channel: fax'),
    );
    // Act
    const run = handler(event('a1'));
    // Assess
    await expect(run).rejects.toBeInstanceOf(ConfigurationInvalidError);
    await expect(run).rejects.toThrow(`campaign configuration ${path} is invalid: `);
    await expect(run).rejects.toThrow('bad_number.wrong_number_count: expected a number > 0');
    await expect(run).rejects.toThrow('sets[0].channel: expected one of "call", "sms", "email"');
  });

  it('snapshots the validated configuration to the lake under the attempt', async () => {
    // Prepare
    await landFiles(ALL);
    const loaded = await readCampaignConfigFile();
    if (!loaded.ok) throw new Error('the deployed configuration is invalid');
    // Act
    const run = await handler(event('attempt-7'));
    // Assess
    expect(run.configSnapshot).toBe(runLayout.configSnapshot(DATE, 'attempt-7'));
    expect(await getLakeJson(runLayout.configSnapshot(DATE, 'attempt-7'))).toEqual(JSON.parse(JSON.stringify(loaded.config)));
    expect(run).toMatchObject({ attempt: 'attempt-7', loadDate: DATE, steps: 'all', fullLoad: false, consentFiles: 2 });
  });
});

describe('PrepareRun: run id', () => {
  it('is the load date and a hash of the inputs and configuration: equal for equal inputs, whatever the attempt', async () => {
    // Prepare
    await landFiles(ALL);
    // Act
    const first = await handler(event('a1'));
    const second = await handler(event('a2'));
    // Assess
    expect(first.runId).toMatch(/^2026-11-20-[0-9a-f]{12}$/);
    expect(second.runId).toBe(first.runId);
    expect(second.attempt).not.toBe(first.attempt);
  });

  it('changes with another input file of the run, not with a file the run does not read', async () => {
    // Prepare
    await landFiles(ALL);
    const before = await handler(event('a1'));
    // Act
    await landFiles(['loan_tape/asof=2026-11-19/loan_tape_20261119.csv.gz', 'suppressions/suppressions_20261121.csv.gz']);
    const unread = await handler(event('a2'));
    await landFiles(['dispositions/date=2026-11-18/dispositions_20261118.csv.gz']);
    const another = await handler(event('a3'));
    // Assess
    expect(unread.runId).toBe(before.runId);
    expect(another.runId).not.toBe(before.runId);
    expect(another.runId.startsWith(`${DATE}-`)).toBe(true);
  });

  it('changes when a file of the run is delivered again with other contents under the same name', async () => {
    // Prepare
    await landFiles(ALL);
    const before = await handler(event('a1'));
    // Act: the same name, other rows (a longer file).
    await landFiles([READY.dispositions], () => gzipSync('payoffuid|account_number\np-1|1000000000000001\n'));
    const redelivered = await handler(event('a2'));
    // Assess
    expect(redelivered.runId).not.toBe(before.runId);
  });

  it('changes with the configuration', async () => {
    // Prepare
    await landFiles(ALL);
    const before = await handler(event('a1'));
    await useConfig((text) => text.replace('version: "2026.11.1"', 'version: "2026.11.2"'));
    // Act
    const after = await handler(event('a2'));
    // Assess
    expect(after.runId).not.toBe(before.runId);
  });
});

describe('PrepareRun: load date', () => {
  it('refuses an explicit date that is not a calendar date', async () => {
    await expect(handler(event('a1', { date: '2026-02-30' }))).rejects.toThrow(/invalid run input: .*expected a calendar date YYYY-MM-DD/s);
    await expect(handler(event('a1', { date: '20261120' }))).rejects.toThrow(/input\.date/);
  });

  it("defaults to today's date in America/New_York, not UTC's", async () => {
    // Prepare: 03:30 UTC on the 21st is 22:30 on the 20th in New York.
    await landFiles(ALL);
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-11-21T03:30:00Z'));
    // The in-process s3rver checks signatures against the faked clock but answers with the real time in its Date
    // header (Node's own clock): the SDK must not correct its clock from that header between two requests.
    const config = s3Client().config as { systemClockOffset?: number };
    Object.defineProperty(config, 'systemClockOffset', { configurable: true, get: () => 0, set: () => {} });
    // Act
    const run = await handler(event('a1', {})).finally(() => {
      delete config.systemClockOffset;
      config.systemClockOffset = 0;
    });
    // Assess
    expect(run.loadDate).toBe(DATE);
    expect(run.runId.startsWith(`${DATE}-`)).toBe(true);
  });
});
