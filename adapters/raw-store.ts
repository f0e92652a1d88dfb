import { readdir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { envNames, requireEnv } from '../config/environment.ts';
import { s3Client } from './aws-clients.ts';

/**
 * Lists the landing zone's files: the raw bucket in the cloud, the `OUTBOUND_DATA` directory locally
 * (DuckDB reads local files directly, so the local landing zone stays a plain directory).
 */
export async function listRawKeys(prefix: string): Promise<string[]> {
  const dataDir = process.env[envNames.localData];
  return dataDir ? listDirectory(dataDir, prefix) : listBucket(requireEnv(envNames.rawBucket), prefix);
}

async function listDirectory(root: string, prefix: string): Promise<string[]> {
  const entries = await readdir(join(root, prefix), { recursive: true, withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [];
    throw error;
  });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => relative(root, join(entry.parentPath, entry.name)).split('\\').join('/'))
    .sort();
}

async function listBucket(bucket: string, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = await s3Client().send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
    for (const object of page.Contents ?? []) if (object.Key) keys.push(object.Key);
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return keys.sort();
}
