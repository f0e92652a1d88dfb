import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { Duration, Validations } from 'aws-cdk-lib';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { envNames } from '../config/environment.ts';
import { resources } from '../config/resources.ts';
import { grantAthenaQueries, grantObjects } from './access.ts';
import type { Analytics } from './analytics.ts';
import type { Storage } from './storage.ts';

/** Repository root: the handlers, the lock file and the SQL files are found from here. */
export const projectRoot = fileURLToPath(new URL('..', import.meta.url));

/** Folder names under `lambdas/`, each holding a `handler.ts` that exports `handler`. */
export const functionNames = ['prepare-run', 'consent-transform', 'consent-load', 'report', 'can-send-sms'] as const;
export type FunctionName = (typeof functionNames)[number];

/** Environment every function gets; Powertools reads these. The service name matches the local runtime's. */
export const commonEnvironment = {
  POWERTOOLS_SERVICE_NAME: 'outbound',
  POWERTOOLS_METRICS_NAMESPACE: 'outbound',
  POWERTOOLS_LOG_LEVEL: 'INFO',
  NODE_OPTIONS: '--enable-source-maps',
};

interface HandlerFunctionProps {
  name: FunctionName;
  description: string;
  timeout: Duration;
  memorySize: number;
  environment: Record<string, string>;
  key: IKey;
  logRetention: RetentionDays;
  /** Ships the repository's `.sql` files in the bundle (under `sql/`) and points the code at them. */
  withSqlFiles?: boolean;
}

/**
 * Left out of every bundle: DuckDB is the local SQL engine (native binary), and the engine module that uses it
 * is loaded by the engine factory only when OUTBOUND_SQL_ENGINE=duckdb. The module itself must stay out too:
 * bundled into one ES module, its static `import … from '@duckdb/node-api'` would be hoisted to the top of
 * the bundle and fail every cold start, where the package does not exist.
 */
export const localOnlyModules = ['@duckdb/node-api', '*/duckdb-engine.ts'];

/** Folder of the `.sql` files, in the repository and inside a bundle. */
const sqlFolder = 'sql';
/** Lambda unpacks the bundle into LAMBDA_TASK_ROOT, which is /var/task. */
const lambdaTaskRoot = '/var/task';

/**
 * One handler of `lambdas/<name>/handler.ts` as a Lambda: nodejs22.x on arm64, bundled locally by esbuild
 * (no Docker) as ESM, X-Ray tracing, its own KMS-encrypted log group, and a role that starts with nothing
 * but writing to that log group (no AWS managed policy); each use adds exactly what it needs.
 */
export class HandlerFunction extends Construct {
  readonly function: NodejsFunction;
  readonly role: Role;

  constructor(scope: Construct, id: string, props: HandlerFunctionProps) {
    super(scope, id);
    const logGroup = new LogGroup(this, 'Logs', { retention: props.logRetention, encryptionKey: props.key });
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `outbound ${props.name} function`,
    });
    logGroup.grantWrite(this.role);

    this.function = new NodejsFunction(this, 'Function', {
      entry: join(projectRoot, 'lambdas', props.name, 'handler.ts'),
      handler: 'handler',
      projectRoot,
      depsLockFilePath: join(projectRoot, 'package-lock.json'),
      description: props.description,
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize,
      timeout: props.timeout,
      role: this.role,
      logGroup,
      tracing: Tracing.ACTIVE,
      environment: {
        ...commonEnvironment,
        ...props.environment,
        ...(props.withSqlFiles ? { [envNames.sqlDirectory]: `${lambdaTaskRoot}/${sqlFolder}` } : {}),
      },
      bundling: {
        format: OutputFormat.ESM,
        target: 'node22',
        mainFields: ['module', 'main'],
        minify: true,
        sourceMap: true,
        externalModules: ['@aws-sdk/*', '@smithy/*', ...localOnlyModules],
        // Bundled CommonJS dependencies may call require() on Node built-ins inside this ES module.
        banner: "import { createRequire as outboundCreateRequire } from 'node:module'; const require = outboundCreateRequire(import.meta.url);",
        ...(props.withSqlFiles ? { commandHooks: copySqlFiles } : {}),
      },
    });

    Validations.of(this.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'X-Ray PutTraceSegments/PutTelemetryRecords support no resource-level permissions (resource must be *).',
    });
    Validations.of(this.function).acknowledge({
      id: 'AwsSolutions-L1',
      reason: 'SPEC fixes the Lambda runtime at nodejs22.x (the runtime the handlers are built and tested for).',
    });
  }
}

/** Bundling hook that copies only the `.sql` files of `sql/` (keeping their folders) next to the bundled code. */
const copySqlFiles = {
  beforeBundling: () => [],
  beforeInstall: () => [],
  afterBundling: (inputDir: string, outputDir: string) => {
    const script = [
      "const { cpSync, statSync } = require('node:fs');",
      `cpSync(${JSON.stringify(join(inputDir, sqlFolder))}, ${JSON.stringify(join(outputDir, sqlFolder))},`,
      "{ recursive: true, filter: (path) => statSync(path).isDirectory() || path.endsWith('.sql') });",
    ].join(' ');
    return [`node -e ${JSON.stringify(script)}`];
  },
};

export interface FunctionsProps {
  storage: Storage;
  consentTable: Table;
  analytics: Analytics;
  logRetention: RetentionDays;
}

/** The five handlers of the consent slice, each with its environment and its least-privilege grants. */
export class Functions extends Construct {
  readonly prepareRun: NodejsFunction;
  readonly consentTransform: NodejsFunction;
  readonly consentLoad: NodejsFunction;
  readonly report: NodejsFunction;
  readonly canSendSms: NodejsFunction;

  constructor(scope: Construct, id: string, props: FunctionsProps) {
    super(scope, id);
    const { storage, consentTable, analytics } = props;
    const { key, raw, lake } = storage;
    const common = { key, logRetention: props.logRetention };

    const prepareRun = new HandlerFunction(this, 'PrepareRun', {
      ...common,
      name: 'prepare-run',
      description: 'Daily run: settles run id and load date; fails on missing or stale inputs',
      timeout: Duration.minutes(1),
      memorySize: 256,
      environment: { [envNames.rawBucket]: raw.bucketName },
    });
    grantObjects(prepareRun.role, raw, key, resources.prefixes.consentFeeds, { list: true });

    const consentTransform = new HandlerFunction(this, 'ConsentTransform', {
      ...common,
      name: 'consent-transform',
      description: 'Daily run: phone consent bronze, silver, gold, changes and rejects with Athena',
      timeout: Duration.minutes(15),
      memorySize: 512,
      withSqlFiles: true,
      environment: {
        [envNames.sqlEngine]: 'athena',
        [envNames.athenaWorkgroup]: resources.athenaWorkgroup,
        [envNames.glueDatabase]: resources.glueDatabase,
        [envNames.rawBucket]: raw.bucketName,
        [envNames.lakeBucket]: lake.bucketName,
      },
    });
    // Athena reads the raw feeds and writes every layer, the changes and its query results into the lake.
    grantObjects(consentTransform.role, raw, key, resources.prefixes.consentFeeds, { list: true, read: true });
    grantObjects(consentTransform.role, lake, key, '', { list: true, read: true, write: true, delete: true });
    grantAthenaQueries(consentTransform.role, analytics, [raw, lake]);

    const consentLoad = new HandlerFunction(this, 'ConsentLoad', {
      ...common,
      name: 'consent-load',
      description: 'Daily run: applies the consent changes to the PhoneConsent table',
      timeout: Duration.minutes(15),
      memorySize: 1024,
      environment: { [envNames.consentTable]: consentTable.tableName },
    });
    grantObjects(consentLoad.role, lake, key, resources.prefixes.consentChanges, { read: true });
    grantTable(consentLoad.role, consentTable, key, ['dynamodb:BatchWriteItem', 'dynamodb:PutItem']);

    const report = new HandlerFunction(this, 'Report', {
      ...common,
      name: 'report',
      description: 'Daily run: writes the run summary',
      timeout: Duration.minutes(1),
      memorySize: 256,
      environment: { [envNames.lakeBucket]: lake.bucketName },
    });
    grantObjects(report.role, lake, key, resources.prefixes.runs, { write: true });

    const canSendSms = new HandlerFunction(this, 'CanSendSms', {
      ...common,
      name: 'can-send-sms',
      description: 'can_send_sms HTTP API (GET one pair, POST a batch)',
      timeout: Duration.seconds(10),
      memorySize: 512,
      environment: { [envNames.consentTable]: consentTable.tableName },
    });
    grantTable(canSendSms.role, consentTable, key, ['dynamodb:GetItem', 'dynamodb:BatchGetItem']);

    this.prepareRun = prepareRun.function;
    this.consentTransform = consentTransform.function;
    this.consentLoad = consentLoad.function;
    this.report = report.function;
    this.canSendSms = canSendSms.function;
  }
}

/**
 * Item-level actions on the table only (no Scan, no table management). DynamoDB uses the table's KMS key
 * on the caller's behalf: reads decrypt the table key, writes may also encrypt under it.
 */
function grantTable(role: Role, table: Table, key: IKey, actions: string[]): void {
  role.addToPrincipalPolicy(new PolicyStatement({ actions, resources: [table.tableArn] }));
  const writes = actions.some((action) => /Write|Put|Delete|Update/.test(action));
  key.grant(role, 'kms:Decrypt', 'kms:DescribeKey', ...(writes ? ['kms:Encrypt', 'kms:GenerateDataKey'] : []));
}
