import { beforeEach, describe, expect, it } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { PutObjectCommand, PutObjectTaggingCommand, S3Client } from '@aws-sdk/client-s3';
import { resources } from '../../config/resources.ts';
import { putLakeJson } from '../../adapters/lake-store.ts';
import { putGzipJsonLines } from '../../adapters/json-lines-objects.ts';
import { keepAsHistory, lakeObjectTagging, tagWrittenObjects } from '../../adapters/lake-retention.ts';
import { publicationKey, runLayout } from '../../domain/run/run-layout.ts';

/** The retention tag the lake's lifecycle rule expires (lib/storage.ts): on an attempt's objects, and on no other. */

const s3 = mockClient(S3Client);
const attemptTag = `${resources.retentionTag.key}=${resources.retentionTag.attempt}`;
const snapshot = runLayout.configSnapshot('2026-11-20', 'exec-1');

beforeEach(() => {
  s3.reset();
  process.env.OUTBOUND_LAKE_BUCKET = 'lake-bucket';
});

describe('lake retention tag', () => {
  it("tags an attempt's objects and leaves history, publications and tables untagged", () => {
    // Assess
    expect(lakeObjectTagging(snapshot)).toBe(attemptTag);
    expect(lakeObjectTagging(`${runLayout.factsPrefix('2026-11-20', 'exec-1')}customers/shard=0000/part-0.gz`)).toBe(attemptTag);
    expect(lakeObjectTagging('runs/load_date=2026-11-20/run_id=2026-11-20-abc/summary.json')).toBeUndefined();
    expect(lakeObjectTagging(publicationKey('2026-11-20'))).toBeUndefined();
    expect(lakeObjectTagging('quality/lists/load_date=2026-11-20.json')).toBeUndefined();
    expect(lakeObjectTagging('phone_consent/as_of_date=2026-11-20/x/part-0.parquet')).toBeUndefined();
  });

  it('writes the tag with the object: JSON documents and gzip JSON Lines', async () => {
    // Act
    await putLakeJson(snapshot, { sets: [] });
    await putLakeJson('quality/facts/load_date=2026-11-20.json', {});
    await putGzipJsonLines('lake-bucket', `${runLayout.decisionsPrefix('2026-11-20', 'exec-1')}lists/shard=0000/part-00000.jsonl.gz`, '{}\n');
    // Assess
    expect(s3.commandCalls(PutObjectCommand).map((call) => [call.args[0].input.Key, call.args[0].input.Tagging])).toEqual([
      [snapshot, attemptTag],
      ['quality/facts/load_date=2026-11-20.json', undefined],
      ['runs/load_date=2026-11-20/attempt=exec-1/decisions/lists/shard=0000/part-00000.jsonl.gz', attemptTag],
    ]);
  });

  it("tags after the fact the attempt's objects another service wrote, and only those", async () => {
    // Prepare
    const keys = Array.from({ length: 20 }, (_, index) => `${runLayout.exportRowsPrefix('2026-11-20', 'exec-1')}part-${index}.gz`);
    // Act
    await tagWrittenObjects('lake-bucket', [...keys, 'consent/changes/as_of_date=2026-11-20/run=x/part-0.gz']);
    // Assess
    const tagged = s3.commandCalls(PutObjectTaggingCommand).map((call) => call.args[0].input);
    expect(tagged.map((input) => input.Key).sort()).toEqual([...keys].sort());
    expect(new Set(tagged.map((input) => JSON.stringify(input.Tagging)))).toEqual(
      new Set([JSON.stringify({ TagSet: [{ Key: resources.retentionTag.key, Value: resources.retentionTag.attempt }] })]),
    );
  });

  it("marks the published attempt's snapshot as history, which the rule does not expire", async () => {
    // Act
    await keepAsHistory('lake-bucket', snapshot);
    // Assess
    expect(s3.commandCalls(PutObjectTaggingCommand).map((call) => call.args[0].input)).toEqual([
      { Bucket: 'lake-bucket', Key: snapshot, Tagging: { TagSet: [{ Key: resources.retentionTag.key, Value: resources.retentionTag.history }] } },
    ]);
  });
});
