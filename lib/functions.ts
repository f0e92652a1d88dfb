import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { Duration, Stack, Validations } from 'aws-cdk-lib';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { Architecture, ParamsAndSecretsLayerVersion, ParamsAndSecretsVersions, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { Secret, type ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { envNames } from '../config/environment.ts';
import { consentLoadMarker, optOutItemAccount, resources } from '../config/resources.ts';
import { DAILY_FEEDS, feedFolder } from '../domain/feeds/daily-feeds.ts';
import { grantAthenaQueries, grantObjects } from './access.ts';
import { lakeGrants, type LakeGrant } from './lake-access.ts';
import type { Analytics } from './analytics.ts';
import type { PartnerDelivery } from './partner-delivery.ts';
import type { PartnerServer } from '../domain/exports/partners.ts';
import type { Storage } from './storage.ts';

/** Repository root: the handlers, the lock file and the SQL files are found from here. */
export const projectRoot = fileURLToPath(new URL('..', import.meta.url));

/** Folder names under `lambdas/`, each holding a `handler.ts` that exports `handler`. */
export const functionNames = [
  'prepare-run',
  'consent-transform',
  'consent-load',
  'build-customer-facts',
  'evaluate-shard',
  'finalize',
  'export-lists',
  'deliver-exports',
  'genesys-push',
  'report',
  'can-send-sms',
  'check-run-deadline',
  'load-dial-gate',
  'can-call',
  'ingest-events',
  'genesys-results',
] as const;
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
  /** Ships `config/` (campaign configuration, compliance rule table, reference data) and points the code at it. */
  withConfigFiles?: boolean;
  /** Reserved concurrency: caps the Distributed Map's parallel shards and protects the account's other functions. */
  reservedConcurrency?: number;
  /** Extra Node.js flags (e.g. the young-generation size the rules engine is tuned for). */
  nodeOptions?: string;
  /** A secret the code reads through the AWS Parameters and Secrets Lambda Extension (the layer is added, the secret granted). */
  secret?: ISecret;
}

/**
 * Left out of every bundle: DuckDB is the local SQL engine (native binary), and the engine module that uses it
 * is loaded by the engine factory only when OUTBOUND_SQL_ENGINE=duckdb. The module itself must stay out too:
 * bundled into one ES module, its static `import … from '@duckdb/node-api'` would be hoisted to the top of
 * the bundle and fail every cold start, where the package does not exist.
 */
export const localOnlyModules = ['@duckdb/node-api', '*/duckdb-engine.ts'];

/** Folders of the `.sql` files and of the configuration data, in the repository and inside a bundle. */
const sqlFolder = 'sql';
const configFolder = 'config';
/** The §3.2 feed folders of the landing zone (docs/feeds.md). */
const dailyFeedPrefixes = DAILY_FEEDS.map((feed) => `${feedFolder(feed)}/`);
/** Shards evaluated at once: the Map's MaxConcurrency in statemachines/daily-run.asl.json equals it. */
export const shardConcurrency = 10;
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
      reservedConcurrentExecutions: props.reservedConcurrency,
      ...(props.secret ? { paramsAndSecrets: ParamsAndSecretsLayerVersion.fromVersion(ParamsAndSecretsVersions.V1_0_103) } : {}),
      role: this.role,
      logGroup,
      tracing: Tracing.ACTIVE,
      environment: {
        ...commonEnvironment,
        ...(props.nodeOptions ? { NODE_OPTIONS: `${commonEnvironment.NODE_OPTIONS} ${props.nodeOptions}` } : {}),
        ...props.environment,
        ...(props.withSqlFiles ? { [envNames.sqlDirectory]: `${lambdaTaskRoot}/${sqlFolder}` } : {}),
        ...(props.withConfigFiles ? { [envNames.configDirectory]: `${lambdaTaskRoot}/${configFolder}` } : {}),
      },
      bundling: {
        format: OutputFormat.ESM,
        target: 'node22',
        mainFields: ['module', 'main'],
        minify: true,
        sourceMap: true,
        // `*.node`: ssh2's optional native bindings (sshcrypto, cpu-features), loaded in a try; without them it uses its JavaScript crypto.
        externalModules: ['@aws-sdk/*', '@smithy/*', ...localOnlyModules, '*.node'],
        // Bundled CommonJS dependencies may call require() on Node built-ins inside this ES module, and read __dirname (ssh2).
        banner:
          "import { createRequire as outboundCreateRequire } from 'node:module'; import { dirname as outboundDirname } from 'node:path'; " +
          "import { fileURLToPath as outboundFileURLToPath } from 'node:url'; const require = outboundCreateRequire(import.meta.url); " +
          'const __filename = outboundFileURLToPath(import.meta.url); const __dirname = outboundDirname(__filename);',
        ...(props.withSqlFiles || props.withConfigFiles
          ? { commandHooks: copyDataFiles([...(props.withSqlFiles ? [sqlFolder] : []), ...(props.withConfigFiles ? [configFolder] : [])]) }
          : {}),
      },
    });

    props.secret?.grantRead(this.role);

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

/** Bundling hook that copies the data files (`.sql`, `.yaml`, `.csv`) of the given folders, keeping their paths, next to the bundled code. */
function copyDataFiles(folders: string[]) {
  return {
    beforeBundling: () => [],
    beforeInstall: () => [],
    afterBundling: (inputDir: string, outputDir: string) =>
      folders.map((folder) => {
        const script = [
          "const { cpSync, statSync } = require('node:fs');",
          `cpSync(${JSON.stringify(join(inputDir, folder))}, ${JSON.stringify(join(outputDir, folder))},`,
          '{ recursive: true, filter: (path) => statSync(path).isDirectory() || /\\.(sql|yaml|csv)$/.test(path) });',
        ].join(' ');
        return `node -e ${JSON.stringify(script)}`;
      }),
  };
}

export interface FunctionsProps {
  storage: Storage;
  consentTable: Table;
  dialGateTable: Table;
  analytics: Analytics;
  logRetention: RetentionDays;
  /** Report: the percentage away from a list's trailing 7-day mean that counts as a volume anomaly. */
  listVolumeDeviationPercent: number;
  /** PrepareRun: the consent snapshot's maximum age in days (OUTBOUND_MAX_SNAPSHOT_AGE_DAYS). */
  maxSnapshotAgeDays: number;
  /** The Genesys Cloud org and its OAuth client's secret; unset, the push and the results loop are off. */
  genesys?: { environment: string; secretName: string } | undefined;
  /** The SFTP partners of the settings and their connectors (none: an empty registry). */
  partners: Record<string, PartnerServer>;
  partnerDelivery: PartnerDelivery;
}

/** The handlers of the daily run and the API, each with its environment and its least-privilege grants. */
export class Functions extends Construct {
  readonly prepareRun: NodejsFunction;
  readonly consentTransform: NodejsFunction;
  readonly consentLoad: NodejsFunction;
  readonly buildCustomerFacts: NodejsFunction;
  readonly evaluateShard: NodejsFunction;
  readonly finalize: NodejsFunction;
  readonly exportLists: NodejsFunction;
  readonly deliverExports: NodejsFunction;
  readonly genesysPush: NodejsFunction;
  readonly genesysResults: NodejsFunction;
  readonly report: NodejsFunction;
  readonly canSendSms: NodejsFunction;
  readonly checkRunDeadline: NodejsFunction;
  readonly loadDialGate: NodejsFunction;
  readonly canCall: NodejsFunction;
  readonly ingestEvents: NodejsFunction;
  /** Every function by its folder name under `lambdas/` (the alarms and the dashboard cover them all). */
  readonly byName: Record<FunctionName, NodejsFunction>;

  constructor(scope: Construct, id: string, props: FunctionsProps) {
    super(scope, id);
    const { storage, consentTable, analytics } = props;
    const { key, raw, lake, exports } = storage;
    const athenaEnvironment = {
      [envNames.sqlEngine]: 'athena',
      [envNames.athenaWorkgroup]: resources.athenaWorkgroup,
      [envNames.glueDatabase]: resources.glueDatabase,
      [envNames.rawBucket]: raw.bucketName,
      [envNames.lakeBucket]: lake.bucketName,
    };
    const common = { key, logRetention: props.logRetention };

    const prepareRun = new HandlerFunction(this, 'PrepareRun', {
      ...common,
      name: 'prepare-run',
      description: 'Daily run: settles run id and load date, snapshots the campaign configuration; fails on missing, stale or damaged inputs',
      // The task's TimeoutSeconds in statemachines/daily-run.asl.json. One vCPU for the gzip verification of the inputs:
      // ~1 GB of consent history takes ~25 s the first time, then only newly delivered files are read (docs/feeds.md).
      timeout: Duration.minutes(2),
      memorySize: 1769,
      withConfigFiles: true,
      environment: {
        [envNames.rawBucket]: raw.bucketName,
        [envNames.lakeBucket]: lake.bucketName,
        [envNames.maxSnapshotAgeDays]: String(props.maxSnapshotAgeDays),
      },
    });
    // Reads the raw files to verify their gzip streams, and remembers the verified versions under raw-verified/.
    for (const prefix of [resources.prefixes.consentFeeds, ...dailyFeedPrefixes]) grantObjects(prepareRun.role, raw, key, prefix, { list: true, read: true });
    grantObjects(prepareRun.role, lake, key, resources.prefixes.runs, { write: true, tag: true });
    grantObjects(prepareRun.role, lake, key, resources.prefixes.rawVerified, { list: true, write: true });

    const consentTransform = new HandlerFunction(this, 'ConsentTransform', {
      ...common,
      name: 'consent-transform',
      description: 'Daily run: phone consent bronze, silver, gold, changes and rejects with Athena',
      timeout: Duration.minutes(15),
      memorySize: 512,
      withSqlFiles: true,
      // config/quality-gates.yaml: the data-quality gate thresholds.
      withConfigFiles: true,
      environment: { ...athenaEnvironment, [envNames.consentTable]: consentTable.tableName },
    });
    // Athena reads the raw feeds and writes every layer, the changes and its query results into the lake.
    grantObjects(consentTransform.role, raw, key, resources.prefixes.consentFeeds, { list: true, read: true });
    // The load marker only (what the table holds; the changes recorded as pending): never a consent item.
    grantTable(consentTransform.role, consentTable, key, ['dynamodb:GetItem', 'dynamodb:UpdateItem'], { leadingKeys: [consentLoadMarker.account_number] });
    grantLake(consentTransform.role, lake, key, lakeGrants['consent-transform']);
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
    // Reads the load marker only (what the table holds before writing), never a consent item.
    grantTable(consentLoad.role, consentTable, key, ['dynamodb:GetItem'], { leadingKeys: [consentLoadMarker.account_number] });

    const buildCustomerFacts = new HandlerFunction(this, 'BuildCustomerFacts', {
      ...common,
      name: 'build-customer-facts',
      description: 'Daily run: customer facts from the feeds with Athena, split into shard files',
      timeout: Duration.minutes(15),
      memorySize: 512,
      withSqlFiles: true,
      // config/quality-gates.yaml: the data-quality gate thresholds.
      withConfigFiles: true,
      environment: athenaEnvironment,
    });
    for (const prefix of dailyFeedPrefixes) grantObjects(buildCustomerFacts.role, raw, key, prefix, { list: true, read: true });
    grantLake(buildCustomerFacts.role, lake, key, lakeGrants['build-customer-facts']);
    grantAthenaQueries(buildCustomerFacts.role, analytics, [raw, lake]);

    const evaluateShard = new HandlerFunction(this, 'EvaluateShard', {
      ...common,
      name: 'evaluate-shard',
      description: 'Daily run: campaign rules and compliance for one shard of customers',
      timeout: Duration.minutes(15),
      memorySize: 2048,
      withConfigFiles: true,
      reservedConcurrency: shardConcurrency,
      nodeOptions: '--max-semi-space-size=64',
      environment: { [envNames.lakeBucket]: lake.bucketName },
    });
    grantObjects(evaluateShard.role, lake, key, resources.prefixes.runs, { list: true, read: true, write: true, delete: true, tag: true });

    const finalize = new HandlerFunction(this, 'Finalize', {
      ...common,
      name: 'finalize',
      description: 'Daily run: list tables, shaping and atomic publication with Athena',
      timeout: Duration.minutes(15),
      memorySize: 512,
      withSqlFiles: true,
      withConfigFiles: true,
      environment: athenaEnvironment,
    });
    grantLake(finalize.role, lake, key, lakeGrants.finalize);
    grantAthenaQueries(finalize.role, analytics, [lake]);

    const exportLists = new HandlerFunction(this, 'ExportLists', {
      ...common,
      name: 'export-lists',
      description: 'Daily run: Genesys contact-list and email CSV exports with their manifest',
      timeout: Duration.minutes(15),
      memorySize: 1024,
      withSqlFiles: true,
      environment: { ...athenaEnvironment, [envNames.exportsBucket]: exports.bucketName },
    });
    // registerFeeds lists every feed's files of the date; the export SQL reads the loan tape only.
    for (const prefix of dailyFeedPrefixes) grantObjects(exportLists.role, raw, key, prefix, { list: true, read: prefix === 'loan_tape/' });
    grantLake(exportLists.role, lake, key, lakeGrants['export-lists']);
    grantObjects(exportLists.role, exports, key, 'exports/', { list: true, read: true, write: true, delete: true });
    grantAthenaQueries(exportLists.role, analytics, [raw, lake]);

    // Partner delivery (docs/exports.md "Partner delivery"): each partner of the settings through its Transfer Family
    // connector (lib/partner-delivery.ts); no partner, an empty registry and the step has nothing to send to.
    const deliverExports = new HandlerFunction(this, 'DeliverExports', {
      ...common,
      name: 'deliver-exports',
      description: "Daily run: the exported files with a delivery to their partners' SFTP servers through Transfer Family connectors, reconciled",
      // The task's TimeoutSeconds; the step's time budget is 8 of these 10 minutes.
      timeout: Duration.minutes(10),
      memorySize: 512,
      environment: {
        [envNames.exportsBucket]: exports.bucketName,
        [envNames.partners]: Stack.of(this).toJsonString(props.partnerDelivery.registry(props.partners, exports)),
      },
    });
    // The manifest and the files it lists, each checked against its sha256 before it is sent.
    grantObjects(deliverExports.role, exports, key, resources.prefixes.exports, { read: true });
    props.partnerDelivery.grantDelivery(deliverExports.role, exports, key);

    // Off unless the Genesys settings are given (lib/settings.ts, docs/genesys.md): the push and the results loop then return at once.
    const genesysSecret = props.genesys ? Secret.fromSecretNameV2(this, 'GenesysClientSecret', props.genesys.secretName) : undefined;
    const genesysEnvironment = {
      [envNames.genesysEnvironment]: props.genesys?.environment ?? '',
      [envNames.genesysSecretName]: props.genesys?.secretName ?? '',
    };
    const genesysPush = new HandlerFunction(this, 'GenesysPush', {
      ...common,
      name: 'genesys-push',
      description: 'Daily run (optional): uploads the exported contact lists to Genesys Cloud',
      timeout: Duration.minutes(10),
      memorySize: 512,
      withSqlFiles: true,
      // Athena: the published day's suppressed phones for the Genesys DNC list (docs/genesys.md).
      environment: { ...athenaEnvironment, [envNames.exportsBucket]: exports.bucketName, ...genesysEnvironment },
      ...(genesysSecret ? { secret: genesysSecret } : {}),
    });
    grantObjects(genesysPush.role, exports, key, 'exports/', { list: true, read: true });
    grantLake(genesysPush.role, lake, key, lakeGrants['genesys-push']);
    grantAthenaQueries(genesysPush.role, analytics, [lake]);

    // The results loop (22:30 and 05:30 Eastern, lib/schedule.ts): the day's conversations into the landing zone's
    // dispositions, DNC additions as opt-outs, each contact list reconciled with the day's exports.
    const genesysResults = new HandlerFunction(this, 'GenesysResults', {
      ...common,
      name: 'genesys-results',
      description: "Genesys results loop: the day's conversations into the dispositions feed, lists reconciled",
      timeout: Duration.minutes(15),
      memorySize: 1024,
      withConfigFiles: true,
      environment: {
        [envNames.exportsBucket]: exports.bucketName,
        [envNames.lakeBucket]: lake.bucketName,
        [envNames.rawBucket]: raw.bucketName,
        [envNames.consentTable]: consentTable.tableName,
        ...genesysEnvironment,
      },
      ...(genesysSecret ? { secret: genesysSecret } : {}),
    });
    grantObjects(genesysResults.role, exports, key, 'exports/', { list: true, read: true });
    grantObjects(genesysResults.role, raw, key, 'dispositions/', { write: true });
    grantLake(genesysResults.role, lake, key, lakeGrants['genesys-results']);
    grantTable(genesysResults.role, consentTable, key, ['dynamodb:UpdateItem'], { leadingKeys: [optOutItemAccount] });

    const report = new HandlerFunction(this, 'Report', {
      ...common,
      name: 'report',
      description: 'Daily run: writes the run summary',
      timeout: Duration.minutes(1),
      memorySize: 256,
      environment: {
        [envNames.lakeBucket]: lake.bucketName,
        [envNames.listVolumeDeviationPercent]: String(props.listVolumeDeviationPercent),
      },
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

    const checkRunDeadline = new HandlerFunction(this, 'CheckRunDeadline', {
      ...common,
      name: 'check-run-deadline',
      description: 'Run deadline (08:00 Eastern): emits RunLate 1 when the day is not published yet',
      timeout: Duration.seconds(30),
      memorySize: 256,
      environment: { [envNames.lakeBucket]: lake.bucketName },
    });
    // Listing the publication objects is all it needs: the object's existence is the answer, its content is not read.
    grantObjects(checkRunDeadline.role, lake, key, resources.prefixes.published, { list: true });

    // The dial gate (docs/api.md "can-call"): loaded by the run, counted by the events, read by the API.
    const dialGateTable = props.dialGateTable;
    const optOutItems = { leadingKeys: [optOutItemAccount] };
    const dialGateEnvironment = { [envNames.consentTable]: consentTable.tableName, [envNames.dialGateTable]: dialGateTable.tableName };
    const loadDialGate = new HandlerFunction(this, 'LoadDialGate', {
      ...common,
      name: 'load-dial-gate',
      description: 'Daily run: the published windows and call budgets into the dial gate, new opt-outs into the consent table',
      timeout: Duration.minutes(5),
      memorySize: 512,
      withSqlFiles: true,
      environment: { ...athenaEnvironment, ...dialGateEnvironment },
    });
    grantLake(loadDialGate.role, lake, key, lakeGrants['load-dial-gate']);
    grantAthenaQueries(loadDialGate.role, analytics, [lake]);
    grantTable(loadDialGate.role, dialGateTable, key, ['dynamodb:BatchWriteItem', 'dynamodb:PutItem', 'dynamodb:GetItem']);
    grantTable(loadDialGate.role, consentTable, key, ['dynamodb:BatchWriteItem'], optOutItems);

    const canCall = new HandlerFunction(this, 'CanCall', {
      ...common,
      name: 'can-call',
      description: 'can-call HTTP API: the real-time dial gate',
      timeout: Duration.seconds(10),
      memorySize: 512,
      environment: dialGateEnvironment,
    });
    grantTable(canCall.role, dialGateTable, key, ['dynamodb:GetItem', 'dynamodb:BatchGetItem']);
    // The opt-out item is read in the same BatchGetItem as the dial-gate items (adapters/dynamo-reads.ts).
    grantTable(canCall.role, consentTable, key, ['dynamodb:GetItem', 'dynamodb:BatchGetItem'], optOutItems);

    const ingestEvents = new HandlerFunction(this, 'IngestEvents', {
      ...common,
      name: 'ingest-events',
      description: 'Dialer and SMS events: call attempts counted once, opt-outs recorded at once and archived',
      timeout: Duration.seconds(30),
      memorySize: 256,
      environment: { ...dialGateEnvironment, [envNames.lakeBucket]: lake.bucketName },
    });
    grantTable(ingestEvents.role, dialGateTable, key, ['dynamodb:UpdateItem']);
    grantTable(ingestEvents.role, consentTable, key, ['dynamodb:UpdateItem'], optOutItems);
    grantObjects(ingestEvents.role, lake, key, resources.prefixes.optOutEvents, { write: true });

    this.loadDialGate = loadDialGate.function;
    this.canCall = canCall.function;
    this.ingestEvents = ingestEvents.function;
    this.prepareRun = prepareRun.function;
    this.consentTransform = consentTransform.function;
    this.consentLoad = consentLoad.function;
    this.buildCustomerFacts = buildCustomerFacts.function;
    this.evaluateShard = evaluateShard.function;
    this.finalize = finalize.function;
    this.exportLists = exportLists.function;
    this.deliverExports = deliverExports.function;
    this.genesysPush = genesysPush.function;
    this.genesysResults = genesysResults.function;
    this.report = report.function;
    this.canSendSms = canSendSms.function;
    this.checkRunDeadline = checkRunDeadline.function;
    this.byName = {
      'prepare-run': this.prepareRun,
      'consent-transform': this.consentTransform,
      'consent-load': this.consentLoad,
      'build-customer-facts': this.buildCustomerFacts,
      'evaluate-shard': this.evaluateShard,
      finalize: this.finalize,
      'export-lists': this.exportLists,
      'deliver-exports': this.deliverExports,
      'genesys-push': this.genesysPush,
      'genesys-results': this.genesysResults,
      report: this.report,
      'can-send-sms': this.canSendSms,
      'load-dial-gate': this.loadDialGate,
      'can-call': this.canCall,
      'ingest-events': this.ingestEvents,
      'check-run-deadline': this.checkRunDeadline,
    };
  }
}

function grantLake(role: Role, lake: IBucket, key: IKey, grants: readonly LakeGrant[]): void {
  for (const { prefix, access } of grants) grantObjects(role, lake, key, prefix, access);
}

/**
 * Item-level actions on the table only (no Scan, no table management). DynamoDB uses the table's KMS key
 * on the caller's behalf: reads decrypt the table key, writes may also encrypt under it.
 */
function grantTable(role: Role, table: Table, key: IKey, actions: string[], only?: { leadingKeys: string[] }): void {
  role.addToPrincipalPolicy(
    new PolicyStatement({
      actions,
      resources: [table.tableArn],
      ...(only ? { conditions: { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': only.leadingKeys } } } : {}),
    }),
  );
  const writes = actions.some((action) => /Write|Put|Delete|Update/.test(action));
  key.grant(role, 'kms:Decrypt', 'kms:DescribeKey', ...(writes ? ['kms:Encrypt', 'kms:GenerateDataKey'] : []));
}
