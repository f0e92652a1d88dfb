import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { Command } from 'commander';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { dynamoDocumentClient } from '../../adapters/aws-clients.ts';
import { DuckDbEngine } from '../../adapters/duckdb-engine.ts';
import { resources } from '../../config/resources.ts';
import { consentExportsUpTo } from '../../domain/consent/consent-feeds.ts';
import { registerRun } from '../../local/cli/commands/run.ts';
import { DailyRunFailedError, runDailyLocally } from '../../local/runtime/daily-run.ts';
import { startLocalRuntime } from '../../local/runtime/runtime.ts';
import { listRawKeys } from '../../adapters/raw-store.ts';
import { generateSmallFeeds, LOAD_DATE, PREVIOUS_DATE, publishedDay } from './published-day.ts';

/**
 * Issue 11 item 6 (and the gzip part of item 11), as a user sees it: a feed file cut short fails
 * `outbound run` with exit code 1 and a message naming the feed and the file, before any step writes;
 * DynamoDB, the consent tables and the published lists stay as they were. Before, a truncated gzip was read
 * up to the break: a NON-FIN-BDL snapshot cut at 97% hard-deleted the phones of its last 3% (exit 0), and a
 * dispositions day cut short lost its attempts from the caps.
 */
let root: string;
let source: string;

/** A copy of the generated landing zone and a home, for one scenario. */
async function scenario(name: string): Promise<{ data: string; home: string }> {
  const data = join(root, name, 'data');
  await cp(source, data, { recursive: true });
  return { data, home: join(root, name, 'home') };
}

/** Keeps the first `fraction` of the file's bytes, as an interrupted transfer does. */
async function cutShort(path: string, fraction = 0.95): Promise<void> {
  const bytes = await readFile(path);
  await writeFile(path, bytes.subarray(0, Math.floor(bytes.length * fraction)));
}

/** `outbound run …` as the CLI runs it: its exit code and what it wrote to stderr. */
async function outboundRun(...args: string[]): Promise<{ exitCode: number; stderr: string }> {
  const program = new Command('outbound').exitOverride();
  registerRun(program);
  const errors: string[] = [];
  const error = vi.spyOn(console, 'error').mockImplementation((line: string) => void errors.push(line));
  const log = vi.spyOn(console, 'log').mockImplementation(() => {});
  const before = process.exitCode;
  try {
    await program.parseAsync(['run', ...args], { from: 'user' });
    return { exitCode: Number(process.exitCode ?? 0), stderr: errors.join('\n') };
  } finally {
    process.exitCode = before;
    error.mockRestore();
    log.mockRestore();
  }
}

/** What the API answers from: every item of the PhoneConsent table, and the consent gold partitions. */
async function consentState(home: string): Promise<{ items: string[]; goldDates: string[] }> {
  const runtime = await startLocalRuntime({ home });
  try {
    const items: string[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await dynamoDocumentClient().send(new ScanCommand({ TableName: resources.tables.phoneConsent.name, ExclusiveStartKey: start }));
      items.push(...(page.Items ?? []).map((item) => JSON.stringify(item, Object.keys(item).sort())));
      start = page.LastEvaluatedKey;
    } while (start);
    const engine = await DuckDbEngine.open({ home });
    try {
      return { items: items.sort(), goldDates: await engine.partitionValues('phone_consent', 'as_of_date') };
    } finally {
      await engine.close();
    }
  } finally {
    await runtime.stop();
  }
}

/** The SSNs, names and phones of a NON-FIN-BDL file (§3.1 columns 4–7). */
function personalValues(path: string): string[] {
  const rows = gunzipSync(readFileSync(path)).toString('utf8').trim().split('\n').slice(1);
  return [...new Set(rows.flatMap((row) => row.split('|').slice(3, 7)).filter((value) => value.length >= 4))];
}

async function exportKey(data: string, feed: string, date: string): Promise<string> {
  process.env.OUTBOUND_DATA = data;
  const { files } = consentExportsUpTo(await listRawKeys('consent/'), date);
  return files.find((file) => file.feed === feed && file.fileDate === date)!.key;
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'outbound-damaged-gzip-'));
  source = join(root, 'source');
  await generateSmallFeeds(source);
}, 60_000);

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('a feed file cut short', () => {
  it('a NON-FIN-BDL snapshot cut at 97%: `outbound run --steps consent` exits 1 naming it, DynamoDB and the consent tables unchanged', async () => {
    // Prepare: the day before loaded, then the day's snapshot cut short.
    const { data, home } = await scenario('nonfin');
    await runDailyLocally({ data, date: PREVIOUS_DATE, home, steps: 'consent' });
    const before = await consentState(home);
    const key = await exportKey(data, 'NON-FIN-BDL', LOAD_DATE);
    const pii = personalValues(join(data, key));
    // 97%: a loss small enough to pass the snapshot-size gate (±5%), as on a real day.
    await cutShort(join(data, key), 0.97);
    // Act
    const run = await outboundRun('--data', data, '--date', LOAD_DATE, '--home', home, '--steps', 'consent');
    // Assess
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain(
      `run failed: RawInputDamagedError: inputs for ${LOAD_DATE}: 1 file cannot be used (deliver it again): NON-FIN-BDL file ${key} is cut short`,
    );
    // No value of the file (SSNs, names, phones) in the message.
    expect(pii.length).toBeGreaterThan(100);
    expect(pii.filter((value) => run.stderr.includes(value))).toEqual([]);
    const after = await consentState(home);
    expect(before.items.length).toBeGreaterThan(100);
    expect(after).toEqual(before);
    expect(after.goldDates).toEqual([PREVIOUS_DATE]);
  }, 120_000);

  describe('a dispositions file of the history', () => {
    let data: string;
    let home: string;
    const dispositions = `dispositions/date=${PREVIOUS_DATE}/dispositions_${PREVIOUS_DATE.replaceAll('-', '')}.csv.gz`;
    let previousDay: Awaited<ReturnType<typeof publishedDay>>;

    beforeAll(async () => {
      ({ data, home } = await scenario('dispositions'));
      await runDailyLocally({ data, date: PREVIOUS_DATE, home, steps: 'all' });
      previousDay = await publishedDay(home, PREVIOUS_DATE);
    }, 120_000);

    it('cut at 95%: `outbound run` exits 1 naming the feed and the file, publishes nothing, the previous day intact', async () => {
      // Prepare
      const path = join(data, dispositions);
      const whole = await readFile(path);
      await cutShort(path);
      expect(previousDay.publication).not.toBeNull();
      // Act
      const run = await outboundRun('--data', data, '--date', LOAD_DATE, '--home', home);
      // Assess
      expect(run.exitCode).toBe(1);
      expect(run.stderr).toContain(
        `dispositions file ${dispositions} is cut short: its gzip stream ends before the end of the data and its CRC/length trailer`,
      );
      expect((await publishedDay(home, LOAD_DATE)).publication).toBeNull();
      expect(await publishedDay(home, PREVIOUS_DATE)).toEqual(previousDay);
      await writeFile(path, whole);
    }, 120_000);

    it('damaged while the run is under way (after PrepareRun): BuildCustomerFacts refuses it before building, nothing is published', async () => {
      // Prepare
      const path = join(data, dispositions);
      const whole = readFileSync(path);
      const steps: string[] = [];
      // Act: the file is delivered again, cut short, once the consent transform has started.
      const run = runDailyLocally({
        data,
        date: LOAD_DATE,
        home,
        steps: 'all',
        onStep: (timing) => {
          if (timing.status !== 'running') return;
          steps.push(timing.state);
          if (timing.state === 'ConsentTransform') writeFileSync(path, whole.subarray(0, Math.floor(whole.length * 0.95)));
        },
      });
      const failure = await run.then(
        () => expect.fail('the run succeeded on a damaged file'),
        (error: unknown) => error,
      );
      // Assess
      expect(failure).toBeInstanceOf(DailyRunFailedError);
      expect((failure as Error).message).toContain(
        `feeds for ${LOAD_DATE}: 1 file cannot be used (deliver it again): dispositions file ${dispositions} is cut short`,
      );
      expect(steps).toContain('BuildCustomerFacts');
      expect(steps).not.toContain('EvaluateShards');
      expect((await publishedDay(home, LOAD_DATE)).publication).toBeNull();
      expect(await publishedDay(home, PREVIOUS_DATE)).toEqual(previousDay);
    }, 120_000);
  });
});
