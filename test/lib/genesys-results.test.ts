import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CfnElement } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import { envNames } from '../../config/environment.ts';
import { metricNames } from '../../config/metrics.ts';
import { contextKeys } from '../../lib/settings.ts';
import { synthesize, type Synthesized } from './synth.ts';

/** The Genesys results loop in AWS: its two schedules, its function's grants, its alarm, and the Genesys settings. */
let defaults: Synthesized;
let withGenesys: Synthesized;
beforeAll(() => {
  defaults = synthesize({ full: false });
  withGenesys = synthesize({
    full: false,
    context: { [contextKeys.genesysEnvironment]: 'usw2.pure.cloud', [contextKeys.genesysSecretName]: 'outbound/genesys-client' },
  });
});
afterAll(() => {
  defaults?.dispose();
  withGenesys?.dispose();
});

const logicalId = (synth: Synthesized, construct: { node: { defaultChild?: unknown } }): string =>
  synth.stack.resolve(synth.stack.getLogicalId(construct.node.defaultChild as CfnElement));
const arnOf = (synth: Synthesized, construct: { node: { defaultChild?: unknown } }) => ({ 'Fn::GetAtt': [logicalId(synth, construct), 'Arn'] });

describe('the Genesys results loop', () => {
  it.each([
    ['evening', 'cron(30 22 * * ? *)', '{"day":"today"}'],
    ['catch-up', 'cron(30 5 * * ? *)', '{"day":"yesterday"}'],
  ])('runs the %s pull at %s America/New_York against the results function, with retries and the dead-letter queue', (name, expression, input) => {
    withGenesys.template.hasResourceProperties('AWS::Scheduler::Schedule', {
      Name: `Outbound-genesys-results-${name}`,
      ScheduleExpression: expression,
      ScheduleExpressionTimezone: 'America/New_York',
      FlexibleTimeWindow: { Mode: 'OFF' },
      State: 'ENABLED',
      Target: Match.objectLike({
        Arn: arnOf(withGenesys, withGenesys.stack.functions.genesysResults),
        Input: input,
        DeadLetterConfig: { Arn: arnOf(withGenesys, withGenesys.stack.schedules.deadLetterQueue) },
        RetryPolicy: { MaximumRetryAttempts: 5, MaximumEventAgeInSeconds: 3600 },
      }),
    });
  });

  it('leaves both schedules DISABLED while Genesys is not configured', () => {
    for (const name of ['evening', 'catch-up']) {
      defaults.template.hasResourceProperties('AWS::Scheduler::Schedule', { Name: `Outbound-genesys-results-${name}`, State: 'DISABLED' });
    }
  });

  it('gives the push and the results loop the org, the secret through the Parameters and Secrets extension, and read access to that secret only', () => {
    for (const fn of [withGenesys.stack.functions.genesysPush, withGenesys.stack.functions.genesysResults]) {
      withGenesys.template.hasResourceProperties('AWS::Lambda::Function', {
        Description: Match.stringLikeRegexp('Genesys'),
        Environment: {
          Variables: Match.objectLike({ [envNames.genesysEnvironment]: 'usw2.pure.cloud', [envNames.genesysSecretName]: 'outbound/genesys-client' }),
        },
        Layers: [{ 'Fn::FindInMap': ['ParamsandsecretslayerMap', { Ref: 'AWS::Region' }, Match.stringLikeRegexp('arm64$')] }],
        Role: arnOf(withGenesys, fn.role! as never),
      });
      withGenesys.template.hasResourceProperties('AWS::IAM::Policy', {
        Roles: [{ Ref: logicalId(withGenesys, fn.role! as never) }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Action: ['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue'],
              Resource: { 'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp(':secret:outbound/genesys-client-\\?\\?\\?\\?\\?\\?$')])] },
            }),
          ]),
        },
      });
    }
  });

  it('is off without the Genesys settings: empty org and secret, no layer', () => {
    defaults.template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ [envNames.genesysEnvironment]: '', [envNames.genesysSecretName]: '' }) },
      Layers: Match.absent(),
      Role: arnOf(defaults, defaults.stack.functions.genesysResults.role! as never),
    });
  });

  it('may write only the dispositions of the raw bucket, and update only the opt-out items of the consent table', () => {
    const roleId = logicalId(defaults, defaults.stack.functions.genesysResults.role! as never);
    const statements = Object.values(defaults.template.findResources('AWS::IAM::Policy'))
      .filter((policy: any) => policy.Properties.Roles.some((role: any) => role.Ref === roleId))
      .flatMap((policy: any) => policy.Properties.PolicyDocument.Statement);
    const raw = { 'Fn::GetAtt': [logicalId(defaults, defaults.stack.storage.raw), 'Arn'] };
    const rawWrites = statements
      .filter((statement: any) => [statement.Action].flat().includes('s3:PutObject'))
      .flatMap((statement: any) => [statement.Resource].flat())
      .filter((resource: any) => JSON.stringify(resource?.['Fn::Join']?.[1]?.[0]) === JSON.stringify(raw))
      .map((resource: any) => resource['Fn::Join'][1][1]);
    expect(rawWrites).toEqual(['/dispositions/*']);
    expect(statements).toContainEqual(
      expect.objectContaining({
        Action: 'dynamodb:UpdateItem',
        Condition: { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': [expect.any(String)] } },
      }),
    );
  });

  it('pages when a contact list does not match the day’s exports', () => {
    defaults.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'Outbound-GenesysListMismatch',
      MetricName: metricNames.genesysListMismatches,
      Threshold: 1,
      AlarmDescription: Match.stringLikeRegexp('#genesys-list-mismatch$'),
    });
  });

  it('refuses a Genesys org without its secret, and the reverse', () => {
    expect(() => synthesize({ full: false, context: { [contextKeys.genesysEnvironment]: 'usw2.pure.cloud' } })).toThrow(
      `context ${contextKeys.genesysEnvironment} and ${contextKeys.genesysSecretName} must be set together (or neither: Genesys off)`,
    );
    expect(() => synthesize({ full: false, context: { [contextKeys.genesysSecretName]: 'outbound/genesys-client' } })).toThrow(/must be set together/);
  });
});
