import type { Duration } from 'aws-cdk-lib';
import { Metric, SearchExpression } from 'aws-cdk-lib/aws-cloudwatch';
import { type metricDimensions, metricsNamespace, metricsService } from '../config/metrics.ts';

type DimensionName = (typeof metricDimensions)[keyof typeof metricDimensions];

/**
 * The application's own metrics (config/metrics.ts) as CloudWatch stores them: Powertools adds the
 * `service` dimension to every one, so a metric is only found with it.
 */
export function outboundMetric(metricName: string, statistic: string, period: Duration, label?: string): Metric {
  return new Metric({ namespace: metricsNamespace, metricName, dimensionsMap: { service: metricsService }, statistic, period, label });
}

/**
 * Every series of a metric whose further dimensions (`set`, `list`, `reason`, `step`) take values that come
 * from configuration or data: a SEARCH over that exact dimension set, so a new list appears without a deployment.
 */
export function outboundSearch(metricName: string, dimensions: DimensionName[], statistic: string, period: Duration): SearchExpression {
  const schema = [metricsNamespace, 'service', ...dimensions].join(',');
  return new SearchExpression({
    expression: `SEARCH('{${schema}} MetricName="${metricName}"', '${statistic}', ${period.toSeconds()})`,
    label: '',
  });
}
