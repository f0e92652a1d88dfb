import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CfnElement } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { envNames } from '../../config/environment.ts';
import { consentLoadMarker, optOutItemAccount, resources } from '../../config/resources.ts';
import { accessLogFields } from '../../lib/api.ts';
import { dailyRunDefinitionFile } from '../../lib/daily-run.ts';
import { commonEnvironment, functionNames, projectRoot, type FunctionName } from '../../lib/functions.ts';
import { synthesize, type Synthesized } from './synth.ts';
import { retentionDays } from '../../lib/storage.ts';
import { DAILY_FEEDS } from '../../domain/feeds/daily-feeds.ts';

// One real synthesis (esbuild bundling included) for the whole file.
let synth: Synthesized;
beforeAll(() => {
  synth = synthesize({ full: true });
});
afterAll(() => synth?.dispose());

type Resource = { Type: string; Properties: Record<string, any>; DeletionPolicy?: string };

const resourcesOfType = (type: string): Record<string, Resource> => synth.template.findResources(type) as Record<string, Resource>;
const logicalId = (construct: { node: { defaultChild?: unknown } }): string =>
  synth.stack.resolve(synth.stack.getLogicalId(construct.node.defaultChild as CfnElement));
const ref = (construct: { node: { defaultChild?: unknown } }) => ({ Ref: logicalId(construct) });
const arnOf = (construct: { node: { defaultChild?: unknown } }) => ({ 'Fn::GetAtt': [logicalId(construct), 'Arn'] });

const functionsByName = (): Record<FunctionName, IFunction> => synth.stack.functions.byName;
/** The function `fn` (found by its role: each function has its own) has `properties`. */
const hasFunctionProperties = (fn: IFunction, properties: Record<string, unknown>) =>
  synth.template.hasResourceProperties('AWS::Lambda::Function', { Role: arnOf(fn.role!), ...properties });

/** The bundled code (`index.mjs` in the cloud assembly) of each function. */
function bundles(): Record<FunctionName, string> {
  const result = {} as Record<FunctionName, string>;
  for (const [name, fn] of Object.entries(functionsByName()) as [FunctionName, IFunction][]) {
    const code = resourcesOfType('AWS::Lambda::Function')[logicalId(fn)]!.Properties.Code;
    const bundle = join(synth.outdir, `asset.${(code.S3Key as string).replace(/\.zip$/, '')}`, 'index.mjs');
    expect(existsSync(bundle)).toBe(true);
    result[name] = bundle;
  }
  return result;
}

/** Statements of the policies attached to a role. */
function statementsOfRole(roleLogicalId: string): any[] {
  return Object.values(resourcesOfType('AWS::IAM::Policy'))
    .filter((policy) => policy.Properties.Roles.some((role: any) => role.Ref === roleLogicalId))
    .flatMap((policy) => policy.Properties.PolicyDocument.Statement);
}
const functionStatements = (fn: IFunction) => statementsOfRole(logicalId(fn.role!));
const actionsOf = (statement: any): string[] => [statement.Action].flat();

describe('storage', () => {
  it('encrypts the raw, lake and exports buckets with the customer-managed key, rotation on', () => {
    // Prepare
    const { key, raw, lake, exports } = synth.stack.storage;
    // Act
    const keyResource = resourcesOfType('AWS::KMS::Key')[logicalId(key)]!;
    // Assess
    expect(keyResource.Properties.EnableKeyRotation).toBe(true);
    for (const bucket of [raw, lake, exports]) {
      const props = resourcesOfType('AWS::S3::Bucket')[logicalId(bucket)]!.Properties;
      expect(props.BucketEncryption.ServerSideEncryptionConfiguration).toEqual([
        { BucketKeyEnabled: true, ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: arnOf(key) } },
      ]);
    }
  });

  it('lets CloudWatch Logs use the key only for log groups of the same account and region', () => {
    const statements = resourcesOfType('AWS::KMS::Key')[logicalId(synth.stack.storage.key)]!.Properties.KeyPolicy.Statement;
    const forLogs = statements.filter((statement: any) => JSON.stringify(statement.Principal?.Service ?? '').includes('logs.'));
    expect(forLogs).toHaveLength(1);
    expect(JSON.stringify(forLogs[0].Condition.ArnLike['kms:EncryptionContext:aws:logs:arn'])).toContain(':log-group:*');
    expect(actionsOf(forLogs[0]).filter((action) => action.includes('*'))).toEqual([]);
  });

  it('blocks public access, keeps buckets on stack deletion and lets CloudFormation name them', () => {
    synth.template.resourceCountIs('AWS::S3::Bucket', 4);
    synth.template.allResources('AWS::S3::Bucket', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({
        PublicAccessBlockConfiguration: Match.objectEquals({
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        }),
        BucketName: Match.absent(),
      }),
    });
  });

  it('denies every request without TLS on every bucket', () => {
    const policies = Object.values(resourcesOfType('AWS::S3::BucketPolicy'));
    const bucketIds = Object.keys(resourcesOfType('AWS::S3::Bucket'));
    const covered = policies
      .filter((policy) =>
        policy.Properties.PolicyDocument.Statement.some(
          (statement: any) =>
            statement.Effect === 'Deny' &&
            statement.Action === 's3:*' &&
            statement.Principal?.AWS === '*' &&
            statement.Condition?.Bool?.['aws:SecureTransport'] === 'false',
        ),
      )
      .map((policy) => policy.Properties.Bucket.Ref);
    expect(covered.sort()).toEqual(bucketIds.sort());
  });

  it('versions the lake only, and logs access of the data buckets to the access-log bucket', () => {
    const { raw, lake, exports, accessLogs } = synth.stack.storage;
    const props = (bucket: typeof raw) => resourcesOfType('AWS::S3::Bucket')[logicalId(bucket)]!.Properties;
    expect(props(lake).VersioningConfiguration).toEqual({ Status: 'Enabled' });
    expect(props(raw).VersioningConfiguration).toBeUndefined();
    for (const [bucket, name] of [
      [raw, resources.buckets.raw],
      [lake, resources.buckets.lake],
      [exports, resources.buckets.exports],
    ] as const) {
      expect(props(bucket).LoggingConfiguration).toEqual({ DestinationBucketName: ref(accessLogs), LogFilePrefix: `${name}/` });
    }
  });

  it('expires Athena results, run-scoped tables, consent changes, tagged attempt data and replaced lake versions, and nothing else of the lake', () => {
    // Prepare
    const rules = resourcesOfType('AWS::S3::Bucket')[logicalId(synth.stack.storage.lake)]!.Properties.LifecycleConfiguration.Rules;
    // Assess
    expect(rules).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ Prefix: resources.prefixes.athenaResults, ExpirationInDays: 7, Status: 'Enabled' }),
        expect.objectContaining({ Prefix: resources.prefixes.transient, ExpirationInDays: 3, Status: 'Enabled' }),
        expect.objectContaining({ Prefix: resources.prefixes.consentChanges, ExpirationInDays: retentionDays.consentChanges, Status: 'Enabled' }),
        expect.objectContaining({
          Prefix: resources.prefixes.runs,
          TagFilters: [{ Key: resources.retentionTag.key, Value: resources.retentionTag.attempt }],
          ExpirationInDays: retentionDays.attemptData,
          NoncurrentVersionExpiration: { NoncurrentDays: 1 },
          Status: 'Enabled',
        }),
        expect.objectContaining({ NoncurrentVersionExpiration: { NoncurrentDays: 30 }, ExpiredObjectDeleteMarker: true, Status: 'Enabled' }),
      ]),
    );
    const expiringCurrentObjects = rules.filter((rule: any) => rule.ExpirationInDays !== undefined).map((rule: any) => rule.Prefix);
    expect(expiringCurrentObjects.sort()).toEqual(
      [resources.prefixes.athenaResults, resources.prefixes.transient, resources.prefixes.consentChanges, resources.prefixes.runs].sort(),
    );
    const runsRule = rules.find((rule: any) => rule.Prefix === resources.prefixes.runs);
    expect(runsRule.TagFilters).toHaveLength(1);
  });

  it('expires the daily feeds of the raw bucket after the retention period and keeps the consent exports', () => {
    // Prepare
    const rules = resourcesOfType('AWS::S3::Bucket')[logicalId(synth.stack.storage.raw)]!.Properties.LifecycleConfiguration.Rules;
    // Assess
    const expiring = rules.filter((rule: any) => rule.ExpirationInDays !== undefined);
    expect(expiring.map((rule: any) => rule.Prefix).sort()).toEqual(
      DAILY_FEEDS.filter((feed) => feed !== 'zip_suppressions')
        .map((feed) => `${feed}/`)
        .sort(),
    );
    expect(expiring.every((rule: any) => rule.ExpirationInDays === retentionDays.dailyFeeds && rule.TagFilters === undefined)).toBe(true);
    expect(rules.some((rule: any) => rule.ExpirationInDays !== undefined && resources.prefixes.consentFeeds.startsWith(rule.Prefix ?? ''))).toBe(false);
  });

  it('expires the exports after the retention period', () => {
    // Prepare
    const rules = resourcesOfType('AWS::S3::Bucket')[logicalId(synth.stack.storage.exports)]!.Properties.LifecycleConfiguration.Rules;
    // Assess
    expect(rules).toEqual(
      expect.arrayContaining([expect.objectContaining({ Prefix: resources.prefixes.exports, ExpirationInDays: retentionDays.exports, Status: 'Enabled' })]),
    );
  });
});

describe('PhoneConsent table', () => {
  it('is keyed by account and phone, on demand, with point-in-time recovery, KMS and deletion protection', () => {
    const keys = resources.tables.phoneConsent;
    // The only table with a sort key.
    synth.template.resourcePropertiesCountIs('AWS::DynamoDB::Table', { KeySchema: Match.arrayWith([Match.objectLike({ KeyType: 'RANGE' })]) }, 1);
    synth.template.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({
        KeySchema: Match.exact([
          { AttributeName: keys.partitionKey, KeyType: 'HASH' },
          { AttributeName: keys.sortKey, KeyType: 'RANGE' },
        ]),
        AttributeDefinitions: Match.exact([
          { AttributeName: keys.partitionKey, AttributeType: 'S' },
          { AttributeName: keys.sortKey, AttributeType: 'S' },
        ]),
        BillingMode: 'PAY_PER_REQUEST',
        PointInTimeRecoverySpecification: Match.objectEquals({ PointInTimeRecoveryEnabled: true }),
        SSESpecification: Match.objectEquals({ SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: arnOf(synth.stack.storage.key) }),
        DeletionProtectionEnabled: true,
      }),
    });
  });
});

describe('Athena and Glue', () => {
  it('enforces the workgroup configuration: engine 3, KMS-encrypted results under athena-results/ in the lake, a scan cutoff', () => {
    synth.template.hasResourceProperties('AWS::Athena::WorkGroup', {
      Name: resources.athenaWorkgroup,
      WorkGroupConfiguration: {
        EnforceWorkGroupConfiguration: true,
        EngineVersion: { SelectedEngineVersion: 'Athena engine version 3' },
        BytesScannedCutoffPerQuery: 100 * 1024 ** 3,
        ResultConfiguration: {
          OutputLocation: { 'Fn::Join': ['', ['s3://', ref(synth.stack.storage.lake), `/${resources.prefixes.athenaResults}`]] },
          EncryptionConfiguration: { EncryptionOption: 'SSE_KMS', KmsKey: arnOf(synth.stack.storage.key) },
        },
      },
    });
  });

  it('defines the Glue database the pipeline registers its tables in', () => {
    synth.template.hasResourceProperties('AWS::Glue::Database', { DatabaseInput: { Name: resources.glueDatabase } });
  });
});

describe('Lambda functions', () => {
  it('run every handler on nodejs22.x arm64 with X-Ray tracing, bundled as ESM', () => {
    synth.template.resourceCountIs('AWS::Lambda::Function', functionNames.length);
    synth.template.allResourcesProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs22.x',
      Architectures: ['arm64'],
      Handler: 'index.handler',
      TracingConfig: { Mode: 'Active' },
      Environment: {
        Variables: Match.objectLike({ ...commonEnvironment, NODE_OPTIONS: Match.stringLikeRegexp(`^${commonEnvironment.NODE_OPTIONS}`) }),
      },
    });
  });

  it('give each function a role of its own (the tests below find a function by its role)', () => {
    const roles = Object.values(functionsByName()).map((fn) => logicalId(fn.role!));
    expect(new Set(roles).size).toBe(functionNames.length);
  });

  it('give each function its own KMS-encrypted log group with retention', () => {
    for (const fn of Object.values(functionsByName())) {
      const props = resourcesOfType('AWS::Lambda::Function')[logicalId(fn)]!.Properties;
      const logGroupId = props.LoggingConfig.LogGroup.Ref as string;
      expect(resourcesOfType('AWS::Logs::LogGroup')[logGroupId]!.Properties).toEqual(
        expect.objectContaining({ RetentionInDays: 365, KmsKeyId: arnOf(synth.stack.storage.key) }),
      );
    }
  });

  it('set the timeouts, memory and SQL engine the steps need', () => {
    const f = synth.stack.functions;
    hasFunctionProperties(f.consentTransform, { Timeout: 900, Environment: { Variables: Match.objectLike({ [envNames.sqlEngine]: 'athena' }) } });
    hasFunctionProperties(f.consentLoad, { Timeout: 900 });
    hasFunctionProperties(f.canSendSms, { MemorySize: 512 });
  });

  it('point the environment variables at the stack resources', () => {
    const hasVariables = (fn: IFunction, variables: Record<string, unknown>) =>
      hasFunctionProperties(fn, { Environment: { Variables: Match.objectLike(variables) } });
    const f = synth.stack.functions;
    const { raw, lake } = synth.stack.storage;
    const table = ref(synth.stack.consentTable.table);
    hasVariables(f.prepareRun, { [envNames.rawBucket]: ref(raw) });
    hasVariables(f.consentTransform, {
      [envNames.rawBucket]: ref(raw),
      [envNames.lakeBucket]: ref(lake),
      [envNames.athenaWorkgroup]: resources.athenaWorkgroup,
      [envNames.glueDatabase]: resources.glueDatabase,
    });
    hasVariables(f.consentLoad, { [envNames.consentTable]: table });
    hasVariables(f.report, { [envNames.lakeBucket]: ref(lake) });
    hasVariables(f.canSendSms, { [envNames.consentTable]: table });
  });

  it('set exactly the OUTBOUND_* variables that the code of each handler reads', async () => {
    // Local-only settings (the home and data directories, the metrics file, DuckDB's memory) are never set in the cloud.
    const localOnly = new Set<string>([
      envNames.localHome,
      envNames.localData,
      envNames.localMetricsFile,
      envNames.duckdbMemoryLimit,
      envNames.campaignConfig,
      envNames.genesysClientId,
      envNames.genesysClientSecret,
    ]);
    for (const [name, fn] of Object.entries(functionsByName())) {
      const read = await envNamesReadBy(join(projectRoot, 'lambdas', name, 'handler.ts'));
      const set = Object.keys(resourcesOfType('AWS::Lambda::Function')[logicalId(fn)]!.Properties.Environment.Variables).filter((variable) =>
        variable.startsWith('OUTBOUND_'),
      );
      expect({ name, variables: set.sort() }).toEqual({ name, variables: [...read].filter((variable) => !localOnly.has(variable)).sort() });
    }
  });

  it('bundle ES modules that take the AWS SDK from the runtime and leave DuckDB out', () => {
    for (const bundle of Object.values(bundles())) {
      const code = readFileSync(bundle, 'utf8');
      expect(code).toMatch(/^import /);
      expect(code).toMatch(/from\s*"@aws-sdk\/[a-z-]+"/);
      expect(code).not.toMatch(/import\s*[\w{*][^;()]*from\s*"@duckdb\/node-api"/);
      expect(code).not.toMatch(/DuckDBInstance/);
    }
  });

  it('bundle handlers that load with nothing but the runtime SDK installed, as on Lambda', async () => {
    // Prepare: a node_modules beside the bundles holding only the SDK packages the runtime provides
    const modules = join(synth.outdir, 'node_modules');
    mkdirSync(modules);
    for (const scope of ['@aws-sdk', '@smithy']) symlinkSync(join(projectRoot, 'node_modules', scope), join(modules, scope));
    // Act: plain Node (not the test runner's module pipeline) imports every bundle
    const script = `for (const [name, file] of Object.entries(JSON.parse(process.argv[1]))) {
      const loaded = await import(file);
      console.log(name + ' ' + typeof loaded.handler);
    }`;
    const urls = Object.fromEntries(Object.entries(bundles()).map(([name, file]) => [name, pathToFileURL(file).href]));
    const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script, JSON.stringify(urls)], { cwd: synth.outdir });
    // Assess
    expect(stdout.trim().split('\n').sort()).toEqual(functionNames.map((name) => `${name} function`).sort());
  });

  it('ship the SQL files with the consent transform and point it at them', () => {
    const bundle = bundles()['consent-transform'];
    const shipped = readdirSync(join(dirname(bundle), 'sql'), { recursive: true }).map(String);
    const inRepository = readdirSync(join(projectRoot, 'sql'), { recursive: true })
      .map(String)
      .filter((path) => path.endsWith('.sql'));
    expect(inRepository.length).toBeGreaterThan(0);
    expect(shipped.filter((path) => path.endsWith('.sql')).sort()).toEqual(inRepository.sort());
    expect(shipped.filter((path) => !path.endsWith('.sql') && !statSync(join(dirname(bundle), 'sql', path)).isDirectory())).toEqual([]);
    const variables = resourcesOfType('AWS::Lambda::Function')[logicalId(synth.stack.functions.consentTransform)]!.Properties.Environment.Variables;
    expect(variables[envNames.sqlDirectory]).toBe('/var/task/sql');
  });
});

describe('IAM', () => {
  const policyDocuments = () => [
    ...Object.values(resourcesOfType('AWS::IAM::Policy')).map((policy) => policy.Properties.PolicyDocument),
    ...Object.values(resourcesOfType('AWS::IAM::ManagedPolicy')).map((policy) => policy.Properties.PolicyDocument),
  ];

  it('uses no wildcard in any action', () => {
    const actions = policyDocuments().flatMap((document) => document.Statement.flatMap(actionsOf));
    expect(actions.length).toBeGreaterThan(20);
    expect(actions.filter((action) => action.includes('*'))).toEqual([]);
  });

  it('grants Resource "*" only for X-Ray and log delivery, which have no resource-level permissions', () => {
    const onEverything = policyDocuments()
      .flatMap((document) => document.Statement)
      .filter((statement: any) => [statement.Resource].flat().includes('*'))
      .flatMap(actionsOf);
    expect(onEverything.length).toBeGreaterThan(0);
    const logDelivery = [
      'CreateLogDelivery',
      'DeleteLogDelivery',
      'DescribeLogGroups',
      'DescribeResourcePolicies',
      'GetLogDelivery',
      'ListLogDeliveries',
      'PutResourcePolicy',
      'UpdateLogDelivery',
    ];
    const allowed = new Set([
      ...logDelivery.map((action) => `logs:${action}`),
      'xray:PutTraceSegments',
      'xray:PutTelemetryRecords',
      'xray:GetSamplingRules',
      'xray:GetSamplingTargets',
    ]);
    expect(onEverything.filter((action) => !allowed.has(action))).toEqual([]);
  });

  it('attaches no AWS managed policy to the function roles', () => {
    for (const fn of Object.values(functionsByName())) {
      expect(resourcesOfType('AWS::IAM::Role')[logicalId(fn.role!)]!.Properties.ManagedPolicyArns).toBeUndefined();
    }
  });

  it('lets the API read single items of the table, and nothing else of the data', () => {
    const statements = functionStatements(synth.stack.functions.canSendSms);
    const dataActions = statements.flatMap(actionsOf).filter((action) => /^(dynamodb|s3|athena|glue):/.test(action));
    expect(dataActions.sort()).toEqual(['dynamodb:BatchGetItem', 'dynamodb:GetItem']);
  });

  it('lets the load write items, read the changes prefix only, and read no item of the table but the load marker', () => {
    const statements = functionStatements(synth.stack.functions.consentLoad);
    const dataActions = statements.flatMap(actionsOf).filter((action) => /^(dynamodb|s3|athena|glue):/.test(action));
    expect(dataActions.sort()).toEqual(['dynamodb:BatchWriteItem', 'dynamodb:GetItem', 'dynamodb:PutItem', 's3:GetObject']);
    const markerRead = statements.find((statement) => actionsOf(statement).includes('dynamodb:GetItem'));
    expect(markerRead.Condition).toEqual({ 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': [consentLoadMarker.account_number] } });
    const read = statements.find((statement) => actionsOf(statement).includes('s3:GetObject'));
    expect(read.Resource).toEqual({ 'Fn::Join': ['', [arnOf(synth.stack.storage.lake), `/${resources.prefixes.consentChanges}*`]] });
  });

  it('lets the consent transform read and update the load marker item of the table only', () => {
    const statements = functionStatements(synth.stack.functions.consentTransform).filter((statement) =>
      actionsOf(statement).some((a) => a.startsWith('dynamodb:')),
    );
    expect(statements.flatMap(actionsOf).sort()).toEqual(['dynamodb:GetItem', 'dynamodb:UpdateItem']);
    expect(statements.map((statement) => statement.Condition)).toEqual([
      { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': [consentLoadMarker.account_number] } },
    ]);
  });

  it('lets prepare-run list and read the feeds of the raw bucket, and write only under runs/ and raw-verified/ of the lake', () => {
    const statements = functionStatements(synth.stack.functions.prepareRun).filter((statement) => actionsOf(statement).some((a) => a.startsWith('s3:')));
    const { raw, lake } = synth.stack.storage;
    const feedPrefixes = [
      resources.prefixes.consentFeeds,
      'contact_rules/',
      'contacts/',
      'custom_fields/',
      'dispositions/',
      'loan_tape/',
      'payment_requests/',
      'reference/',
      'suppressions/',
    ];
    const lists = statements.filter((statement) => actionsOf(statement).includes('s3:ListBucket'));
    const listed = (bucket: typeof raw) => lists.filter((statement) => JSON.stringify(statement.Resource) === JSON.stringify(arnOf(bucket)));
    const writes = statements.filter((statement) => actionsOf(statement).some((a) => a.startsWith('s3:Put')));
    const reads = statements.filter((statement) => actionsOf(statement).includes('s3:GetObject'));
    expect(
      listed(raw)
        .flatMap((statement) => statement.Condition.StringLike['s3:prefix'])
        .sort(),
    ).toEqual(feedPrefixes.map((prefix) => `${prefix}*`).sort());
    expect(listed(lake).flatMap((statement) => statement.Condition.StringLike['s3:prefix'])).toEqual([`${resources.prefixes.rawVerified}*`]);
    expect(listed(raw).length + listed(lake).length).toBe(lists.length);
    // CDK merges statements with the same actions: one statement may list several resources.
    const objects = (found: typeof statements) =>
      found
        .flatMap((statement) => [statement.Resource].flat())
        .map((resource) => JSON.stringify(resource))
        .sort();
    expect(objects(writes)).toEqual(
      [resources.prefixes.rawVerified, resources.prefixes.runs].map((prefix) => JSON.stringify({ 'Fn::Join': ['', [arnOf(lake), `/${prefix}*`]] })).sort(),
    );
    // The gzip verification reads the raw feeds; nothing of the lake is read.
    expect(objects(reads)).toEqual(feedPrefixes.map((prefix) => JSON.stringify({ 'Fn::Join': ['', [arnOf(raw), `/${prefix}*`]] })).sort());
  });

  it("gives prepare-run one vCPU for the inputs' gzip verification and the state machine task's timeout", () => {
    const definition = JSON.parse(readFileSync(dailyRunDefinitionFile, 'utf8'));
    hasFunctionProperties(synth.stack.functions.prepareRun, { MemorySize: 1769, Timeout: definition.States.PrepareRun.TimeoutSeconds });
  });

  it("lets the shard function read and write run artifacts of the lake only, and caps its concurrency at the Map's", () => {
    const fn = synth.stack.functions.evaluateShard;
    const statements = functionStatements(fn).filter((statement) => actionsOf(statement).some((a) => a.startsWith('s3:')));
    const props = resourcesOfType('AWS::Lambda::Function')[logicalId(fn)]!.Properties;
    const definition = JSON.parse(readFileSync(dailyRunDefinitionFile, 'utf8'));
    expect(
      statements.every((statement) => JSON.stringify(statement.Resource).includes('Lake') && JSON.stringify(statement).includes(resources.prefixes.runs)),
    ).toBe(true);
    expect(props.ReservedConcurrentExecutions).toBe(definition.States.EvaluateShards.MaxConcurrency);
    expect(props.Environment.Variables.NODE_OPTIONS).toContain('--max-semi-space-size=64');
  });

  it('lets the transform run queries in the outbound workgroup and manage tables of the outbound database only', () => {
    const statements = functionStatements(synth.stack.functions.consentTransform);
    const athena = statements.find((statement) => actionsOf(statement).includes('athena:StartQueryExecution'));
    expect(actionsOf(athena).sort()).toEqual(['athena:GetQueryExecution', 'athena:GetQueryResults', 'athena:StartQueryExecution', 'athena:StopQueryExecution']);
    expect(JSON.stringify(athena.Resource)).toMatch(new RegExp(`:workgroup/${resources.athenaWorkgroup}"`));
    const glue = statements.find((statement) => actionsOf(statement).includes('glue:CreateTable'));
    expect(JSON.stringify(glue.Resource)).toMatch(new RegExp(`:table/${resources.glueDatabase}/\\*"`));
    expect(JSON.stringify(glue.Resource)).toMatch(new RegExp(`:database/${resources.glueDatabase}"`));
  });

  it('lets the report write run summaries only', () => {
    const statements = functionStatements(synth.stack.functions.report).filter((statement) => actionsOf(statement).some((a) => a.startsWith('s3:')));
    expect(statements).toHaveLength(1);
    expect(actionsOf(statements[0])).not.toContain('s3:GetObject');
    expect(statements[0].Resource).toEqual({ 'Fn::Join': ['', [arnOf(synth.stack.storage.lake), `/${resources.prefixes.runs}*`]] });
  });
});

describe('HTTP API', () => {
  it('routes GET /v1/can-send-sms and POST /v1/can-send-sms/batch to the can-send-sms function, GET /v1/can-call to the can-call function, with IAM authorization', () => {
    const routeKeys = ['GET /v1/can-call', 'GET /v1/can-send-sms', 'POST /v1/can-send-sms/batch'];
    synth.template.resourceCountIs('AWS::ApiGatewayV2::Route', routeKeys.length);
    for (const routeKey of routeKeys) synth.template.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: routeKey });
    synth.template.allResourcesProperties('AWS::ApiGatewayV2::Route', { AuthorizationType: 'AWS_IAM' });
    for (const fn of [synth.stack.functions.canSendSms, synth.stack.functions.canCall]) {
      synth.template.hasResourceProperties('AWS::ApiGatewayV2::Integration', { IntegrationType: 'AWS_PROXY', IntegrationUri: arnOf(fn) });
    }
  });

  it('throttles the default stage with the rate and burst from context', () => {
    synth.template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      DefaultRouteSettings: { ThrottlingRateLimit: 500, ThrottlingBurstLimit: 1000 },
    });
  });

  it('writes access logs to a KMS-encrypted log group, in a format without path, query string or body', () => {
    const stage = Object.values(resourcesOfType('AWS::ApiGatewayV2::Stage'))[0]!;
    const { DestinationArn, Format } = stage.Properties.AccessLogSettings;
    expect(JSON.parse(Format)).toEqual(accessLogFields);
    expect(Format).not.toMatch(/\$context\.(path|resourcePath)|querystring|queryString|\$input|\$request|requestOverride/i);
    const logGroup = resourcesOfType('AWS::Logs::LogGroup')[DestinationArn['Fn::GetAtt'][0]]!;
    expect(logGroup.Properties.KmsKeyId).toEqual(arnOf(synth.stack.storage.key));
  });

  it('offers callers a managed policy to invoke exactly the two routes', () => {
    // The other managed policies are CDK's overflow of a role's inline policy past IAM's size limit.
    const invokePolicies = Object.values(resourcesOfType('AWS::IAM::ManagedPolicy')).filter((policy) => policy.Properties.Roles === undefined);
    expect(invokePolicies).toHaveLength(1);
    const [statement] = invokePolicies[0]!.Properties.PolicyDocument.Statement;
    expect(statement.Action).toBe('execute-api:Invoke');
    expect(JSON.stringify(statement.Resource)).toContain('/$default/GET/v1/can-send-sms"');
    expect(JSON.stringify(statement.Resource)).toContain('/$default/POST/v1/can-send-sms/batch"');
  });
});

describe('daily-run state machine', () => {
  // biome-ignore lint/suspicious/noTemplateCurlyInString: the title names the ASL file's ${…} placeholders
  it('substitutes every ${…} placeholder of the ASL file, and nothing else', () => {
    // Prepare
    const placeholders = new Set([...readFileSync(dailyRunDefinitionFile, 'utf8').matchAll(/\$\{(\w+)\}/g)].map((match) => match[1]));
    // Act
    const machine = Object.values(resourcesOfType('AWS::StepFunctions::StateMachine'))[0]!;
    // Assess
    expect(placeholders.size).toBeGreaterThan(0);
    expect(Object.keys(machine.Properties.DefinitionSubstitutions).sort()).toEqual([...placeholders].sort());
  });

  it('substitutes the function placeholders with the matching functions and the topic with the alert topic', () => {
    const f = synth.stack.functions;
    synth.template.resourceCountIs('AWS::StepFunctions::StateMachine', 1);
    synth.template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      DefinitionSubstitutions: Match.objectEquals({
        PrepareRunFunctionArn: arnOf(f.prepareRun),
        ConsentTransformFunctionArn: arnOf(f.consentTransform),
        ConsentLoadFunctionArn: arnOf(f.consentLoad),
        BuildCustomerFactsFunctionArn: arnOf(f.buildCustomerFacts),
        EvaluateShardFunctionArn: arnOf(f.evaluateShard),
        FinalizeFunctionArn: arnOf(f.finalize),
        LoadDialGateFunctionArn: arnOf(f.loadDialGate),
        ExportListsFunctionArn: arnOf(f.exportLists),
        DeliverExportsFunctionArn: arnOf(f.deliverExports),
        GenesysPushFunctionArn: arnOf(f.genesysPush),
        ReportFunctionArn: arnOf(f.report),
        AlertTopicArn: ref(synth.stack.alerts.topic),
      }),
    });
  });

  it('may invoke exactly the task functions, start its own Map executions and publish to the alert topic', () => {
    const f = synth.stack.functions;
    const tasks = [
      f.prepareRun,
      f.consentTransform,
      f.consentLoad,
      f.buildCustomerFacts,
      f.evaluateShard,
      f.finalize,
      f.loadDialGate,
      f.exportLists,
      f.deliverExports,
      f.genesysPush,
      f.report,
    ];
    const statements = statementsOfRole(logicalId(synth.stack.dailyRun.stateMachine.role));
    const invoke = statements.filter((statement) => actionsOf(statement).includes('lambda:InvokeFunction'));
    expect(invoke).toHaveLength(1);
    expect(invoke[0].Resource).toEqual(expect.arrayContaining(tasks.map(arnOf)));
    expect(invoke[0].Resource).toHaveLength(tasks.length);
    const start = statements.filter((statement) => actionsOf(statement).includes('states:StartExecution'));
    expect(JSON.stringify(start.map((statement) => statement.Resource))).toContain(':stateMachine:Outbound-daily-run');
    const publish = statements.filter((statement) => actionsOf(statement).includes('sns:Publish'));
    expect(publish.map((statement) => statement.Resource)).toEqual([ref(synth.stack.alerts.topic)]);
  });

  it('logs ALL events to a KMS-encrypted log group and traces with X-Ray', () => {
    const machine = Object.values(resourcesOfType('AWS::StepFunctions::StateMachine'))[0]!;
    expect(machine.Properties.TracingConfiguration).toEqual({ Enabled: true });
    expect(machine.Properties.LoggingConfiguration.Level).toBe('ALL');
    const logGroupId = machine.Properties.LoggingConfiguration.Destinations[0].CloudWatchLogsLogGroup.LogGroupArn['Fn::GetAtt'][0];
    expect(resourcesOfType('AWS::Logs::LogGroup')[logGroupId]!.Properties.KmsKeyId).toEqual(arnOf(synth.stack.storage.key));
  });

  it('publishes failures to a KMS-encrypted topic that refuses requests without TLS', () => {
    synth.template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: arnOf(synth.stack.storage.key) });
    synth.template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]),
      },
    });
  });
});

/**
 * OUTBOUND_* variables that the handler and the repository modules it imports read: through `envNames`
 * or spelled out, outside comments. Dynamic imports count (the engine factory loads the Athena or DuckDB engine on demand).
 */
async function envNamesReadBy(entry: string): Promise<Set<string>> {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    metafile: true,
    platform: 'node',
    format: 'esm',
    logLevel: 'silent',
    packages: 'external',
  });
  const definitions = join(projectRoot, 'config', 'environment.ts');
  const names = new Set<string>();
  for (const input of Object.keys(result.metafile.inputs)) {
    const file = join(process.cwd(), input);
    if (relative(projectRoot, file).startsWith('..') || file === definitions) continue;
    // Comments do not read variables: block comments and whole-line `//` comments are left out.
    const code = readFileSync(file, 'utf8')
      .replace(/\/\*[\s\S]*?\*\//g, '')
      .replace(/^\s*\/\/.*$/gm, '');
    for (const match of code.matchAll(/envNames\.(\w+)/g)) names.add(envNames[match[1] as keyof typeof envNames]);
    for (const match of code.matchAll(/\bOUTBOUND_[A-Z_]+\b/g)) names.add(match[0]);
  }
  return names;
}

describe('dialer events and the dial gate', () => {
  it('keys the dial-gate table by pk alone, with TTL, point-in-time recovery, KMS and deletion protection', () => {
    synth.template.hasResource('AWS::DynamoDB::Table', {
      Properties: Match.objectLike({
        KeySchema: [{ AttributeName: resources.tables.dialGate.partitionKey, KeyType: 'HASH' }],
        TimeToLiveSpecification: { AttributeName: resources.tables.dialGate.ttlAttribute, Enabled: true },
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        SSESpecification: Match.objectLike({ SSEEnabled: true, SSEType: 'KMS' }),
        DeletionProtectionEnabled: true,
      }),
      DeletionPolicy: 'Retain',
    });
  });

  it('sends the Genesys partner and outbound.dialer events to the ingest function, with a dead-letter queue for the rule and the function', () => {
    const ingest = arnOf(synth.stack.functions.ingestEvents);
    synth.template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: { source: [{ prefix: 'aws.partner/genesys.com' }, 'outbound.dialer'] },
      Targets: [Match.objectLike({ Arn: ingest, DeadLetterConfig: Match.objectLike({ Arn: Match.anyValue() }), RetryPolicy: Match.anyValue() })],
    });
    synth.template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      MaximumRetryAttempts: 2,
      DestinationConfig: { OnFailure: { Destination: Match.anyValue() } },
    });
  });

  it('lets the ingest update items and touch only the opt-out items of the consent table, and the can-call API read single items', () => {
    const f = synth.stack.functions;
    const ingest = statementsOfRole(logicalId(f.ingestEvents.role!)).filter((statement) =>
      actionsOf(statement).some((action) => action.startsWith('dynamodb:')),
    );
    expect(ingest.map((statement) => actionsOf(statement))).toEqual([['dynamodb:UpdateItem'], ['dynamodb:UpdateItem']]);
    expect(ingest.map((statement) => statement.Condition ?? null)).toContainEqual({
      'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': [optOutItemAccount] },
    });
    const canCall = statementsOfRole(logicalId(f.canCall.role!))
      .flatMap((statement) => actionsOf(statement))
      .filter((action) => action.startsWith('dynamodb:'));
    expect(canCall.sort()).toEqual(['dynamodb:BatchGetItem', 'dynamodb:BatchGetItem', 'dynamodb:GetItem', 'dynamodb:GetItem']);
    const onConsent = statementsOfRole(logicalId(f.canCall.role!)).filter(
      (statement) => actionsOf(statement).some((action) => action.startsWith('dynamodb:')) && statement.Condition,
    );
    expect(onConsent.map((statement) => statement.Condition)).toEqual([{ 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': [optOutItemAccount] } }]);
  });
});
