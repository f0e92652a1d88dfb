import { Duration } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, MathExpression, TreatMissingData, type IMetric } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { metricNames, metricsNamespace, metricsService } from '../config/metrics.ts';
import { alarmName } from './alerts.ts';
import { outboundMetric } from './custom-metrics.ts';
import type { FunctionName } from './functions.ts';
import type { OutboundSettings } from './settings.ts';

/** Where each alarm's description points: a section of this file per alarm kind. */
export const runbookPath = 'docs/runbook.md';

/** Anchors of the runbook sections (GitHub heading slugs); a test checks each heading exists. */
export const runbookAnchors = {
  runFailed: 'run-failed',
  runTimedOut: 'run-timed-out',
  runAborted: 'run-aborted',
  runLate: 'run-late',
  lambdaErrors: 'lambda-errors',
  lambdaThrottles: 'lambda-throttles',
  scheduleDeadLetters: 'schedule-dead-letters',
  eventDeadLetters: 'dialer-event-dead-letters',
  api5xxRate: 'api-5xx-rate',
  apiLatency: 'api-p99-latency',
  consentTableThrottled: 'consent-table-throttled',
  listVolumeAnomaly: 'list-volume-anomaly',
  staleLoanTape: 'stale-loan-tape',
  qualityGateFailed: 'quality-gate-failed',
  genesysListMismatch: 'genesys-list-mismatch',
} as const;
export type RunbookAnchor = (typeof runbookAnchors)[keyof typeof runbookAnchors];

const fiveMinutes = Duration.minutes(5);

export interface OperationsAlarmsProps {
  topic: ITopic;
  stateMachine: StateMachine;
  functions: Record<FunctionName, IFunction>;
  scheduleDeadLetters: IQueue;
  eventDeadLetters: IQueue;
  api: HttpApi;
  consentTable: Table;
  settings: Pick<OutboundSettings, 'api5xxRatePercent' | 'apiLatencyP99Ms' | 'loanTapeMaxAgeDays'>;
}

interface AlarmSpec {
  anchor: RunbookAnchor;
  /** What the alarm means, one or two sentences; the runbook link is appended. */
  meaning: string;
  metric: IMetric;
  threshold: number;
  comparison?: ComparisonOperator;
  /** Consecutive periods that must breach (default 1: page at once). */
  periods?: number;
}

/**
 * The alarms of SPEC §8, each sending its ALARM state to the alert topic. Every alarm here watches
 * something that only produces data when it happens (a failure, a run's metric, a request), so missing
 * data is "not breaching": a quiet night is OK, not INSUFFICIENT_DATA. The absence of a successful run is
 * caught by the 08:00 deadline check (RunLate), whose own failure is caught by its Lambda error alarm.
 */
export class OperationsAlarms extends Construct {
  readonly alarms: Alarm[] = [];
  private readonly action: SnsAction;

  constructor(scope: Construct, id: string, props: OperationsAlarmsProps) {
    super(scope, id);
    this.action = new SnsAction(props.topic);
    const { stateMachine, settings } = props;

    this.add('RunFailed', {
      anchor: runbookAnchors.runFailed,
      meaning: 'An execution of the daily-run state machine failed: the day is not published (readers still see the previous day).',
      metric: stateMachine.metricFailed({ period: fiveMinutes, statistic: 'Sum' }),
      threshold: 1,
    });
    this.add('RunTimedOut', {
      anchor: runbookAnchors.runTimedOut,
      meaning: 'An execution of the daily-run state machine timed out: the day is not published.',
      metric: stateMachine.metricTimedOut({ period: fiveMinutes, statistic: 'Sum' }),
      threshold: 1,
    });
    this.add('RunAborted', {
      anchor: runbookAnchors.runAborted,
      meaning:
        'An execution of the daily-run state machine was stopped (aborted) before it finished: the day is not published unless another execution publishes it.',
      metric: stateMachine.metricAborted({ period: fiveMinutes, statistic: 'Sum' }),
      threshold: 1,
    });
    this.add('RunLate', {
      anchor: runbookAnchors.runLate,
      meaning: "Today's lists were not published by 08:00 America/New_York (metric RunLate of the 08:00 deadline check).",
      metric: outboundMetric(metricNames.runLate, 'Maximum', fiveMinutes),
      threshold: 1,
    });

    for (const [name, fn] of Object.entries(props.functions) as [FunctionName, IFunction][]) {
      const id = pascalCase(name);
      this.add(`${id}Errors`, {
        anchor: runbookAnchors.lambdaErrors,
        meaning: `The ${name} function returned errors (invocation failed or timed out).`,
        metric: fn.metricErrors({ period: fiveMinutes, statistic: 'Sum' }),
        threshold: 1,
      });
      this.add(`${id}Throttles`, {
        anchor: runbookAnchors.lambdaThrottles,
        meaning: `Invocations of the ${name} function were throttled (concurrency limit reached).`,
        metric: fn.metricThrottles({ period: fiveMinutes, statistic: 'Sum' }),
        threshold: 1,
      });
    }

    this.add('ScheduleDeadLetters', {
      anchor: runbookAnchors.scheduleDeadLetters,
      meaning:
        'EventBridge Scheduler could not start the daily run or the deadline check after its retries; the failed invocation is in the dead-letter queue.',
      // An SQS queue stops reporting after hours without messages or calls: missing data means empty.
      metric: props.scheduleDeadLetters.metricApproximateNumberOfMessagesVisible({ period: fiveMinutes, statistic: 'Maximum' }),
      threshold: 1,
    });

    this.add('EventDeadLetters', {
      anchor: runbookAnchors.eventDeadLetters,
      meaning:
        'A dialer or SMS event could not be delivered or ingested after its retries (malformed, or the tables did not answer); it is in the dead-letter queue and counts nowhere yet.',
      metric: props.eventDeadLetters.metricApproximateNumberOfMessagesVisible({ period: fiveMinutes, statistic: 'Maximum' }),
      threshold: 1,
    });

    this.add('Api5xxRate', {
      anchor: runbookAnchors.api5xxRate,
      meaning: `More than ${settings.api5xxRatePercent}% of can_send_sms API requests were answered 5xx for 15 minutes (agents get no answer; the API fails closed).`,
      metric: new MathExpression({
        expression: '100 * errors / requests',
        usingMetrics: {
          errors: props.api.metricServerError({ period: fiveMinutes, statistic: 'Sum' }),
          requests: props.api.metricCount({ period: fiveMinutes, statistic: 'Sum' }),
        },
        period: fiveMinutes,
        label: 'API 5xx %',
      }),
      threshold: settings.api5xxRatePercent,
      comparison: ComparisonOperator.GREATER_THAN_THRESHOLD,
      periods: 3,
    });
    this.add('ApiLatencyP99', {
      anchor: runbookAnchors.apiLatency,
      meaning: `The can_send_sms API's p99 latency was above ${settings.apiLatencyP99Ms} ms for 15 minutes.`,
      metric: props.api.metricLatency({ period: fiveMinutes, statistic: 'p99' }),
      threshold: settings.apiLatencyP99Ms,
      comparison: ComparisonOperator.GREATER_THAN_THRESHOLD,
      periods: 3,
    });

    this.add('ConsentTableThrottled', {
      anchor: runbookAnchors.consentTableThrottled,
      meaning: 'Reads or writes of the PhoneConsent table were throttled (can_send_sms answers or the consent load slow down or fail).',
      metric: new MathExpression({
        // DynamoDB reports throttle events only when there are some: a missing series counts as 0.
        expression: 'FILL(reads, 0) + FILL(writes, 0)',
        usingMetrics: {
          reads: props.consentTable.metric('ReadThrottleEvents', { period: fiveMinutes, statistic: 'Sum' }),
          writes: props.consentTable.metric('WriteThrottleEvents', { period: fiveMinutes, statistic: 'Sum' }),
        },
        period: fiveMinutes,
        label: 'throttle events',
      }),
      threshold: 1,
    });

    this.add('ListVolumeAnomaly', {
      anchor: runbookAnchors.listVolumeAnomaly,
      meaning:
        "At least one list's assigned volume is further from its trailing 7-day mean than the configured percentage (metric ListVolumeAnomalies of the Report step).",
      metric: outboundMetric(metricNames.listVolumeAnomalies, 'Maximum', fiveMinutes),
      threshold: 1,
    });
    this.add('StaleLoanTape', {
      anchor: runbookAnchors.staleLoanTape,
      meaning: `The newest loan tape is more than ${settings.loanTapeMaxAgeDays} day(s) older than the load date (metric LoanTapeAgeDays of PrepareRun): lists are built from stale balances and delinquency.`,
      metric: outboundMetric(metricNames.loanTapeAgeDays, 'Maximum', fiveMinutes),
      threshold: settings.loanTapeMaxAgeDays,
      comparison: ComparisonOperator.GREATER_THAN_THRESHOLD,
    });
    this.add('GenesysListMismatch', {
      anchor: runbookAnchors.genesysListMismatch,
      meaning:
        'A Genesys contact list does not hold exactly the customers exported to it that day (metric GenesysListMismatches of the results loop; the operations checklist expects a 100% match).',
      metric: outboundMetric(metricNames.genesysListMismatches, 'Maximum', fiveMinutes),
      threshold: 1,
    });
    this.add('QualityGateFailed', {
      anchor: runbookAnchors.qualityGateFailed,
      meaning: 'A data-quality gate failed (metric QualityGateFailures, any layer): the run stopped before publishing.',
      // The gates emit one series per layer; a Metrics Insights query adds them up whatever the layers are.
      metric: new MathExpression({
        expression: `SELECT SUM(${metricNames.qualityGateFailures}) FROM "${metricsNamespace}" WHERE service = '${metricsService}'`,
        period: fiveMinutes,
        label: 'quality gate failures',
      }),
      threshold: 1,
    });
  }

  private add(id: string, spec: AlarmSpec): Alarm {
    const alarm = new Alarm(this, id, {
      alarmName: alarmName(this, id),
      alarmDescription: `${spec.meaning} Runbook: ${runbookPath}#${spec.anchor}`,
      metric: spec.metric,
      threshold: spec.threshold,
      comparisonOperator: spec.comparison ?? ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: spec.periods ?? 1,
      datapointsToAlarm: spec.periods ?? 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    alarm.addAlarmAction(this.action);
    this.alarms.push(alarm);
    return alarm;
  }
}

function pascalCase(name: string): string {
  return name.replace(/(^|-)([a-z])/g, (_, __, letter: string) => letter.toUpperCase());
}
