import { Duration, Validations } from 'aws-cdk-lib';
import { AttributeType, Table } from 'aws-cdk-lib/aws-dynamodb';
import { EventBus, Match, Rule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { resources } from '../config/resources.ts';
import { protectedTable } from './consent-table.ts';

/**
 * The DialGate table read by can-call: windows and budgets loaded by the run, attempts counted from events
 * (docs/api.md "can-call"); items expire through the TTL attribute.
 */
export class DialGateTable extends Construct {
  readonly table: Table;

  constructor(scope: Construct, id: string, props: { key: IKey }) {
    super(scope, id);
    const keys = resources.tables.dialGate;
    this.table = new Table(this, 'DialGate', {
      partitionKey: { name: keys.partitionKey, type: AttributeType.STRING },
      timeToLiveAttribute: keys.ttlAttribute,
      ...protectedTable(props.key),
    });
  }
}

/**
 * Dialer and SMS events (§9): the event bus the Genesys Cloud Amazon EventBridge integration delivers to (its
 * partner event source, when `eventSourceName` is set; otherwise a custom bus), a rule that sends the
 * `outbound.dialer` events and the Genesys partner events to the ingest Lambda, and one dead-letter queue for an
 * event the rule could not deliver or the Lambda could not ingest after its retries (alarm: DLQ not empty).
 */
export class DialerEvents extends Construct {
  readonly bus: EventBus;
  readonly deadLetterQueue: Queue;

  constructor(scope: Construct, id: string, props: { ingest: IFunction; key: IKey; eventSourceName?: string }) {
    super(scope, id);
    this.bus = props.eventSourceName
      ? new EventBus(this, 'Bus', { eventBusName: props.eventSourceName, eventSourceName: props.eventSourceName })
      : new EventBus(this, 'Bus', { description: 'outbound dialer and SMS events' });
    this.deadLetterQueue = new Queue(this, 'DeadLetters', {
      encryption: QueueEncryption.KMS,
      encryptionMasterKey: props.key,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.deadLetterQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: 'This queue is itself the dead-letter queue of the dialer events; its messages are read by the operator (docs/runbook.md).',
    });
    new Rule(this, 'ToIngest', {
      eventBus: this.bus,
      description: 'dialer and SMS events to the ingest Lambda',
      eventPattern: { source: Match.anyOf(Match.prefix('aws.partner/genesys.com'), Match.exactString('outbound.dialer')) },
      targets: [new LambdaFunction(props.ingest, { deadLetterQueue: this.deadLetterQueue, retryAttempts: 8, maxEventAge: Duration.hours(2) })],
    });
    // The on-failure destination with exact actions (SqsDestination's grant adds kms:GenerateDataKey* and kms:ReEncrypt*).
    const queue = this.deadLetterQueue;
    props.ingest.configureAsyncInvoke({ retryAttempts: 2, onFailure: { bind: () => ({ destination: queue.queueArn }) } });
    props.ingest.role!.addToPrincipalPolicy(new PolicyStatement({ actions: ['sqs:SendMessage'], resources: [queue.queueArn] }));
    props.key.grant(props.ingest.role!, 'kms:Decrypt', 'kms:GenerateDataKey');
  }
}
