import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';

/** The SNS topic that pages on a failed daily run (subscriptions and alarms are added by the operations issue). */
export class Alerts extends Construct {
  readonly topic: Topic;

  constructor(scope: Construct, id: string, props: { key: IKey }) {
    super(scope, id);
    this.topic = new Topic(this, 'Topic', {
      displayName: 'outbound alerts',
      masterKey: props.key,
      enforceSSL: true,
    });
  }
}
