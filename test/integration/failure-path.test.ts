import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunSummary } from '../../domain/run/run-summary.ts';
import { copyExports } from '../../local/cli/commands/exports.ts';
import { DailyRunFailedError, runDailyLocally } from '../../local/runtime/daily-run.ts';
import { startLocalRuntime } from '../../local/runtime/runtime.ts';
import { INJECTED_FAULT, type Fault } from '../../local/runtime/state-machine.ts';
import { generateSmallFeeds, LOAD_DATE, PREVIOUS_DATE, publishedDay, type PublishedDay } from './published-day.ts';

/**
 * Issue 5 item 7, locally: a failure injected into one step fails the execution, writes the notification
 * to the local sink and publishes no partial list; the next run without the fault publishes the full day.
 * The steps run in order on one home, as the days of an operator would: the home has PREVIOUS_DATE
 * published, so the §7 views exist, and LOAD_DATE is published only once a run gets through Finalize.
 */
let root: string;
let data: string;
let home: string;
let clean: { summary: RunSummary; day: PublishedDay };

interface FailedRun {
  error: DailyRunFailedError;
  /** `<home>/notifications/<executionName>.json`, the local SNS sink. */
  notification: { executionName: string; message: { Subject: string; Message: string } };
  steps: string[];
  invocations: { state: string; input: unknown }[];
}

async function failingRun(faults: Fault[]): Promise<FailedRun> {
  const steps: string[] = [];
  const invocations: FailedRun['invocations'] = [];
  const run = runDailyLocally({
    data,
    date: LOAD_DATE,
    home,
    steps: 'all',
    faults,
    onStep: (timing) => timing.status === 'running' && steps.push(timing.state),
    onInvoke: (invocation) => invocations.push(invocation),
  });
  const error = await run.then(
    () => expect.fail('the run succeeded despite the injected fault'),
    (failure: unknown) => failure,
  );
  expect(error).toBeInstanceOf(DailyRunFailedError);
  const { executionName } = (error as DailyRunFailedError).notification as { executionName: string };
  const notification = JSON.parse(await readFile(join(home, 'notifications', `${executionName}.json`), 'utf8')) as FailedRun['notification'];
  return { error: error as DailyRunFailedError, notification, steps, invocations };
}

/** The error the notification carries: the ASL's Catch output `{Error, Cause}` as the SNS message. */
const notifiedError = (run: FailedRun) => JSON.parse(run.notification.message.Message) as { Error: string; Cause: string };

async function exportedAttempt(): Promise<string> {
  const runtime = await startLocalRuntime({ home });
  try {
    return (await copyExports(LOAD_DATE, join(root, 'exports-copy'))).attempt;
  } finally {
    await runtime.stop();
  }
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'outbound-failure-path-'));
  data = join(root, 'data');
  home = join(root, 'home');
  await generateSmallFeeds(data);
  const cleanHome = join(root, 'clean');
  clean = { summary: await runDailyLocally({ data, date: LOAD_DATE, home: cleanHome, steps: 'all' }), day: await publishedDay(cleanHome, LOAD_DATE) };
  await runDailyLocally({ data, date: PREVIOUS_DATE, home, steps: 'all' });
}, 120_000);

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('a failure injected into one step of a local run', () => {
  let previousDay: PublishedDay;
  beforeAll(async () => {
    previousDay = await publishedDay(home, PREVIOUS_DATE);
  });

  it('a shard failing on every attempt: retried twice, then the run fails, notifies and publishes nothing', async () => {
    // Act
    const run = await failingRun([{ state: 'EvaluateShard', where: { shard: 0 } }]);
    const day = await publishedDay(home, LOAD_DATE);
    // Assess
    expect(run.invocations.filter((invocation) => invocation.state === 'EvaluateShard' && (invocation.input as { shard: number }).shard === 0)).toHaveLength(3);
    expect(run.steps).toEqual(expect.arrayContaining(['EvaluateShards', 'NotifyFailure', 'RunFailed']));
    expect(run.steps).not.toContain('Finalize');
    expect(run.notification.message.Subject).toBe('outbound daily run failed');
    expect(notifiedError(run)).toEqual({ Error: INJECTED_FAULT, Cause: expect.stringContaining('EvaluateShard failed') });
    expect(run.error.message).toContain('EvaluateShard failed');
    expect(day).toEqual({ publication: null, rows: { rpt_outbound_lists: [], rpt_outbound_list_contacts: [], rpt_outbound_lists_suppression: [] } });
    expect(await publishedDay(home, PREVIOUS_DATE)).toEqual(previousDay);
  }, 60_000);

  it('Finalize failing: the run fails, notifies and publishes nothing', async () => {
    // Act
    const run = await failingRun([{ state: 'Finalize' }]);
    const day = await publishedDay(home, LOAD_DATE);
    // Assess
    expect(run.steps.slice(-3)).toEqual(['Finalize', 'NotifyFailure', 'RunFailed']);
    expect(notifiedError(run)).toEqual({ Error: INJECTED_FAULT, Cause: expect.stringContaining('Finalize failed') });
    expect(day).toEqual({ publication: null, rows: { rpt_outbound_lists: [], rpt_outbound_list_contacts: [], rpt_outbound_lists_suppression: [] } });
    expect(await publishedDay(home, PREVIOUS_DATE)).toEqual(previousDay);
  }, 60_000);

  it('the next run without the fault publishes the full day, equal to a clean run, and its exports', async () => {
    // Act
    const summary = await runDailyLocally({ data, date: LOAD_DATE, home, steps: 'all' });
    const day = await publishedDay(home, LOAD_DATE);
    // Assess
    expect(summary.runId).toBe(clean.summary.runId);
    expect(day.publication?.run_id).toBe(clean.summary.runId);
    expect(day.rows.rpt_outbound_lists.length).toBeGreaterThan(100);
    expect(day.rows).toEqual(clean.day.rows);
    expect(await exportedAttempt()).toBe(day.publication?.attempt);
  }, 60_000);

  it('a re-run of a published date whose Finalize fails leaves the published day as it was', async () => {
    // Prepare
    const before = await publishedDay(home, LOAD_DATE);
    // Act
    const run = await failingRun([{ state: 'Finalize' }]);
    // Assess
    expect(notifiedError(run).Error).toBe(INJECTED_FAULT);
    expect(await publishedDay(home, LOAD_DATE)).toEqual(before);
  }, 60_000);

  it('ExportLists failing after the publication: the run fails and notifies; the day stays complete, the exports are the earlier run’s', async () => {
    // Prepare
    const before = await publishedDay(home, LOAD_DATE);
    // Act
    const run = await failingRun([{ state: 'ExportLists' }]);
    const day = await publishedDay(home, LOAD_DATE);
    // Assess
    expect(run.steps.slice(-5)).toEqual(['Finalize', 'LoadDialGate', 'ExportLists', 'NotifyFailure', 'RunFailed']);
    expect(notifiedError(run)).toEqual({ Error: INJECTED_FAULT, Cause: expect.stringContaining('ExportLists failed') });
    expect(day.publication?.attempt).not.toBe(before.publication?.attempt);
    expect(day.rows).toEqual(clean.day.rows);
    // The exports were not rewritten: their manifest still names the attempt that wrote them (a re-run replaces them).
    expect(await exportedAttempt()).toBe(before.publication?.attempt);
  }, 60_000);
});
