import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CfnElement } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { envNames } from '../../config/environment.ts';
import { metricNames } from '../../config/metrics.ts';
import { resources } from '../../config/resources.ts';
import { runbookAnchors, runbookPath } from '../../lib/alarms.ts';
import { functionNames, projectRoot } from '../../lib/functions.ts';
import { contextKeys } from '../../lib/settings.ts';
import { synthesize, type Synthesized } from './synth.ts';

// Template-only syntheses (no bundling): the defaults of cdk.json, and every operations setting overridden.
let defaults: Synthesized;
let configured: Synthesized;
beforeAll(() => {
  defaults = synthesize({ full: false });
  configured = synthesize({
    full: false,
    context: {
      [contextKeys.scheduleEnabled]: 'false',
      [contextKeys.alertEmail]: 'oncall@example.com',
      [contextKeys.alertWebhookUrl]: 'https://events.pagerduty.example/integration/abc/enqueue',
      [contextKeys.api5xxRatePercent]: '5',
      [contextKeys.apiLatencyP99Ms]: '250',
      [contextKeys.loanTapeMaxAgeDays]: '3',
      [contextKeys.listVolumeDeviationPercent]: '20',
    },
  });
});
afterAll(() => {
  defaults?.dispose();
  configured?.dispose();
});

type Resource = { Type: string; Properties: Record<string, any> };
const resourcesOf = (synth: Synthesized, type: string) => synth.template.findResources(type) as Record<string, Resource>;
const logicalId = (synth: Synthesized, construct: { node: { defaultChild?: unknown } }): string =>
  synth.stack.resolve(synth.stack.getLogicalId(construct.node.defaultChild as CfnElement));
const arnOf = (synth: Synthesized, construct: { node: { defaultChild?: unknown } }) => ({ 'Fn::GetAtt': [logicalId(synth, construct), 'Arn'] });
const schedule = (synth: Synthesized, name: string) =>
  Object.values(resourcesOf(synth, 'AWS::Scheduler::Schedule')).find((s) => s.Properties.Name === `Outbound-${name}`)!.Properties;
const alarms = (synth: Synthesized) => Object.values(resourcesOf(synth, 'AWS::CloudWatch::Alarm')).map((alarm) => alarm.Properties);
const alarm = (synth: Synthesized, name: string) => alarms(synth).find((props) => props.AlarmName === `Outbound-${name}`)!;
const statementsOfRole = (synth: Synthesized, roleId: string): any[] =>
  Object.values(resourcesOf(synth, 'AWS::IAM::Policy'))
    .filter((policy) => policy.Properties.Roles.some((role: any) => role.Ref === roleId))
    .flatMap((policy) => policy.Properties.PolicyDocument.Statement);
const actionsOf = (statement: any): string[] => [statement.Action].flat();

/** GitHub's heading anchors of a Markdown file. */
function headingAnchors(file: string): Set<string> {
  const headings = readFileSync(join(projectRoot, file), 'utf8').match(/^#{1,6} .+$/gm) ?? [];
  return new Set(
    headings.map((heading) =>
      heading
        .replace(/^#+ /, '')
        .trim()
        .toLowerCase()
        .replace(/[^\w\- ]/g, '')
        .replace(/ /g, '-'),
    ),
  );
}

describe('schedules', () => {
  it('start the daily run at 06:00 America/New_York, exactly, with input {} and a retry policy and DLQ', () => {
    defaults.template.hasResourceProperties('AWS::Scheduler::Schedule', {
      Name: 'Outbound-daily-run',
      ScheduleExpression: 'cron(0 6 * * ? *)',
      ScheduleExpressionTimezone: 'America/New_York',
      FlexibleTimeWindow: { Mode: 'OFF' },
      State: 'ENABLED',
      Target: {
        Arn: { Ref: logicalId(defaults, defaults.stack.dailyRun.stateMachine) },
        Input: '{}',
        DeadLetterConfig: { Arn: arnOf(defaults, defaults.stack.schedules.deadLetterQueue) },
        RetryPolicy: { MaximumRetryAttempts: 5, MaximumEventAgeInSeconds: 3600 },
      },
    });
  });

  it('run the deadline check at 08:00 America/New_York against the check-run-deadline function, same DLQ', () => {
    defaults.template.hasResourceProperties('AWS::Scheduler::Schedule', {
      Name: 'Outbound-run-deadline',
      ScheduleExpression: 'cron(0 8 * * ? *)',
      ScheduleExpressionTimezone: 'America/New_York',
      FlexibleTimeWindow: { Mode: 'OFF' },
      State: 'ENABLED',
      Target: {
        Arn: arnOf(defaults, defaults.stack.functions.checkRunDeadline),
        DeadLetterConfig: { Arn: arnOf(defaults, defaults.stack.schedules.deadLetterQueue) },
        RetryPolicy: { MaximumRetryAttempts: 5 },
      },
    });
  });

  it('are both DISABLED when context outbound:scheduleEnabled is false', () => {
    for (const name of ['daily-run', 'run-deadline']) {
      configured.template.hasResourceProperties('AWS::Scheduler::Schedule', { Name: `Outbound-${name}`, State: 'DISABLED' });
    }
  });

  it('let the run role start exactly the daily-run state machine and send dead letters, assumed only by Scheduler of this account', () => {
    // Prepare
    const roleId = schedule(defaults, 'daily-run').Target.RoleArn['Fn::GetAtt'][0];
    // Act
    const statements = statementsOfRole(defaults, roleId);
    const trust = resourcesOf(defaults, 'AWS::IAM::Role')[roleId]!.Properties.AssumeRolePolicyDocument.Statement;
    // Assess
    const byAction = Object.fromEntries(statements.flatMap((statement) => actionsOf(statement).map((action) => [action, statement.Resource])));
    expect(Object.keys(byAction).sort()).toEqual(['kms:Decrypt', 'kms:GenerateDataKey', 'sqs:SendMessage', 'states:StartExecution']);
    expect(byAction['states:StartExecution']).toEqual({ Ref: logicalId(defaults, defaults.stack.dailyRun.stateMachine) });
    expect(byAction['sqs:SendMessage']).toEqual(arnOf(defaults, defaults.stack.schedules.deadLetterQueue));
    expect(byAction['kms:GenerateDataKey']).toEqual(arnOf(defaults, defaults.stack.storage.key));
    expect(trust).toEqual([
      expect.objectContaining({
        Principal: { Service: 'scheduler.amazonaws.com' },
        Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' }, 'aws:SourceArn': expect.anything() } },
      }),
    ]);
  });

  it('keep dead letters in a KMS-encrypted queue that refuses requests without TLS', () => {
    const queueId = logicalId(defaults, defaults.stack.schedules.deadLetterQueue);
    expect(resourcesOf(defaults, 'AWS::SQS::Queue')[queueId]!.Properties.KmsMasterKeyId).toEqual(arnOf(defaults, defaults.stack.storage.key));
    const policy = Object.values(resourcesOf(defaults, 'AWS::SQS::QueuePolicy')).find((p) => p.Properties.Queues[0].Ref === queueId)!;
    expect(policy.Properties.PolicyDocument.Statement).toEqual(
      expect.arrayContaining([expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]),
    );
  });
});

describe('alarms', () => {
  const topicRef = (synth: Synthesized) => ({ Ref: logicalId(synth, synth.stack.alerts.topic) });

  it('exist for every kind of SPEC §8, each per function for Lambda errors and throttles', () => {
    const names = alarms(defaults).map((props) => props.AlarmName);
    const perFunction = functionNames.flatMap((name) => {
      const id = name.replace(/(^|-)([a-z])/g, (_, __, letter: string) => letter.toUpperCase());
      return [`Outbound-${id}Errors`, `Outbound-${id}Throttles`];
    });
    expect(names.sort()).toEqual(
      [
        ...['RunFailed', 'RunTimedOut', 'RunAborted', 'RunLate', 'ScheduleDeadLetters', 'EventDeadLetters', 'Api5xxRate', 'ApiLatencyP99'].map(
          (n) => `Outbound-${n}`,
        ),
        ...['ConsentTableThrottled', 'ListVolumeAnomaly', 'StaleLoanTape', 'QualityGateFailed', 'GenesysListMismatch'].map((n) => `Outbound-${n}`),
        ...perFunction,
      ].sort(),
    );
  });

  it('all page through the alert topic, and say what they mean with a link to an existing runbook section', () => {
    const anchors = headingAnchors(runbookPath);
    for (const props of alarms(defaults)) {
      expect(props.AlarmActions).toEqual([topicRef(defaults)]);
      const link = new RegExp(`^.{20,} Runbook: ${runbookPath}#([a-z0-9-]+)$`).exec(props.AlarmDescription);
      expect(link, props.AlarmName).not.toBeNull();
      expect(anchors.has(link![1]!), `${props.AlarmName} → #${link![1]}`).toBe(true);
    }
    expect(new Set(alarms(defaults).map((props) => props.AlarmDescription.split('#')[1])).size).toBe(Object.keys(runbookAnchors).length);
  });

  it('treat missing data as not breaching (each watches something that only reports when it happens)', () => {
    for (const props of alarms(defaults)) expect(props.TreatMissingData, props.AlarmName).toBe('notBreaching');
  });

  it('watch failed, timed-out and aborted executions of the daily run', () => {
    const stateMachine = { Ref: logicalId(defaults, defaults.stack.dailyRun.stateMachine) };
    for (const [name, metric] of [
      ['RunFailed', 'ExecutionsFailed'],
      ['RunTimedOut', 'ExecutionsTimedOut'],
      ['RunAborted', 'ExecutionsAborted'],
    ]) {
      defaults.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        AlarmName: `Outbound-${name}`,
        Namespace: 'AWS/States',
        MetricName: metric,
        Dimensions: [{ Name: 'StateMachineArn', Value: stateMachine }],
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      });
    }
  });

  it('find the custom metrics with the service dimension Powertools adds', () => {
    const service = [{ Name: 'service', Value: 'outbound' }];
    const hasAlarm = (name: string, properties: Record<string, unknown>) =>
      defaults.template.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmName: `Outbound-${name}`, ...properties });
    hasAlarm('RunLate', { Namespace: 'outbound', MetricName: metricNames.runLate, Dimensions: service, Threshold: 1 });
    hasAlarm('ListVolumeAnomaly', { MetricName: metricNames.listVolumeAnomalies, Dimensions: service, Threshold: 1 });
    hasAlarm('StaleLoanTape', {
      MetricName: metricNames.loanTapeAgeDays,
      Dimensions: service,
      Threshold: 1,
      ComparisonOperator: 'GreaterThanThreshold',
    });
    const [query] = alarm(defaults, 'QualityGateFailed').Metrics;
    expect(query.Expression).toBe(`SELECT SUM(${metricNames.qualityGateFailures}) FROM "outbound" WHERE service = 'outbound'`);
  });

  it('take the API and loan tape thresholds from context', () => {
    defaults.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'Outbound-Api5xxRate',
      Threshold: 1,
      EvaluationPeriods: 3,
      DatapointsToAlarm: 3,
    });
    configured.template.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmName: 'Outbound-Api5xxRate', Threshold: 5 });
    defaults.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'Outbound-ApiLatencyP99',
      Threshold: 100,
      ExtendedStatistic: 'p99',
      MetricName: 'Latency',
      Namespace: 'AWS/ApiGateway',
    });
    configured.template.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmName: 'Outbound-ApiLatencyP99', Threshold: 250 });
    configured.template.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmName: 'Outbound-StaleLoanTape', Threshold: 3 });
    configured.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'Outbound-Api5xxRate',
      AlarmDescription: Match.stringLikeRegexp('More than 5% of can_send_sms'),
    });
  });

  it('compute the API 5xx rate from 5xx and request counts of the API', () => {
    const metrics = alarm(defaults, 'Api5xxRate').Metrics;
    const api = { Ref: logicalId(defaults, defaults.stack.api.api) };
    expect(metrics.find((m: any) => m.Expression)?.Expression).toBe('100 * errors / requests');
    const stats = Object.fromEntries(metrics.filter((m: any) => m.MetricStat).map((m: any) => [m.Id, m.MetricStat.Metric]));
    expect(stats).toEqual({
      errors: { Namespace: 'AWS/ApiGateway', MetricName: '5xx', Dimensions: [{ Name: 'ApiId', Value: api }] },
      requests: { Namespace: 'AWS/ApiGateway', MetricName: 'Count', Dimensions: [{ Name: 'ApiId', Value: api }] },
    });
  });

  it('watch read and write throttle events of the consent table, and the dead-letter queue', () => {
    const table = { Ref: logicalId(defaults, defaults.stack.consentTable.table) };
    const metrics = alarm(defaults, 'ConsentTableThrottled')
      .Metrics.filter((m: any) => m.MetricStat)
      .map((m: any) => m.MetricStat.Metric);
    expect(metrics.map((m: any) => m.MetricName).sort()).toEqual(['ReadThrottleEvents', 'WriteThrottleEvents']);
    for (const metric of metrics) expect(metric.Dimensions).toEqual([{ Name: 'TableName', Value: table }]);
    defaults.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'Outbound-ScheduleDeadLetters',
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [logicalId(defaults, defaults.stack.schedules.deadLetterQueue), 'QueueName'] } }],
    });
  });

  it("let CloudWatch use the topic's key only for this stack's alarms of this account", () => {
    const statements = resourcesOf(defaults, 'AWS::KMS::Key')[logicalId(defaults, defaults.stack.storage.key)]!.Properties.KeyPolicy.Statement;
    const forAlarms = statements.filter((statement: any) => statement.Principal?.Service === 'cloudwatch.amazonaws.com');
    expect(forAlarms).toHaveLength(1);
    expect(forAlarms[0].Action).toEqual(['kms:Decrypt', 'kms:GenerateDataKey']);
    expect(forAlarms[0].Condition.StringEquals).toEqual({ 'aws:SourceAccount': { Ref: 'AWS::AccountId' } });
    expect(JSON.stringify(forAlarms[0].Condition.ArnLike['aws:SourceArn'])).toContain(':alarm:Outbound-*');
    for (const props of alarms(defaults)) expect(props.AlarmName).toMatch(/^Outbound-/);
  });
});

describe('alert subscriptions', () => {
  it('has none by default', () => {
    defaults.template.resourceCountIs('AWS::SNS::Subscription', 0);
  });

  it('subscribes the email and the pager webhook from context to the alert topic', () => {
    const topic = { Ref: logicalId(configured, configured.stack.alerts.topic) };
    configured.template.resourceCountIs('AWS::SNS::Subscription', 2);
    configured.template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'oncall@example.com', TopicArn: topic });
    configured.template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'https',
      Endpoint: 'https://events.pagerduty.example/integration/abc/enqueue',
      TopicArn: topic,
    });
  });
});

describe('dashboard', () => {
  const body = (synth: Synthesized) => JSON.stringify(Object.values(resourcesOf(synth, 'AWS::CloudWatch::Dashboard'))[0]!.Properties.DashboardBody);

  it('graphs run and step durations, list volumes and suppressions found by SEARCH, API latency and errors, Lambda errors', () => {
    const text = body(defaults);
    for (const metric of [metricNames.runDuration, 'Latency', '4xx', '5xx', 'Errors']) expect(text).toContain(`\\"${metric}\\"`);
    expect(text).toContain(`SEARCH('{outbound,service,step} MetricName=\\\\\\"${metricNames.stepDuration}\\\\\\"'`);
    expect(text).toContain(`SEARCH('{outbound,service,list,set} MetricName=\\\\\\"${metricNames.listAssigned}\\\\\\"'`);
    expect(text).toContain(`SEARCH('{outbound,service,list,set} MetricName=\\\\\\"${metricNames.listContacts}\\\\\\"'`);
    expect(text).toContain(`SEARCH('{outbound,service,reason} MetricName=\\\\\\"${metricNames.suppressions}\\\\\\"'`);
    expect(text).toMatch(/p50.*p99/);
  });

  it('shows the state of every alarm', () => {
    const text = body(defaults);
    const alarmIds = Object.keys(resourcesOf(defaults, 'AWS::CloudWatch::Alarm'));
    expect(alarmIds.length).toBeGreaterThan(20);
    for (const id of alarmIds) expect(text).toContain(`{"Fn::GetAtt":["${id}","Arn"]}`);
  });
});

describe('check-run-deadline function', () => {
  it('may only list the publication objects of the lake, and read nothing', () => {
    const fn = defaults.stack.functions.checkRunDeadline;
    const statements = statementsOfRole(defaults, logicalId(defaults, fn.role!));
    const dataStatements = statements.filter((statement) => actionsOf(statement).some((action) => /^(s3|dynamodb|athena|glue|kms):/.test(action)));
    expect(dataStatements).toEqual([
      expect.objectContaining({
        Action: 's3:ListBucket',
        Resource: arnOf(defaults, defaults.stack.storage.lake),
        Condition: { StringLike: { 's3:prefix': [`${resources.prefixes.published}*`] } },
      }),
    ]);
  });

  it('gets the lake bucket, and the report gets the list volume deviation from context', () => {
    const variables = (synth: Synthesized, fn: { node: { defaultChild?: unknown } }) =>
      resourcesOf(synth, 'AWS::Lambda::Function')[logicalId(synth, fn)]!.Properties.Environment.Variables;
    expect(variables(defaults, defaults.stack.functions.checkRunDeadline)).toMatchObject({
      [envNames.lakeBucket]: { Ref: logicalId(defaults, defaults.stack.storage.lake) },
    });
    expect(variables(defaults, defaults.stack.functions.report)[envNames.listVolumeDeviationPercent]).toBe('30');
    expect(variables(configured, configured.stack.functions.report)[envNames.listVolumeDeviationPercent]).toBe('20');
  });
});
