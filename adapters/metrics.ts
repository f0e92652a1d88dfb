import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { envNames } from '../config/environment.ts';
import { metricNames, metricsNamespace, metricsService, type MetricDimension, type MetricName, type MetricJob, type MetricStep } from '../config/metrics.ts';
import { redactRowContents } from '../domain/privacy/error-redaction.ts';
import { createLogger } from './logger.ts';

export type MetricValues = Partial<Record<MetricName, number>>;
export type MetricDimensionValues = Partial<Record<MetricDimension, string>>;

/** The unit of each metric of the catalogue (config/metrics.ts); CloudWatch has no unit for days. */
const metricUnits: Record<MetricName, (typeof MetricUnit)[keyof typeof MetricUnit]> = {
  [metricNames.runSucceeded]: MetricUnit.Count,
  [metricNames.runDuration]: MetricUnit.Seconds,
  [metricNames.stepDuration]: MetricUnit.Seconds,
  [metricNames.customersEvaluated]: MetricUnit.Count,
  [metricNames.listAssigned]: MetricUnit.Count,
  [metricNames.listSuppressed]: MetricUnit.Count,
  [metricNames.listContacts]: MetricUnit.Count,
  [metricNames.suppressions]: MetricUnit.Count,
  [metricNames.listVolumeAnomalies]: MetricUnit.Count,
  [metricNames.consentRowsLoaded]: MetricUnit.Count,
  [metricNames.loanTapeAgeDays]: MetricUnit.NoUnit,
  [metricNames.runLate]: MetricUnit.Count,
  [metricNames.feedRowsSetAside]: MetricUnit.Count,
  [metricNames.qualityGateFailures]: MetricUnit.Count,
  [metricNames.genesysListMismatches]: MetricUnit.Count,
  [metricNames.genesysUnmappedWrapUps]: MetricUnit.Count,
};

const metrics = new Metrics({ namespace: metricsNamespace, serviceName: metricsService, logger: createLogger() });

/**
 * Emits one embedded-metric-format record now: `values` with `dimensions` (Powertools adds `service`).
 * Publishing at once, not at the end of the invocation, keeps a metric recorded before a failure (PrepareRun's
 * LoanTapeAgeDays) and keeps invocations running concurrently in one process (the local Map) from sharing
 * a record. Powertools serializes; the record goes to stdout (CloudWatch Logs turns it into metrics), or,
 * when OUTBOUND_METRICS_FILE is set (the local runtime), is appended to that file.
 */
export function publishMetrics(values: MetricValues, dimensions: MetricDimensionValues = {}): void {
  const entries = Object.entries(values) as [MetricName, number][];
  if (entries.length === 0) return;
  let record: string;
  try {
    for (const [name, value] of Object.entries(dimensions)) metrics.addDimension(name, value);
    for (const [name, value] of entries) metrics.addMetric(name, metricUnits[name], value);
    record = JSON.stringify(metrics.serializeMetrics());
  } finally {
    metrics.clearMetrics();
    metrics.clearDimensions();
  }
  const file = process.env[envNames.localMetricsFile];
  if (file) {
    mkdirSync(dirname(file), { recursive: true });
    appendFileSync(file, `${record}\n`);
  } else {
    process.stdout.write(`${record}\n`);
  }
}

/** The error as it leaves the step: its message without row contents (domain/privacy/error-redaction.ts), its class name kept. */
function withoutRowContents(error: unknown): unknown {
  if (!(error instanceof Error)) return error;
  const message = redactRowContents(error.message);
  if (message === error.message) return error;
  const redacted = new Error(message);
  redacted.name = error.name;
  return redacted;
}

/**
 * A daily-run step handler that publishes its duration (StepDurationSeconds, dimension `step`) when it returns
 * or throws, and whose errors leave it without row contents.
 */
export function measuredStep<Event, Result>(step: MetricStep | MetricJob, run: (event: Event) => Promise<Result>): (event: Event) => Promise<Result> {
  return async (event) => {
    const started = performance.now();
    try {
      return await run(event);
    } catch (error) {
      throw withoutRowContents(error);
    } finally {
      publishMetrics({ [metricNames.stepDuration]: (performance.now() - started) / 1000 }, { step });
    }
  };
}
