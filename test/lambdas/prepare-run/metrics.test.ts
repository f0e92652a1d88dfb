import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { mockClient } from 'aws-sdk-client-mock';
import { ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { envNames } from '../../../config/environment.ts';
import { handler } from '../../../lambdas/prepare-run/handler.ts';
import { InputsNotReadyError } from '../../../lambdas/prepare-run/prepare.ts';
import { captureMetrics } from '../../support/emf.ts';

/**
 * PrepareRun's metrics: LoanTapeAgeDays (the stale-loan-tape alarm's input) is published even when the
 * step then refuses the stale inputs; the execution's start time is carried for Report's run duration.
 * The landing zone is a directory (OUTBOUND_DATA, of small complete gzip files); the lake a mocked S3.
 */
const DATE = '2026-11-20';
const s3 = mockClient(S3Client);
let root: string;
let data: string;

const feeds = (loanTapeAsOf: string) => [
  'consent/MAINTENANCE/SN_SVC_DMBDL_DataManager-20261120053000000-NON-FIN-BDL_EXPORT_002.csv.gz',
  'consent/ENROLLMENT/IC_A2RGMRHG_DMENRL_DataManager-20261119053000000-ENRLMT-EXPORT_001.csv.gz',
  `loan_tape/asof=${loanTapeAsOf}/loan_tape_${loanTapeAsOf.replaceAll('-', '')}.csv.gz`,
  // A tape dated after the load date (a later delivery, seen when re-running an old date) does not count.
  'loan_tape/asof=2026-11-23/loan_tape_20261123.csv.gz',
  'contacts/asof=2026-11-20/contacts_20261120.csv.gz',
  'custom_fields/asof=2026-11-20/custom_fields_20261120.jsonl.gz',
  'dispositions/date=2026-11-19/dispositions_20261119.csv.gz',
  'suppressions/suppressions_20261118.csv.gz',
  'contact_rules/asof=2026-11-20/contact_rules_20261120.csv.gz',
  'payment_requests/date=2026-11-20/payment_requests_20261120.csv.gz',
  'reference/zip_suppressions.csv.gz',
];

async function land(keys: readonly string[]): Promise<void> {
  for (const key of keys) {
    await mkdir(dirname(join(data, key)), { recursive: true });
    await writeFile(join(data, key), gzipSync(`header of ${key}\n`));
  }
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'outbound-prepare-metrics-'));
  process.env[envNames.lakeBucket] = 'lake';
});

beforeEach(async () => {
  data = await mkdtemp(join(root, 'data-'));
  process.env[envNames.localData] = data;
  s3.reset();
  s3.on(PutObjectCommand).resolves({});
  // No input verified yet (the verification's memory of verified files, docs/feeds.md).
  s3.on(ListObjectsV2Command).resolves({});
});

afterAll(async () => {
  delete process.env[envNames.localData];
  s3.restore();
  await rm(root, { recursive: true, force: true });
});

describe('PrepareRun metrics', () => {
  it('publishes the loan tape age before refusing a stale tape', async () => {
    // Prepare
    await land(feeds('2026-11-18'));
    const metrics = captureMetrics();
    // Act
    const run = handler({ executionName: 'stale-1', executionStartTime: '2026-11-20T11:00:00.000Z', input: { date: DATE } });
    // Assess
    await expect(run).rejects.toBeInstanceOf(InputsNotReadyError);
    expect(metrics().map(({ name, value, dimensions }) => ({ name, value, dimensions }))).toEqual([
      { name: 'LoanTapeAgeDays', value: 2, dimensions: { service: 'outbound' } },
      { name: 'StepDurationSeconds', value: expect.any(Number), dimensions: { service: 'outbound', step: 'prepare-run' } },
    ]);
  });

  it('publishes age 0 for a fresh tape and carries the execution start time', async () => {
    // Prepare
    await land(feeds(DATE));
    const metrics = captureMetrics();
    // Act
    const run = await handler({ executionName: 'fresh-1', executionStartTime: '2026-11-20T11:00:00.000Z', input: { date: DATE } });
    // Assess
    expect(run.executionStartTime).toBe('2026-11-20T11:00:00.000Z');
    expect(metrics().find((metric) => metric.name === 'LoanTapeAgeDays')?.value).toBe(0);
    await expect(handler({ executionName: 'bad-1', executionStartTime: 'yesterday', input: { date: DATE } })).rejects.toThrow(/executionStartTime/);
  });
});
