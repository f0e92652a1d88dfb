import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { envNames } from '../../../config/environment.ts';
import { metricNames, metricsNamespace, metricsService } from '../../../config/metrics.ts';
import { assessRunDeadline, deadlineLoadDate } from '../../../domain/run/run-deadline.ts';
import { handler } from '../../../lambdas/check-run-deadline/handler.ts';
import { captureMetrics } from '../../support/emf.ts';

const LAKE = 'lake-test';
const s3 = mockClient(S3Client);

/** The lake holds these keys; ListObjectsV2 answers like S3 (sorted, prefix, MaxKeys). */
function lakeWith(keys: string[]): void {
  s3.on(ListObjectsV2Command).callsFake((input: { Prefix?: string; MaxKeys?: number }) => {
    const matching = keys
      .filter((key) => key.startsWith(input.Prefix ?? ''))
      .sort()
      .slice(0, input.MaxKeys ?? 1000);
    return { KeyCount: matching.length, Contents: matching.length > 0 ? matching.map((Key) => ({ Key })) : undefined };
  });
}

let published: ReturnType<typeof captureMetrics>;
beforeEach(() => {
  process.env[envNames.lakeBucket] = LAKE;
  s3.reset();
  vi.useFakeTimers({ toFake: ['Date'] });
  published = captureMetrics();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('deadline date and verdict', () => {
  it("checks today's Eastern date, also after midnight UTC", () => {
    expect(deadlineLoadDate(new Date('2026-11-20T13:00:00Z'))).toBe('2026-11-20');
    expect(deadlineLoadDate(new Date('2026-11-21T03:30:00Z'))).toBe('2026-11-20');
  });

  it('checks a requested date instead, and refuses one that is not a calendar date', () => {
    expect(deadlineLoadDate(new Date('2026-11-20T13:00:00Z'), '2026-11-18')).toBe('2026-11-18');
    expect(() => deadlineLoadDate(new Date(), '2026-02-30')).toThrow(/date "2026-02-30" is not a calendar date/);
  });

  it('is late exactly when the day is not published', () => {
    expect(assessRunDeadline('2026-11-20', true)).toEqual({ loadDate: '2026-11-20', published: true, runLate: 0 });
    expect(assessRunDeadline('2026-11-20', false)).toEqual({ loadDate: '2026-11-20', published: false, runLate: 1 });
  });
});

describe('check-run-deadline handler', () => {
  it('finds the day published and emits RunLate 0 with the service dimension', async () => {
    // Prepare: 08:00 EST on 2026-11-20, the day published
    vi.setSystemTime(new Date('2026-11-20T13:00:00Z'));
    lakeWith(['published/load_date=2026-11-19.json', 'published/load_date=2026-11-20.json']);
    // Act
    const result = await handler({});
    // Assess
    expect(result).toEqual({ loadDate: '2026-11-20', published: true, runLate: 0 });
    expect(published()).toEqual([{ namespace: metricsNamespace, name: metricNames.runLate, unit: 'Count', value: 0, dimensions: { service: metricsService } }]);
    expect(s3.commandCalls(ListObjectsV2Command).map((call) => call.args[0].input)).toEqual([
      { Bucket: LAKE, Prefix: 'published/load_date=2026-11-20.json', MaxKeys: 1 },
    ]);
  });

  it("emits RunLate 1 when only yesterday is published, or a key that merely starts like today's", async () => {
    vi.setSystemTime(new Date('2026-11-20T13:00:00Z'));
    lakeWith(['published/load_date=2026-11-19.json', 'published/load_date=2026-11-20.json.tmp']);
    const result = await handler({});
    expect(result).toEqual({ loadDate: '2026-11-20', published: false, runLate: 1 });
    expect(published().map((metric) => [metric.name, metric.value])).toEqual([[metricNames.runLate, 1]]);
  });

  it('checks a requested date', async () => {
    vi.setSystemTime(new Date('2026-11-20T13:00:00Z'));
    lakeWith(['published/load_date=2026-11-18.json']);
    await expect(handler({ date: '2026-11-18' })).resolves.toMatchObject({ loadDate: '2026-11-18', runLate: 0 });
  });

  it('fails, emitting nothing, when the lake cannot be listed (its error alarm pages instead)', async () => {
    vi.setSystemTime(new Date('2026-11-20T13:00:00Z'));
    s3.on(ListObjectsV2Command).rejects(Object.assign(new Error('Access Denied'), { name: 'AccessDenied' }));
    await expect(handler({})).rejects.toThrow(/Access Denied/);
    expect(published()).toEqual([]);
  });

  it('refuses input that is not an object with an optional date', async () => {
    await expect(handler({ date: 20261120 })).rejects.toThrow(/invalid run deadline check input/);
  });
});
