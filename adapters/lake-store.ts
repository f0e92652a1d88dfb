import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { envNames, requireEnv } from '../config/environment.ts';
import { s3Client } from './aws-clients.ts';
import { lakeObjectTagging } from './lake-retention.ts';

/** JSON documents of the run (configuration snapshot, summaries) in the lake bucket. */
export async function putLakeJson(key: string, value: unknown): Promise<void> {
  await s3Client().send(
    new PutObjectCommand({
      Bucket: requireEnv(envNames.lakeBucket),
      Key: key,
      Body: JSON.stringify(value),
      ContentType: 'application/json',
      Tagging: lakeObjectTagging(key),
    }),
  );
}

export async function getLakeJson<T>(key: string): Promise<T> {
  const object = await s3Client().send(new GetObjectCommand({ Bucket: requireEnv(envNames.lakeBucket), Key: key }));
  return JSON.parse(await object.Body!.transformToString('utf8')) as T;
}

/**
 * Whether an object exists in the lake, asked by listing with the key as prefix: a role that may only list
 * a prefix gets a clear answer (HeadObject without s3:GetObject and unconditional s3:ListBucket answers 403).
 */
export async function lakeObjectExists(key: string): Promise<boolean> {
  const listed = await s3Client().send(new ListObjectsV2Command({ Bucket: requireEnv(envNames.lakeBucket), Prefix: key, MaxKeys: 1 }));
  // The key itself sorts first among the keys it prefixes.
  return listed.Contents?.[0]?.Key === key;
}
