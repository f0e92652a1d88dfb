import { DeleteObjectsCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { s3Client } from './aws-clients.ts';

/** Deletes every object under `prefix` in `bucket` except the keys in `keep`. */
export async function deleteObjectsUnderPrefix(bucket: string, prefix: string, keep: ReadonlySet<string> = new Set()): Promise<void> {
  const s3 = s3Client();
  let continuationToken: string | undefined;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: continuationToken }));
    const stale = (page.Contents ?? []).map((object) => object.Key!).filter((key) => !keep.has(key));
    if (stale.length > 0) {
      await s3.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: stale.map((Key) => ({ Key })) } }));
    }
    continuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (continuationToken);
}

/** The keys of all objects under `prefix` in `bucket`, ascending. */
export async function listKeysUnderPrefix(bucket: string, prefix: string): Promise<string[]> {
  const s3 = s3Client();
  const keys: string[] = [];
  let continuationToken: string | undefined;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: continuationToken }));
    keys.push(...(page.Contents ?? []).map((object) => object.Key!));
    continuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (continuationToken);
  return keys.sort();
}
