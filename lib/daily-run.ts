import { join } from 'node:path';
import { ArnFormat, Stack, Validations } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { DefinitionBody, LogLevel, StateMachine, StateMachineType } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { projectRoot } from './functions.ts';

/** The one workflow definition, shared with the local runtime (aws-local-stepfunctions). */
export const dailyRunDefinitionFile = join(projectRoot, 'statemachines', 'daily-run.asl.json');

export interface DailyRunProps {
  /** Task functions by the name of their ASL placeholder (`${PrepareRunFunctionArn}` → `PrepareRunFunctionArn`). */
  taskFunctions: Record<string, IFunction>;
  alertTopic: ITopic;
  key: IKey;
  logRetention: RetentionDays;
}

/**
 * The daily-run state machine from `statemachines/daily-run.asl.json`. Every `${…}` placeholder of the file
 * is substituted here; the role may invoke exactly the task functions and publish to the alert topic.
 */
export class DailyRun extends Construct {
  readonly stateMachine: StateMachine;

  constructor(scope: Construct, id: string, props: DailyRunProps) {
    super(scope, id);
    const { taskFunctions, alertTopic, key } = props;
    const stack = Stack.of(this);

    // The /aws/vendedlogs/ prefix keeps the CloudWatch Logs resource policy small (AWS guidance for Step Functions logs).
    const logGroup = new LogGroup(this, 'Logs', {
      logGroupName: `/aws/vendedlogs/states/${stack.stackName}-daily-run`,
      retention: props.logRetention,
      encryptionKey: key,
    });

    const substitutions: Record<string, string> = { AlertTopicArn: alertTopic.topicArn };
    for (const [placeholder, fn] of Object.entries(taskFunctions)) substitutions[placeholder] = fn.functionArn;

    // A fixed name lets the role name its own executions without a dependency cycle (the Distributed Map starts child executions).
    const stateMachineName = `${stack.stackName}-daily-run`;
    this.stateMachine = new StateMachine(this, 'StateMachine', {
      stateMachineName,
      stateMachineType: StateMachineType.STANDARD,
      definitionBody: DefinitionBody.fromFile(dailyRunDefinitionFile),
      definitionSubstitutions: substitutions,
      tracingEnabled: true,
      // Execution data (step inputs and outputs) stays in the execution history, out of the logs.
      logs: { destination: logGroup, level: LogLevel.ALL, includeExecutionData: false },
    });

    const role = this.stateMachine.role;
    role.addToPrincipalPolicy(new PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: Object.values(taskFunctions).map((fn) => fn.functionArn) }));
    role.addToPrincipalPolicy(new PolicyStatement({ actions: ['sns:Publish'], resources: [alertTopic.topicArn] }));
    role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['states:StartExecution'],
        resources: [stack.formatArn({ service: 'states', resource: 'stateMachine', resourceName: stateMachineName, arnFormat: ArnFormat.COLON_RESOURCE_NAME })],
      }),
    );
    role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['states:DescribeExecution', 'states:StopExecution'],
        resources: [
          stack.formatArn({ service: 'states', resource: 'execution', resourceName: `${stateMachineName}/*`, arnFormat: ArnFormat.COLON_RESOURCE_NAME }),
        ],
      }),
    );
    key.grant(role, 'kms:GenerateDataKey', 'kms:Decrypt');

    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Step Functions log delivery (logs:CreateLogDelivery, logs:PutResourcePolicy …) and X-Ray (xray:PutTraceSegments …) support no resource-level permissions.',
    });
    Validations.of(role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:${stateMachineName}/*]`,
      reason: 'The Distributed Map describes and stops the child executions of this state machine only; their names are generated per map run (AWS guidance).',
    });
  }
}
