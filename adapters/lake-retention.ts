import { PutObjectTaggingCommand } from '@aws-sdk/client-s3';
import { resources } from '../config/resources.ts';
import { isAttemptKey } from '../domain/run/run-layout.ts';
import { s3Client } from './aws-clients.ts';

const { retentionTag } = resources;

/**
 * The `Tagging` of a new lake object (PutObject): an attempt's objects carry the tag the lifecycle rule expires
 * (lib/storage.ts, docs/infrastructure.md "Retention"); every other object none.
 */
export function lakeObjectTagging(key: string): string | undefined {
  return isAttemptKey(key) ? `${retentionTag.key}=${retentionTag.attempt}` : undefined;
}

/** Objects tagged at once. */
const CONCURRENCY = 8;

/**
 * Tags, after the fact, the attempt's objects among `keys` that were written by a service that cannot tag them
 * (Athena UNLOAD): without the tag a failed attempt's rows would never expire.
 */
export async function tagWrittenObjects(bucket: string, keys: readonly string[]): Promise<void> {
  const attemptKeys = keys.filter(isAttemptKey);
  let next = 0;
  const worker = async () => {
    while (next < attemptKeys.length) await putRetentionTag(bucket, attemptKeys[next++]!, retentionTag.attempt);
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, attemptKeys.length) }, worker));
}

/** Marks an attempt's object as the date's history (its configuration snapshot, at publication): the lifecycle rule leaves it. */
export async function keepAsHistory(bucket: string, key: string): Promise<void> {
  await putRetentionTag(bucket, key, retentionTag.history);
}

async function putRetentionTag(bucket: string, key: string, value: string): Promise<void> {
  await s3Client().send(new PutObjectTaggingCommand({ Bucket: bucket, Key: key, Tagging: { TagSet: [{ Key: retentionTag.key, Value: value }] } }));
}
