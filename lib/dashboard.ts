import { Duration, Stack } from 'aws-cdk-lib';
import { AlarmStatusWidget, Dashboard, GraphWidget, type IAlarm, type IMetric, type IWidget } from 'aws-cdk-lib/aws-cloudwatch';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { metricDimensions as dims, metricNames } from '../config/metrics.ts';
import { outboundMetric, outboundSearch } from './custom-metrics.ts';
import type { FunctionName } from './functions.ts';

export interface OperationsDashboardProps {
  alarms: IAlarm[];
  api: HttpApi;
  functions: Record<FunctionName, IFunction>;
}

const day = Duration.days(1);
const fiveMinutes = Duration.minutes(5);

/**
 * One CloudWatch dashboard for the daily run and the API (SPEC §8): alarm states first, then run and step
 * durations, list volumes, suppressions by reason, Lambda errors, API latency and errors. Run metrics are
 * daily (one run a day), so they are graphed per day; lists and reasons are found by SEARCH.
 */
export class OperationsDashboard extends Construct {
  readonly dashboard: Dashboard;

  constructor(scope: Construct, id: string, props: OperationsDashboardProps) {
    super(scope, id);
    const { api } = props;

    const rows: IWidget[][] = [
      [new AlarmStatusWidget({ title: 'Alarms', alarms: props.alarms, width: 24, height: 6 })],
      [
        graph('Daily run duration (s)', [outboundMetric(metricNames.runDuration, 'Maximum', day, 'run')]),
        graph('Step durations (s)', [outboundSearch(metricNames.stepDuration, [dims.step], 'Maximum', day)]),
      ],
      [
        graph('Customers assigned per list', [outboundSearch(metricNames.listAssigned, [dims.list, dims.set], 'Sum', day)]),
        graph('Contacts exported per list', [outboundSearch(metricNames.listContacts, [dims.list, dims.set], 'Sum', day)]),
      ],
      [
        graph('Suppressions by reason', [outboundSearch(metricNames.suppressions, [dims.reason], 'Sum', day)]),
        graph(
          'Lambda errors',
          Object.entries(props.functions).map(([name, fn]) => fn.metricErrors({ period: Duration.hours(1), statistic: 'Sum', label: name })),
        ),
      ],
      [
        graph('API latency (ms)', [
          api.metricLatency({ period: fiveMinutes, statistic: 'p50', label: 'p50' }),
          api.metricLatency({ period: fiveMinutes, statistic: 'p99', label: 'p99' }),
        ]),
        graph('API errors', [
          api.metricClientError({ period: fiveMinutes, statistic: 'Sum', label: '4xx' }),
          api.metricServerError({ period: fiveMinutes, statistic: 'Sum', label: '5xx' }),
        ]),
      ],
    ];

    this.dashboard = new Dashboard(this, 'Dashboard', {
      dashboardName: `${Stack.of(this).stackName}-operations`,
      defaultInterval: Duration.days(14),
      widgets: rows,
    });
  }
}

function graph(title: string, left: IMetric[]): GraphWidget {
  return new GraphWidget({ title, left, width: 12, height: 6 });
}
