import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { envNames } from '../../../config/environment.ts';
import { handler } from '../../../lambdas/report/handler.ts';
import { captureMetrics } from '../../support/emf.ts';

/** Report against a mocked S3: the run summary object, and the run's metrics (docs/observability.md). */

const s3 = mockClient(S3Client);
const STARTED = '2026-11-20T11:00:00.000Z';

const list = (list_name: string, assigned: number, suppressions: Record<string, number>) => ({
  set_name: 'COLLECTIONS',
  list_name,
  assigned,
  suppressed: Object.values(suppressions).reduce((sum, n) => sum + n, 0),
  contacts: assigned * 2,
  suppressions,
  contactDrops: { BAD_NUMBER: 1 },
});

/** The state Report receives at the end of a daily run (steps `all`). */
const state = (steps: 'all' | 'consent' = 'all') => ({
  run: {
    runId: '2026-11-20-0123456789ab',
    attempt: 'exec-1',
    loadDate: '2026-11-20',
    steps,
    fullLoad: false,
    consentFiles: 2,
    configSnapshot: null,
    executionStartTime: STARTED,
  },
  consentTransform: {
    asOfDate: '2026-11-20',
    carriedFromDate: '2026-11-19',
    rebuildReason: null,
    filesRead: 2,
    previousAsOfDate: '2026-11-19',
    loadSkipped: null,
    rows: { bronze: 10, gold: 9, rejects: 1, changes: { new: 1, changed: 2, gone: 0 } },
    rejectsByReason: { INVALID_PHONE: 1 },
  },
  consentLoad: { written: 3, deleted: 0, files: 1, skipped: null },
  ...(steps === 'all'
    ? {
        facts: {
          customers: 500,
          shards: 1,
          counts: { contacts: { kept: 900, UNKNOWN_CUSTOMER: 4 }, dispositions: { attempts: 70, attributed_by_unknown_loan: 2 } },
          setAside: {
            loan_tape: 0,
            contacts: 4,
            dispositions: 2,
            suppressions: 0,
            custom_fields: 0,
            contact_rules: 0,
            payment_requests: 0,
            zip_suppressions: 0,
          },
        },
        finalize: {
          lists: [list('EARLY', 100, { BANKRUPTCY: 2, LIST_CAPACITY: 5 }), list('LATE', 50, { BANKRUPTCY: 1 }), list('NEW', 10, {})],
          // EARLY: mean 130, today 100 → 23 % (within 30 %); LATE: mean 80, today 50 → 37.5 % (anomaly); NEW: no history.
          listHistory: [
            { set_name: 'COLLECTIONS', list_name: 'EARLY', days: 7, assigned: 910 },
            { set_name: 'COLLECTIONS', list_name: 'LATE', days: 2, assigned: 160 },
          ],
        },
        exports: { files: [{ set_name: 'COLLECTIONS', list_name: 'EARLY', rows: 95 }] },
      }
    : {}),
});

beforeEach(() => {
  s3.reset();
  s3.on(PutObjectCommand).resolves({});
  process.env[envNames.lakeBucket] = 'lake';
  vi.useFakeTimers({ now: Date.parse('2026-11-20T11:20:00.000Z'), toFake: ['Date'] });
});

afterAll(() => {
  vi.useRealTimers();
  s3.restore();
});

describe('report', () => {
  it('publishes the run, per-list, per-reason and list volume metrics of a daily run', async () => {
    // Prepare
    const metrics = captureMetrics();
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    // Act
    const summary = await handler(state('all'));
    // Assess
    expect(summary.lists?.perList).toHaveLength(3);
    expect(s3.commandCalls(PutObjectCommand)).toHaveLength(1);
    const published = metrics().map(({ name, value, dimensions }) => ({ name, value, dimensions }));
    const service = { service: 'outbound' };
    expect(published.filter((metric) => metric.name !== 'StepDurationSeconds')).toEqual([
      { name: 'RunSucceeded', value: 1, dimensions: service },
      { name: 'RunDurationSeconds', value: 1200, dimensions: service },
      { name: 'ListVolumeAnomalies', value: 1, dimensions: service },
      ...[
        ['EARLY', 100, 7, 200],
        ['LATE', 50, 1, 100],
        ['NEW', 10, 0, 20],
      ].flatMap(([listName, assigned, suppressed, contacts]) => {
        const dimensions = { ...service, set: 'COLLECTIONS', list: listName };
        return [
          { name: 'ListAssigned', value: assigned, dimensions },
          { name: 'ListSuppressed', value: suppressed, dimensions },
          { name: 'ListContacts', value: contacts, dimensions },
        ];
      }),
      { name: 'Suppressions', value: 3, dimensions: { ...service, reason: 'BANKRUPTCY' } },
      { name: 'Suppressions', value: 5, dimensions: { ...service, reason: 'LIST_CAPACITY' } },
      { name: 'FeedRowsSetAside', value: 0, dimensions: { ...service, feed: 'contact_rules' } },
      { name: 'FeedRowsSetAside', value: 4, dimensions: { ...service, feed: 'contacts' } },
      { name: 'FeedRowsSetAside', value: 0, dimensions: { ...service, feed: 'custom_fields' } },
      { name: 'FeedRowsSetAside', value: 2, dimensions: { ...service, feed: 'dispositions' } },
      { name: 'FeedRowsSetAside', value: 0, dimensions: { ...service, feed: 'loan_tape' } },
      { name: 'FeedRowsSetAside', value: 0, dimensions: { ...service, feed: 'payment_requests' } },
      { name: 'FeedRowsSetAside', value: 0, dimensions: { ...service, feed: 'suppressions' } },
      { name: 'FeedRowsSetAside', value: 0, dimensions: { ...service, feed: 'zip_suppressions' } },
    ]);
    expect(summary.lists?.feeds).toEqual({
      loan_tape: { setAside: 0, counts: {} },
      contacts: { setAside: 4, counts: { kept: 900, UNKNOWN_CUSTOMER: 4 } },
      dispositions: { setAside: 2, counts: { attempts: 70, attributed_by_unknown_loan: 2 } },
      suppressions: { setAside: 0, counts: {} },
      custom_fields: { setAside: 0, counts: {} },
      contact_rules: { setAside: 0, counts: {} },
      payment_requests: { setAside: 0, counts: {} },
      zip_suppressions: { setAside: 0, counts: {} },
    });
    expect(published.filter((metric) => metric.name === 'StepDurationSeconds').map((metric) => metric.dimensions)).toEqual([{ ...service, step: 'report' }]);
    const warnings = stderr.mock.calls.map(([chunk]) => JSON.parse(String(chunk)) as Record<string, unknown>);
    expect(warnings).toMatchObject([
      { level: 'WARN', message: 'list volume anomaly', list_name: 'LATE', assigned: 50, trailingMean: 80, deviationPercent: 37.5 },
    ]);
    stderr.mockRestore();
  });

  it('uses the configured deviation percentage', async () => {
    // Prepare: 40 % lets LATE's 37.5 % through.
    vi.stubEnv(envNames.listVolumeDeviationPercent, '40');
    const metrics = captureMetrics();
    // Act
    await handler(state('all'));
    vi.unstubAllEnvs();
    // Assess
    expect(metrics().find((metric) => metric.name === 'ListVolumeAnomalies')?.value).toBe(0);
  });

  it('lists the partner deliveries in the summary when DeliverExports ran, and none when it did not', async () => {
    // Prepare
    captureMetrics();
    const delivered = { partner: 'simm', file: 'COLLECTIONS/SIMM.csv', remotePath: '/inbound/SIMM.csv', bytes: 120, sha256: 'a'.repeat(64), via: 'sftp' };
    // Act
    const summary = await handler({ ...state('all'), deliveries: { delivered: [delivered], nothingToDeliver: null } });
    const without = await handler(state('all'));
    // Assess
    expect(summary.deliveries).toEqual([{ partner: 'simm', file: 'COLLECTIONS/SIMM.csv', bytes: 120, via: 'sftp' }]);
    expect(without.deliveries).toBeUndefined();
  });

  it('publishes no run metrics for a consent-only run', async () => {
    // Prepare
    const metrics = captureMetrics();
    // Act
    await handler(state('consent'));
    // Assess
    expect(metrics().map((metric) => metric.name)).toEqual(['StepDurationSeconds']);
  });
});
