import { ArnFormat, Stack } from 'aws-cdk-lib';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription, UrlSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct, type IConstruct } from 'constructs';
import type { OutboundSettings } from './settings.ts';

/** Name of an alarm of the stack: `<stack>-<name>`. The key policy below trusts alarms by this prefix. */
export function alarmName(scope: IConstruct, name: string): string {
  return `${Stack.of(scope).stackName}-${name}`;
}

export interface AlertsProps {
  key: IKey;
  settings: Pick<OutboundSettings, 'alertEmail' | 'alertWebhookUrl'>;
}

/**
 * The SNS topic that pages: the daily run publishes its failures to it, every alarm of the stack sends its
 * ALARM transition to it. Subscribers come from context: an email address and/or a pager's HTTPS webhook.
 */
export class Alerts extends Construct {
  readonly topic: Topic;

  constructor(scope: Construct, id: string, props: AlertsProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.topic = new Topic(this, 'Topic', {
      displayName: 'outbound alerts',
      masterKey: props.key,
      enforceSSL: true,
    });
    const { alertEmail, alertWebhookUrl } = props.settings;
    if (alertEmail) this.topic.addSubscription(new EmailSubscription(alertEmail));
    if (alertWebhookUrl) this.topic.addSubscription(new UrlSubscription(alertWebhookUrl));

    // CloudWatch publishes alarm notifications to the KMS-encrypted topic as itself, so the key must let it
    // encrypt: only on behalf of this stack's alarms (aws:SourceArn) in this account. The actions are the two
    // SNS uses for a publisher (as for the state machine's role); AWS's example writes kms:GenerateDataKey*.
    const { statementAdded } = props.key.addToResourcePolicy(
      new PolicyStatement({
        sid: 'AllowCloudWatchAlarmsOfThisStack',
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
        resources: ['*'],
        conditions: {
          StringEquals: { 'aws:SourceAccount': stack.account },
          ArnLike: {
            'aws:SourceArn': stack.formatArn({
              service: 'cloudwatch',
              resource: 'alarm',
              resourceName: alarmName(this, '*'),
              arnFormat: ArnFormat.COLON_RESOURCE_NAME,
            }),
          },
        },
      }),
    );
    if (!statementAdded) throw new Error('the alert topic key must be a key of this stack: CloudWatch alarms need its policy to publish');
  }
}
