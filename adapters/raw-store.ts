import { mkdir, readdir, rename, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { envNames, requireEnv } from '../config/environment.ts';
import { s3Client } from './aws-clients.ts';

/**
 * Lists the landing zone's files: the raw bucket in the cloud, the `OUTBOUND_DATA` directory locally
 * (DuckDB reads local files directly, so the local landing zone stays a plain directory).
 */
export function listRawKeys(prefix: string): Promise<string[]> {
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

/**
 * Writes one landing-zone file (the results loop's dispositions), replacing it whole: locally under a dot name
 * first (which readers skip, docs/feeds.md) and renamed into place, in the cloud a single PutObject.
 */
export async function writeRawObject(key: string, body: Uint8Array): Promise<void> {
  const dataDir = process.env[envNames.localData];
  if (!dataDir) {
    await s3Client().send(new PutObjectCommand({ Bucket: requireEnv(envNames.rawBucket), Key: key, Body: body, ContentType: 'application/gzip' }));
    return;
  }
  const target = join(dataDir, key);
  const partial = join(dirname(target), `.${key.slice(key.lastIndexOf('/') + 1)}.partial`);
  await mkdir(dirname(target), { recursive: true });
  await writeFile(partial, body);
  await rename(partial, target);
}
