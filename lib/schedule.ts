import { Duration, Stack, TimeZone, Validations } from 'aws-cdk-lib';
import { Role, ServicePrincipal, type IRole } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Schedule, ScheduleExpression, ScheduleTargetInput, TimeWindow } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke, StepFunctionsStartExecution } from 'aws-cdk-lib/aws-scheduler-targets';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { acknowledgeWildcardResource } from './access.ts';

/** SPEC §8: the daily run starts at 06:00 and must be published by 08:00, both America/New_York (DST-correct). */
const scheduleTimeZone = TimeZone.AMERICA_NEW_YORK;
const dailyRunHour = 6;
const runDeadlineHour = 8;
/**
 * The Genesys results loop (SPEC §7): 22:30 Eastern pulls the day; 05:30 Eastern pulls the previous day again,
 * complete, before the 06:00 run reads it (calls to the western zones end up to 02:00–03:00 Eastern).
 */
const resultsEvening = { hour: '22', minute: '30', day: 'today' };
const resultsCatchUp = { hour: '5', minute: '30', day: 'yesterday' };

/**
 * A failed invocation is retried with backoff for up to an hour, then lands in the dead-letter queue
 * (which pages). StartExecution is not idempotent: a retry after a call that did succeed starts a second
 * execution of the day, which is harmless (it publishes the same rows) but costs a second run.
 */
const retry = { retryAttempts: 5, maxEventAge: Duration.hours(1) };

export interface SchedulesProps {
  stateMachine: IStateMachine;
  deadlineCheck: IFunction;
  genesysResults: IFunction;
  key: IKey;
  /** Context `outbound:scheduleEnabled`: false leaves every schedule DISABLED (maintenance, backfills). */
  enabled: boolean;
  /** The Genesys settings are given: the results schedules are enabled with the others. */
  genesysEnabled: boolean;
}

/**
 * EventBridge Scheduler: the daily run at 06:00 Eastern and the run deadline check at 08:00 Eastern, exact
 * times (no flexible window), each with its own role allowed to start exactly its target, one shared
 * KMS-encrypted, TLS-only dead-letter queue.
 */
export class Schedules extends Construct {
  readonly dailyRun: Schedule;
  readonly deadlineCheck: Schedule;
  readonly genesysResults: Schedule[];
  readonly deadLetterQueue: Queue;

  constructor(scope: Construct, id: string, props: SchedulesProps) {
    super(scope, id);
    const stack = Stack.of(this);

    this.deadLetterQueue = new Queue(this, 'DeadLetters', {
      encryption: QueueEncryption.KMS,
      encryptionMasterKey: props.key,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    const deadLetters = this.deadLetterQueue;
    Validations.of(deadLetters).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: 'This queue is itself the dead-letter queue of the schedules; its messages are read by the operator (docs/runbook.md).',
    });

    const runRole = this.schedulerRole('DailyRunRole', 'outbound: starts the daily-run state machine at 06:00 Eastern', props.key);
    this.dailyRun = new Schedule(this, 'DailyRun', {
      scheduleName: `${stack.stackName}-daily-run`,
      description: 'outbound daily run, 06:00 America/New_York; input {} = PrepareRun takes the Eastern date',
      schedule: ScheduleExpression.cron({ minute: '0', hour: String(dailyRunHour), timeZone: scheduleTimeZone }),
      timeWindow: TimeWindow.off(),
      enabled: props.enabled,
      target: new StepFunctionsStartExecution(props.stateMachine, {
        role: runRole,
        input: ScheduleTargetInput.fromObject({}),
        deadLetterQueue: deadLetters,
        ...retry,
      }),
    });

    const checkRole = this.schedulerRole('DeadlineCheckRole', 'outbound: invokes the run deadline check at 08:00 Eastern', props.key);
    this.deadlineCheck = new Schedule(this, 'DeadlineCheck', {
      scheduleName: `${stack.stackName}-run-deadline`,
      description: 'outbound run deadline check, 08:00 America/New_York: RunLate 1 when the day is not published',
      schedule: ScheduleExpression.cron({ minute: '0', hour: String(runDeadlineHour), timeZone: scheduleTimeZone }),
      timeWindow: TimeWindow.off(),
      // Off with the run: a disabled run schedule must not page as a late run every morning.
      enabled: props.enabled,
      target: new LambdaInvoke(props.deadlineCheck, {
        role: checkRole,
        input: ScheduleTargetInput.fromObject({}),
        deadLetterQueue: deadLetters,
        ...retry,
      }),
    });
    // Lambda's grantInvoke also names the function's versions and aliases (`<arn>:*`).
    acknowledgeWildcardResource(
      checkRole,
      `${props.deadlineCheck.functionArn}:*`,
      "Invoking the deadline-check function: the pattern covers that one function's versions and aliases only.",
    );

    const resultsRole = this.schedulerRole('GenesysResultsRole', 'outbound: invokes the Genesys results loop at 22:30 and 05:30 Eastern', props.key);
    this.genesysResults = [resultsEvening, resultsCatchUp].map(
      ({ hour, minute, day }) =>
        new Schedule(this, day === 'today' ? 'GenesysResultsEvening' : 'GenesysResultsCatchUp', {
          scheduleName: `${stack.stackName}-genesys-results-${day === 'today' ? 'evening' : 'catch-up'}`,
          description: `outbound Genesys results loop, ${hour.padStart(2, '0')}:${minute} America/New_York: the ${day === 'today' ? "day's" : "previous day's"} results`,
          schedule: ScheduleExpression.cron({ minute, hour, timeZone: scheduleTimeZone }),
          timeWindow: TimeWindow.off(),
          enabled: props.enabled && props.genesysEnabled,
          target: new LambdaInvoke(props.genesysResults, {
            role: resultsRole,
            input: ScheduleTargetInput.fromObject({ day }),
            deadLetterQueue: deadLetters,
            ...retry,
          }),
        }),
    );
    acknowledgeWildcardResource(
      resultsRole,
      `${props.genesysResults.functionArn}:*`,
      "Invoking the Genesys results function: the pattern covers that one function's versions and aliases only.",
    );
  }

  /**
   * A role only EventBridge Scheduler of this account may assume (for schedules of the default group); the
   * target adds its one action, the dead-letter queue sqs:SendMessage. SQS encrypts the dead letters with the
   * key on the sender's behalf.
   */
  private schedulerRole(id: string, description: string, key: IKey): IRole {
    const stack = Stack.of(this);
    const role = new Role(this, id, {
      description,
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
        conditions: {
          StringEquals: {
            'aws:SourceAccount': stack.account,
            'aws:SourceArn': stack.formatArn({ service: 'scheduler', resource: 'schedule-group', resourceName: 'default' }),
          },
        },
      }),
    });
    key.grant(role, 'kms:GenerateDataKey', 'kms:Decrypt');
    return role;
  }
}
