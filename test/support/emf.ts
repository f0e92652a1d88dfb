import { onTestFinished, vi } from 'vitest';
import { envNames } from '../../config/environment.ts';

/** One metric of an embedded-metric-format record, with the dimensions CloudWatch files it under. */
export interface PublishedMetric {
  namespace: string;
  name: string;
  unit: string;
  value: number;
  dimensions: Record<string, string>;
}

interface EmfRecord {
  _aws: { CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string; Unit: string }[] }[] };
  [key: string]: unknown;
}

/** The metrics of EMF records (JSON lines starting with `{"_aws"`) found in `text`; other lines are ignored. */
export function metricsIn(text: string): PublishedMetric[] {
  return text
    .split('\n')
    .filter((line) => line.startsWith('{"_aws"'))
    .flatMap((line) => {
      const record = JSON.parse(line) as EmfRecord;
      return record._aws.CloudWatchMetrics.flatMap(({ Namespace, Dimensions, Metrics }) =>
        Metrics.map(({ Name, Unit }) => ({
          namespace: Namespace,
          name: Name,
          unit: Unit,
          value: record[Name] as number,
          dimensions: Object.fromEntries(Dimensions.flat().map((dimension) => [dimension, record[dimension] as string])),
        })),
      );
    });
}

/**
 * For the rest of the current test, captures what the handlers publish to stdout (as in Lambda:
 * OUTBOUND_METRICS_FILE unset) and returns a reader of the metrics published so far.
 */
export function captureMetrics(): () => PublishedMetric[] {
  const file = process.env[envNames.localMetricsFile];
  delete process.env[envNames.localMetricsFile];
  const write = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  onTestFinished(() => {
    write.mockRestore();
    if (file !== undefined) process.env[envNames.localMetricsFile] = file;
  });
  return () => metricsIn(write.mock.calls.map(([chunk]) => String(chunk)).join(''));
}
