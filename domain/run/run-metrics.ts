import { metricDimensions, metricNames, type MetricDimension, type MetricName } from '../../config/metrics.ts';
import type { ListVolumeCheck } from './list-volume.ts';
import type { ListCounts } from './step-outputs.ts';

/** One embedded-metric-format record: metric values sharing one set of dimensions. */
export interface MetricRecord {
  values: Partial<Record<MetricName, number>>;
  dimensions: Partial<Record<MetricDimension, string>>;
}

/**
 * The metrics of a completed run, published by Report (docs/observability.md). Only a daily run (steps
 * `all`) counts as a run for RunSucceeded and RunDurationSeconds: a consent-only run is a partial job.
 */
export function reportMetrics(input: {
  steps: string;
  /** Seconds since the execution started; null when unknown. */
  durationSeconds: number | null;
  /** Absent for a consent-only run. */
  lists?: { counts: readonly ListCounts[]; volumes: readonly ListVolumeCheck[] };
  /** Rows of each §3.2 feed set aside by the customer-facts step. */
  feedsSetAside?: Readonly<Record<string, number>>;
}): MetricRecord[] {
  if (input.steps !== 'all') return [];
  const run: MetricRecord = {
    values: {
      [metricNames.runSucceeded]: 1,
      ...(input.durationSeconds === null ? {} : { [metricNames.runDuration]: input.durationSeconds }),
    },
    dimensions: {},
  };
  if (!input.lists) return [run];
  const { counts, volumes } = input.lists;
  run.values[metricNames.listVolumeAnomalies] = volumes.filter((check) => check.anomaly).length;

  const perList = counts.map((list) => ({
    values: { [metricNames.listAssigned]: list.assigned, [metricNames.listSuppressed]: list.suppressed, [metricNames.listContacts]: list.contacts },
    dimensions: { [metricDimensions.set]: list.set_name, [metricDimensions.list]: list.list_name },
  }));
  const byReason = new Map<string, number>();
  for (const list of counts) {
    for (const [reason, customers] of Object.entries(list.suppressions)) byReason.set(reason, (byReason.get(reason) ?? 0) + customers);
  }
  const perReason = [...byReason]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([reason, customers]) => ({
      values: { [metricNames.suppressions]: customers },
      dimensions: { [metricDimensions.reason]: reason },
    }));
  const perFeed = Object.entries(input.feedsSetAside ?? {})
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([feed, rows]) => ({
      values: { [metricNames.feedRowsSetAside]: rows },
      dimensions: { [metricDimensions.feed]: feed },
    }));
  return [run, ...perList, ...perReason, ...perFeed];
}
