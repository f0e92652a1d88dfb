import { mkdir, open, readFile, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { AddressInfo } from 'node:net';
import S3rver from 's3rver';
import './s3rver-durable-put.ts';
import { Worker } from 'node:worker_threads';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient, ResourceNotFoundException } from '@aws-sdk/client-dynamodb';
import { resources } from '../../config/resources.ts';
import { envNames } from '../../config/environment.ts';
import { startLocalPartners, type LocalPartners } from './partners.ts';

/**
 * The embedded local runtime (§2): s3rver and dynalite started in-process on free loopback ports,
 * persisting under the home directory, with the environment the handlers read pointed at them.
 */
export interface LocalRuntime {
  home: string;
  s3Endpoint: string;
  dynamoEndpoint: string;
  /** The embedded SFTP servers of the partners asked for (none: empty). */
  partners: LocalPartners | undefined;
  stop(): Promise<void>;
}

export const defaultHome = '.outbound';

/**
 * `partners`: the partners the run delivers to (local/runtime/partners.ts). Each gets an embedded SFTP server and an entry in
 * OUTBOUND_PARTNERS, unless that variable was set before (a registry of one's own is kept as it is); the variable is
 * restored on stop.
 */
export async function startLocalRuntime(options: { home?: string; data?: string; partners?: readonly string[] } = {}): Promise<LocalRuntime> {
  const home = resolve(options.home ?? defaultHome);
  await mkdir(join(home, 's3'), { recursive: true });
  await mkdir(join(home, 'dynamodb'), { recursive: true });
  const releaseHome = await lockHome(home);

  const s3rver = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: join(home, 's3') });
  const s3Address = (await s3rver.run()) as AddressInfo;
  const dynamo = await startDynalite(join(home, 'dynamodb'));

  const s3Endpoint = `http://127.0.0.1:${s3Address.port}`;
  const dynamoEndpoint = `http://127.0.0.1:${dynamo.port}`;
  Object.assign(process.env, localEnvironment(home, s3Endpoint, dynamoEndpoint, options.data));

  await ensureBuckets(s3Endpoint);
  const { phoneConsent, dialGate } = resources.tables;
  await ensureTable(dynamoEndpoint, phoneConsent.name, phoneConsent);
  await ensureTable(dynamoEndpoint, dialGate.name, dialGate);

  const ownRegistry = process.env[envNames.partners];
  const partners = ownRegistry === undefined && options.partners?.length ? await startLocalPartners(home, options.partners) : undefined;
  if (partners) process.env[envNames.partners] = JSON.stringify(partners.registry);

  return {
    home,
    s3Endpoint,
    dynamoEndpoint,
    partners,
    async stop() {
      if (partners) {
        await partners.stop();
        delete process.env[envNames.partners];
      }
      await s3rver.close();
      await dynamo.close();
      await releaseHome();
    },
  };
}

function localEnvironment(home: string, s3Endpoint: string, dynamoEndpoint: string, data?: string): Record<string, string> {
  return {
    AWS_ENDPOINT_URL_S3: s3Endpoint,
    AWS_ENDPOINT_URL_DYNAMODB: dynamoEndpoint,
    AWS_REGION: process.env.AWS_REGION ?? 'us-east-1',
    // s3rver accepts only its fixed S3RVER key (dynalite accepts any); fixed credentials keep the SDK from looking elsewhere.
    AWS_ACCESS_KEY_ID: 'S3RVER',
    AWS_SECRET_ACCESS_KEY: 'S3RVER',
    [envNames.rawBucket]: resources.buckets.raw,
    [envNames.lakeBucket]: resources.buckets.lake,
    [envNames.exportsBucket]: resources.buckets.exports,
    [envNames.consentTable]: resources.tables.phoneConsent.name,
    [envNames.dialGateTable]: resources.tables.dialGate.name,
    [envNames.sqlEngine]: 'duckdb',
    [envNames.localHome]: home,
    ...(data ? { [envNames.localData]: resolve(data) } : {}),
    // The Lambdas run on Node 22; the local runtime also runs on Node 20, where the SDK warns on every start.
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    POWERTOOLS_SERVICE_NAME: 'outbound',
    POWERTOOLS_METRICS_NAMESPACE: 'outbound',
    POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? 'WARN',
  };
}

async function ensureBuckets(endpoint: string): Promise<void> {
  const s3 = new S3Client({ endpoint, forcePathStyle: true });
  for (const bucket of Object.values(resources.buckets)) {
    try {
      await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    } catch (error) {
      const name = (error as { name?: string }).name;
      if (name !== 'BucketAlreadyOwnedByYou' && name !== 'BucketAlreadyExists') throw error;
    }
  }
  s3.destroy();
}

/** Creates a table if it is missing: string keys (partition, optional sort), on demand. dynalite expires no items, so no TTL is set. */
async function ensureTable(endpoint: string, name: string, keys: { partitionKey: string; sortKey?: string }): Promise<void> {
  const dynamo = new DynamoDBClient({ endpoint });
  const names = [keys.partitionKey, ...(keys.sortKey ? [keys.sortKey] : [])];
  try {
    await dynamo.send(new DescribeTableCommand({ TableName: name }));
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
    await dynamo.send(
      new CreateTableCommand({
        TableName: name,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: names.map((attribute) => ({ AttributeName: attribute, AttributeType: 'S' })),
        KeySchema: names.map((attribute, index) => ({ AttributeName: attribute, KeyType: index === 0 ? 'HASH' : 'RANGE' })),
      }),
    );
  }
  dynamo.destroy();
}

/** dynalite in a worker thread (see dynalite-worker.mjs), persisting under `path`. */
async function startDynalite(path: string): Promise<{ port: number; close(): Promise<void> }> {
  const worker = new Worker(new URL('./dynalite-worker.mjs', import.meta.url), { workerData: { path } });
  const port = await new Promise<number>((done, fail) => {
    worker.once('error', fail);
    worker.once('message', (message: { type: string; port?: number; message?: string }) =>
      message.type === 'listening' ? done(message.port!) : fail(new Error(`dynalite did not start: ${message.message}`)),
    );
  });
  return {
    port,
    async close() {
      await new Promise<void>((done) => {
        worker.once('message', () => done());
        worker.postMessage('close');
      });
      await worker.terminate();
    },
  };
}

/**
 * One process at a time owns a home (dynalite's LevelDB cannot be shared). A lock file with the
 * owner's pid makes a second process fail with a clear message; a lock left by a dead process is taken over.
 */
async function lockHome(home: string): Promise<() => Promise<void>> {
  const lockFile = join(home, 'runtime.lock');
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      const handle = await open(lockFile, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      return () => rm(lockFile, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = Number(await readFile(lockFile, 'utf8').catch(() => ''));
      if (owner && owner !== process.pid && isAlive(owner)) {
        throw new Error(`home ${home} is in use by process ${owner} (another outbound run, serve or sms-check); stop it or use another --home`);
      }
      await rm(lockFile, { force: true });
    }
  }
  throw new Error(`could not lock home ${home}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
