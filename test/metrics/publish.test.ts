import { afterEach, describe, expect, it, vi } from 'vitest';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { measuredStep, publishMetrics } from '../../adapters/metrics.ts';
import { envNames } from '../../config/environment.ts';
import { captureMetrics, metricsIn } from '../support/emf.ts';

/** adapters/metrics.ts: EMF records to stdout (Lambda), or to OUTBOUND_METRICS_FILE (the local runtime). */

afterEach(() => {
  vi.restoreAllMocks();
});

describe('publishMetrics', () => {
  it('writes one EMF record to stdout with the catalogue namespace, the service dimension and the given dimensions', () => {
    // Prepare
    const metrics = captureMetrics();
    // Act
    publishMetrics({ ListAssigned: 12, ListSuppressed: 3 }, { set: 'COLLECTIONS', list: 'EARLY' });
    // Assess
    const dimensions = { service: 'outbound', set: 'COLLECTIONS', list: 'EARLY' };
    expect(metrics()).toEqual([
      { namespace: 'outbound', name: 'ListAssigned', unit: 'Count', value: 12, dimensions },
      { namespace: 'outbound', name: 'ListSuppressed', unit: 'Count', value: 3, dimensions },
    ]);
  });

  it('appends to OUTBOUND_METRICS_FILE instead of stdout when it is set', async () => {
    // Prepare
    const dir = await mkdtemp(join(tmpdir(), 'outbound-metrics-'));
    const file = join(dir, 'metrics', 'local-1.jsonl');
    vi.stubEnv(envNames.localMetricsFile, file);
    const stdout = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      // Act
      publishMetrics({ LoanTapeAgeDays: 2 });
      publishMetrics({ RunSucceeded: 1 });
      // Assess
      expect(stdout).not.toHaveBeenCalled();
      expect(metricsIn(await readFile(file, 'utf8')).map((metric) => [metric.name, metric.unit, metric.value])).toEqual([
        ['LoanTapeAgeDays', 'None', 2],
        ['RunSucceeded', 'Count', 1],
      ]);
    } finally {
      vi.unstubAllEnvs();
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('measuredStep', () => {
  it('publishes the step duration when the handler throws, and lets the error through', async () => {
    // Prepare
    const metrics = captureMetrics();
    const handler = measuredStep('finalize', (_event: unknown) => Promise.reject(new Error('finalize checks failed')));
    // Act
    const run = handler({});
    // Assess
    await expect(run).rejects.toThrow('finalize checks failed');
    expect(metrics()).toEqual([
      { namespace: 'outbound', name: 'StepDurationSeconds', unit: 'Seconds', value: expect.any(Number), dimensions: { service: 'outbound', step: 'finalize' } },
    ]);
  });
});
