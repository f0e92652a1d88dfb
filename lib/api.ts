import { CfnOutput } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { HttpApi, HttpMethod, type HttpStage, LogGroupLogDestination, type IHttpRouteAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpIamAuthorizer, HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { ManagedPolicy, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { OutboundSettings } from './settings.ts';

/** Routes of the can_send_sms HTTP API (§9). */
export const canSendSmsRoutes = [
  { method: HttpMethod.GET, path: '/v1/can-send-sms' },
  { method: HttpMethod.POST, path: '/v1/can-send-sms/batch' },
] as const;

/** The dial gate's route (§9), its own function. */
export const canCallRoute = { method: HttpMethod.GET, path: '/v1/can-call' } as const;

/**
 * Access log line of the API. Deliberately without `$context.path`, query strings, headers or bodies:
 * the account and phone asked about never reach the logs; the route key is the path template.
 */
export const accessLogFields = {
  requestId: '$context.requestId',
  requestTime: '$context.requestTime',
  routeKey: '$context.routeKey',
  status: '$context.status',
  responseLength: '$context.responseLength',
  responseLatency: '$context.responseLatency',
  integrationLatency: '$context.integrationLatency',
  integrationStatus: '$context.integrationStatus',
  errorMessage: '$context.error.message',
  integrationError: '$context.integrationErrorMessage',
  sourceIp: '$context.identity.sourceIp',
  caller: '$context.identity.userArn',
  protocol: '$context.protocol',
};

export interface CanSendSmsApiProps {
  handler: IFunction;
  canCall: IFunction;
  key: IKey;
  logRetention: RetentionDays;
  settings: Pick<OutboundSettings, 'apiRateLimit' | 'apiBurstLimit' | 'jwt'>;
}

/**
 * The agents' HTTP API: IAM (SigV4) authorization by default, or a JWT authorizer when the
 * `outbound:jwtIssuer`/`outbound:jwtAudience` context values are set; stage-wide throttling; access
 * logs in a KMS-encrypted log group.
 */
export class CanSendSmsApi extends Construct {
  readonly api: HttpApi;
  readonly stage: HttpStage;
  /** Attach to the callers' roles when the API uses IAM authorization. */
  readonly invokePolicy?: ManagedPolicy;

  constructor(scope: Construct, id: string, props: CanSendSmsApiProps) {
    super(scope, id);
    const { jwt } = props.settings;
    const authorizer: IHttpRouteAuthorizer = jwt ? new HttpJwtAuthorizer('JwtAuthorizer', jwt.issuer, { jwtAudience: jwt.audience }) : new HttpIamAuthorizer();

    this.api = new HttpApi(this, 'Api', {
      description: 'outbound can_send_sms for agents',
      createDefaultStage: false,
      defaultAuthorizer: authorizer,
    });
    const integration = new HttpLambdaIntegration('CanSendSms', props.handler);
    for (const route of canSendSmsRoutes) {
      this.api.addRoutes({ path: route.path, methods: [route.method], integration });
    }
    this.api.addRoutes({ path: canCallRoute.path, methods: [canCallRoute.method], integration: new HttpLambdaIntegration('CanCall', props.canCall) });

    const accessLogs = new LogGroup(this, 'AccessLogs', { retention: props.logRetention, encryptionKey: props.key });
    this.stage = this.api.addStage('DefaultStage', {
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: props.settings.apiRateLimit, burstLimit: props.settings.apiBurstLimit },
      accessLogSettings: {
        destination: new LogGroupLogDestination(accessLogs),
        format: AccessLogFormat.custom(JSON.stringify(accessLogFields)),
      },
    });

    if (!jwt) {
      this.invokePolicy = new ManagedPolicy(this, 'InvokePolicy', {
        description: 'Allows calling the outbound can_send_sms API (attach to the agents desktop or integration role)',
        statements: [
          new PolicyStatement({
            actions: ['execute-api:Invoke'],
            resources: [...canSendSmsRoutes, canCallRoute].map((route) => this.api.arnForExecuteApi(route.method, route.path, this.stage.stageName)),
          }),
        ],
      });
      new CfnOutput(this, 'InvokePolicyArn', { value: this.invokePolicy.managedPolicyArn });
    }
    new CfnOutput(this, 'Url', { value: this.stage.url });
  }
}
