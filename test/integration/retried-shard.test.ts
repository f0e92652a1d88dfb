import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunSummary } from '../../domain/run/run-summary.ts';
import { runDailyLocally } from '../../local/runtime/daily-run.ts';
import { definitionFile } from '../../local/runtime/state-machine.ts';
import { generateSmallFeeds, LOAD_DATE, publishedDay, type PublishedDay } from './published-day.ts';

/**
 * Issue 4: a shard Lambda that fails once with an error the Map's Retry lists is retried by the state
 * machine (locally, aws-local-stepfunctions waits the ASL's IntervalSeconds, 2 s), the execution succeeds,
 * and the published day equals a clean run's, row for row.
 */
let root: string;
let data: string;
let clean: { summary: RunSummary; day: PublishedDay; shardInvocations: number[] };

/** The shard numbers of every EvaluateShard invocation, retries included, in order. */
function shardRecorder(): { shards: number[]; onInvoke: (invocation: { state: string; input: unknown }) => void } {
  const shards: number[] = [];
  return { shards, onInvoke: ({ state, input }) => state === 'EvaluateShard' && shards.push((input as { shard: number }).shard) };
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'outbound-retried-shard-'));
  data = join(root, 'data');
  await generateSmallFeeds(data);
  const home = join(root, 'clean');
  const recorder = shardRecorder();
  const summary = await runDailyLocally({ data, date: LOAD_DATE, home, steps: 'all', onInvoke: recorder.onInvoke });
  clean = { summary, day: await publishedDay(home, LOAD_DATE), shardInvocations: recorder.shards };
}, 120_000);

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('a shard retried through the Map', () => {
  it('is one the ASL retries on Lambda.ServiceException and Lambda.TooManyRequestsException', async () => {
    const asl = JSON.parse(await readFile(definitionFile, 'utf8')) as {
      States: { EvaluateShards: { ItemProcessor: { States: { EvaluateShard: { Retry: { ErrorEquals: string[]; IntervalSeconds: number }[] } } } } };
    };

    const retry = asl.States.EvaluateShards.ItemProcessor.States.EvaluateShard.Retry[0]!;

    expect(retry.ErrorEquals).toEqual(expect.arrayContaining(['Lambda.ServiceException', 'Lambda.TooManyRequestsException']));
    expect(retry.IntervalSeconds).toBeLessThanOrEqual(2);
  });

  it('succeeds after one failure, invoking the shard twice, and publishes the rows of a clean run', async () => {
    // Prepare: the first invocation writes its decision objects, then fails (as a Lambda timing out after its work).
    const home = join(root, 'retried');
    const recorder = shardRecorder();
    // Act
    const summary = await runDailyLocally({
      data,
      date: LOAD_DATE,
      home,
      steps: 'all',
      faults: [{ state: 'EvaluateShard', where: { shard: 0 }, times: 1, phase: 'after', error: 'Lambda.ServiceException' }],
      onInvoke: recorder.onInvoke,
    });
    const day = await publishedDay(home, LOAD_DATE);
    // Assess
    expect(clean.shardInvocations.filter((shard) => shard === 0)).toEqual([0]);
    expect(recorder.shards.filter((shard) => shard === 0)).toEqual([0, 0]);
    expect(recorder.shards.length).toBe(clean.shardInvocations.length + 1);
    expect(summary.runId).toBe(clean.summary.runId);
    expect(day.publication?.run_id).toBe(clean.summary.runId);
    expect(day.rows.rpt_outbound_lists.length).toBeGreaterThan(100);
    expect(day.rows.rpt_outbound_list_contacts.length).toBeGreaterThan(0);
    expect(day.rows.rpt_outbound_lists_suppression.length).toBeGreaterThan(0);
    expect(day.rows).toEqual(clean.day.rows);
  }, 120_000);
});
