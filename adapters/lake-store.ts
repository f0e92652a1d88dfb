import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { envNames, requireEnv } from '../config/environment.ts';
import { s3Client } from './aws-clients.ts';

/** JSON documents of the run (configuration snapshot, summaries) in the lake bucket. */
export async function putLakeJson(key: string, value: unknown): Promise<void> {
  await s3Client().send(
    new PutObjectCommand({ Bucket: requireEnv(envNames.lakeBucket), Key: key, Body: JSON.stringify(value), ContentType: 'application/json' }),
  );
}

export async function getLakeJson<T>(key: string): Promise<T> {
  const object = await s3Client().send(new GetObjectCommand({ Bucket: requireEnv(envNames.lakeBucket), Key: key }));
  return JSON.parse(await object.Body!.transformToString('utf8')) as T;
}
